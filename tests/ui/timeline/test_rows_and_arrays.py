"""Row layout, block arrays and the numpy rasteriser, without a widget."""

from __future__ import annotations

import numpy as np

from scheduler_app.campaigns import Status
from scheduler_app.localtime import to_epoch
from tests.factories import campaign, small_schedule
from ui.timeline.blocks import BlockArrays, Filters
from ui.timeline.raster import Runs, framed_pixels, owner_grid, owners, pixel_spans, run_frames
from ui.timeline.rows import RowKind, build_layout


def _schedule():  # type: ignore[no-untyped-def]
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", start="2027-03-01")
    campaign(schedule, "CMP-0002", "CDX-110", start="2027-04-02")
    campaign(schedule, "CMP-0003", bioreactor="SDO-BR1501", start="2027-05-03", batches=3)
    campaign(schedule, "CMP-0009", start="2027-09-01", status=Status.CANCELLED)
    return schedule


def test_rows_go_site_suite_bioreactor_with_the_running_site_first() -> None:
    layout = build_layout(_schedule())
    assert [(row.kind, row.code) for row in layout.rows] == [
        (RowKind.SITE, "SYR"),
        (RowKind.SUITE, "SYR-S1"),
        (RowKind.BIOREACTOR, "SYR-BR501"),
        (RowKind.SITE, "SDO"),
        (RowKind.SUITE, "SDO-S1"),
        (RowKind.BIOREACTOR, "SDO-BR1501"),
        (RowKind.BIOREACTOR, "SDO-SU01"),
    ]
    assert layout.rows[3].time_zone == "Asia/Seoul"
    assert layout.rows[5].detail.startswith("15,000 L")
    assert layout.nearest_bioreactor(3.5) in {"SYR-BR501", "SDO-BR1501"}
    assert layout.nearest_bioreactor(6.2) == "SDO-SU01"


def test_collapsing_a_suite_keeps_its_summary_row_and_hides_its_bioreactors() -> None:
    layout = build_layout(_schedule(), collapsed={"SDO-S1"})
    codes = [row.code for row in layout.rows]
    assert "SDO-S1" in codes and "SDO-BR1501" not in codes
    assert layout.suite_lanes["SDO-BR1501"] == (0, 2)
    assert build_layout(_schedule(), sites={"SDO"}).rows[0].code == "SDO"


def test_maintenance_scope_rows() -> None:
    layout = build_layout(_schedule())
    assert layout.rows_of_scope("SDO", None, None) == [4, 5, 6]
    assert layout.rows_of_scope("SDO", "SDO-S1", None) == [4, 5, 6]
    assert layout.rows_of_scope("SDO", "SDO-S1", "SDO-SU01") == [6]


def test_arrays_cull_by_time_and_hit_by_row() -> None:
    schedule = _schedule()
    arrays = BlockArrays(schedule, build_layout(schedule), Filters())
    may = to_epoch(schedule.campaigns["CMP-0003"].start)
    inside = arrays.in_time_range(may + 86_400, may + 2 * 86_400)
    assert [arrays.ids[s] for s in inside] == ["CMP-0003"]
    row = build_layout(schedule).bioreactor_row["SDO-BR1501"]
    assert arrays.ids[arrays.hit(may + 3 * 86_400, row + 0.5)] == "CMP-0003"
    assert arrays.hit(may + 3 * 86_400, row - 0.5) is None
    assert not arrays.visible[arrays.slot_of["CMP-0009"]]  # cancelled hidden by default
    shown = BlockArrays(schedule, build_layout(schedule), Filters(show_cancelled=True))
    assert shown.visible[shown.slot_of["CMP-0009"]]


def test_update_rewrites_one_slot_and_keeps_the_sort() -> None:
    schedule = _schedule()
    arrays = BlockArrays(schedule, build_layout(schedule), Filters())
    slot = arrays.slot_of["CMP-0001"]
    moved = schedule.campaigns["CMP-0001"]
    from dataclasses import replace
    from datetime import timedelta

    later = replace(moved, start=moved.start + timedelta(days=300))
    schedule.put_campaign(later)
    arrays.update([("CMP-0001", later)])
    assert arrays.slot_of["CMP-0001"] == slot
    assert arrays.start[slot] == to_epoch(later.start)
    assert (np.diff(arrays.sorted_start) >= 0).all()
    arrays.update([("CMP-0001", None)])
    assert arrays.row[slot] == -1 and not arrays.visible[slot]


