"""The conflicts table model: a correct Qt model (qtmodeltester), site-local dates, and updates
that insert and remove only the rows that changed."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from scheduler_app.rules.conflict import Conflict, Severity
from tests.factories import SEOUL, local, small_schedule
from ui.conflicts_model import SORT_ROLE, ConflictsModel
from ui.conflicts_panel import ConflictsPanel


def make_conflict(kind: str, day: str, severity: Severity = Severity.ERROR, **fields) -> Conflict:
    site = fields.pop("site", "SYR")
    bioreactor = fields.pop("bioreactor", "SYR-BR501" if site == "SYR" else "SDO-BR1501")
    start = local(day, SEOUL if site == "SDO" else "America/New_York")
    return Conflict(
        kind,
        severity,
        tuple(fields.pop("campaigns", ("CMP-0001", "CMP-0002"))),
        site,
        bioreactor,
        start,
        start + timedelta(days=3),
        fields.pop("message", f"{kind} on {day}"),
    )


def test_model_passes_qtmodeltester_and_shows_site_local_dates(qtmodeltester) -> None:
    conflicts = [
        make_conflict("overlap", "2027-03-01"),
        make_conflict(
            "late",
            "2027-04-01",
            Severity.WARNING,
            site="SDO",
            campaigns=["CMP-0003"],
            message="late: CMP-0003 ends after its due date",
        ),
    ]
    model = ConflictsModel(small_schedule(), conflicts)
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 8
    assert model.index(0, 0).data() == "Error"
    assert model.index(1, 0).data() == "Warning"
    assert model.index(0, 2).data() == "CMP-0001, CMP-0002"
    # Midnight in Seoul is 15:00 UTC the day before; the table shows the site's own date.
    assert model.index(1, 5).data() == "2027-04-01"
    assert model.index(1, 4).data() == "SDO"
    # The kind has its own column; the message does not repeat it (the tooltip keeps it all).
    assert model.index(1, 7).data() == "CMP-0003 ends after its due date"
    assert model.index(1, 7).data(Qt.ItemDataRole.ToolTipRole).startswith("<qt>late: ")
    assert model.index(0, 5).data(SORT_ROLE) < model.index(1, 5).data(SORT_ROLE)


def test_update_removes_and_inserts_only_changed_rows(qtbot) -> None:
    a, b, c, d = (make_conflict("overlap", f"2027-0{m}-01") for m in (1, 2, 3, 4))
    model = ConflictsModel(small_schedule(), [a, b, c])
    events: list[tuple[str, int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: events.append(("removed", first, last)))
    model.rowsInserted.connect(lambda _p, first, last: events.append(("inserted", first, last)))
    model.modelReset.connect(lambda: events.append(("reset", 0, 0)))

    model.set_conflicts([a, c, d])
    assert events == [("removed", 1, 1), ("inserted", 2, 2)]
    assert model.conflicts() == [a, c, d]

    events.clear()
    model.set_conflicts([a, c, d])
    assert events == []

    model.set_conflicts([b, a, c, d])
    assert events == [("inserted", 0, 0)]
    assert model.conflicts() == [b, a, c, d]


def test_update_falls_back_to_reset_when_order_changed(qtbot) -> None:
    a, b = make_conflict("overlap", "2027-01-01"), make_conflict("scale", "2027-02-01")
    model = ConflictsModel(small_schedule(), [a, b])
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    model.set_conflicts([b, a])
    assert resets == [True] and model.conflicts() == [b, a]


def test_panel_filters_by_severity_kind_and_text(qtbot) -> None:
    conflicts = [
        make_conflict("overlap", "2027-01-01"),
        make_conflict("late", "2027-02-01", Severity.WARNING, campaigns=["CMP-0007"]),
        make_conflict("changeover", "2027-03-01", message="gap of 2 days, needs 10"),
    ]
    model = ConflictsModel(small_schedule(), conflicts)
    panel = ConflictsPanel(model)
    qtbot.addWidget(panel)
    assert panel.proxy.rowCount() == 3
    assert panel.count_label.text() == "3 conflicts"

    panel.severity_box.setCurrentIndex(panel.severity_box.findData("warning"))
    assert [panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())] == ["late"]
    panel.severity_box.setCurrentIndex(0)

    panel.kind_box.setCurrentIndex(panel.kind_box.findData("changeover"))
    assert panel.proxy.rowCount() == 1
    panel.kind_box.setCurrentIndex(0)

    panel.text_box.setText("needs 10")
    assert panel.proxy.rowCount() == 1
    assert panel.count_label.text() == "1 of 3"
    panel.text_box.setText("cmp-0007")
    assert panel.proxy.index(0, 1).data() == "late"


def test_panel_sorts_and_reports_the_picked_campaigns(qtbot) -> None:
    conflicts = [
        make_conflict("overlap", "2027-01-01", campaigns=["CMP-0001", "CMP-0002"]),
        make_conflict("late", "2027-02-01", Severity.WARNING, campaigns=["CMP-0009"]),
    ]
    panel = ConflictsPanel(ConflictsModel(small_schedule(), conflicts))
    qtbot.addWidget(panel)
    panel.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, 0).data() == "Warning"
    with qtbot.waitSignal(panel.campaignsPicked) as picked:
        panel.select_row(0)
    assert picked.args == [["CMP-0009"]]


def test_a_cluster_of_a_thousand_campaigns_shows_a_short_campaigns_cell() -> None:
    ids = [f"CMP-{n:04d}" for n in range(1, 1001)]
    model = ConflictsModel(
        small_schedule(), [make_conflict("overlap", "2027-03-01", campaigns=ids)]
    )

    shown = model.data(model.index(0, 2))

    assert shown == "CMP-0001, CMP-0002, CMP-0003, CMP-0004, CMP-0005 and 995 more"
    assert model.conflict(0).campaigns == tuple(ids)
