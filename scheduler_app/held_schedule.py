"""``HeldSchedule``: the schedule of one store held in memory, in step with the database.

It writes an ``EditPlan`` as one transaction with its audit rows. Inside that transaction it
re-reads what the change touches (its campaigns and every campaign on the bioreactors it lands
on), so the change is decided on what the database holds at commit time: what others committed
there is brought into memory first, and the change's new conflicts are those it makes against
that. An undo or redo (``plan.replay``) compares content with the database and is refused, naming
who changed what, when it no longer holds what the change wrote. Then memory, the conflict engine
and the observers follow. ``ScheduleService`` adds the named actions on top.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from scheduler_app import campaign_edits as edits
from scheduler_app.campaigns import Campaign
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
)
from scheduler_app.errors import SchedulerError, StaleEditError, ValidationError
from scheduler_app.ids import CampaignId
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.conflict import Conflict
from scheduler_app.rules.engine import RULES, ConflictEngine
from scheduler_app.schedule import Schedule
from scheduler_app.schedule_merge import MASTER_KINDS
from scheduler_app.storage import Store
from scheduler_app.storage.store import EXTRA_COLUMNS_KEY
from scheduler_app.storage.writing import StaleRow, UnitOfWork

log = logging.getLogger(__name__)

Observer = Callable[[ChangeSet], None]
_ATTRIBUTE = dict(MASTER_KINDS)
LOAD_IN_TWO_FROM = 5_000
"""From this many campaigns, a service given a ``first_view`` holds only the campaigns in it
until :meth:`HeldSchedule.finish_loading` (the window paints them first, then loads the rest)."""
_FEW_CAMPAIGNS = 32
"""Up to this many changed campaigns, their conflicts are looked up campaign by campaign."""


class HeldSchedule:
    """The schedule and its conflict engine, written through plans and kept in step.

    ``user`` is what the audit log records: by default the database user on PostgreSQL and the
    operating-system account on SQLite (never an environment variable); tests may name one."""

    def __init__(
        self,
        store: Store,
        user: str | None = None,
        source: Source | str = Source.APP,
        scenario: str | None = None,
        first_view: tuple[datetime, datetime] | None = None,
    ) -> None:
        self.store = store
        self.user = user or store.database_user()
        self.source = Source(source)
        self.scenario = scenario
        self.loading = first_view is not None and store.campaign_count(scenario) >= LOAD_IN_TWO_FROM
        """True while only the campaigns in ``first_view`` are held (see :meth:`finish_loading`):
        nothing is checked and nothing can be written until the rest is loaded."""
        self.schedule: Schedule = store.load(scenario, first_view if self.loading else None)
        self.engine: ConflictEngine = ConflictEngine(self.schedule, () if self.loading else RULES)
        self.engine.check_all()
        self._observers: list[Observer] = []
        self.own_change_sets: set[str] = set()
        """Audit change-set ids this service wrote (``sync`` skips them)."""

    @property
    def require_reason(self) -> bool:
        """The schedule-wide setting: every change needs a reason, not only Confirmed ones."""
        return self.store.settings.get(REQUIRE_REASON_KEY) == "true"

    def add_observer(self, callback: Observer) -> None:
        self._observers.append(callback)

    def remove_observer(self, callback: Observer) -> None:
        if callback in self._observers:
            self._observers.remove(callback)

    def finish_loading(self) -> ChangeSet | None:
        """Load the whole plan after a first view (``first_view`` given and ``loading``), check
        it and tell the observers (a ``reload``); None when the whole plan was held already."""
        if not self.loading:
            return None
        self._take_whole(self.store.load(self.scenario))
        self.engine = ConflictEngine(self.schedule)
        self.engine.check_all()
        self.loading = False
        change_set = ChangeSet(
            "reload",
            "Load the whole schedule",
            (),
            frozenset(self.schedule.bioreactors),
            self.source,
            master_data_changed=True,
            maintenance_changed=True,
        )
        self._notify(change_set)
        return change_set

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
        changes = diff_campaigns(self.schedule.campaigns, fresh.campaigns)
        self._take_whole(fresh)
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

    def _take_whole(self, fresh: Schedule) -> None:
        """Hold what ``fresh`` holds, in the same schedule object (the views keep it)."""
        held = self.schedule
        for _, attribute in MASTER_KINDS:
            setattr(held, attribute, getattr(fresh, attribute))
        held.campaigns = fresh.campaigns
        held.maintenance = fresh.maintenance
        held.extra_columns = fresh.extra_columns
        held.changeovers = fresh.changeovers

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
        if self.loading:
            raise SchedulerError(
                "The schedule is still loading; nothing was changed. Try again in a moment."
            )
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
        # Every campaign the database holds on the landing bioreactors, including ones another
        # planner moved there from a bioreactor this change does not touch.
        written = set(keys)
        others = [key for key in dict.fromkeys([*watched, *fresh]) if key not in written]
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
                elif plan.strict_master:
                    raise ValidationError(
                        f"{item.kind.capitalize()} {item.code} was just taken into use by another "
                        "planner: nothing was deleted."
                    )
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
        return {_identity(conflict) for conflict in self._conflicts_naming(keys)}

    def _new_conflicts(
        self, keys: Iterable[CampaignId], known: set[tuple[str, tuple[str, ...]]]
    ) -> list[Conflict]:
        """Conflicts of the changed campaigns that were not there before the change (the same
        kind between the same campaigns counts as the same conflict)."""
        out: list[Conflict] = []
        seen = set(known)
        for conflict in self._conflicts_naming(keys):
            identity = _identity(conflict)
            if identity not in seen:
                seen.add(identity)
                out.append(conflict)
        return out

    def _conflicts_naming(self, keys: Iterable[CampaignId]) -> list[Conflict]:
        """The conflicts naming any of ``keys``, each once: asked campaign by campaign for a few
        (in the order given), else in one pass over every conflict, since an overlap cluster
        names thousands of campaigns and asking for each would rescan it once per campaign."""
        wanted = [key for key in dict.fromkeys(keys) if key in self.schedule.campaigns]
        if len(wanted) > _FEW_CAMPAIGNS:
            ids = set(wanted)
            return [c for c in self.engine.conflicts if not ids.isdisjoint(c.campaigns)]
        found: dict[int, Conflict] = {}
        for key in wanted:
            for conflict in self.engine.conflicts_for(key):
                found.setdefault(id(conflict), conflict)
        return list(found.values())

    def _notify(self, change_set: ChangeSet) -> None:
        for callback in list(self._observers):
            try:
                callback(change_set)
            except Exception:
                log.exception("observer %r failed on %s", callback, change_set.description)


def _identity(conflict: Conflict) -> tuple[str, tuple[str, ...]]:
    return (conflict.kind, tuple(sorted(conflict.campaigns)))


def _window_content(window: MaintenanceWindow) -> tuple[object, ...]:
    return (window.site, window.suite, window.bioreactor, window.start, window.end, window.reason)
