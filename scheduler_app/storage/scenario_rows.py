"""Scenario rows: make a scenario as a copy of Live (one ``INSERT … SELECT`` per table, so a
10,000-campaign Live copies inside the database), delete one, list them, and read the Live
versions a scenario was copied from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, cast, delete, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from scheduler_app.change_set import CampaignChange
from scheduler_app.errors import NotFoundError, ValidationError
from scheduler_app.storage.audit import AuditEntry, last_change
from scheduler_app.storage.store import Store
from scheduler_app.storage.tables import (
    campaigns,
    maintenance,
    meta,
    scenario_base,
    scenario_campaigns,
    scenario_maintenance,
    scenarios,
    version_campaigns,
    version_maintenance,
)
from scheduler_app.storage.writing import MAINTENANCE_KEY

MAX_NAME = 40


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """A scenario as ``scenario list`` shows it."""

    name: str
    created_at: datetime
    created_by: str
    description: str
    campaigns: int


@dataclass(frozen=True, slots=True)
class ScenarioBase:
    """The Live rows a scenario was copied from: campaign ID → version, Live window id →
    version, at the moment the scenario was made."""

    campaigns: dict[str, int]
    windows: dict[int, int]


def check_name(name: str) -> str:
    """A scenario name a planner can type and read back: 1–40 characters, no ``/``, not Live."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("A scenario needs a name.")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(f"A scenario name has at most {MAX_NAME} characters.")
    if "/" in cleaned or not cleaned.isprintable():
        raise ValidationError(f"A scenario name cannot contain '/' ({cleaned!r}).")
    if cleaned.casefold() == "live":
        raise ValidationError("'Live' is the plan of record; choose another scenario name.")
    return cleaned


def create(
    store: Store,
    name: str,
    *,
    user: str,
    source: str,
    description: str = "",
    reason: str | None = None,
) -> ScenarioInfo:
    """Copy Live's campaigns and windows into a new scenario, remembering their versions."""
    name = check_name(name)
    scenario = literal(name, String)
    with store.transaction(
        user=user, source=source, action="scenario create", reason=reason
    ) as work:
        connection = work.connection
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(scenarios).values(
                        name=name,
                        created_at=work.context.at,
                        created_by=user,
                        description=description,
                        version=1,
                    )
                )
        except IntegrityError:
            raise ValidationError(f"A scenario named {name!r} already exists.") from None
        campaign_columns = [column.name for column in campaigns.columns]
        connection.execute(
            insert(scenario_campaigns).from_select(
                ["scenario", *campaign_columns], select(scenario, *campaigns.columns)
            )
        )
        window_columns = [column.name for column in maintenance.columns]
        connection.execute(
            insert(scenario_maintenance).from_select(
                ["scenario", "live_id", *window_columns],
                select(scenario, maintenance.c.id, *maintenance.columns),
            )
        )
        base_columns = ["scenario", "entity", "key", "version"]
        connection.execute(
            insert(scenario_base).from_select(
                base_columns,
                select(scenario, literal("campaign", String), campaigns.c.id, campaigns.c.version),
            )
        )
        connection.execute(
            insert(scenario_base).from_select(
                base_columns,
                select(
                    scenario,
                    literal("maintenance", String),
                    cast(maintenance.c.id, String),
                    maintenance.c.version,
                ),
            )
        )
        count = connection.execute(
            select(func.count())
            .select_from(scenario_campaigns)
            .where(scenario_campaigns.c.scenario == name)
        ).scalar_one()
        work.audit("scenario", name, None, None, f"copy of Live with {count} campaigns")
        at = work.context.at
    return ScenarioInfo(name, at, user, description, count)


def remove(store: Store, name: str, *, user: str, source: str, reason: str | None = None) -> None:
    """Delete a scenario and its rows; Live is not touched."""
    with store.transaction(
        user=user, source=source, action="scenario delete", reason=reason
    ) as work:
        connection = work.connection
        count = connection.execute(
            select(func.count())
            .select_from(scenario_campaigns)
            .where(scenario_campaigns.c.scenario == name)
        ).scalar_one()
        for table in (scenario_base, scenario_maintenance, scenario_campaigns):
            connection.execute(delete(table).where(table.c.scenario == name))
        connection.execute(delete(meta).where(meta.c.key == f"{MAINTENANCE_KEY}:{name}"))
        gone = connection.execute(delete(scenarios).where(scenarios.c.name == name))
        if gone.rowcount != 1:
            raise NotFoundError(f"There is no scenario named {name!r}.")
        work.audit("scenario", name, None, f"scenario with {count} campaigns", None)


def listing(store: Store) -> list[ScenarioInfo]:
    """Every scenario, oldest first, with its campaign count."""
    counts = (
        select(scenario_campaigns.c.scenario, func.count().label("n"))
        .group_by(scenario_campaigns.c.scenario)
        .subquery()
    )
    query = (
        select(scenarios, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.scenario == scenarios.c.name)
        .order_by(scenarios.c.created_at, scenarios.c.name)
    )
    with store.engine.connect() as connection:
        return [
            ScenarioInfo(row.name, row.created_at, row.created_by, row.description, row[-1])
            for row in connection.execute(query)
        ]


