"""Published plans: ``publish`` freezes Live as version N; a version is compared with Live now
(``diff --since-version``) and gives each campaign its slip in days, which the inspector, the
timeline's baseline bars and the export show."""

from __future__ import annotations

from collections.abc import Mapping

from scheduler_app.campaigns import Campaign
from scheduler_app.change_set import Source
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import utc_to_local_naive
from scheduler_app.plan_diff import PlanDiff, diff_plans
from scheduler_app.schedule import Schedule
from scheduler_app.storage import Store, version_rows
from scheduler_app.storage.version_rows import PlanVersion

__all__ = [
    "PlanVersion",
    "diff_since_version",
    "latest_version",
    "list_versions",
    "load_version",
    "publish_plan",
    "slip_days",
]

DEFAULT_MEANING = "published plan"


def publish_plan(
    store: Store,
    *,
    reason: str,
    user: str,
    meaning: str = DEFAULT_MEANING,
    source: Source | str = Source.APP,
) -> PlanVersion:
    """Freeze Live as it is now as the next plan version; versions are never changed."""
    return version_rows.publish(
        store,
        reason=reason,
        meaning=meaning or DEFAULT_MEANING,
        user=user,
        source=str(Source(source)),
    )


def list_versions(store: Store) -> list[PlanVersion]:
    return version_rows.listing(store)


def latest_version(store: Store) -> int | None:
    return version_rows.latest(store)


def load_version(store: Store, number: int, master: Schedule | None = None) -> Schedule:
    """Version ``number`` as a schedule (master data as it is now: it is shared)."""
    return version_rows.load(store, number, master if master is not None else store.load())


def diff_since_version(store: Store, number: int, scenario: str | None = None) -> PlanDiff:
    """What changed in Live (or ``scenario``) since version ``number`` was published."""
    now = store.load(scenario)
    return diff_plans(load_version(store, number, now), now)


def slip_days(
    campaigns: Mapping[CampaignId, Campaign],
    baseline: Mapping[CampaignId, Campaign],
    schedule: Schedule,
) -> dict[CampaignId, int]:
    """Days each campaign now starts later (positive) or earlier (negative) than in
    ``baseline``, counted on the calendar of its site now; campaigns new since are absent."""
    out: dict[CampaignId, int] = {}
    for key, campaign in campaigns.items():
        was = baseline.get(key)
        if was is None:
            continue
        if was.start == campaign.start:
            out[key] = 0
            continue
        zone = schedule.time_zone_of(campaign.bioreactor)
        now_day = utc_to_local_naive(campaign.start, zone).date()
        then_day = utc_to_local_naive(was.start, zone).date()
        out[key] = (now_day - then_day).days
    return out
