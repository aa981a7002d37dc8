"""The audit trail read the way the History panel asks: one campaign or all, by user, period and
action, newest first, each entry placed at its site (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler_app import audit_query
from scheduler_app.audit_query import AuditQuery
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store
from tests.factories import campaign, local, small_schedule


def _planned(store: Store) -> tuple[ScheduleService, ScheduleService]:
    """kim loads the schedule; kim and lee each move a campaign; kim deletes CMP-0002."""
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01")
    campaign(schedule, "CMP-0002", bioreactor="SDO-BR1501", start="2027-05-03")
    kim = ScheduleService(store, user="kim")
    kim.apply_schedule(schedule, action="import", description="Load")
    kim.move_campaign("CMP-0001", start=local("2027-03-08"))
    lee = ScheduleService(store, user="lee")
    lee.move_campaign("CMP-0001", bioreactor="SDO-SU01")
    kim.reload()
    kim.delete_campaign("CMP-0002")
    return kim, lee


def test_filters_by_campaign_user_action_and_period(store: Store) -> None:
    kim, _ = _planned(store)
    everything = audit_query.entries(store, AuditQuery())
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)

    history = audit_query.entries(store, AuditQuery(campaign="CMP-0001"))
    assert {e.key for e in history} == {"CMP-0001"}
    assert [(e.user, e.action, e.field) for e in history[:2]] == [
        ("lee", "move", "bioreactor"),
        ("kim", "move", "start"),
    ]
    assert history[0].old == "SYR-BR501" and history[0].new == "SDO-SU01"

    lees = audit_query.entries(store, AuditQuery(user="lee"))
    assert lees and {e.user for e in lees} == {"lee"}
    deletes = audit_query.entries(store, AuditQuery(action="delete"))
    assert {e.key for e in deletes} == {"CMP-0002"}
    assert audit_query.entries(store, AuditQuery(action="delete", user="lee")) == []

    now = datetime.now(UTC)
    assert len(audit_query.entries(store, AuditQuery(since=now - timedelta(hours=1)))) == len(
        everything
    )
    assert audit_query.entries(store, AuditQuery(until=now - timedelta(hours=1))) == []
    assert audit_query.entries(store, AuditQuery(since=now + timedelta(minutes=5))) == []
    assert len(audit_query.entries(store, AuditQuery(limit=2))) == 2

    newest = everything[0].id
    assert audit_query.entries(store, AuditQuery(), after_id=newest) == []
    kim.move_campaign("CMP-0001", start=local("2027-03-15"))
    arrived = audit_query.entries(store, AuditQuery(), after_id=newest)
    assert [e.key for e in arrived] == ["CMP-0001"] and arrived[0].id > newest

    found = audit_query.choices(store)
    assert found.users == ["kim", "lee"]
    assert {"import", "move", "delete"} <= set(found.actions)


def test_each_entry_is_placed_at_its_site_even_after_a_deletion(store: Store) -> None:
    kim, _ = _planned(store)
    schedule = kim.schedule
    by_key = {}
    for entry in audit_query.entries(store, AuditQuery()):
        by_key.setdefault((entry.entity, entry.key, entry.action), entry)
    assert audit_query.site_of(schedule, by_key["campaign", "CMP-0001", "move"]) == "SDO"
    # CMP-0002 is gone from the schedule; its deletion entry still names SDO-BR1501.
    assert "CMP-0002" not in schedule.campaigns
    assert audit_query.site_of(schedule, by_key["campaign", "CMP-0002", "delete"]) == "SDO"
    assert audit_query.site_of(schedule, by_key["product", "ABX-201", "import"]) is None
    assert audit_query.site_of(schedule, by_key["bioreactor", "SYR-BR501", "import"]) == "SYR"


def test_history_lines_export_to_excel_atomically(store: Store, tmp_path: Path) -> None:
    import openpyxl
    import pytest

    from scheduler_app.excel.audit_export import HEADERS, write_audit_workbook
    from scheduler_app.excel.errors import ExcelError

    kim, _ = _planned(store)
    lines = [
        audit_query.line(kim.schedule, e)
        for e in audit_query.entries(store, AuditQuery(campaign="CMP-0001"))
    ]
    lee_move = lines[0]
    assert lee_move.site == "SDO" and lee_move.field == "bioreactor"
    # Seoul is UTC+9 all year: the site-local time is the UTC time nine hours on.
    assert lee_move.local is not None
    assert lee_move.local - lee_move.utc == timedelta(hours=9)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "history.xlsx"
    target.write_bytes(b"the previous export")
    write_audit_workbook(lines, target)
    sheet = openpyxl.load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == len(lines) + 1
    first = rows[1]
    assert first[1] == "SDO" and first[3] == "lee" and first[4] == "move"
    assert (first[5], first[6], first[7], first[8]) == (
        "CMP-0001",
        "bioreactor",
        "SYR-BR501",
        "SDO-SU01",
    )
    assert abs(first[0] - lee_move.local).total_seconds() < 1
    assert abs(first[2] - lee_move.utc).total_seconds() < 1
    created = [row for row in rows[1:] if row[6] == "created"]
    assert created and created[0][4] == "import"

    with pytest.raises(ExcelError, match="does not exist"):
        write_audit_workbook(lines, folder / "missing" / "history.xlsx")
    assert [p.name for p in folder.iterdir()] == ["history.xlsx"]  # no temporary file left


def test_a_recorded_whole_campaign_reads_as_one_line_at_its_site() -> None:
    from scheduler_app.storage.audit import AuditEntry

    schedule = small_schedule()
    record = (
        '{"id": "CMP-0009", "product": "ABX-201", "bioreactor": "SDO-BR1501", '
        '"start": "2027-07-04T15:00:00Z", "batches": "3", "batch_days": "14", '
        '"status": "Confirmed", "due": "2027-09-15"}'
    )
    entry = AuditEntry(
        1, datetime(2027, 1, 1), "kim", "app", "delete", "campaign", "CMP-0009", None, record,
        None, None, "cs",
    )  # fmt: skip
    shown = audit_query.line(schedule, entry)
    assert shown.site == "SDO" and shown.field == "deleted"
    assert (
        shown.old
        == "ABX-201 on SDO-BR1501 from 2027-07-05 00:00, 3 × 14 d, Confirmed, due 2027-09-15"
    )
