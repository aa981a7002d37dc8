"""``ScheduleService``: the one door through which every change to the schedule passes.

Each public method validates the request, writes one transaction with its audit rows, then brings
the in-memory schedule and the conflict engine up to date and tells the observers what changed. On
any refusal nothing changes, except that a stale edit reloads the rows another planner changed, as
its message says.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from scheduler_app import campaign_edits as edits
from scheduler_app.campaigns import Campaign, Status
from scheduler_app.change_set import (
    CampaignChange,
    ChangeSet,
    Source,
    diff_campaigns,
    same_content,
    touched_bioreactors,
)
from scheduler_app.errors import StaleEditError, ValidationError
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from scheduler_app.schedule_merge import MASTER_KINDS, merge_schedule
from scheduler_app.storage import Store
from scheduler_app.storage.store import EXTRA_COLUMNS_KEY

__all__ = ["CampaignChange", "ChangeSet", "ScheduleService", "Source"]

log = logging.getLogger(__name__)

Observer = Callable[[ChangeSet], None]
Pair = tuple[Campaign | None, Campaign | None]
_ID_ATTEMPTS = 5


def current_user() -> str:
    """The OS account, as the audit log records it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class ScheduleService:
    """Holds the schedule of one store in memory together with its conflict engine; with
    ``scenario`` every campaign and maintenance edit goes to that scenario, never to Live."""

    def __init__(
        self,
        store: Store,
        user: str | None = None,
        source: Source | str = Source.APP,
        scenario: str | None = None,
    ) -> None:
        self.store = store
        self.user = user or current_user()
        self.source = Source(source)
        self.scenario = scenario
        self.schedule: Schedule = store.load(scenario)
        self.engine: ConflictEngine = ConflictEngine(self.schedule)
        self.engine.check_all()
        self._observers: list[Observer] = []

    def add_observer(self, callback: Observer) -> None:
        self._observers.append(callback)

    def remove_observer(self, callback: Observer) -> None:
        if callback in self._observers:
            self._observers.remove(callback)

    def create_campaign(
        self,
        *,
        product: str,
        bioreactor: str,
        start: datetime,
        batches: int,
        batch_days: int | None = None,
        turnaround_days: int | None = None,
        status: Status | str = Status.PLANNED,
        due: date | None = None,
        notes: str = "",
        campaign_id: str | None = None,
        extra: Iterable[tuple[str, Any]] = (),
        reason: str | None = None,
    ) -> Campaign:
        """A new campaign; days default from the product, the ID from ``next_campaign_id``
        (taking the next one if another planner has just used it)."""
        made = self.schedule.product(product)
        key = CampaignId(campaign_id) if campaign_id else self.schedule.next_campaign_id()
        if key in self.schedule.campaigns:
            raise ValidationError(f"Campaign {key} already exists; choose another ID.")
        draft = Campaign(
            key,
            made.code,
            BioreactorCode(bioreactor),
            edits.instant(start),
            batches,
            made.batch_days if batch_days is None else batch_days,
            made.turnaround_days if turnaround_days is None else turnaround_days,
            edits.status(status),
            due,
            notes,
            tuple(extra),
        )
        for _ in range(_ID_ATTEMPTS):
            try:
                self._commit("create", f"Create {draft.id}", [(None, draft)], reason)
            except StaleEditError as error:
                # The ID was taken in the database meanwhile; the reload has brought it in.
                if campaign_id or error.key != draft.id:
                    raise
                draft = dataclasses.replace(draft, id=self.schedule.next_campaign_id())
            else:
                return self.schedule.campaigns[draft.id]
        raise ValidationError("Could not find a free campaign ID; try again.")

    def move_campaign(
        self,
        campaign_id: str,
        start: datetime | None = None,
        bioreactor: str | None = None,
        reason: str | None = None,
    ) -> Campaign:
        """Move in time and/or onto another bioreactor; without ``start`` the instant is kept."""
        return self.move_campaigns([(campaign_id, start, bioreactor)], reason=reason)[0]

    def move_campaigns(
        self,
        moves: Sequence[tuple[str, datetime | None, str | None]],
        reason: str | None = None,
    ) -> list[Campaign]:
        """Several moves as one action (a multi-selection drag)."""
        pairs: list[Pair] = []
        for campaign_id, start, bioreactor in moves:
            before = self.schedule.campaign(campaign_id)
            if any(before is pair[0] for pair in pairs):
                raise ValidationError(f"{campaign_id} is moved twice in one action.")
            changes: dict[str, Any] = {}
            if start is not None:
                changes["start"] = edits.instant(start)
            if bioreactor is not None:
                changes["bioreactor"] = BioreactorCode(bioreactor)
            pairs.append((before, dataclasses.replace(before, **changes)))
        self._commit("move", self._move_description(pairs), pairs, reason)
        return [self.schedule.campaigns[before.id] for before, _ in pairs if before]

    def set_batches(self, campaign_id: str, batches: int, reason: str | None = None) -> Campaign:
        before = self.schedule.campaign(campaign_id)
        after = dataclasses.replace(before, batches=batches)
        noun = "batch" if batches == 1 else "batches"
        self._commit("resize", f"Change {before.id} to {batches} {noun}", [(before, after)], reason)
        return self.schedule.campaigns[before.id]

    def edit_campaign(self, campaign_id: str, reason: str | None = None, **fields: Any) -> Campaign:
        """Change any of ``EDITABLE_FIELDS``; a locked campaign may still change its status,
        due date, notes and extra columns."""
        before = self.schedule.campaign(campaign_id)
        after = dataclasses.replace(before, **edits.coerce_fields(fields))
        changed = [name.replace("_", " ") for name in edits.changed_fields(before, after)]
        description = f"Edit {before.id} ({', '.join(changed)})"
        self._commit("edit", description, [(before, after)], reason)
        return self.schedule.campaigns[before.id]

    def delete_campaign(self, campaign_id: str, reason: str | None = None) -> Campaign:
        """Remove a campaign; returns it as it was (what an undo puts back)."""
        before = self.schedule.campaign(campaign_id)
        self._commit("delete", f"Delete {before.id}", [(before, None)], reason)
        return before

    def replace_campaigns(
        self,
        pairs: Sequence[Pair],
        *,
        action: str = "edit",
        description: str | None = None,
        reason: str | None = None,
    ) -> ChangeSet:
        """The general door (undo and redo use it): each ``before`` must match the campaign held
        now (or be None for a new one); ``after`` None deletes it."""
        checked: list[Pair] = []
        for before, after in pairs:
            if before is None and after is None:
                continue
            key = (before or after).id  # type: ignore[union-attr]
            current = self.schedule.campaigns.get(key)
            if before is None:
                if current is not None:
                    raise ValidationError(f"Campaign {key} already exists.")
                assert after is not None
                checked.append((None, dataclasses.replace(after, version=after.version + 1)))
                continue
            if current is None or not same_content(before, current):
                raise self.store.stale_error("campaign", key, scenario=self.scenario)
            checked.append((current, after))
        text = description or f"Change {len(checked)} campaigns"
        return self._commit(action, text, checked, reason)

    def apply_schedule(
        self,
        incoming: Schedule,
        delete_missing: bool = False,
        action: str = "import",
        description: str | None = None,
        reason: str | None = None,
        source: Source | str | None = None,
    ) -> ChangeSet:
        """Import or demo fill: upsert master data, replace the maintenance windows, add and
        change campaigns by ID (unchanged ones are skipped), delete missing ones only when asked.
        ``description`` is a label; the counts are appended, e.g. ``Import plan.xlsx (3 changed,
        1 added)``. Locks are not enforced: operations report what really ran."""
        plan = merge_schedule(self.schedule, incoming, delete_missing)
        labels = {"import": "Import", "demo": "Load the demo schedule"}
        label = description or labels.get(action, action.capitalize())
        if source is None:
            source = Source(action) if action in {"import", "demo"} else self.source
        return self._commit(
            action,
            f"{label} ({plan.summary()})",
            plan.pairs,
            reason,
            source=Source(source),
            master=plan.master,
            maintenance=plan.windows,
            columns=plan.columns,
            lookup=plan.merged,
            check_locks=False,
            changeovers=plan.changeovers,
        )

    def commit_promotion(
        self,
        description: str,
        pairs: Sequence[Pair],
        windows: list[Any] | None,
        reason: str | None = None,
    ) -> ChangeSet:
        """Write a scenario's promotion (``scheduler_app.promote``): campaign pairs checked
        against the versions read just before, and the new window list, as one change set. The
        lock rule was applied when each edit was made in the scenario (imports, as in Live,
        carry what operations report), so it is not applied twice."""
        return self._commit(
            "promote", description, pairs, reason, maintenance=windows, check_locks=False
        )

    def reload(self) -> ChangeSet:
        """Read everything again (after another planner's changes); observers are told."""
        fresh = self.store.load(self.scenario)
        held = self.schedule
        changes = diff_campaigns(held.campaigns, fresh.campaigns)
        for _, attribute in MASTER_KINDS:
            setattr(held, attribute, getattr(fresh, attribute))
        held.campaigns = fresh.campaigns
        held.maintenance = fresh.maintenance
        held.extra_columns = fresh.extra_columns
        held.changeovers = fresh.changeovers
        self.engine.check_all()
        change_set = ChangeSet(
            "reload",
            "Reload the schedule",
            tuple(changes),
            touched_bioreactors(changes),
            self.source,
            master_data_changed=True,
            maintenance_changed=True,
        )
        self._notify(change_set)
        return change_set

    def reload_campaign(self, campaign_id: str) -> Campaign | None:
        """Read one campaign again; None when it is no longer in the database."""
        self._reload_campaigns([CampaignId(campaign_id)])
        return self.schedule.campaigns.get(CampaignId(campaign_id))

    def _reload_campaigns(self, keys: Sequence[CampaignId]) -> None:
        fresh = self.store.load_campaigns(keys, self.scenario)
        held = self.schedule.campaigns
        changes = []
        for key in keys:
            old, new = held.get(key), fresh.get(key)
            if old != new:
                changes.append(CampaignChange(old, new))
                if new is None:
                    self.schedule.remove_campaign(key)
                else:
                    self.schedule.put_campaign(new)
        if changes:
            touched = touched_bioreactors(changes)
            self.engine.update(touched)
            description = f"Reload {', '.join(c.campaign_id for c in changes)}"
            self._notify(ChangeSet("reload", description, tuple(changes), touched, self.source))

    def _validate(self, campaign: Campaign, lookup: Schedule | None = None) -> None:
        edits.validate_campaign(campaign, lookup or self.schedule)

    def _commit(
        self,
        action: str,
        description: str,
        pairs: Sequence[Pair],
        reason: str | None,
        *,
        source: Source | None = None,
        master: Sequence[tuple[str, Any, Any]] = (),
        maintenance: list[Any] | None = None,
        columns: list[str] | None = None,
        lookup: Schedule | None = None,
        check_locks: bool = True,
        changeovers: dict[tuple[ProductCode, ProductCode], int] | None = None,
    ) -> ChangeSet:
        """Validate, write one transaction, then update memory, the engine and the observers."""
        held = self.schedule
        pairs = [(b, a) for b, a in pairs if b is None or a is None or not same_content(a, b)]
        for before, after in pairs:
            if after is not None:
                self._validate(after, lookup)
                if check_locks and before is not None:
                    edits.check_lock(before, after)
        used = [name for _, after in pairs if after for name, _ in after.extra]
        columns = list(dict.fromkeys([*(columns or held.extra_columns), *used]))
        columns_changed = columns != held.extra_columns
        if changeovers == held.changeovers:
            changeovers = None
        master_changed = bool(master) or changeovers is not None
        if not (pairs or master_changed or maintenance is not None or columns_changed):
            return ChangeSet(action, description, (), frozenset(), source or self.source)
        keys = [(b or a).id for b, a in pairs]  # type: ignore[union-attr]
        if len(set(keys)) != len(keys):
            twice = sorted({key for key in keys if keys.count(key) > 1})
            raise ValidationError(f"{', '.join(twice)} changed twice in one action.")
        try:
            with self.store.transaction(
                user=self.user,
                source=source or self.source,
                action=action,
                reason=reason,
                scenario=self.scenario,
            ) as work:
                for kind, old, new in master:
                    work.save_master(kind, old, new)
                if changeovers is not None:
                    work.replace_changeovers(held.changeovers, changeovers)
                windows = (
                    work.replace_maintenance(held.maintenance, maintenance)
                    if maintenance is not None
                    else None
                )
                stored = work.write_campaigns(pairs)
                if columns_changed:
                    work.set_setting(
                        EXTRA_COLUMNS_KEY, json.dumps(held.extra_columns), json.dumps(columns)
                    )
        except StaleEditError as error:
            if error.entity == "campaign":
                self._reload_campaigns(keys)
            else:
                self.reload()
            raise
        for kind, _, new in master:
            getattr(held, dict(MASTER_KINDS)[kind])[new.code] = new
        if changeovers is not None:
            held.changeovers = dict(changeovers)
        if windows is not None:
            held.maintenance = windows
        held.extra_columns = columns
        changes = []
        for (before, _), saved in zip(pairs, stored, strict=True):
            if saved is None:
                assert before is not None
                held.remove_campaign(before.id)
            else:
                held.put_campaign(saved)
            changes.append(CampaignChange(before, saved))
        touched = touched_bioreactors(changes)
        if master_changed or windows is not None:
            self.engine.check_all()
        else:
            self.engine.update(touched)
        change_set = ChangeSet(
            action,
            description,
            tuple(changes),
            touched,
            source or self.source,
            master_data_changed=master_changed,
            maintenance_changed=windows is not None,
            audit_change_set=work.context.change_set,
        )
        self._notify(change_set)
        return change_set

    def _notify(self, change_set: ChangeSet) -> None:
        for callback in list(self._observers):
            try:
                callback(change_set)
            except Exception:
                log.exception("observer %r failed on %s", callback, change_set.description)

    def _move_description(self, pairs: Sequence[Pair]) -> str:
        if len(pairs) != 1:
            return f"Move {len(pairs)} campaigns"
        before, after = pairs[0]
        assert before is not None and after is not None
        if after.bioreactor != before.bioreactor:
            return f"Move {after.id} to {after.bioreactor}"
        tz_name = self.schedule.time_zone_of(after.bioreactor)
        return f"Move {after.id} to {utc_to_local_naive(after.start, tz_name):%Y-%m-%d}"
