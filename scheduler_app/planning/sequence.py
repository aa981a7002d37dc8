"""What stays put on a bioreactor as the gap rules see it: blocks in time order.

The gap rules (``changeover``) measure a campaign from its *predecessor*, the latest-ending
campaign that started before it, and nothing else: a campaign two places back needs no gap. So
campaigns that stay put are merged where they overlap each other into one block, which a movable
campaign can only precede or follow as a whole: before it, it needs the gap to the block's first
campaign; after it, the gap from the block's latest-ending one (the later row on a tie, as the
lanes order them). Days are site-local day numbers (wall clock, the fraction the time of day).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Block:
    """Campaigns that stay put and overlap one another (often just one): from ``start`` to
    ``end``; ``first`` is the product a campaign before the block is measured against (-1 for one
    the catalogue does not know), ``last`` the product a campaign after it is measured from."""

    start: float
    end: float
    first: int
    last: int


def blocks_of(spans: Sequence[tuple[float, float, int]]) -> list[Block]:
    """Blocks of ``(start, end, product)`` spans sorted by start (then ID)."""
    blocks: list[Block] = []
    start = reach = 0.0
    first = last = -1
    for index, (begin, finish, product) in enumerate(spans):
        if index and begin < reach:
            if finish >= reach:
                reach, last = finish, product
            continue
        if index:
            blocks.append(Block(start, reach, first, last))
        start, reach, first, last = begin, finish, product, product
    if spans:
        blocks.append(Block(start, reach, first, last))
    return blocks


def earliest_after(block: Block, product: int, need: Sequence[Sequence[int]]) -> int:
    """The first start day after ``block`` a campaign of ``product`` may take."""
    return math.ceil(block.end + _need(need, product, block.last))


def latest_end_before(block: Block, product: int, need: Sequence[Sequence[int]]) -> int:
    """The last end day before ``block`` a campaign of ``product`` may have."""
    return math.floor(block.start - _need(need, block.first, product))


def _need(need: Sequence[Sequence[int]], later: int, earlier: int) -> int:
    return need[later][earlier] if later >= 0 and earlier >= 0 else 0
