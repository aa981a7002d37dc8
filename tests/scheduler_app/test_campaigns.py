from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.equipment import ReactorType
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
