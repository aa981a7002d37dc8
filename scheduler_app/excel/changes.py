"""What an import would change, shown before anything is applied.

The preview compares campaigns the way :meth:`ScheduleService.apply_schedule` does (content equal
apart from the version), so what the planner accepts is what gets applied; times are shown on
each site's wall clock, as in the workbook.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime

from scheduler_app.campaigns import Campaign
from scheduler_app.change_set import same_content
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.schedule import Schedule

_FIELDS = (
    ("product", "Product"),
    ("bioreactor", "Bioreactor"),
    ("start", "Start"),
    ("batches", "Batches"),
    ("batch_days", "Batch days"),
    ("turnaround_days", "Turnaround days"),
    ("status", "Status"),
    ("due", "Due"),
    ("purpose", "Purpose"),
    ("needs", "Needs"),
    ("lag_days", "Lag days"),
    ("notes", "Notes"),
)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one campaign, old → new, as a planner reads them."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class CampaignDiff:
    before: Campaign
    after: Campaign
    fields: tuple[FieldChange, ...]

    @property
    def campaign_id(self) -> CampaignId:
        return self.after.id


@dataclass
class ChangeSetPreview:
    """``conflicts`` are those the schedule would have after applying (missing campaigns kept
    unless ``delete_missing``); ``new_conflicts`` those it does not have now."""

    added: list[Campaign] = field(default_factory=list)
    changed: list[CampaignDiff] = field(default_factory=list)
    unchanged: int = 0
    missing: list[Campaign] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    new_conflicts: list[Conflict] = field(default_factory=list)
    master_data: list[str] = field(default_factory=list)
    delete_missing: bool = False

    @property
    def is_empty(self) -> bool:
        deleting = self.delete_missing and self.missing
        return not (self.added or self.changed or deleting or self.master_data)

    def counts(self) -> dict[str, int]:
        errors = sum(1 for c in self.conflicts if c.severity is Severity.ERROR)
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "missing": len(self.missing),
            "conflict_errors": errors,
            "conflict_warnings": len(self.conflicts) - errors,
        }


def compute_changes(
    current: Schedule, incoming: Schedule, delete_missing: bool = False
) -> ChangeSetPreview:
    """Added, changed (per field), unchanged and missing campaigns, master data differences, and
    the conflicts the merged schedule would have."""
    preview = ChangeSetPreview(delete_missing=delete_missing)
    for key, new in incoming.campaigns.items():
        old = current.campaigns.get(key)
        if old is None:
            preview.added.append(new)
        elif same_content(new, old):
            preview.unchanged += 1
        else:
            preview.changed.append(
                CampaignDiff(old, new, tuple(field_changes(old, new, current, incoming)))
            )
    preview.missing = [c for key, c in current.campaigns.items() if key not in incoming.campaigns]
    preview.master_data = master_data_changes(current, incoming)
    merged = merged_schedule(current, incoming, delete_missing)
    preview.conflicts = _check(merged)
    before = {_conflict_key(c) for c in _check(current)}
    preview.new_conflicts = [c for c in preview.conflicts if _conflict_key(c) not in before]
    return preview


def merged_schedule(current: Schedule, incoming: Schedule, delete_missing: bool) -> Schedule:
    """The schedule as it would be after the import."""
    merged = incoming.copy()
    if not delete_missing:
        for key, campaign in current.campaigns.items():
            if key not in merged.campaigns and campaign.bioreactor in merged.bioreactors:
                merged.campaigns[key] = campaign
    for attribute in ("sites", "suites", "bioreactors", "products"):
        held = getattr(current, attribute)
        wanted = getattr(merged, attribute)
        for key, value in held.items():
            wanted.setdefault(key, value)
    return merged


def _check(schedule: Schedule) -> list[Conflict]:
    """The engine's check: a stacked fill-down is one ``overlap`` conflict per cluster."""
    from scheduler_app.rules.engine import check_schedule

    return check_schedule(schedule)


def _conflict_key(conflict: Conflict) -> tuple[object, ...]:
    return (conflict.kind, conflict.campaigns, conflict.bioreactor, conflict.start, conflict.end)


