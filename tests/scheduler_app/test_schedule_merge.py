"""What an incoming schedule changes, computed without touching a database."""

from __future__ import annotations

import dataclasses

import pytest

from scheduler_app.errors import NotFoundError
from scheduler_app.ids import SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule_merge import merge_schedule
from scheduler_app.sites import Suite
from tests.factories import campaign, local, small_schedule


def held_and_incoming():
    held = small_schedule()
    campaign(held, "CMP-0001", start="2027-03-01")
    campaign(held, "CMP-0002", start="2027-06-01", version=4)
    held.maintenance = [
        MaintenanceWindow(SiteCode("SYR"), local("2027-07-01"), local("2027-07-15"), "Shut", id=7)
    ]
    incoming = held.copy()
    incoming.campaigns = {"CMP-0001": dataclasses.replace(held.campaigns["CMP-0001"], version=1)}
    incoming.maintenance = [dataclasses.replace(held.maintenance[0], id=None, version=1)]
    return held, incoming


def test_unchanged_campaigns_and_windows_are_skipped_whatever_their_versions() -> None:
    held, incoming = held_and_incoming()
    plan = merge_schedule(held, incoming, delete_missing=False)
    assert (plan.pairs, plan.master, plan.windows) == ([], [], None)
    assert plan.summary() == "no campaign changes"


def test_changes_additions_and_deletions_are_paired_with_what_is_held() -> None:
    held, incoming = held_and_incoming()
    first = incoming.campaigns["CMP-0001"]
    incoming.campaigns["CMP-0001"] = dataclasses.replace(first, batches=5)
    campaign(incoming, "CMP-0009", start="2028-01-01", version=6)
    incoming.extra_columns = ["PO"]
    held.extra_columns = ["Lot", "PO"]
    plan = merge_schedule(held, incoming, delete_missing=True)
    assert plan.pairs == [
        (held.campaigns["CMP-0001"], incoming.campaigns["CMP-0001"]),
        (None, dataclasses.replace(incoming.campaigns["CMP-0009"], version=1)),
        (held.campaigns["CMP-0002"], None),
    ]
    assert plan.summary() == "1 changed, 1 added, 1 deleted"
    assert plan.columns == ["PO", "Lot"]
    kept = merge_schedule(held, incoming, delete_missing=False)
    assert kept.summary() == "1 changed, 1 added"


def test_master_data_is_upserted_and_must_resolve() -> None:
    held, incoming = held_and_incoming()
    incoming.suites = {**incoming.suites, SuiteCode("SYR-S2"): Suite("SYR-S2", "SYR", "Suite 2")}
    plan = merge_schedule(held, incoming, delete_missing=False)
    assert plan.master == [("suite", None, incoming.suites["SYR-S2"])]
    assert "SYR-S2" in plan.merged.suites and "SYR-S2" not in held.suites
    incoming.suites["SYR-S3"] = Suite("SYR-S3", "XXX")
    with pytest.raises(NotFoundError, match="XXX"):
        merge_schedule(held, incoming, delete_missing=False)
