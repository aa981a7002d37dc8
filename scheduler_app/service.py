"""``ScheduleService``: the one door through which every change to the schedule passes.

Each named action validates the request, writes one transaction with its audit rows and returns
the ``ChangeSet`` it made (the description is the core's); ``undo``/``redo`` replay a change set
and refuse, naming who changed what, when the database no longer holds what it wrote. How a change
is written and decided on fresh data is ``HeldSchedule``'s (``held_schedule.py``); ``sync()``
picks up what others committed (``live.py``). On any refusal nothing changes, except that a stale
edit reloads the rows another planner changed, as its message says.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from scheduler_app import campaign_edits as edits
from scheduler_app.campaigns import Campaign, Status
from scheduler_app.change_set import (
    CampaignChange,
    ChangeSet,
    MasterChange,
    Source,
    same_content,
)
from scheduler_app.edit_plan import (
    REQUIRE_REASON_KEY,
    EditPlan,
    Pair,
    WindowPair,
    replay_plan,
)
from scheduler_app.errors import StaleEditError, ValidationError
from scheduler_app.held_schedule import HeldSchedule, Observer
from scheduler_app.ids import BioreactorCode, CampaignId
from scheduler_app.live import LiveFeed, RemoteChange, resync_notice
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.schedule import Schedule
from scheduler_app.schedule_merge import merge_schedule
from scheduler_app.service_master import MasterDataActions
from scheduler_app.storage import Store
from scheduler_app.unicode_text import nfc

__all__ = ["CampaignChange", "ChangeSet", "Observer", "ScheduleService", "Source"]

log = logging.getLogger(__name__)

_ID_ATTEMPTS = 5


class ScheduleService(MasterDataActions, HeldSchedule):
    """Holds the schedule of one store in memory together with its conflict engine; with
    ``scenario`` every campaign and maintenance edit goes to that scenario, never to Live.

    ``user`` is what the audit log records: by default the database user on PostgreSQL and the
    operating-system account on SQLite (never an environment variable); tests may name one.

    ``first_view`` (UTC from, to: what a window opening on the plan shows first): on a plan of
    ``LOAD_IN_TWO_FROM`` campaigns or more, only the campaigns running in it are read and
    nothing is checked (``loading`` is True) until :meth:`finish_loading` reads the rest, so the
    window can paint them first. Edits are refused and ``sync`` waits meanwhile."""

    def __init__(
        self,
        store: Store,
        user: str | None = None,
        source: Source | str = Source.APP,
        scenario: str | None = None,
        first_view: tuple[datetime, datetime] | None = None,
    ) -> None:
        super().__init__(store, user, source, scenario, first_view)
        self._audit_seen = store.last_audit_id()
        self._feed: LiveFeed | None = None
        self.live_lost = False
        """True while the live connection to PostgreSQL is down (it reconnects by itself)."""
        self.elsewhere: list[RemoteChange] = []
        """What the last ``sync()`` saw committed to other plans (not applied here)."""
        self.scenario_deleted = False
        """Set when another planner deleted the scenario this service shows."""

    def sync(self) -> list[RemoteChange]:
        """Pick up change sets committed by other planners and processes to the plan shown
        (Live, or this service's scenario) and to the master data all plans share: reload what
        they touched, tell the observers with a change set whose ``remote_user`` is set, and
        return them (the UI shows who changed what). Changes to other plans are not applied;
        they are kept in ``elsewhere`` (a scenario's window outlines Live). Cheap when nothing
        changed; call it from a timer. After a dropped PostgreSQL connection came back,
        everything is reloaded once and a ``resync`` change says so."""
        if self.loading:
            return []  # the whole load reads every change up to its own start
        if self._feed is None:
            self._feed = LiveFeed(self.store, self._audit_seen)
        poll = self._feed.poll(self.own_change_sets)
        self.live_lost = poll.lost
        mine = self.scenario
        changes = [change for change in poll.changes if change.concerns(mine)]
        self.elsewhere = [change for change in poll.changes if not change.concerns(mine)]
        events = [c.action for c in self.elsewhere if c.scenario_event and c.scenario == mine]
        if mine is not None and "scenario delete" in events:
            self.scenario_deleted = True
            return [*changes, *(c for c in self.elsewhere if c.action == "scenario delete")]
        if self.scenario_deleted:
            return changes
        rebased = "scenario rebase" in events
        if not changes and not poll.resync:
            if rebased:  # promoted: the same rows now count from Live's versions
                self._notify(self._reload_all())
            return []
        users = ", ".join(dict.fromkeys(change.user for change in changes))
        if poll.resync or rebased or any(change.master for change in changes):
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
        draft = dataclasses.replace(
            campaign, version=1, notes=nfc(campaign.notes), extra=edits.held_extra(campaign.extra)
        )
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
        self._refuse_used_removals(plan)
        return self._commit(plan, reason or change_set.reason)

    def redo(self, change_set: ChangeSet, reason: str | None = None) -> ChangeSet:
        """Write ``change_set`` again, provided the database holds what it found; returns the new
        change set (what a later undo takes)."""
        plan = replay_plan(change_set, backwards=False, source=self.source)
        self._refuse_used_removals(plan)
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
        windows: Sequence[WindowPair],
        reason: str | None = None,
    ) -> ChangeSet:
        """Write a scenario's promotion (``scheduler_app.promote``): campaign pairs and window
        rows checked against the versions read just before (a changed window keeps its Live row
        and id), as one change set. The
        lock rule was applied when each edit was made in the scenario (imports, as in Live,
        carry what operations report), so it is not applied twice; a Confirmed campaign of Live
        is changed only with a reason."""
        plan = EditPlan(
            "promote",
            description,
            list(pairs),
            self.source,
            check_edits=False,
            window_pairs=list(windows),
        )
        return self._commit(plan, reason)

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
