"""``material`` (error): a campaign starts before the campaign it needs (``needs``) has ended plus
its lag days (QC release, on the needed campaign's site calendar), or the campaign it needs is
cancelled or missing. The conflict runs from the consumer's start to its end, or to when the
material is ready if that comes first."""

from __future__ import annotations

import math
from functools import partial

from scheduler_app.campaigns import Status
from scheduler_app.ids import CampaignId
from scheduler_app.localtime import from_epoch
from scheduler_app.rules import wording
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import Findings
from scheduler_app.rules.links import Links
from scheduler_app.rules.protocol import Probe, Rule, Scope

KIND = "material"
SEVERITY = Severity.ERROR


def find(links: Links, found: Findings) -> None:
    if not len(links):
        return
    late = (links.starts < links.ready).tolist()
    for i, ready in enumerate(links.ready.tolist()):
        if late[i] or math.isnan(ready):
            consumer, needed = links.consumers[i], links.needed[i]
            context = links.contexts[i]
            inputs = (consumer, needed, context.site, ready)
            found.add(KIND, consumer.id, inputs, partial(_build, links, i))


def _build(links: Links, i: int) -> Conflict:
    consumer, needed, context = links.consumers[i], links.needed[i], links.contexts[i]
    tz = context.tz
    end = consumer.end_in(tz)
    ready = float(links.ready[i])
    involved: tuple[CampaignId, ...]
    if needed is None:
        involved = (consumer.id,)
        message = (
            f"material: {consumer.id} needs {consumer.needs}, which is not in the schedule — "
            f"link {consumer.id} to an existing campaign or add {consumer.needs}"
        )
    elif needed.status is Status.CANCELLED:
        involved = (needed.id, consumer.id)
        message = (
            f"material: {consumer.id} needs {needed.id} ({needed.product}), which is cancelled "
            f"— link {consumer.id} to another {needed.product} campaign or reinstate {needed.id}"
        )
    else:
        involved = (needed.id, consumer.id)
        end = min(end, from_epoch(ready))
        lag = f" plus {wording.days(consumer.lag_days)} QC release" if consumer.lag_days else ""
        message = (
            f"material: {consumer.id} starts {wording.local_day(consumer.start, tz)} but needs "
            f"{needed.id} ({needed.product}){lag}, ready {wording.local_day_at(ready, tz)} "
            f"({wording.place(tz)}) — move {consumer.id} to start on or after "
            f"{wording.local_day_at(ready, tz)} or move {needed.id} earlier"
        )
    return Conflict(
        KIND,
        SEVERITY,
        involved,
        context.site.code,
        context.reactor.code,
        consumer.start,
        end,
        message,
    )


def bound(probe: Probe) -> float | None:
    """A consumer waits for its material; a missing or cancelled one never comes, and a needed
    campaign moved later only makes its consumers wait longer."""
    links = probe.links
    if links is None or not len(links):
        return None
    ready = float(links.ready[0])
    return None if math.isnan(ready) else ready


RULE = Rule(KIND, SEVERITY, Scope.LINK, find, bound)
