"""The row layout of the timeline: Site → Suite → Bioreactor, one row each, top to bottom.

Row ``i`` spans ``y`` from ``i`` to ``i + 1`` in view coordinates (the view is inverted so row 0 is
at the top). Every site gets a header row naming its time zone; every suite a summary row showing
its bioreactors' occupancy, under which the bioreactor rows sit unless the suite is collapsed,
followed by the suite's seed bioreactors and downstream trains (``UNIT`` rows: derived occupancy,
never a drop target).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from scheduler_app.equipment import Bioreactor
from scheduler_app.schedule import Schedule


class RowKind(Enum):
    SITE = "site"
    SUITE = "suite"
    BIOREACTOR = "bioreactor"
    UNIT = "unit"


@dataclass(frozen=True, slots=True)
class Row:
    kind: RowKind
    code: str
    label: str
    site: str
    time_zone: str
    suite: str | None = None
    detail: str = ""
    available_from: date | None = None


@dataclass(frozen=True)
class RowLayout:
    """Rows in display order plus the lookups the painter and the drag need."""

    rows: tuple[Row, ...]
    bioreactor_row: dict[str, int]
    suite_row: dict[str, int]
    site_rows: dict[str, tuple[int, int]]
    suite_lanes: dict[str, tuple[int, int]]
    unit_row: dict[str, int] = field(default_factory=dict)
    """Seed bioreactor and downstream train rows (not in ``bioreactor_row``: nothing is booked
    on them)."""

    def __len__(self) -> int:
        return len(self.rows)

    def row_at(self, y: float) -> Row | None:
        index = int(y // 1) if y >= 0 else -1
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def bioreactor_codes(self) -> list[str]:
        """Visible bioreactor rows top to bottom: what a vertical drag steps through."""
        return [row.code for row in self.rows if row.kind is RowKind.BIOREACTOR]

    def nearest_bioreactor(self, y: float) -> str | None:
        """The bioreactor row under ``y``, or the closest one when ``y`` is on a header row."""
        best: tuple[float, str] | None = None
        for code, index in self.bioreactor_row.items():
            distance = abs(index + 0.5 - y)
            if best is None or distance < best[0]:
                best = (distance, code)
        return None if best is None else best[1]

    def rows_of_scope(self, site: str, suite: str | None, bioreactor: str | None) -> list[int]:
        """Rows a maintenance window covers: a site's or suite's window spans all its rows."""
        if bioreactor is not None:
            index = self.bioreactor_row.get(bioreactor, self.unit_row.get(bioreactor))
            return [] if index is None else [index]
        if suite is not None:
            out = []
            for index, row in enumerate(self.rows):
                if row.suite == suite and row.kind is not RowKind.SITE:
                    out.append(index)
            return out
        span = self.site_rows.get(site)
        return [] if span is None else list(range(span[0] + 1, span[1]))


def build_layout(
    schedule: Schedule,
    collapsed: Iterable[str] = (),
    sites: Iterable[str] | None = None,
) -> RowLayout:
    """Lay out the rows of ``schedule``; ``collapsed`` suites show only their summary row and
    ``sites`` (None = all) limits the sites shown."""
    collapsed = set(collapsed)
    wanted = None if sites is None else set(sites)
    rows: list[Row] = []
    bioreactor_row: dict[str, int] = {}
    suite_row: dict[str, int] = {}
    site_rows: dict[str, tuple[int, int]] = {}
    suite_lanes: dict[str, tuple[int, int]] = {}
    unit_row: dict[str, int] = {}
    by_suite: dict[str, list[str]] = {}
    units_of: dict[str, list[str]] = {}
    for reactor in schedule.bioreactors_in_order():
        into = by_suite if reactor.is_production else units_of
        into.setdefault(reactor.suite, []).append(reactor.code)
    for site in schedule.sites_in_order():
        site_code = site.code
        if wanted is not None and site_code not in wanted:
            continue
        first = len(rows)
        since = f" · from {site.available_from:%Y-%m-%d}" if site.available_from else ""
        rows.append(
            Row(
                RowKind.SITE,
                site.code,
                f"{site.code} · {site.name}",
                site.code,
                site.time_zone,
                detail=f"{site.time_zone}{since}",
                available_from=site.available_from,
            )
        )
        suites = sorted(
            (s for s in schedule.suites.values() if s.site == site_code), key=lambda s: s.code
        )
        for suite in suites:
            reactors = by_suite.get(suite.code, [])
            units = units_of.get(suite.code, [])
            suite_row[suite.code] = len(rows)
            name = f" · {suite.name}" if suite.name and suite.name != suite.code else ""
            shared = f" · {len(units)} shared units" if units else ""
            rows.append(
                Row(
                    RowKind.SUITE,
                    suite.code,
                    f"{suite.code}{name}",
                    site.code,
                    site.time_zone,
                    suite=suite.code,
                    detail=f"{len(reactors)} bioreactors{shared}",
                    available_from=site.available_from,
                )
            )
            for lane, code in enumerate(reactors):
                suite_lanes[code] = (lane, len(reactors))
                if suite.code in collapsed:
                    continue
                reactor = schedule.bioreactors[code]  # type: ignore[index]
                bioreactor_row[code] = len(rows)
                rows.append(
                    Row(
                        RowKind.BIOREACTOR,
                        code,
                        code,
                        site.code,
                        site.time_zone,
                        suite=suite.code,
                        detail=f"{reactor.working_volume_l:,} L {_short_type(reactor)}",
                        available_from=_later(site.available_from, reactor.available_from),
                    )
                )
            if suite.code in collapsed:
                continue
            seeds_first = sorted(units, key=lambda c: (not _is_seed(schedule, c), c))
            for code in seeds_first:
                unit = schedule.bioreactors[code]  # type: ignore[index]
                unit_row[code] = len(rows)
                role = "seed" if unit.role.value == "Seed" else "downstream"
                rows.append(
                    Row(
                        RowKind.UNIT,
                        code,
                        code,
                        site.code,
                        site.time_zone,
                        suite=suite.code,
                        detail=f"{unit.working_volume_l:,} L {role}",
                        available_from=_later(site.available_from, unit.available_from),
                    )
                )
        site_rows[site.code] = (first, len(rows))
    return RowLayout(tuple(rows), bioreactor_row, suite_row, site_rows, suite_lanes, unit_row)


def _is_seed(schedule: Schedule, code: str) -> bool:
    return schedule.bioreactor(code).role.value == "Seed"


def _short_type(reactor: Bioreactor) -> str:
    kind = str(reactor.reactor_type)
    return "SU" if kind.lower().startswith("single") else "SS"


def _later(first: date | None, second: date | None) -> date | None:
    if first is None:
        return second
    if second is None:
        return first
    return max(first, second)
