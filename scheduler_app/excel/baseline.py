"""What a workbook was exported from, so that an old workbook never reverts newer work.

The export writes a hidden ``Export baseline`` sheet: per campaign its stored version and a short
fingerprint of every field as exported. On import, a field is *changed in the file* when the row's
value no longer matches its fingerprint, and *changed in the database* when the database's value
no longer does. Only the file's changes are applied; a field both changed (to different values)
is a conflict that is named and not applied; the database's own changes are kept. A campaign
created in the database after the export is kept even with ``--delete-missing``, and one deleted
there is not brought back. A workbook without the sheet (made by hand or by an older version) is
compared with the database as before.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from scheduler_app.campaigns import EDITABLE_FIELDS, Campaign
from scheduler_app.excel.errors import ImportIssue
from scheduler_app.excel.issues import Issues
from scheduler_app.ids import CampaignId
from scheduler_app.schedule import Schedule

SHEET = "Export baseline"
_ID, _VERSION, _ORIGIN = "Campaign ID", "Version", "Exported from database"
_EXTRA = "Extra: "
_LABELS = {
    "batch_days": "Batch days",
    "turnaround_days": "Turnaround days",
    "lag_days": "Lag days",
}


def fingerprint(value: object) -> str:
    """A short digest of a field's value as the workbook carries it (12 hex characters: enough
    to tell an edit from no edit, small enough for 100,000 rows)."""
    if value is None or value == "":
        text = ""
    elif isinstance(value, bool):
        text = f"b:{value}"
    elif isinstance(value, int | float) and float(value).is_integer():
        text = f"n:{int(value)}"
    elif isinstance(value, float):
        text = f"n:{value!r}"
    elif isinstance(value, datetime | date):
        text = f"t:{value.isoformat()}"
    elif isinstance(value, Enum):
        text = f"s:{value.value}"
    else:
        text = f"s:{value}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def _fields(campaign: Campaign, extra_names: Iterable[str]) -> list[str]:
    values = dict(campaign.extra)
    core = [fingerprint(getattr(campaign, name)) for name in _core_fields()]
    return core + [fingerprint(values.get(name)) for name in extra_names]


def _core_fields() -> tuple[str, ...]:
    return tuple(name for name in EDITABLE_FIELDS if name != "extra")


def baseline_rows(schedule: Schedule, extra_names: list[str]) -> list[list[str]]:
    """The sheet as rows of text: the database it came from, a header, then one row per
    campaign. A schedule of unknown origin gets no rows (nothing to compare with later)."""
    if not schedule.origin:
        return []
    header = [_ID, _VERSION, *_core_fields(), *(_EXTRA + name for name in extra_names)]
    rows = [[_ORIGIN, schedule.origin], header]
    for campaign in schedule.campaigns.values():
        rows.append([campaign.id, str(campaign.version), *_fields(campaign, extra_names)])
    return rows


@dataclass(frozen=True, slots=True)
class Exported:
    """One campaign as exported: its version and each field's fingerprint."""

    version: int
    prints: dict[str, str]


def parse_baseline(
    rows: Iterable[tuple[Any, ...]], origin: str
) -> dict[CampaignId, Exported] | None:
    """The baseline from the hidden sheet's rows, or None when they are not one (a stray sheet
    of that name, damaged by hand) or were exported from another database than ``origin``: the
    workbook is then compared as one without a memory."""
    iterator = iter(rows)
    first = next(iterator, None)
    if not origin or not first or len(first) < 2 or first[0] != _ORIGIN or first[1] != origin:
        return None
    header = next(iterator, None)
    if not header or len(header) < 2 or header[0] != _ID or header[1] != _VERSION:
        return None
    names = [str(name) for name in header[2:] if name]
    found: dict[CampaignId, Exported] = {}
    for row in iterator:
        if not row or not row[0]:
            continue
        try:
            version = int(str(row[1]))
        except (TypeError, ValueError):
            return None
        cells = [str(cell or "") for cell in row[2 : 2 + len(names)]]
        cells += [""] * (len(names) - len(cells))
        found[CampaignId(str(row[0]))] = Exported(version, dict(zip(names, cells, strict=True)))
    return found


