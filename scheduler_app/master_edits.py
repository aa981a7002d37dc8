"""Validation of master-data and maintenance-window edits a planner makes in the app: one
function per kind, returning the record to store or raising ``ValidationError`` with a sentence
a planner understands. The service and the editors' live checks both call these."""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler_app.equipment import Bioreactor, EquipmentRole, ReactorType
from scheduler_app.errors import NotFoundError, ValidationError
from scheduler_app.ids import SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
PRODUCT_FIELDS = tuple(f.name for f in dataclasses.fields(Product) if f.name != "code")
BIOREACTOR_FIELDS = ("working_volume_l", "reactor_type", "available_from", "role", "serves")
SITE_FIELDS = ("name", "time_zone", "available_from")


def checked_window(schedule: Schedule, window: MaintenanceWindow) -> MaintenanceWindow:
    """The window with its scope completed (a bioreactor's suite and site, a suite's site)."""
    if window.end <= window.start:
        raise ValidationError("A maintenance window must end after it starts.")
    site, suite = window.site, window.suite
    if window.bioreactor:
        reactor = schedule.bioreactor(window.bioreactor)
        suite = reactor.suite
        site = schedule.suites[suite].site
    elif suite:
        found = schedule.suites.get(SuiteCode(suite))
        if found is None:
            raise NotFoundError(f"Unknown suite {suite!r}.")
        site = found.site
    schedule.site(site)
    return dataclasses.replace(window, site=SiteCode(site), suite=suite)


def edited_product(product: Product, schedule: Schedule, fields: dict[str, Any]) -> Product:
    unknown = sorted(set(fields) - set(PRODUCT_FIELDS))
    if unknown:
        raise ValidationError(f"A product has no field {', '.join(unknown)}.")
    after = dataclasses.replace(product, **fields)
    if not after.name.strip():
        raise ValidationError(f"Product {product.code} needs a name.")
    for name in ("batch_days",):
        if getattr(after, name) < 1:
            raise ValidationError(f"Batch days of {product.code} must be at least 1.")
    for name in ("turnaround_days", "changeover_days", "seed_days", "harvest_days", "max_batches"):
        if getattr(after, name) < 0:
            label = name.replace("_", " ")
            raise ValidationError(f"{label.capitalize()} of {product.code} cannot be negative.")
    if not after.validated_scales_l or any(s <= 0 for s in after.validated_scales_l):
        raise ValidationError(f"{product.code} needs at least one validated scale in litres.")
    for site in after.qualified_sites:
        schedule.site(site)
    for site, _ in after.qualified_from:
        if site not in after.qualified_sites:
            raise ValidationError(
                f"{product.code} has a qualification date at {site}, which "
                "is not one of its qualified sites."
            )
    if not _COLOUR.match(after.colour):
        raise ValidationError(f"Colour {after.colour!r} is not #RRGGBB.")
    return after


def edited_bioreactor(
    reactor: Bioreactor, schedule: Schedule, fields: dict[str, Any]
) -> Bioreactor:
    unknown = sorted(set(fields) - set(BIOREACTOR_FIELDS))
    if unknown:
        raise ValidationError(f"A bioreactor's {', '.join(unknown)} cannot be edited here.")
    if "reactor_type" in fields:
        fields["reactor_type"] = ReactorType(fields["reactor_type"])
    if "role" in fields:
        fields["role"] = EquipmentRole(fields["role"])
    after = dataclasses.replace(reactor, **fields)
    if after.working_volume_l <= 0:
        raise ValidationError(f"The working volume of {reactor.code} must be positive.")
    return after


def edited_site(site: Site, fields: dict[str, Any]) -> Site:
    unknown = sorted(set(fields) - set(SITE_FIELDS))
    if unknown:
        raise ValidationError(f"A site's {', '.join(unknown)} cannot be edited here.")
    after = dataclasses.replace(site, **fields)
    if not after.name.strip():
        raise ValidationError(f"Site {site.code} needs a name.")
    try:
        ZoneInfo(after.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{after.time_zone!r} is not a time zone (e.g. Asia/Seoul)."
        ) from None
    return after
