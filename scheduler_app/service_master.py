"""The service's master-data and maintenance-window actions (create, edit and delete products,
bioreactors and sites; the changeover matrix; single windows): each validated
(``scheduler_app.master_edits``), one transaction with its audit rows, one change set (one undo
step), the conflicts re-checked at once. Windows carry their own row versions, so two planners
editing different windows never collide, and a stale window edit is refused like a campaign's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from scheduler_app import master_edits, master_records
from scheduler_app.change_set import ChangeSet, MasterChange, Matrix
from scheduler_app.edit_plan import EditPlan, WindowPair
from scheduler_app.errors import NotFoundError, ValidationError
from scheduler_app.ids import ProductCode
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from scheduler_app.storage import scenario_rows

if TYPE_CHECKING:
    from scheduler_app.service import ScheduleService


class MasterDataActions:
    """Mixed into ``ScheduleService``, whose ``_commit`` is the one write path."""

    schedule: Schedule

    def _commit_edit(
        self,
        action: str,
        text: str,
        reason: str | None,
        *,
        windows: list[WindowPair] | None = None,
        master: list[tuple[str, Any, Any]] | None = None,
        changeovers: Matrix | None = None,
        strict: bool = False,
    ) -> ChangeSet:
        service = cast("ScheduleService", self)
        plan = EditPlan(
            action,
            text,
            [],
            service.source,
            master=[MasterChange(kind, old, new) for kind, old, new in master or []],
            changeovers=None
            if changeovers is None
            else (dict(self.schedule.changeovers), changeovers),
            window_pairs=list(windows or []),
            strict_master=strict,
        )
        return service._commit(plan, reason)

    def add_window(self, window: MaintenanceWindow, reason: str | None = None) -> ChangeSet:
        """A new maintenance window (bioreactor, suite or whole site)."""
        window = master_edits.checked_window(self.schedule, window)
        text = f"Add maintenance on {window.scope} from {self._day(window)}"
        return self._commit_edit("maintenance", text, reason, windows=[(None, window)])

    def change_window(
        self, before: MaintenanceWindow, after: MaintenanceWindow, reason: str | None = None
    ) -> ChangeSet:
        """Change one window; refused as stale when another planner changed it first."""
        current = self._held_window(before)
        after = master_edits.checked_window(self.schedule, after)
        text = f"Change maintenance on {after.scope} ({self._day(after)})"
        return self._commit_edit("maintenance", text, reason, windows=[(current, after)])

    def delete_window(self, window: MaintenanceWindow, reason: str | None = None) -> ChangeSet:
        current = self._held_window(window)
        text = f"Delete maintenance on {current.scope} from {self._day(current)}"
        return self._commit_edit("maintenance", text, reason, windows=[(current, None)])

    def edit_product(self, code: str, reason: str | None = None, **fields: Any) -> ChangeSet:
        """Change any column of the Products sheet for ``code``."""
        before = self.schedule.product(code)
        after = master_edits.edited_product(before, self.schedule, fields)
        changed = _changed_names(before, after)
        text = f"Edit product {code} ({changed})"
        return self._commit_edit("master", text, reason, master=[("product", before, after)])

    def set_changeover(
        self, from_product: str, to_product: str, days: int | None, reason: str | None = None
    ) -> ChangeSet:
        """Set (or with None remove) one cell of the changeover matrix."""
        self.schedule.product(from_product)
        self.schedule.product(to_product)
        if days is not None and days < 0:
            raise ValidationError("Changeover days cannot be negative.")
        matrix = dict(self.schedule.changeovers)
        pair = (ProductCode(from_product), ProductCode(to_product))
        if days is None:
            matrix.pop(pair, None)
        else:
            matrix[pair] = days
        shown = "the default" if days is None else f"{days} days"
        text = f"Changeover {from_product} → {to_product}: {shown}"
        return self._commit_edit("master", text, reason, changeovers=matrix)

    def edit_bioreactor(self, code: str, reason: str | None = None, **fields: Any) -> ChangeSet:
        """Change a bioreactor's available-from date, working volume, type, role or serves."""
        before = self.schedule.bioreactor(code)
        after = master_edits.edited_bioreactor(before, self.schedule, fields)
        text = f"Edit {code} ({_changed_names(before, after)})"
        return self._commit_edit("master", text, reason, master=[("bioreactor", before, after)])

    def edit_site(self, code: str, reason: str | None = None, **fields: Any) -> ChangeSet:
        """Change a site's name, time zone or available-from date."""
        before = self.schedule.site(code)
        after = master_edits.edited_site(before, fields)
        text = f"Edit site {code} ({_changed_names(before, after)})"
        return self._commit_edit("master", text, reason, master=[("site", before, after)])

    def create_product(self, code: str, reason: str | None = None, **fields: Any) -> ChangeSet:
        """A new product with any column of the Products sheet (name, scales and a qualified
        site at least, for campaigns to be booked)."""
        made = master_records.new_product(self.schedule, code, fields)
        text = f"New product {made.code}"
        return self._commit_edit("master", text, reason, master=[("product", None, made)])

    def delete_product(self, code: str, reason: str | None = None) -> ChangeSet:
        """Remove a product no campaign uses (in Live, a scenario or a published plan), with
        its rows of the changeover matrix; refused naming what uses it."""
        held = self.schedule.product(code)
        uses = master_records.product_uses(self.schedule, held.code)
        self._refuse_if_used("Product", held.code, uses, "product")
        matrix = {
            pair: days for pair, days in self.schedule.changeovers.items() if code not in pair
        }
        changed = matrix if matrix != self.schedule.changeovers else None
        return self._commit_edit(
            "master",
            f"Delete product {held.code}",
            reason,
            master=[("product", held, None)],
            changeovers=changed,
            strict=True,
        )

    def create_bioreactor(
        self,
        code: str,
        suite: str,
        reason: str | None = None,
        site: str | None = None,
        **fields: Any,
    ) -> ChangeSet:
        """A new bioreactor (working volume required; type, role, available-from, serves) in
        ``suite``; a new suite code is made at ``site`` in the same change."""
        suite_made, made = master_records.new_bioreactor(self.schedule, code, suite, fields, site)
        master: list[tuple[str, Any, Any]] = [("bioreactor", None, made)]
        if suite_made is not None:
            master.insert(0, ("suite", None, suite_made))
        where = f"{made.suite} (new)" if suite_made is not None else made.suite
        text = f"New bioreactor {made.code} in {where}"
        return self._commit_edit("master", text, reason, master=master)

    def delete_bioreactor(self, code: str, reason: str | None = None) -> ChangeSet:
        """Remove a bioreactor nothing uses: no campaign or maintenance window on it (Live,
        scenarios, published plans) and no unit serving it; refused naming what does."""
        held = self.schedule.bioreactor(code)
        uses = master_records.bioreactor_uses(self.schedule, held.code)
        self._refuse_if_used("Bioreactor", held.code, uses, "bioreactor")
        text = f"Delete bioreactor {held.code}"
        return self._commit_edit(
            "master", text, reason, master=[("bioreactor", held, None)], strict=True
        )

    def create_site(self, code: str, reason: str | None = None, **fields: Any) -> ChangeSet:
        """A new site with its name, time zone and available-from date."""
        made = master_records.new_site(self.schedule, code, fields)
        text = f"New site {made.code} ({made.name})"
        return self._commit_edit("master", text, reason, master=[("site", None, made)])

    def delete_site(self, code: str, reason: str | None = None) -> ChangeSet:
        """Remove a site with no bioreactors, qualified products or maintenance windows; its
        empty suites go with it in the same change."""
        held = self.schedule.site(code)
        uses = master_records.site_uses(self.schedule, held.code)
        self._refuse_if_used("Site", held.code, uses, "site")
        suites = [s for s in self.schedule.suites.values() if s.site == held.code]
        master: list[tuple[str, Any, Any]] = [("suite", s, None) for s in suites]
        master.append(("site", held, None))
        return self._commit_edit(
            "master", f"Delete site {held.code}", reason, master=master, strict=True
        )

    def _refuse_used_removals(self, plan: EditPlan) -> None:
        """An undo or redo that removes a product, bioreactor or site (undoing its creation) is
        refused, naming what uses it now, like a delete; nothing is written. Plans that also
        remove campaigns (an import undone) take them out in the same step, so are let be."""
        if plan.pairs:
            return
        found = {
            "product": master_records.product_uses,
            "bioreactor": master_records.bioreactor_uses,
            "site": master_records.site_uses,
        }
        service = cast("ScheduleService", self)
        for item in plan.master:
            uses = found.get(item.kind)
            if item.after is None and uses is not None:
                code = str(item.code)
                held = uses(self.schedule, code)
                if service.scenario is None:  # Live's campaigns are read fresh below
                    held = [use for use in held if not use.startswith("campaigns ")]
                self._refuse_if_used(item.kind.capitalize(), code, held, item.kind, live=True)

    def _refuse_if_used(
        self, noun: str, code: str, uses: list[str], column: str, live: bool = False
    ) -> None:
        service = cast("ScheduleService", self)
        elsewhere = scenario_rows.uses_elsewhere(
            service.store, column, code, service.scenario, live=live
        )
        uses = [*uses, *elsewhere]
        if uses:
            raise master_records.refusal(noun, code, uses)

    def _held_window(self, window: MaintenanceWindow) -> MaintenanceWindow:
        for held in self.schedule.maintenance:
            if held.id == window.id:
                return held
        raise NotFoundError(f"The maintenance window on {window.scope} is no longer there.")

    def _day(self, window: MaintenanceWindow) -> str:
        zone = self.schedule.site(window.site).time_zone
        return f"{utc_to_local_naive(window.start, zone):%Y-%m-%d}"


def _changed_names(before: Any, after: Any) -> str:
    import dataclasses

    names = [
        f.name.replace("_", " ")
        for f in dataclasses.fields(before)
        if getattr(before, f.name) != getattr(after, f.name)
    ]
    return ", ".join(names) or "no change"
