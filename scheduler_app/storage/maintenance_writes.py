"""The maintenance and changeover part of a unit of work: the window list replaced or edited window
by window, and the changeover matrix, each with its version check and audit rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from scheduler_app.ids import ProductCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.storage import codec
from scheduler_app.storage.audit import as_text, record_changes
from scheduler_app.storage.tables import changeovers
from scheduler_app.storage.write_base import (
    CHANGEOVERS_KEY,
    MAINTENANCE_KEY,
    StaleRow,
    WriteBase,
)


class MaintenanceWrites(WriteBase):
    def replace_maintenance(
        self, expected: Sequence[MaintenanceWindow], incoming: Sequence[MaintenanceWindow]
    ) -> list[MaintenanceWindow]:
        """Make the stored windows those of ``incoming``, provided the stored set is still the
        one ``expected`` describes. A window equal to one stored keeps its row and version (so
        an import leaves untouched windows editable by others); returns the windows as stored."""
        stale = StaleRow("maintenance", "windows", "The maintenance list", "maintenance list")
        # The list as a whole carries a version (a settings row): it serialises two planners
        # replacing it at once, even when there is no window row to lock.
        self._claim_setting(self.plan.setting_key(MAINTENANCE_KEY), self.context.change_set, stale)
        table = self.plan.maintenance
        stored = set(
            self.connection.execute(
                select(table.c.id, table.c.version)
                .where(self.plan.maintenance_rows)
                .with_for_update()
            )
        )
        if stored != {(w.id, w.version) for w in expected}:
            raise stale
        kept: dict[tuple[Any, ...], list[MaintenanceWindow]] = {}
        for window in expected:
            kept.setdefault(_window_content(window), []).append(window)
        pairs: list[tuple[MaintenanceWindow | None, MaintenanceWindow | None]] = []
        out: list[MaintenanceWindow | None] = []
        for window in incoming:
            same = kept.get(_window_content(window))
            if same:
                out.append(same.pop())
            else:
                out.append(None)
                pairs.append((None, window))
        pairs += [(window, None) for group in kept.values() for window in group]
        inserted = iter(w for w in self.write_windows(pairs, checked=True) if w is not None)
        return [window if window is not None else next(inserted) for window in out]

    def write_windows(
        self,
        pairs: Sequence[tuple[MaintenanceWindow | None, MaintenanceWindow | None]],
        checked: bool = False,
    ) -> list[MaintenanceWindow | None]:
        """Insert, update or delete single windows (``(before or None, after or None)``), each
        refused when its row no longer has ``before.version``; returns what was stored per pair
        (None where deleted). Two planners editing different windows never collide."""
        plan, table = self.plan, self.plan.maintenance
        out: list[MaintenanceWindow | None] = []
        for before, after in pairs:
            if before is not None and not checked:
                current = self.connection.execute(
                    select(table.c.version)
                    .where(table.c.id == before.id, plan.maintenance_rows)
                    .with_for_update()
                ).scalar()
                if current != before.version:
                    label = f"The maintenance window on {before.scope}"
                    raise StaleRow("maintenance", before.scope, label, "maintenance window")
            match = and_(table.c.id == before.id, plan.maintenance_rows) if before else None
            if after is None:
                assert before is not None and match is not None
                self.connection.execute(delete(table).where(match))
                self.audit("maintenance", before.scope, None, _window_text(before), None)
                out.append(None)
                continue
            values = codec.maintenance_values(after)
            if before is None:
                if plan.is_live:
                    result = self.connection.execute(insert(table).values(**values, version=1))
                    (window_id,) = result.inserted_primary_key or (None,)
                else:
                    window_id = self._next_window_id()
                    self.connection.execute(
                        insert(table).values(
                            **values, **plan.row_key, id=window_id, version=1, live_id=None
                        )
                    )
                saved = dataclasses.replace(after, id=window_id, version=1)
                self.audit("maintenance", saved.scope, None, None, _window_text(saved))
            else:
                assert match is not None
                version = before.version + 1
                self.connection.execute(
                    update(table).where(match).values(**values, version=version)
                )
                saved = dataclasses.replace(after, id=before.id, version=version)
                for name, old, new in record_changes(before, saved):
                    if name not in ("id", "version"):
                        self.audit("maintenance", saved.scope, name, old, new)
            out.append(saved)
        return out

    def _next_window_id(self) -> int:
        table = self.plan.maintenance
        highest = self.connection.execute(
            select(func.max(table.c.id)).where(self.plan.maintenance_rows)
        ).scalar()
        return int(highest or 0) + 1

    def replace_changeovers(
        self,
        expected: dict[tuple[ProductCode, ProductCode], int],
        incoming: dict[tuple[ProductCode, ProductCode], int],
    ) -> None:
        """Replace the changeover matrix, provided the stored one is still ``expected``; one
        audit row per pair added, changed or removed."""
        stale = StaleRow("changeovers", "matrix", "The changeover matrix", "changeover matrix")
        self._claim_setting(CHANGEOVERS_KEY, self.context.change_set, stale)
        stored = codec.changeover_matrix(self.connection.execute(select(changeovers)))
        if stored != expected:
            raise stale
        self.connection.execute(delete(changeovers))
        if incoming:
            self.connection.execute(insert(changeovers), codec.changeover_rows(incoming))
        for pair in sorted(set(expected) | set(incoming)):
            old, new = expected.get(pair), incoming.get(pair)
            if old != new:
                self.audit(
                    "changeover",
                    f"{pair[0]} → {pair[1]}",
                    "days",
                    None if old is None else str(old),
                    None if new is None else str(new),
                )


def _window_content(window: MaintenanceWindow) -> tuple[Any, ...]:
    return (window.site, window.suite, window.bioreactor, window.start, window.end, window.reason)


def _window_text(window: MaintenanceWindow) -> str:
    return f"{as_text(window.start)} → {as_text(window.end)}: {window.reason}"
