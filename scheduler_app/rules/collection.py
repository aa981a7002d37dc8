"""Garbage collection paused during a full check.

A full check makes tens of thousands of small objects (conflicts, their sort keys, memo entries,
lane lists) and keeps nearly all of them: they are its answer and what the next check reuses. With
automatic collection on, CPython scans the young ones every 700 allocations (and the large lists
the check has just made every time), and now and then the whole heap, to find cycles the check
never makes: at 100,000 campaigns that was a quarter of the check. So collection waits until the
check is done, and then the check's objects are collected once, before it returns (so that the
check still pays for it), through the middle generation too: left there, they would make the next
middle-generation collection, some edits later, a pause as long as this one.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collection_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with automatic garbage collection paused (if it was on), then collect
    the two younger generations once."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
            gc.collect(1)

    return paused
