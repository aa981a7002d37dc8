"""The capacity chart follows the schedule: computed when first shown, updated after each change."""

from __future__ import annotations

from datetime import date

from tests.factories import local


def _month(figures, site: str, month: date):
    return next(row for row in figures[site] if row.month == month)


def test_capacity_follows_a_move_across_sites(window, qtbot) -> None:
    view = window.capacity
    assert view._tracker is None  # nothing computed while the dock is hidden
    window.capacity_dock.show()
    window.capacity_dock.raise_()
    qtbot.waitUntil(lambda: bool(view.figures))
    march = date(2027, 3, 1)
    assert _month(view.figures, "SYR", march).booked_litres == 2 * 5000
    assert list(view.figures) == ["SYR", "SDO"]
    bars = [item for item in view.litres.items if type(item).__name__ == "BarGraphItem"]
    assert len(bars) == 2

    window.move_campaigns([("CMP-0001", local("2027-03-01", "Asia/Seoul"), "SDO-BR1501")])
    assert _month(view.figures, "SYR", march).booked_litres == 0
    assert _month(view.figures, "SDO", march).booked_litres == 2 * 15000
    window.undo()
    assert _month(view.figures, "SYR", march).booked_litres == 2 * 5000
