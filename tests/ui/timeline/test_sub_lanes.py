"""Overlapping campaigns on one bioreactor are stacked in sub-lanes of the row (issue 11:
CMP-0072 was almost hidden under CMP-0079): each is painted and each can be grabbed."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from scheduler_app.localtime import to_epoch
from tests.factories import NEW_YORK, local
from tests.ui.timeline.mouse import point_at


def overlap(service) -> None:  # type: ignore[no-untyped-def]
    """CMP-0002 moved onto CMP-0001's time on SYR-BR501 (both 2-batch campaigns)."""
    service.move_campaign("CMP-0002", start=local("2027-03-08", NEW_YORK))


def test_overlapping_campaigns_get_their_own_sub_lanes(timeline, service) -> None:
    overlap(service)
    arrays = timeline.arrays
    a, b = arrays.slot_of["CMP-0001"], arrays.slot_of["CMP-0002"]
    assert (arrays.subs[a], arrays.subs[b]) == (2, 2)
    assert {int(arrays.sub[a]), int(arrays.sub[b])} == {0, 1}
    lone = arrays.slot_of["CMP-0003"]
    assert (arrays.subs[lone], arrays.sub[lone]) == (1, 0)
    # Moving it away again gives the row back to one lane.
    service.move_campaign("CMP-0002", start=local("2027-06-01", NEW_YORK))
    assert arrays.subs[a] == 1 and arrays.subs[b] == 1


def test_both_stacked_blocks_are_painted(timeline, service, qtbot) -> None:
    overlap(service)
    qtbot.wait(10)
    image = timeline.plot.grab().toImage()
    row = timeline.layout.bioreactor_row["SYR-BR501"]
    # 30 March: both campaigns are in their second batch there, clear of their labels.
    day = local("2027-03-30", NEW_YORK)
    upper = point_at(timeline, day, row + 0.32)
    lower = point_at(timeline, day, row + 0.68)
    colours = {image.pixelColor(p.x(), p.y()).name() for p in (upper, lower)}
    assert len(colours) == 2, f"one block hides the other: {colours}"
    assert "#ffffff" not in colours


def test_a_click_in_a_sub_lane_selects_that_campaign(timeline, service) -> None:
    overlap(service)
    row = timeline.layout.bioreactor_row["SYR-BR501"]
    viewport = timeline.plot.viewport()
    arrays = timeline.arrays
    picked = []
    for fraction in (0.3, 0.7):
        spot = point_at(timeline, local("2027-03-12", NEW_YORK), row + fraction)
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=spot)
        picked.append(timeline.selected_ids())
    lanes = {cid: int(arrays.sub[arrays.slot_of[cid]]) for cid in ("CMP-0001", "CMP-0002")}
    upper = min(lanes, key=lanes.get)
    lower = max(lanes, key=lanes.get)
    assert picked == [[upper], [lower]]


def test_stacking_many_overlaps_uses_as_few_lanes_as_the_overlap_needs(timeline, service) -> None:
    overlap(service)
    arrays = timeline.arrays
    count = len(arrays)
    assert int(arrays.subs[:count].max()) == 2
    assert np.all(arrays.sub[:count] < arrays.subs[:count])
    assert to_epoch(local("2027-03-08", NEW_YORK)) < arrays.end[arrays.slot_of["CMP-0001"]]
