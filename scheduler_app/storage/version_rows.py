"""Published plan versions: Live frozen as version N (its campaigns and windows copied inside
the database in one transaction), listed and read back. The tables refuse any update or delete
by trigger, so a version stays what was published even for raw SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Integer, func, insert, literal, select

from scheduler_app.errors import NotFoundError, StorageError, ValidationError
from scheduler_app.ids import CampaignId
from scheduler_app.schedule import Schedule
from scheduler_app.storage import codec
from scheduler_app.storage.store import Store
from scheduler_app.storage.tables import (
    campaigns,
    maintenance,
    plan_versions,
    version_campaigns,
    version_maintenance,
)


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """A published plan: who froze Live as ``number``, when, why and what it means."""

    number: int
    at: datetime
    user: str
    reason: str
    meaning: str
    campaigns: int

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.number,
            "at": self.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "user": self.user,
            "reason": self.reason,
            "meaning": self.meaning,
            "campaigns": self.campaigns,
        }


def publish(store: Store, *, reason: str, meaning: str, user: str, source: str) -> PlanVersion:
    """Freeze Live as the next version number (audited as ``plan version``)."""
    if not reason.strip():
        raise ValidationError("Publishing a plan needs a reason (e.g. 'sent to operations').")
    try:
        with store.transaction(user=user, source=source, action="publish", reason=reason) as work:
            connection = work.connection
            number = (
                int(
                    connection.execute(
                        select(func.coalesce(func.max(plan_versions.c.number), 0))
                    ).scalar_one()
                )
                + 1
            )
            at = work.context.at
            connection.execute(
                insert(plan_versions).values(
                    number=number, at=at, user=user, reason=reason.strip(), meaning=meaning.strip()
                )
            )
            key = literal(number, Integer)
            connection.execute(
                insert(version_campaigns).from_select(
                    ["plan_version", *(c.name for c in campaigns.columns)],
                    select(key, *campaigns.columns),
                )
            )
            connection.execute(
                insert(version_maintenance).from_select(
                    ["plan_version", *(c.name for c in maintenance.columns)],
                    select(key, *maintenance.columns),
                )
            )
            count = _count(connection, number)
            work.audit("plan version", str(number), None, None, f"{count} campaigns: {meaning}")
    except StorageError as error:
        if "UNIQUE" in str(error) or "duplicate key" in str(error):
            raise StorageError("Another planner published at the same moment; try again.") from None
        raise
    return PlanVersion(number, at, user, reason.strip(), meaning.strip(), count)


def listing(store: Store) -> list[PlanVersion]:
    """Every published version, oldest first."""
    counts = (
        select(version_campaigns.c.plan_version, func.count().label("n"))
        .group_by(version_campaigns.c.plan_version)
        .subquery()
    )
    query = (
        select(plan_versions, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.plan_version == plan_versions.c.number)
        .order_by(plan_versions.c.number)
    )
    with store.engine.connect() as connection:
        return [
            PlanVersion(row.number, row.at, row.user, row.reason, row.meaning, row[-1])
            for row in connection.execute(query)
        ]


def load(store: Store, number: int, master: Schedule) -> Schedule:
    """Version ``number``'s campaigns and windows over ``master``'s master data (shared)."""
    out = master.copy()
    out.campaigns = {}
    columns = [version_campaigns.c[name] for name in codec.CAMPAIGN_COLUMNS]
    with store.engine.connect() as connection:
        found = connection.execute(
            select(plan_versions.c.number).where(plan_versions.c.number == number)
        ).first()
        if found is None:
            raise NotFoundError(f"There is no published plan version {number}.")
        query = (
            select(*columns)
            .where(version_campaigns.c.plan_version == number)
            .order_by(version_campaigns.c.id)
        )
        for row in connection.execute(query):
            out.campaigns[CampaignId(row[0])] = codec.campaign_from_row(row)
        out.maintenance = [
            codec.maintenance_from_row(row)
            for row in connection.execute(
                select(version_maintenance)
                .where(version_maintenance.c.plan_version == number)
                .order_by(version_maintenance.c.start, version_maintenance.c.id)
            )
        ]
    return out


def latest(store: Store) -> int | None:
    with store.engine.connect() as connection:
        value = connection.execute(select(func.max(plan_versions.c.number))).scalar()
    return int(value) if value is not None else None


def _count(connection: Connection, number: int) -> int:
    return int(
        connection.execute(
            select(func.count())
            .select_from(version_campaigns)
            .where(version_campaigns.c.plan_version == number)
        ).scalar_one()
    )