def base_of(store: Store, name: str) -> ScenarioBase:
    """The Live versions ``name`` was copied from."""
    found = ScenarioBase({}, {})
    query = select(scenario_base.c.entity, scenario_base.c.key, scenario_base.c.version).where(
        scenario_base.c.scenario == name
    )
    with store.engine.connect() as connection:
        for entity, key, version in connection.execute(query):
            if entity == "campaign":
                found.campaigns[key] = version
            else:
                found.windows[int(key)] = version
    return found


def live_ids(store: Store, name: str) -> dict[int, int | None]:
    """Scenario window id → the Live window id it was copied from (None: drawn in the
    scenario)."""
    query = select(scenario_maintenance.c.id, scenario_maintenance.c.live_id).where(
        scenario_maintenance.c.scenario == name
    )
    with store.engine.connect() as connection:
        return {int(row[0]): row[1] for row in connection.execute(query)}


def last_live_change(store: Store, entity: str, key: str) -> list[AuditEntry]:
    """The audit rows of Live's latest change to ``entity`` ``key``."""
    with store.engine.connect() as connection:
        return last_change(connection, entity, key)


def rebase(store: Store, name: str, changes: Sequence[CampaignChange], *, user: str) -> None:
    """After a promotion: the promoted campaigns and every window count as copied from Live as
    it is now, so the scenario can be edited and promoted again without refusing its own past."""
    with store.transaction(user=user, source="app", action="scenario rebase") as work:
        connection = work.connection
        for change in changes:
            key = change.campaign_id
            match = (scenario_base.c.scenario == name) & (scenario_base.c.entity == "campaign")
            connection.execute(delete(scenario_base).where(match, scenario_base.c.key == key))
            if change.after is None:
                continue
            version = change.after.version
            connection.execute(
                insert(scenario_base).values(
                    scenario=name, entity="campaign", key=key, version=version
                )
            )
            connection.execute(
                update(scenario_campaigns)
                .where(scenario_campaigns.c.scenario == name, scenario_campaigns.c.id == key)
                .values(version=version)
            )
        _rebase_windows(connection, name)


def _rebase_windows(connection: Connection, name: str) -> None:
    live = {_content(row): (row.id, row.version) for row in connection.execute(select(maintenance))}
    connection.execute(
        delete(scenario_base).where(
            scenario_base.c.scenario == name, scenario_base.c.entity == "maintenance"
        )
    )
    rows = connection.execute(
        select(scenario_maintenance).where(scenario_maintenance.c.scenario == name)
    ).all()
    for row in rows:
        found = live.pop(_content(row), None)
        live_id, version = found if found is not None else (None, row.version)
        connection.execute(
            update(scenario_maintenance)
            .where(scenario_maintenance.c.scenario == name, scenario_maintenance.c.id == row.id)
            .values(live_id=live_id, version=version)
        )
        if live_id is not None:
            connection.execute(
                insert(scenario_base).values(
                    scenario=name, entity="maintenance", key=str(live_id), version=version
                )
            )


def _content(row: Any) -> tuple[Any, ...]:
    return (row.site, row.suite, row.bioreactor, row.start, row.end, row.reason)


def uses_elsewhere(
    store: Store, column: str, code: str, shown: str | None = None, live: bool = False
) -> list[str]:
    """Where scenarios and published versions (and, for a window showing scenario ``shown``,
    Live but not that scenario) use a bioreactor, product or site (``column`` of their campaign
    or window rows), as a planner reads it: ``scenario “PPQ slip” (CMP-0042, CMP-0043)``,
    ``published plan v2 (CMP-0007)``, ``Live (1 maintenance windows)``. Master data is shared,
    so these rows keep it from being deleted. ``live`` reads Live's rows from the database even
    for a Live window (what another planner committed a moment ago)."""
    found: list[str] = []
    with store.engine.connect() as connection:
        if shown is not None or live:
            for table, what in ((campaigns, "campaigns"), (maintenance, "maintenance windows")):
                if table.c.get(column) is None:
                    continue
                ids = [
                    str(key)
                    for key in connection.execute(
                        select(table.c.id).where(table.c[column] == code).order_by(table.c.id)
                    ).scalars()
                ]
                if ids and what == "campaigns":
                    more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
                    found.append(f"Live ({', '.join(ids[:3])}{more})")
                elif ids:
                    found.append(f"Live ({len(ids)} {what})")
        for table, owner in ((scenario_campaigns, "scenario"), (version_campaigns, "plan_version")):
            if table.c.get(column) is None:
                continue
            rows = connection.execute(
                select(table.c[owner], table.c.id)
                .where(table.c[column] == code)
                .order_by(table.c[owner], table.c.id)
            ).all()
            grouped: dict[Any, list[str]] = {}
            for name, key in rows:
                grouped.setdefault(name, []).append(str(key))
            for name, keys in grouped.items():
                if owner == "scenario" and name == shown:
                    continue  # the window's own campaigns are named already
                more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
                found.append(f"{_owner(owner, name)} ({', '.join(keys[:3])}{more})")
        for table, owner in (
            (scenario_maintenance, "scenario"),
            (version_maintenance, "plan_version"),
        ):
            if table.c.get(column) is None:
                continue
            names = connection.execute(
                select(table.c[owner]).where(table.c[column] == code).distinct()
            ).scalars()
            found += [
                f"{_owner(owner, name)} (a maintenance window)"
                for name in sorted(names)
                if not (owner == "scenario" and name == shown)
            ]
    return found


def _owner(owner: str, name: Any) -> str:
    return f"scenario “{name}”" if owner == "scenario" else f"published plan v{name}"
