"""What a workbook shows against a published plan version: each campaign's Baseline start and
Slip (days) on the Campaigns sheet (export only, never read back) and a sheet listing what
changed since that version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from scheduler_app.campaigns import Campaign
from scheduler_app.excel.cells import SheetCells
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.plan_diff import PlanDiff, diff_plans
from scheduler_app.rules.conflict import Conflict
from scheduler_app.schedule import Schedule
from scheduler_app.versions import slip_days

HEADERS = ["Campaign ID", "Change", "Field", "In version", "Now"]


@dataclass(frozen=True, slots=True)
class VersionMarks:
    """A published version as the export needs it: the version's campaigns, each campaign's
    slip in days, and the differences since."""

    number: int
    baseline: Mapping[CampaignId, Campaign]
    slips: Mapping[CampaignId, int]
    diff: PlanDiff

    @property
    def sheet_name(self) -> str:
        return f"Changes since v{self.number}"

    @classmethod
    def build(
        cls,
        number: int,
        version: Schedule,
        schedule: Schedule,
        conflicts: list[Conflict] | None = None,
    ) -> VersionMarks:
        diff = diff_plans(version, schedule, second_conflicts=conflicts)
        slips = slip_days(schedule.campaigns, version.campaigns, schedule)
        return cls(number, version.campaigns, slips, diff)

    def baseline_start(self, campaign: Campaign, tz_name: str) -> datetime | None:
        """The version's start of ``campaign`` as wall-clock time of its site now."""
        was = self.baseline.get(campaign.id)
        return None if was is None else utc_to_local_naive(was.start, tz_name)


def write_changes(cells: SheetCells, schedule: Schedule, marks: VersionMarks) -> None:
    """One row per campaign added or removed and per field changed since the version."""
    sheet = cells.sheet
    for index, width in enumerate((13, 10, 16, 20, 20)):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    cells.header(0, HEADERS)
    row = 1
    for campaign in marks.diff.added:
        cells.text(row, 0, campaign.id)
        cells.text(row, 1, "added")
        row += 1
    for campaign in marks.diff.removed:
        cells.text(row, 0, campaign.id)
        cells.text(row, 1, "removed")
        row += 1
    for item in marks.diff.changed:
        tz_name = _zone(schedule, item.after)
        for name, (old, new) in item.fields.items():
            cells.text(row, 0, item.campaign_id)
            cells.text(row, 1, "changed")
            cells.text(row, 2, name.replace("_", " "))
            _value(cells, row, 3, old, tz_name)
            _value(cells, row, 4, new, tz_name)
            row += 1
    sheet.autofilter(0, 0, max(row - 1, 1), len(HEADERS) - 1)


def _zone(schedule: Schedule, campaign: Campaign) -> str:
    reactor = schedule.bioreactors.get(campaign.bioreactor)
    return schedule.time_zone_of(reactor.code) if reactor is not None else "UTC"


def _value(cells: SheetCells, row: int, column: int, value: object, tz_name: str) -> None:
    if isinstance(value, datetime) and value.tzinfo is not None:
        cells.moment(row, column, utc_to_local_naive(value, tz_name))
    elif isinstance(value, tuple):
        cells.text(row, column, "; ".join(f"{k}: {v}" for k, v in value))
    else:
        cells.any(row, column, getattr(value, "value", value))