def field_changes(
    old: Campaign, new: Campaign, current: Schedule, incoming: Schedule
) -> list[FieldChange]:
    """Per field, old → new; times on the wall clock of each side's bioreactor site."""
    changes = []
    for name, label in _FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name == "start":
            old_text = _moment(before, current, old.bioreactor)
            new_text = _moment(after, incoming, new.bioreactor)
        else:
            old_text, new_text = _show(before), _show(after)
        changes.append(FieldChange(label, old_text, new_text))
    old_extra, new_extra = dict(old.extra), dict(new.extra)
    for name in dict.fromkeys([*new_extra, *old_extra]):
        if old_extra.get(name) != new_extra.get(name):
            changes.append(
                FieldChange(name, _show(old_extra.get(name)), _show(new_extra.get(name)))
            )
    if not changes and old.extra != new.extra:
        changes.append(FieldChange("Column order", "", "extra columns reordered"))
    return changes


def _moment(instant: datetime, schedule: Schedule, bioreactor: str) -> str:
    try:
        site = schedule.site_of(bioreactor)
    except (KeyError, LookupError):
        return instant.strftime("%Y-%m-%d %H:%M UTC")
    local = utc_to_local_naive(instant, site.time_zone)
    return f"{local:%Y-%m-%d %H:%M} ({site.code})"


def _show(value: object) -> str:
    if value is None or value == "" or value == ():
        return "(blank)"
    if isinstance(value, tuple):
        return "; ".join(
            " from ".join(map(_show, item)) if isinstance(item, tuple) else _show(item)
            for item in value
        )
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def master_data_changes(current: Schedule, incoming: Schedule) -> list[str]:
    """One line per site, suite, bioreactor or product the import adds or changes, and a line
    when the maintenance windows differ. Master data missing from the workbook is never
    deleted, so it is not listed."""
    lines = []
    for attribute, noun in (
        ("sites", "site"),
        ("suites", "suite"),
        ("bioreactors", "bioreactor"),
        ("products", "product"),
    ):
        held, wanted = getattr(current, attribute), getattr(incoming, attribute)
        for key, value in wanted.items():
            if key not in held:
                lines.append(f"New {noun} {key}")
            elif held[key] != value:
                lines.append(f"Changed {noun} {key}: {_master_fields(held[key], value)}")
    for pair in sorted(set(current.changeovers) | set(incoming.changeovers)):
        old, new = current.changeovers.get(pair), incoming.changeovers.get(pair)
        if old != new:
            shown = f"{_show(old)} → {_show(new)} days" if old is not None else f"{new} days"
            if new is None:
                shown = f"{old} days → removed"
            lines.append(f"Changeover {pair[0]} → {pair[1]}: {shown}")
    old_windows = sorted(map(_window, current.maintenance))
    new_windows = sorted(map(_window, incoming.maintenance))
    if old_windows != new_windows:
        added = len(set(new_windows) - set(old_windows))
        removed = len(set(old_windows) - set(new_windows))
        lines.append(f"Maintenance windows: {added} new, {removed} removed")
    return lines


def _master_fields(old: object, new: object) -> str:
    """``seed days 0 → 5; role Production → Seed``: each field of a site, suite, bioreactor or
    product that differs."""
    parts = []
    for item in dataclasses.fields(old):  # type: ignore[arg-type]
        before, after = getattr(old, item.name), getattr(new, item.name)
        if before != after:
            label = _MASTER_LABELS.get(item.name, item.name.replace("_", " "))
            parts.append(f"{label} {_show(before)} → {_show(after)}")
    return "; ".join(parts)


_MASTER_LABELS = {
    "working_volume_l": "working volume (L)",
    "validated_scales_l": "scales (L)",
    "reactor_type": "type",
    "qualified_from": "qualified from",
}


def _window(window: object) -> tuple[str, ...]:
    fields = ("site", "suite", "bioreactor", "start", "end", "reason")
    return tuple(str(getattr(window, name)) for name in fields)
