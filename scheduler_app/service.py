"""``ScheduleService``: the one door through which every change to the schedule passes.

Each named action validates the request, writes one transaction with its audit rows and returns
the ``ChangeSet`` it made (the description is the core's); ``undo``/``redo`` replay a change set
and refuse, naming who changed what, when the database no longer holds what it wrote. Inside the
write transaction the change re-reads what it touches (its campaigns and every campaign on the
bioreactors it lands on), so its new conflicts are decided on what the database holds at commit
time, not on this planner's possibly old copy. On any refusal nothing changes, except that a stale
edit reloads the rows another planner changed, as its message says.
"""

from __future__ import annotations

import dataclasses
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
    MasterChange,
    Source,
    diff_campaigns,
    same_content,
    touched_bioreactors,
)
from scheduler_app.edit_plan import (
    MASTER_ORDER,
    REQUIRE_REASON_KEY,
    EditPlan,
    Pair,
    WindowPair,
    reason_problem,
    replay_plan,
)
from scheduler_app.errors import StaleEditError, ValidationError
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.live import LiveFeed, RemoteChange, resync_notice
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.conflict import Conflict
from scheduler_app.rules.engine import ConflictEngine
from scheduler_app.schedule import Schedule
from scheduler_app.schedule_merge import MASTER_KINDS, merge_schedule
from scheduler_app.service_master import MasterDataActions
from scheduler_app.storage import Store
from scheduler_app.storage.store import EXTRA_COLUMNS_KEY
from scheduler_app.storage.writing import StaleRow, UnitOfWork

__all__ = ["CampaignChange", "ChangeSet", "ScheduleService", "Source"]

log = logging.getLogger(__name__)

Observer = Callable[[ChangeSet], None]
_ID_ATTEMPTS = 5
_ATTRIBUTE = dict(MASTER_KINDS)