def _naive_owners(x0, x1, keys, rows: int, width: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    expected = np.full((rows, width), -1)
    for index in range(x0.size):  # in start order, later blocks paint over earlier ones
        begin = int(np.clip(np.floor(x0[index]), 0, width))
        end = int(np.clip(np.ceil(x1[index]), 0, width))
        end = max(end, min(begin + 1, width))
        if end - begin >= 4:
            end -= 1
        expected[keys[index], begin:end] = index
    return expected


def test_owners_match_a_naive_painter_on_a_realistic_plan() -> None:
    rng = np.random.default_rng(7)
    width, rows = 400, 6
    x0, x1, keys = [], [], []
    for row in range(rows):
        cursor = rng.uniform(-30, 5)
        while cursor < width:
            length = rng.uniform(0.3, 35)
            x0.append(cursor)
            x1.append(cursor + length)
            keys.append(row)
            # Mostly gaps; now and then an overlap with the next block, as in a real plan.
            cursor += length + rng.uniform(-length / 2, 12)
    order = np.argsort(x0, kind="stable")
    x0, x1, keys = np.array(x0)[order], np.array(x1)[order], np.array(keys)[order]
    got = owners(x0, x1, keys, np.arange(rows), width)
    assert (got == _naive_owners(x0, x1, keys, rows, width)).all()


def test_owners_only_draws_the_bands_asked_for() -> None:
    x0, x1, keys = np.array([0.0, 5.0]), np.array([4.0, 9.0]), np.array([3, 8])
    got = owners(x0, x1, keys, np.array([8]), 10)
    assert got.tolist() == [[-1, -1, -1, -1, -1, 1, 1, 1, -1, -1]]


def test_framed_pixels_are_the_blocks_own_with_sides_next_to_a_change_of_owner() -> None:
    # Block 1 (framed) spans columns 3..9 but block 2 covers 6..7 on top of it.
    grid = np.array([[0, 0, 0, 1, 1, 1, 2, 2, 1, 1, 0, 0]], dtype=np.int32)
    row, column, owner, side = framed_pixels(
        grid, np.array([3]), np.array([10]), np.array([0]), np.array([1]), line=1
    )
    assert column.tolist() == [3, 4, 5, 8, 9] and (row == 0).all() and (owner == 1).all()
    assert side.tolist() == [True, False, True, True, True]
    row, column, owner, side = framed_pixels(
        grid, np.array([0]), np.array([3]), np.array([0]), np.array([0]), line=2
    )
    # Column 0 touches the canvas edge, not another owner: no frame there.
    assert column.tolist() == [0, 1, 2] and side.tolist() == [False, True, True]


def test_run_frames_match_the_pixel_by_pixel_frames() -> None:
    rng = np.random.default_rng(11)
    width, rows = 300, 5
    x0, x1, keys = [], [], []
    for row in range(rows):
        cursor = rng.uniform(-10, 3)
        while cursor < width:
            length = rng.uniform(0.4, 25)
            x0.append(cursor)
            x1.append(cursor + length)
            keys.append(row)
            cursor += length + rng.uniform(-length / 3, 6)
    x0, x1, band = np.array(x0), np.array(x1), np.array(keys)
    begin, end = pixel_spans(np.stack((x0, x1)), 1.0, 0.0, width)
    keep = end > begin
    begin, end, band = begin[keep], end[keep], band[keep]
    runs = Runs.of(begin, end, band, width)
    value = np.arange(begin.size)
    grid = owner_grid(runs, value, rows, width, -1)
    framed = np.flatnonzero(rng.random(begin.size) < 0.4)
    if runs.redo is not None:
        framed = framed[~runs.redo[framed]]
    colour = framed.astype(np.uint32) + 1
    pixels, colours, sides, side_colours = run_frames(
        runs, framed, np.zeros(framed.size, dtype=np.int64), colour, width, line=2
    )
    row, column, owner, side = framed_pixels(
        grid, begin[framed], end[framed], band[framed], value[framed], line=2
    )
    expected = dict(zip((row * width + column).tolist(), (owner + 1).tolist(), strict=True))
    assert framed.size > 20 and side.any() and not side.all()
    assert dict(zip(pixels.tolist(), colours.tolist(), strict=True)) == expected
    assert sorted(pixels.tolist()) == sorted(expected)  # each pixel once
    framed_sides = {
        p: c for p, c, s in zip(expected, expected.values(), side.tolist(), strict=True) if s
    }
    assert dict(zip(sides.tolist(), side_colours.tolist(), strict=True)) == framed_sides


def test_building_every_slot_at_once_equals_writing_them_one_by_one() -> None:
    """The numpy build at open time and the per-slot write after a change must agree exactly,
    under every kind of filter and with collapsed suites (summary lanes)."""
    from scheduler_app.synthetic import synthetic_schedule

    schedule = synthetic_schedule(600, 12, seed=3)
    some_product = sorted(schedule.products)[0]
    some_site = sorted(schedule.sites)[0]
    some_suite = sorted(schedule.suites)[0]
    for filters, collapsed in [
        (Filters(), set()),
        (Filters(show_cancelled=True), {some_suite}),
        (Filters(sites=frozenset({some_site})), set()),
        (Filters(products=frozenset({some_product}), statuses=frozenset({Status.PLANNED})), set()),
    ]:
        layout = build_layout(schedule, collapsed, filters.sites)
        built = BlockArrays(schedule, layout, filters)
        written = BlockArrays(schedule.copy(), layout, filters)
        for campaign_id in written.ids:
            written._write(written.slot_of[campaign_id], schedule.campaigns[campaign_id])
        assert built.ids == written.ids
        for name in ("start", "end", "row", "lane", "lane_y", "lane_h", "reactor", "colour",
                     "status", "batches", "visible"):  # fmt: skip
            np.testing.assert_array_equal(getattr(built, name), getattr(written, name), name)


def test_campaigns_naming_unknown_products_are_built_as_written() -> None:
    """Product codes the catalogue does not know (an import can bring them): keys after the
    known products in order of first appearance, no colour, the same either way."""
    import dataclasses

    from scheduler_app.synthetic import synthetic_schedule

    schedule = synthetic_schedule(300, 12, seed=5)
    for number, product in enumerate(["P-NEW-B", "P-NEW-A", "P-NEW-B"]):
        base = schedule.campaigns[sorted(schedule.campaigns)[number * 50]]
        schedule.put_campaign(dataclasses.replace(base, product=product))
    layout = build_layout(schedule)
    built = BlockArrays(schedule, layout, Filters())
    known = len(schedule.products)
    assert list(built.product_key)[known:] == ["P-NEW-B", "P-NEW-A"]
    written = BlockArrays(schedule.copy(), layout, Filters())
    for campaign_id in written.ids:
        written._write(written.slot_of[campaign_id], schedule.campaigns[campaign_id])
    assert built.product_key == written.product_key
    for name in ("start", "end", "row", "reactor", "colour", "product", "status", "visible"):
        np.testing.assert_array_equal(getattr(built, name), getattr(written, name), name)
    assert (built.product >= known).sum() == 3 and (built.colour[built.product >= known] == 0).all()


def test_moving_slots_into_place_equals_sorting_afresh() -> None:
    """After any few moves, adds and deletes, the incrementally kept order equals a full stable
    argsort of the starts, ties included (the painter and the hit test rely on it)."""
    import random
    from dataclasses import replace
    from datetime import timedelta

    from scheduler_app.synthetic import synthetic_schedule

    schedule = synthetic_schedule(400, 8, seed=5)
    arrays = BlockArrays(schedule, build_layout(schedule), Filters())
    rng = random.Random(7)
    ids = sorted(schedule.campaigns)
    for round_ in range(60):
        changes: list[tuple[str, object]] = []
        for campaign_id in rng.sample(ids, rng.randint(1, 4)):
            current = schedule.campaigns.get(campaign_id)
            if current is None:
                continue
            if rng.random() < 0.1:
                schedule.remove_campaign(campaign_id)
                changes.append((campaign_id, None))
                continue
            # Land on another campaign's start now and then, so ties are exercised.
            other = schedule.campaigns[rng.choice(sorted(schedule.campaigns))]
            start = (
                other.start
                if rng.random() < 0.3
                else current.start + timedelta(days=rng.randint(-40, 40))
            )
            moved = replace(current, start=start)
            schedule.put_campaign(moved)
            changes.append((campaign_id, moved))
        arrays.update(changes)  # type: ignore[arg-type]
        count = len(arrays.ids)
        expected = np.argsort(arrays.start[:count], kind="stable")
        np.testing.assert_array_equal(arrays.order, expected, f"round {round_}")
        np.testing.assert_array_equal(arrays.sorted_start, arrays.start[expected])
        live = arrays.visible[:count]
        if live.any():
            durations = (arrays.end[:count] - arrays.start[:count])[live]
            assert arrays.max_duration >= durations.max()