def _value(campaign: Campaign, key: str) -> object:
    if key.startswith(_EXTRA):
        return campaign.extra_value(key.removeprefix(_EXTRA))
    return getattr(campaign, key)


def _label(key: str) -> str:
    if key.startswith(_EXTRA):
        return key.removeprefix(_EXTRA)
    return _LABELS.get(key, key.replace("_", " ").capitalize())


def _with_value(campaign: Campaign, key: str, value: object) -> Campaign:
    if not key.startswith(_EXTRA):
        changed: dict[str, Any] = {key: value}
        return dataclasses.replace(campaign, **changed)
    name = key.removeprefix(_EXTRA)
    kept = [(n, v) for n, v in campaign.extra if n != name]
    if value is not None and value != "":
        index = next((i for i, (n, _) in enumerate(campaign.extra) if n == name), len(kept))
        kept.insert(index, (name, value))  # type: ignore[arg-type]
    return dataclasses.replace(campaign, extra=tuple(kept))


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def reconcile(
    campaigns: dict[CampaignId, Campaign],
    rows: dict[CampaignId, int],
    baseline: dict[CampaignId, Exported],
    known: Schedule,
    issues: Issues,
    sheet: str,
) -> list[ImportIssue]:
    """Lay the workbook's campaigns over the database's using the baseline (see the module
    docstring); ``campaigns`` is changed in place. Returns the conflicts (also warnings)."""
    conflicts: list[ImportIssue] = []

    def note(cid: CampaignId, column: str, value: object, message: str, conflict: bool) -> None:
        issue = ImportIssue(sheet, rows.get(cid, 0), column, value, message)
        issues.warnings.append(issue)
        if conflict:
            conflicts.append(issue)

    for cid in list(campaigns):
        exported = baseline.get(cid)
        if exported is None:
            continue  # a new row, or an ID the export did not carry: compared as before
        incoming, stored = campaigns[cid], known.campaigns.get(cid)
        keys = list(exported.prints)
        keys += [_EXTRA + n for n, _ in incoming.extra if _EXTRA + n not in exported.prints]
        prints = {key: exported.prints.get(key, fingerprint(None)) for key in keys}
        if stored is None:
            del campaigns[cid]
            edited = [k for k in keys if fingerprint(_value(incoming, k)) != prints[k]]
            if edited:
                note(
                    cid,
                    "Campaign ID",
                    cid,
                    f"Conflict: {cid} was deleted in the database after this workbook was "
                    "exported; the workbook's edits to it were not applied.",
                    True,
                )
            else:
                note(
                    cid,
                    "Campaign ID",
                    cid,
                    f"{cid} was deleted in the database after this workbook was exported; it "
                    "was not brought back.",
                    False,
                )
            continue
        if stored.version == exported.version or stored.version < exported.version:
            continue  # nothing changed in the database since (or another database: as before)
        merged = dataclasses.replace(stored)
        for key in keys:
            before = prints[key]
            mine, theirs = _value(incoming, key), _value(stored, key)
            in_file = fingerprint(mine) != before
            in_database = fingerprint(theirs) != before
            if in_file and not in_database:
                merged = _with_value(merged, key, mine)
            elif in_file and in_database and mine != theirs:
                note(
                    cid,
                    _label(key),
                    mine,
                    f"Conflict: {cid} {_label(key)} was changed both in this workbook (to "
                    f"{_shown(mine)}) and in the database since the export (to "
                    f"{_shown(theirs)}); the database's value was kept.",
                    True,
                )
        campaigns[cid] = merged
    for cid, stored in known.campaigns.items():
        if cid in campaigns:
            continue
        exported = baseline.get(cid)
        if exported is None:
            campaigns[cid] = stored  # created after the export: never deleted by this workbook
        elif stored.version > exported.version:
            campaigns[cid] = stored
            note(
                cid,
                "Campaign ID",
                cid,
                f"Conflict: {cid} was removed from this workbook but changed in the database "
                "since the export; it was kept.",
                True,
            )
    return conflicts
