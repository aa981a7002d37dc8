"""The master-data part of a unit of work: sites, suites, bioreactors and products written with
version checks, and put back by undo and redo."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from scheduler_app.storage import codec
from scheduler_app.storage.audit import as_text, record_changes
from scheduler_app.storage.tables import bioreactors, products, sites, suites
from scheduler_app.storage.write_base import StaleRow, WriteBase


class MasterWrites(WriteBase):
    def current_master(self, kind: str, code: str) -> Any | None:
        """One site, suite, bioreactor or product as stored now (locked for this transaction)."""
        table, _ = _MASTER[kind]
        row = self.connection.execute(
            select(table).where(table.c.code == code).with_for_update()
        ).first()
        return None if row is None else _FROM_ROW[kind](row)

    def restore_master(self, kind: str, current: Any | None, target: Any | None) -> None:
        """Put one master-data row back to ``target`` (None: remove it) over ``current``, the row
        as :meth:`current_master` read it; used by undo and redo, which check content first."""
        table, values = _MASTER[kind]
        code = (target if target is not None else current).code  # type: ignore[union-attr]
        version_key = (kind, code)
        if current is None and target is not None:
            self.connection.execute(insert(table).values(**values(target), version=1))
            self.new_versions[version_key] = 1
            self.audit(kind, code, None, None, as_text(json.dumps(values(target), default=str)))
            return
        version = self.connection.execute(
            select(table.c.version).where(table.c.code == code)
        ).scalar_one()
        if target is None:
            self.connection.execute(delete(table).where(table.c.code == code))
            self.new_versions.pop(version_key, None)
            self.audit(kind, code, None, as_text(json.dumps(values(current), default=str)), None)
            return
        self.connection.execute(
            update(table).where(table.c.code == code).values(**values(target), version=version + 1)
        )
        self.new_versions[version_key] = version + 1
        for name, before, after in record_changes(current, target):
            self.audit(kind, code, name, before, after)

    def save_master(self, kind: str, old: Any | None, new: Any | None) -> bool:
        """Insert, update or (``new`` None) delete one site, suite, bioreactor or product
        (``old`` None: new row), checking the version this store last saw. A row still referred
        to elsewhere (a scenario's campaign) is not deleted: returns False, nothing written."""
        table, values = _MASTER[kind]
        entity = kind
        if new is None:
            assert old is not None
            key = (entity, old.code)
            try:
                with self.connection.begin_nested():
                    result = self.connection.execute(
                        delete(table).where(
                            table.c.code == old.code,
                            table.c.version == self.known_versions.get(key, 1),
                        )
                    )
            except IntegrityError:
                return False
            if result.rowcount != 1:
                label = f"{entity.capitalize()} {old.code}"
                raise StaleRow(entity, old.code, label, entity)
            self.new_versions.pop(key, None)
            self.audit(entity, old.code, None, as_text(json.dumps(values(old), default=str)), None)
            return True
        code = new.code
        version_key = (entity, code)
        label = f"{entity.capitalize()} {code}"
        if old is None:
            try:
                with self.connection.begin_nested():
                    self.connection.execute(insert(table).values(**values(new), version=1))
            except IntegrityError:
                raise StaleRow(entity, code, label, entity) from None
            self.new_versions[version_key] = 1
            self.audit(entity, code, None, None, as_text(json.dumps(values(new), default=str)))
            return True
        expected = self.known_versions.get(version_key, 1)
        result = self.connection.execute(
            update(table)
            .where(table.c.code == code, table.c.version == expected)
            .values(**values(new), version=expected + 1)
        )
        if result.rowcount != 1:
            raise StaleRow(entity, code, label, entity)
        self.new_versions[version_key] = expected + 1
        for name, before, after in record_changes(old, new):
            self.audit(entity, code, name, before, after)
        return True


_MASTER: dict[str, tuple[Table, Callable[[Any], dict[str, Any]]]] = {
    "site": (sites, codec.site_values),
    "suite": (suites, codec.suite_values),
    "bioreactor": (bioreactors, codec.bioreactor_values),
    "product": (products, codec.product_values),
}
_FROM_ROW: dict[str, Callable[[Any], Any]] = {
    "site": codec.site_from_row,
    "suite": codec.suite_from_row,
    "bioreactor": codec.bioreactor_from_row,
    "product": codec.product_from_row,
}
