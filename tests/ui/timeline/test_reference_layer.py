"""The baseline layer merges bars that touch on screen; the merge covers exactly the same pixels
per row as the bars it replaces (hypothesis against a brute-force union)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ui.timeline.reference_layer import _merged_runs

BARS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 300), st.integers(1, 60)), min_size=1, max_size=40
)


def covered(starts, ends, rows) -> set[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Half-pixel cells each row's intervals cover (runs that merely touch count as joined)."""
    out = set()
    for start, end, row in zip(starts, ends, rows, strict=True):
        for cell in range(int(start * 2), int(end * 2)):
            out.add((int(row), cell))
    return out


@given(BARS)
def test_merged_runs_cover_the_same_pixels(bars: list[tuple[int, int, int]]) -> None:
    bars.sort(key=lambda bar: (bar[0], bar[1]))
    rows = np.array([b[0] for b in bars], dtype=float)
    starts = np.array([b[1] for b in bars], dtype=float)
    ends = starts + np.array([b[2] for b in bars], dtype=float)
    merged = _merged_runs(starts, ends, rows)
    assert covered(*merged) >= covered(starts, ends, rows)
    # Merging adds at most the half-pixel seams between runs that touched.
    extra = covered(*merged) - covered(starts, ends, rows)
    assert len(extra) <= len(bars)
    assert len(merged[0]) <= len(bars)
