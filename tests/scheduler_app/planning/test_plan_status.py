"""``plan --json`` speaks DESIGN's three statuses: a search that found nothing in time is
reported ``infeasible`` with a reason saying it was not proven, never a fourth word."""

from __future__ import annotations

from scheduler_app.planning.optimiser import FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, PlanResult


def result(status: str, reason: str = "") -> PlanResult:
    return PlanResult(status, [], 3, 3, {"error": 1, "warning": 0}, reason=reason)


def test_a_search_that_ran_out_of_time_is_reported_infeasible_with_its_reason() -> None:
    reason = "no plan placing all 4 movable campaigns was found in 10 s (not proven impossible)"
    payload = result(UNKNOWN, reason).as_json(applied=False)

    assert payload["status"] == INFEASIBLE
    assert "not proven" in str(payload["reason"])


def test_the_other_statuses_are_reported_as_they_are() -> None:
    for status in (OPTIMAL, FEASIBLE, INFEASIBLE):
        assert result(status).as_json(applied=False)["status"] == status
        assert result(status).reported_status == status
