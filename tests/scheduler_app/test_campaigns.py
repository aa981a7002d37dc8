from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from scheduler_app.campaigns import CAMPAIGN_FIELDS, Campaign, Purpose, Status, campaign_of
from scheduler_app.equipment import ReactorType
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from tests.factories import NEW_YORK, campaign, local, small_schedule


def test_duration_counts_batches_and_turnarounds_between_them() -> None:
    s = small_schedule()
    c = campaign(s, "CMP-0001", batches=3)  # 14-day batches, 2-day turnaround
    assert c.duration_days == 3 * 14 + 2 * 2
    assert s.campaign_end(c) == local("2027-04-16")


def test_batches_are_separated_by_turnaround_on_the_local_calendar() -> None:
    s = small_schedule()
    c = campaign(s, "CMP-0001", batches=2)
    (first_start, first_end), (second_start, second_end) = c.batch_intervals(NEW_YORK)
    assert first_start == local("2027-03-01")
    assert first_end == local("2027-03-15")  # across the DST change
    assert second_start == local("2027-03-17")
    assert second_end == s.campaign_end(c)


def test_end_follows_the_bioreactor_site_calendar() -> None:
    s = small_schedule()
    start = datetime(2027, 3, 1, 5, tzinfo=UTC)
    syr = campaign(s, "CMP-0001", start=start, batches=1)
    sdo = campaign(s, "CMP-0002", bioreactor="SDO-BR1501", start=start, batches=1)
    assert (s.campaign_end(syr) - start).total_seconds() == 14 * 86400 - 3600
    assert (s.campaign_end(sdo) - start).total_seconds() == 14 * 86400


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("planned", Status.PLANNED),
        ("IN PROGRESS", Status.IN_PROGRESS),
        ("in-progress", Status.IN_PROGRESS),
        ("Canceled", Status.CANCELLED),
        (" confirmed ", Status.CONFIRMED),
    ],
)
def test_status_parses_any_case(text: str, status: Status) -> None:
    assert Status.parse(text) is status


def test_unknown_status_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="Planned, Tentative"):
        Status.parse("maybe")


def test_only_in_progress_and_complete_are_locked() -> None:
    assert {s for s in Status if s.locked} == {Status.IN_PROGRESS, Status.COMPLETE}


def test_reactor_type_parse() -> None:
    assert ReactorType.parse("single use") is ReactorType.SINGLE_USE
    assert ReactorType.parse("STAINLESS") is ReactorType.STAINLESS
    with pytest.raises(ValueError):
        ReactorType.parse("glass")


def test_campaign_of_builds_the_same_frozen_campaign_as_the_constructor() -> None:
    """Storage's bulk-load constructor: every field lands where Campaign(...) puts it."""
    values = (
        CampaignId("CMP-0007"),
        ProductCode("PRD-A"),
        BioreactorCode("SYR-BR1"),
        datetime(2027, 3, 1, 5, tzinfo=UTC),
        3,
        14,
        2,
        Status.CONFIRMED,
        date(2027, 6, 30),
        "a note",
        (("Batch record", "BR-1"),),
        7,
        Purpose.PPQ,
        CampaignId("CMP-0001"),
        35,
    )
    assert len(values) == len(CAMPAIGN_FIELDS)
    made = campaign_of(*values)
    expected = Campaign(*values)
    assert type(made) is Campaign
    assert made == expected and hash(made) == hash(expected)
    assert [getattr(made, name) for name in CAMPAIGN_FIELDS] == list(values)
    assert dataclasses.replace(made, batches=4) == dataclasses.replace(expected, batches=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.batches = 9  # type: ignore[misc]