class ScheduleService(MasterDataActions):
    """Holds the schedule of one store in memory together with its conflict engine; with
    ``scenario`` every campaign and maintenance edit goes to that scenario, never to Live.

    ``user`` is what the audit log records: by default the database user on PostgreSQL and the
    operating-system account on SQLite (never an environment variable); tests may name one."""

    def __init__(
        self,
        store: Store,
        user: str | None = None,
        source: Source | str = Source.APP,
        scenario: str | None = None,
    ) -> None:
        self.store = store
        self.user = user or store.database_user()
        self.source = Source(source)
        self.scenario = scenario
        self.schedule: Schedule = store.load(scenario)
        self.engine: ConflictEngine = ConflictEngine(self.schedule)
        self.engine.check_all()
        self._observers: list[Observer] = []
        self.own_change_sets: set[str] = set()
        """Audit change-set ids this service wrote (``sync`` skips them)."""
        self._audit_seen = store.last_audit_id()
        self._feed: LiveFeed | None = None
        self.live_lost = False
        """True while the live connection to PostgreSQL is down (it reconnects by itself)."""

    def sync(self) -> list[RemoteChange]:
        """Pick up change sets committed by other planners and processes: reload what they
        touched, tell the observers with a change set whose ``remote_user`` is set, and return
        them (the UI shows who changed what). Cheap when nothing changed; call it from a timer.
        After a dropped PostgreSQL connection came back, everything is reloaded once and a
        ``resync`` change says so."""
        if self._feed is None:
            self._feed = LiveFeed(self.store, self._audit_seen)
        poll = self._feed.poll(self.own_change_sets)
        self.live_lost = poll.lost
        changes = poll.changes
        if not changes and not poll.resync:
            return []
        users = ", ".join(dict.fromkeys(change.user for change in changes))
        if poll.resync or any(change.master for change in changes):
            self._notify(self._reload_all(remote_user=users or "another planner"))
        else:
            keys = list(dict.fromkeys(key for change in changes for key in change.campaigns))
            self._reload_campaigns(keys, remote_user=users)
        if poll.resync:
            changes = [*changes, resync_notice()]
        return changes

    def stop_live(self) -> None:
        """Stop listening for other planners' changes (closing a window or a database)."""
        if self._feed is not None:
            self._feed.close()
            self._feed = None

    @property
    def require_reason(self) -> bool:
        """The schedule-wide setting: every change needs a reason, not only Confirmed ones."""
        return self.store.settings.get(REQUIRE_REASON_KEY) == "true"

    @property
    def audit_warning(self) -> str | None:
        """A sentence to show when this login could rewrite the audit trail (PostgreSQL table
        owner or superuser), else None."""
        return self.store.owner_warning()

    def needs_reason(self, campaign_ids: Iterable[str]) -> bool:
        """Whether changing these campaigns needs a reason (ask before calling the action)."""
        if self.require_reason:
            return True
        held = self.schedule.campaigns
        return any(
            (found := held.get(CampaignId(key))) is not None and found.status is Status.CONFIRMED
            for key in campaign_ids
        )

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
        action: str = "create",
    ) -> ChangeSet:
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
        return self.add_campaign(draft, reason=reason, action=action, fixed_id=bool(campaign_id))

    def add_campaign(
        self,
        campaign: Campaign,
        reason: str | None = None,
        action: str = "create",
        fixed_id: bool = True,
    ) -> ChangeSet:
        """Add a campaign built by the caller (the New campaign dialog, Duplicate); without
        ``fixed_id`` a taken ID is replaced by the next free one."""
        draft = dataclasses.replace(campaign, version=1)
        verb = "Duplicate as" if action == "duplicate" else "New campaign"
        for _ in range(_ID_ATTEMPTS):
            text = f"{verb} {draft.id} on {draft.bioreactor}"
            try:
                return self._commit(EditPlan(action, text, [(None, draft)], self.source), reason)
            except StaleEditError as error:
                # The ID was taken in the database meanwhile; the reload has brought it in.
                if fixed_id or error.key != draft.id:
                    raise
                draft = dataclasses.replace(draft, id=self.schedule.next_campaign_id())
        raise ValidationError("Could not find a free campaign ID; try again.")

    def move_campaign(
        self,
        campaign_id: str,
        start: datetime | None = None,
        bioreactor: str | None = None,
        reason: str | None = None,
    ) -> ChangeSet:
        """Move in time and/or onto another bioreactor; without ``start`` the instant is kept."""
        return self.move_campaigns([(campaign_id, start, bioreactor)], reason=reason)

    def move_campaigns(
        self,
        moves: Sequence[tuple[str, datetime | None, str | None]],
        reason: str | None = None,
    ) -> ChangeSet:
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
        plan = EditPlan("move", self._move_description(pairs), pairs, self.source)
        return self._commit(plan, reason)

    def set_batches(self, campaign_id: str, batches: int, reason: str | None = None) -> ChangeSet:
        before = self.schedule.campaign(campaign_id)
        after = dataclasses.replace(before, batches=batches)
        text = f"Resize {before.id} to {batches} batch{'es' if batches != 1 else ''}"
        return self._commit(EditPlan("resize", text, [(before, after)], self.source), reason)

    def edit_campaign(
        self, campaign_id: str, reason: str | None = None, **fields: Any
    ) -> ChangeSet:
        """Change any of ``EDITABLE_FIELDS``; a locked campaign may still change its status,
        due date, notes and extra columns."""
        before = self.schedule.campaign(campaign_id)
        after = dataclasses.replace(before, **edits.coerce_fields(fields))
        changed = [name.replace("_", " ") for name in edits.changed_fields(before, after)]
        description = f"Edit {before.id} ({', '.join(changed) or 'nothing'})"
        return self._commit(EditPlan("edit", description, [(before, after)], self.source), reason)

    def delete_campaigns(self, campaign_ids: Sequence[str], reason: str | None = None) -> ChangeSet:
        """Remove campaigns as one action; the change set holds them as they were."""
        pairs: list[Pair] = [(self.schedule.campaign(key), None) for key in campaign_ids]
        many = len(pairs) != 1
        text = f"Delete {len(pairs)} campaigns" if many else f"Delete {campaign_ids[0]}"
        return self._commit(EditPlan("delete", text, pairs, self.source), reason)

    def delete_campaign(self, campaign_id: str, reason: str | None = None) -> ChangeSet:
        return self.delete_campaigns([campaign_id], reason)

    def replace_campaigns(
        self,
        pairs: Sequence[Pair],
        *,
        action: str = "edit",
        description: str | None = None,
        reason: str | None = None,
    ) -> ChangeSet:
        """The general door for tools that build whole campaigns (planning): each ``before`` must
        match the campaign held now (or be None for a new one); ``after`` None deletes it."""
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
                checked.append((None, dataclasses.replace(after, version=1)))
                continue
            if current is None or not same_content(before, current):
                raise self.store.stale_error("campaign", key, scenario=self.scenario)
            checked.append((current, after))
        text = description or f"Change {len(checked)} campaigns"
        return self._commit(EditPlan(action, text, checked, self.source), reason)

    def undo(self, change_set: ChangeSet, reason: str | None = None) -> ChangeSet:
        """Put back what ``change_set`` found, provided the database still holds what it wrote;
        otherwise ``StaleEditError`` naming who changed what, and nothing is undone."""
        plan = replay_plan(change_set, backwards=True, source=self.source)
        return self._commit(plan, reason or change_set.reason)

    def redo(self, change_set: ChangeSet, reason: str | None = None) -> ChangeSet:
        """Write ``change_set`` again, provided the database holds what it found; returns the new
        change set (what a later undo takes)."""
        plan = replay_plan(change_set, backwards=False, source=self.source)
        return self._commit(plan, reason or change_set.reason)

    def set_require_reason(self, required: bool, reason: str | None = None) -> ChangeSet:
        """Switch the schedule-wide setting that every change needs a reason (audited)."""
        old = self.store.settings.get(REQUIRE_REASON_KEY)
        new = "true" if required else "false"
        text = f"{'Require' if required else 'Do not require'} a reason for every change"
        plan = EditPlan("setting", text, [], self.source, reasoned=False)
        plan.settings = [(REQUIRE_REASON_KEY, old, new)] if old != new else []
        change_set = self._commit(plan, reason)
        self.store.settings[REQUIRE_REASON_KEY] = new
        return change_set

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
        1 added)``. Locks and reasons are not enforced: operations report what really ran."""
        # The demo replaces a schedule: bioreactors, products and suites it does not have go too.
        prune = action == "demo" and delete_missing
        merge = merge_schedule(self.schedule, incoming, delete_missing, prune_master=prune)
        labels = {"import": "Import", "demo": "Load the demo schedule"}
        label = description or labels.get(action, action.capitalize())
        if source is None:
            source = Source(action) if action in {"import", "demo"} else self.source
        plan = EditPlan(
            action,
            f"{label} ({merge.summary()})",
            list(merge.pairs),
            Source(source),
            master=[MasterChange(kind, old, new) for kind, old, new in merge.master],
            windows=None if merge.windows is None else (self.schedule.maintenance, merge.windows),
            columns=merge.columns,
            changeovers=None
            if merge.changeovers is None
            else (dict(self.schedule.changeovers), dict(merge.changeovers)),
            lookup=merge.merged,
            check_edits=False,
            reasoned=False,
        )
        return self._commit(plan, reason)

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
        plan = EditPlan(
            "promote",
            description,
            list(pairs),
            self.source,
            windows=None if windows is None else (self.schedule.maintenance, windows),
            check_edits=False,
            reasoned=False,
        )
        return self._commit(plan, reason)

    def reload(self) -> ChangeSet:
        """Read everything again (after another planner's changes); observers are told."""
        change_set = self._reload_all()
        self._notify(change_set)
        return change_set

    def reload_campaign(self, campaign_id: str) -> Campaign | None:
        """Read one campaign again; None when it is no longer in the database."""
        self._reload_campaigns([CampaignId(campaign_id)])
        return self.schedule.campaigns.get(CampaignId(campaign_id))

    def _reload_all(self, remote_user: str | None = None) -> ChangeSet:
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
        return ChangeSet(
            "reload",
            "Reload the schedule",
            tuple(changes),
            touched_bioreactors(changes),
            self.source,
            master_data_changed=True,
            maintenance_changed=True,
            remote_user=remote_user,
        )

    def _reload_campaigns(
        self, keys: Sequence[CampaignId], remote_user: str | None = None
    ) -> ChangeSet | None:
        changes = self._absorb(self.store.load_campaigns(keys, self.scenario), keys)
        if not changes:
            return None
        touched = touched_bioreactors(changes)
        description = f"Reload {', '.join(c.campaign_id for c in changes)}"
        change_set = ChangeSet(
            "reload", description, tuple(changes), touched, self.source, remote_user=remote_user
        )
        self._notify(change_set)
        return change_set

    def _absorb(
        self, fresh: dict[CampaignId, Campaign], keys: Iterable[CampaignId]
    ) -> list[CampaignChange]:
        """Bring the held campaigns ``keys`` to what the database holds (``fresh``; absent =
        deleted) and update the engine for the bioreactors they left or reached."""
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
            self.engine.update(touched_bioreactors(changes))
        return changes

    def _commit(self, plan: EditPlan, reason: str | None) -> ChangeSet:
        """Validate, write one transaction (deciding on fresh data), then update memory, the
        engine and the observers."""
        held = self.schedule
        lookup = plan.lookup or held
        if plan.replay is not None and plan.master:
            lookup = held.copy()
            for item in plan.master:
                table = getattr(lookup, _ATTRIBUTE[item.kind])
                if item.after is None:
                    table.pop(item.code, None)
                else:
                    table[item.after.code] = item.after
        pairs = plan.pairs
        if plan.replay is None:
            pairs = [(b, a) for b, a in pairs if b is None or a is None or not same_content(a, b)]
        for before, after in pairs:
            if after is None:
                continue
            if plan.check_edits:
                edits.check_edit(lookup, before, after)
            else:
                edits.validate_campaign(after, lookup)
        if plan.reasoned:
            problem = reason_problem(pairs, reason, self.require_reason)
            if problem is not None:
                raise problem
        used = [name for _, after in pairs if after for name, _ in after.extra]
        columns = list(dict.fromkeys([*(plan.columns or held.extra_columns), *used]))
        if plan.replay is not None and plan.columns is not None:
            columns = list(dict.fromkeys([*plan.columns, *used]))
        columns_changed = columns != held.extra_columns
        source = plan.source
        matrix = plan.changeovers
        if matrix is not None and matrix[0] == matrix[1]:
            matrix = None
        window_pairs = plan.window_pairs
        if plan.replay is not None:
            window_pairs = self._replayable_windows(window_pairs, plan)
        if not (
            pairs
            or plan.master
            or plan.windows
            or columns_changed
            or plan.settings
            or matrix
            or window_pairs
        ):
            return ChangeSet(plan.action, plan.description, (), frozenset(), source)
        keys = [(b or a).id for b, a in pairs]  # type: ignore[union-attr]
        if len(set(keys)) != len(keys):
            twice = sorted({key for key in keys if keys.count(key) > 1})
            raise ValidationError(f"{', '.join(twice)} changed twice in one action.")
        landing = touched_bioreactors(CampaignChange(b, a) for b, a in pairs)
        neighbours = {c.id for c in held.campaigns.values() if c.bioreactor in landing}
        watched = [*keys, *sorted(neighbours.difference(keys))]
        master_before: list[MasterChange] = []
        try:
            with self.store.transaction(
                user=self.user,
                source=source,
                action=plan.action,
                reason=reason,
                scenario=self.scenario,
            ) as work:
                fresh = work.fresh_campaigns(watched, sorted(landing))
                if plan.replay is not None:
                    pairs = self._replayable(pairs, fresh, plan)
                master_before = self._write_master(work, plan, removals=False)
                if matrix is not None:
                    work.replace_changeovers(*matrix)
                windows = None
                if plan.windows is not None:
                    windows = work.replace_maintenance(*plan.windows)
                single = work.write_windows(window_pairs)
                stored = work.write_campaigns(pairs)
                master_before += self._write_master(work, plan, removals=True)
                if columns_changed:
                    work.set_setting(
                        EXTRA_COLUMNS_KEY, json.dumps(held.extra_columns), json.dumps(columns)
                    )
                for key, old, new in plan.settings:
                    work.set_setting(key, old, new)
        except StaleEditError as error:
            if error.entity == "campaign":
                self._reload_campaigns(keys)
            else:
                self.reload()
            raise
        self.own_change_sets.add(work.context.change_set)
        others = [key for key in watched if key not in set(keys)]
        theirs = self._absorb(fresh, others)
        if theirs:
            touched = touched_bioreactors(theirs)
            text = f"Reload {', '.join(c.campaign_id for c in theirs)}"
            self._notify(ChangeSet("reload", text, tuple(theirs), touched, self.source))
        known_before = self._conflict_keys(keys)
        for item in master_before:
            table = getattr(held, _ATTRIBUTE[item.kind])
            if item.after is None:
                table.pop(item.code, None)
            else:
                table[item.after.code] = item.after
        if matrix is not None:
            held.changeovers = dict(matrix[1])
        if windows is not None:
            held.maintenance = windows
        if window_pairs:
            gone = {before.id for before, _ in window_pairs if before is not None}
            kept = [w for w in held.maintenance if w.id not in gone]
            kept += [w for w in single if w is not None]
            held.maintenance = sorted(kept, key=lambda w: (w.start, w.id or 0))
        old_columns = tuple(held.extra_columns)
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
        if master_before or matrix is not None or windows is not None or window_pairs:
            self.engine.check_all()
        else:
            self.engine.update(touched)
        change_set = ChangeSet(
            plan.action,
            plan.description,
            tuple(changes),
            touched,
            source,
            master_data_changed=bool(master_before) or matrix is not None,
            maintenance_changed=windows is not None or bool(window_pairs),
            audit_change_set=work.context.change_set,
            window_changes=tuple(
                (before, after) for (before, _), after in zip(window_pairs, single, strict=True)
            ),
            master=tuple(master_before),
            maintenance_before=None if windows is None else tuple(plan.windows[0]),  # type: ignore[index]
            maintenance_after=None if windows is None else tuple(windows),
            extra_columns=(old_columns, tuple(columns)) if columns_changed else None,
            changeovers=matrix,
            new_conflicts=tuple(self._new_conflicts(keys, known_before)),
            user=self.user,
            reason=reason,
        )
        self._notify(change_set)
        return change_set

    def _replayable_windows(self, pairs: Sequence[WindowPair], plan: EditPlan) -> list[WindowPair]:
        """Undo/redo of single windows: each expected window is found by its content (a window
        put back after a deletion has a new id); the write then checks its row version."""
        out: list[WindowPair] = []
        verb = "undone" if plan.replay == "undo" else "redone"
        for expected, target in pairs:
            current = None
            if expected is not None:
                content = _window_content(expected)
                current = next(
                    (w for w in self.schedule.maintenance if _window_content(w) == content), None
                )
                if current is None:
                    raise self.store.stale_error(
                        "maintenance",
                        expected.scope,
                        f"The maintenance window on {expected.scope} (“{plan.description}” was "
                        f"not {verb})",
                        scenario=self.scenario,
                    )
            if target is not None and current is not None:
                target = dataclasses.replace(target, id=current.id, version=current.version)
            out.append((current, target))
        return out

    def _replayable(
        self, pairs: Sequence[Pair], fresh: dict[CampaignId, Campaign], plan: EditPlan
    ) -> list[Pair]:
        """Undo/redo pairs against what the database holds now: each campaign must hold the
        content expected, or the replay is refused (nothing written)."""
        out: list[Pair] = []
        refused = f"“{plan.description}” was not {'undone' if plan.replay == 'undo' else 'redone'}"
        for expected, target in pairs:
            key = (expected or target).id  # type: ignore[union-attr]
            current = fresh.get(key)
            if (current is None) != (expected is None) or (
                current is not None and expected is not None and not same_content(current, expected)
            ):
                raise StaleRow("campaign", key, key, "campaign", refused)
            if target is not None:
                # An update is checked against the row read just now; a campaign put back after
                # a deletion continues its version count.
                version = current.version if current is not None else target.version + 1
                target = dataclasses.replace(target, version=version)
            out.append((current, target))
        return out

    def _write_master(self, work: UnitOfWork, plan: EditPlan, removals: bool) -> list[MasterChange]:
        """Write the master-data part of ``plan``: additions and updates first (parents first),
        removals after the campaigns (children first); returns ``(kind, found, written)``."""
        order = list(reversed(MASTER_ORDER)) if removals else list(MASTER_ORDER)
        items = sorted(
            (item for item in plan.master if (item.after is None) == removals),
            key=lambda item: order.index(item.kind),
        )
        done = []
        for item in items:
            if plan.replay is None:
                if work.save_master(item.kind, item.before, item.after):
                    done.append(item)
                continue
            current = work.current_master(item.kind, item.code)
            if current != item.before:
                label = f"{item.kind.capitalize()} {item.code}"
                verb = "undone" if plan.replay == "undo" else "redone"
                refused = f"“{plan.description}” was not {verb}"
                raise StaleRow(item.kind, item.code, label, item.kind, refused)
            work.restore_master(item.kind, current, item.after)
            done.append(MasterChange(item.kind, current, item.after))
        return done

    def _conflict_keys(self, keys: Iterable[CampaignId]) -> set[tuple[str, tuple[str, ...]]]:
        found: set[tuple[str, tuple[str, ...]]] = set()
        for key in keys:
            if key in self.schedule.campaigns:
                for conflict in self.engine.conflicts_for(key):
                    found.add((conflict.kind, tuple(sorted(conflict.campaigns))))
        return found

    def _new_conflicts(
        self, keys: Iterable[CampaignId], known: set[tuple[str, tuple[str, ...]]]
    ) -> list[Conflict]:
        """Conflicts of the changed campaigns that were not there before the change (the same
        kind between the same campaigns counts as the same conflict)."""
        out: list[Conflict] = []
        seen = set(known)
        for key in keys:
            if key not in self.schedule.campaigns:
                continue
            for conflict in self.engine.conflicts_for(key):
                identity = (conflict.kind, tuple(sorted(conflict.campaigns)))
                if identity not in seen:
                    seen.add(identity)
                    out.append(conflict)
        return out

    def _notify(self, change_set: ChangeSet) -> None:
        for callback in list(self._observers):
            try:
                callback(change_set)
            except Exception:
                log.exception("observer %r failed on %s", callback, change_set.description)

    def _move_description(self, pairs: Sequence[Pair]) -> str:
        if len(pairs) != 1:
            targets = sorted({after.bioreactor for _, after in pairs if after})
            where = targets[0] if len(targets) == 1 else f"{len(targets)} bioreactors"
            return f"Move {len(pairs)} campaigns to {where}"
        before, after = pairs[0]
        assert before is not None and after is not None
        if after.bioreactor != before.bioreactor:
            return f"Move {after.id} to {after.bioreactor}"
        tz_name = self.schedule.time_zone_of(after.bioreactor)
        return f"Move {after.id} to {utc_to_local_naive(after.start, tz_name):%Y-%m-%d}"


def _window_content(window: MaintenanceWindow) -> tuple[object, ...]:
    return (window.site, window.suite, window.bioreactor, window.start, window.end, window.reason)
