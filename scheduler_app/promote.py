"""Promote a scenario to Live: apply what the scenario changed since it was copied, as one
change set in one transaction, or nothing at all.

What the scenario changed is read three ways: a campaign (or window) whose scenario row moved
past the Live version it was copied at, one added in the scenario, one it deleted. Each must
still be at that Live version now; a campaign Live changed after the scenario was made is
refused, naming who changed what and when, and nothing is applied. Campaigns only Live changed
are left as Live has them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.change_set import ChangeSet, same_content
from scheduler_app.edit_plan import WindowPair, reason_problem
from scheduler_app.errors import SchedulerError, ValidationError
from scheduler_app.ids import CampaignId
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.service import ScheduleService
from scheduler_app.storage import Store, scenario_rows
from scheduler_app.storage.scenario_rows import ScenarioBase

CampaignPair = tuple[Campaign | None, Campaign | None]


class PromoteRefusedError(SchedulerError):
    """Live changed a campaign or window after the scenario was made; ``refused`` names each
    one with who changed it. Nothing was applied."""

    def __init__(self, message: str, refused: list[str]) -> None:
        super().__init__(message)
        self.refused = refused


@dataclass(frozen=True, slots=True)
class PromotePlan:
    """The campaign pairs ``(Live now, scenario)`` and the window pairs ``(Live row now,
    scenario's window)`` to write."""

    pairs: list[CampaignPair]
    windows: list[WindowPair]
    refused: list[str]

    @property
    def confirmed(self) -> list[CampaignId]:
        """The Live campaigns it changes that are Confirmed (promoting them needs a reason)."""
        return sorted(
            before.id
            for before, _ in self.pairs
            if before is not None and before.status is Status.CONFIRMED
        )

    def needs_reason(self, require_always: bool) -> bool:
        """Whether promoting needs a reason: a Confirmed campaign changes, or the schedule
        requires a reason for every change."""
        return bool(self.confirmed) or (require_always and bool(self.pairs))


def plan_promotion(live: ScheduleService, name: str) -> PromotePlan:
    """What promoting ``name`` would write to Live as the database holds it now."""
    store = live.store
    scenario = store.load(name)
    fresh = store.load()
    base = scenario_rows.base_of(store, name)
    refused: list[str] = []
    pairs: list[CampaignPair] = []
    touched = [
        key
        for key, campaign in scenario.campaigns.items()
        if base.campaigns.get(key) != campaign.version
    ]
    touched += sorted(CampaignId(key) for key in base.campaigns if key not in scenario.campaigns)
    for key in touched:
        target = scenario.campaigns.get(key)
        current = fresh.campaigns.get(key)
        if target is None and current is None:
            continue
        if target is not None and current is not None and same_content(current, target):
            continue
        was = base.campaigns.get(key)
        if (current.version if current is not None else None) != was:
            refused.append(_live_change(store, key, was, current))
            continue
        if target is not None:
            target = dataclasses.replace(target, version=current.version if current else 1)
        pairs.append((current, target))
    windows, window_refusals = _windows(live, name, scenario.maintenance, fresh.maintenance, base)
    refused += window_refusals
    return PromotePlan(pairs, windows, refused)


def promote(live: ScheduleService, name: str, reason: str | None = None) -> ChangeSet:
    """Apply the scenario ``name`` to Live as one change set (one transaction, one undo step);
    raises :class:`PromoteRefusedError` with nothing applied when Live changed any campaign or
    window the scenario changed since it was made, and ``ReasonRequiredError`` (nothing applied)
    when it changes a Confirmed campaign of Live without a reason."""
    if live.scenario is not None:
        raise ValidationError("Promote writes to Live; open Live, not a scenario, to promote.")
    plan = plan_promotion(live, name)
    if plan.refused:
        shown = "; ".join(plan.refused[:5])
        more = f" and {len(plan.refused) - 5} more" if len(plan.refused) > 5 else ""
        raise PromoteRefusedError(
            f"Scenario {name!r} was not promoted, nothing was applied: {shown}{more}.",
            plan.refused,
        )
    problem = reason_problem(plan.pairs, reason, live.require_reason)
    if problem is not None:
        raise problem
    added = sum(1 for before, _ in plan.pairs if before is None)
    removed = sum(1 for _, after in plan.pairs if after is None)
    changed = len(plan.pairs) - added - removed
    count = len(plan.windows)
    windows = f", {count} maintenance window{'s' if count != 1 else ''}" if count else ""
    description = (
        f"Promote scenario {name} ({changed} changed, {added} added, {removed} removed{windows})"
    )
    change_set = live.commit_promotion(description, plan.pairs, plan.windows, reason)
    scenario_rows.rebase(live.store, name, change_set.changes, user=live.user)
    return change_set


def _live_change(store: Store, key: str, was: int | None, current: Campaign | None) -> str:
    entries = scenario_rows.last_live_change(store, "campaign", key)
    if was is None:
        what = f"{key} was created in Live"
    elif current is None:
        what = f"{key} was deleted in Live"
    else:
        what = f"{key} was changed in Live"
    if entries:
        last = entries[-1]
        fields = [e.field for e in entries if e.field]
        detail = f" ({', '.join(dict.fromkeys(fields))})" if fields else ""
        what += f" by {last.user} at {last.at:%Y-%m-%d %H:%M} UTC{detail}"
    return what + " after the scenario was made"


def _windows(
    live: ScheduleService,
    name: str,
    scenario: list[MaintenanceWindow],
    fresh: list[MaintenanceWindow],
    base: ScenarioBase,
) -> tuple[list[WindowPair], list[str]]:
    """The Live window rows to write, each ``(Live row now, scenario's window)``: a window the
    scenario changed updates its Live row in place (same id, checked against its row version),
    one drawn in the scenario is added, one it deleted is deleted from Live. Refused when Live
    changed or deleted that row after the scenario was made."""
    store = live.store
    links = scenario_rows.live_ids(store, name)
    current = {window.id: window for window in fresh}
    pairs: list[WindowPair] = []
    refused: list[str] = []
    seen: set[int] = set()
    for window in scenario:
        live_id = links.get(window.id or 0)
        if live_id is None:
            pairs.append((None, dataclasses.replace(window, id=None, version=1)))
            continue
        seen.add(live_id)
        was = base.windows.get(live_id)
        if was == window.version:
            continue  # the scenario left it as it was copied
        now = current.get(live_id)
        if now is None or now.version != was:
            refused.append(_window_refusal(store, now or window, gone=now is None))
            continue
        if _window_content(now) != _window_content(window):
            pairs.append((now, dataclasses.replace(window, id=now.id, version=now.version)))
    for live_id, version in sorted(base.windows.items()):
        now = current.get(live_id)
        if live_id in seen or now is None:
            continue
        if now.version != version:
            refused.append(_window_refusal(store, now, gone=False))
            continue
        pairs.append((now, None))
    return pairs, refused


def _window_content(window: MaintenanceWindow) -> tuple[object, ...]:
    return (window.site, window.suite, window.bioreactor, window.start, window.end, window.reason)


def _window_refusal(store: Store, window: MaintenanceWindow, gone: bool) -> str:
    what = "deleted" if gone else "changed"
    text = f"the maintenance window on {window.scope} was {what} in Live"
    entries = scenario_rows.last_live_change(store, "maintenance", window.scope)
    if entries:
        last = entries[-1]
        text += f" by {last.user} at {last.at:%Y-%m-%d %H:%M} UTC"
    return text + " after the scenario was made"
