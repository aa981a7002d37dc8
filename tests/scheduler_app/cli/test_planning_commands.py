"""``slot`` and ``plan``: the JSON contracts, exit codes, and plans applied as one change set."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.cli.main import main
from scheduler_app.rules.engine import check_schedule
from scheduler_app.schedule import Schedule
from scheduler_app.storage import Store

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
WINDOW = ["--from", "2026-12-02", "--to", "2027-12-01"]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def errors_the_window_cannot_clear(schedule: Schedule, include_confirmed: bool) -> int:
    """Error conflicts of the demo that a plan of WINDOW may not clear: those beyond its end and,
    unless Confirmed campaigns may move, those of Confirmed campaigns."""
    count = 0
    for conflict in check_schedule(schedule):
        if conflict.severity.value != "error":
            continue
        confirmed = all(
            schedule.campaigns[cid].status is Status.CONFIRMED for cid in conflict.campaigns
        )
        beyond = conflict.start.date() > date(2027, 12, 1)
        count += beyond or (confirmed and not include_confirmed)
    return count


def late_changeover(demo_db: Path) -> str:
    """The demo's deliberate changeover conflict: the campaign that starts too soon."""
    schedule = Store.open(str(demo_db)).load()
    [conflict] = [c for c in check_schedule(schedule) if c.kind == "changeover"]
    return max(conflict.campaigns, key=lambda cid: schedule.campaigns[cid].start)


def test_slot_json_lists_clear_options_earliest_first(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign_id = late_changeover(demo_db)
    schedule = Store.open(str(demo_db)).load()
    scales = schedule.products[schedule.campaigns[campaign_id].product].validated_scales_l
    code, payload = run_json(
        capsys, "slot", campaign_id, "--db", str(demo_db), "--after", "2026-12-02"
    )

    assert code == 0
    assert payload["campaign"] == campaign_id
    options = payload["options"]
    assert isinstance(options, list) and options
    assert [o["start"] for o in options] == sorted(o["start"] for o in options)
    for option in options:
        assert set(option) == {"bioreactor", "site", "start", "end", "warnings"}
        assert ISO_UTC.match(option["start"]) and ISO_UTC.match(option["end"])
        assert option["start"] >= "2026-12-02"
        assert option["site"] == option["bioreactor"][:3]
    # Only bioreactors where the product's scale is validated are offered.
    for option in options:
        assert schedule.bioreactors[option["bioreactor"]].working_volume_l in scales


def test_slot_on_one_bioreactor_and_the_text_table(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["slot", late_changeover(demo_db), "--db", str(demo_db), "--bioreactor", "SYR-BR506"]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "SYR-BR506" in out and "SYR-BR501" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["slot", "CMP-9999"], "Unknown campaign"),
        (["slot", "CMP-0046", "--after", "tomorrow"], "--after 'tomorrow' is not a date"),
        (["slot", "CMP-0046", "--bioreactor", "XX-1"], "Unknown bioreactor"),
        (["plan", "--from", "2027-03-01", "--to", "2027-01-01"], "is before --from"),
    ],
)
def test_refusals_are_one_line_and_exit_2(
    demo_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code = main([*argv, "--db", str(demo_db)])

    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_moving_confirmed_campaigns_needs_a_reason(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = Store.open(str(demo_db)).load().campaigns

    code = main(["plan", "--db", str(demo_db), *WINDOW, "--include-confirmed"])

    assert code == 2
    assert "reason" in capsys.readouterr().err.lower()
    assert Store.open(str(demo_db)).load().campaigns == before


def test_plan_dry_run_prints_the_plan_and_applies_nothing(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = Store.open(str(demo_db)).load().campaigns

    # A generous limit: the search stops once the plan is proven best, and a loaded machine
    # must not turn this into "unknown".
    code, payload = run_json(
        capsys, "plan", "--db", str(demo_db), *WINDOW, "--dry-run", "--time-limit", "30"
    )

    assert set(payload) == {
        "status",
        "applied",
        "reason",
        "unplaced",
        "changes",
        "days_late",
        "conflicts",
    }
    assert payload["status"] in {"optimal", "feasible"}
    assert payload["reason"] == "" and payload["unplaced"] == []
    assert payload["applied"] is False
    changes = payload["changes"]
    assert isinstance(changes, list) and changes
    for change in changes:
        assert set(change) == {"campaign", "from", "to"}
        assert set(change["from"]) == set(change["to"]) == {"bioreactor", "start"}
        assert ISO_UTC.match(change["to"]["start"])
    assert payload["days_late"] == {"before": 5, "after": 0}
    # What is left is for Confirmed campaigns (they stay put) or beyond the window: exit 1.
    schedule = Store.open(str(demo_db)).load()
    assert schedule.campaigns == before
    kept = errors_the_window_cannot_clear(schedule, include_confirmed=False)
    assert payload["conflicts"]["error"] == kept > 0 and code == 1


def test_plan_with_confirmed_campaigns_clears_every_error_in_one_change_set(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = run_json(
        capsys,
        "plan",
        "--db",
        str(demo_db),
        *WINDOW,
        "--include-confirmed",
        "--time-limit",
        "60",
        "--reason",
        "Quarterly re-plan",
    )

    store = Store.open(str(demo_db))
    schedule = store.load()
    audit = store.audit_entries(limit=None)
    store.close()
    assert payload["applied"] is True
    # Only the demo's downstream conflict in 2028, past the window's end, is left.
    left = [c for c in check_schedule(schedule) if c.severity.value == "error"]
    assert payload["conflicts"]["error"] == len(left) == 1 and code == 1
    assert all(c.start.date() > date(2027, 12, 1) for c in left)
    moved = {change["campaign"] for change in payload["changes"]}
    plan_rows = [entry for entry in audit if entry.action == "plan"]
    assert {entry.key for entry in plan_rows} == moved
    assert len({entry.change_set for entry in plan_rows}) == 1
    assert {entry.reason for entry in plan_rows} == {"Quarterly re-plan"}
    for change in payload["changes"]:
        campaign = schedule.campaigns[change["campaign"]]
        assert campaign.bioreactor == change["to"]["bioreactor"]
        assert campaign.start.strftime("%Y-%m-%dT%H:%M:%SZ") == change["to"]["start"]
