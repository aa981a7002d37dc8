"""New products, bioreactors and sites made in the app, and what keeps one from being deleted.

``new_*`` build the record to store from what the planner typed (the code checked like an
imported one: NFC, no invisible or look-alike characters, not taken), validated by the same
rules as an edit (``master_edits``). ``*_uses`` name what in Live refers to a record, so a delete
is refused with a sentence a planner can act on (the service adds scenarios and published plans,
which the database holds)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from scheduler_app import master_edits
from scheduler_app.equipment import Bioreactor, EquipmentRole, ReactorType
from scheduler_app.errors import ValidationError
from scheduler_app.excel.cell_checks import checked_code
from scheduler_app.ids import BioreactorCode, ProductCode, SiteCode, SuiteCode
from scheduler_app.products import Product
from scheduler_app.schedule import Schedule
from scheduler_app.sites import Site, Suite

MAX_SHOWN = 4


def code(text: str, noun: str, taken: object) -> str:
    """A new code as typed: trimmed, NFC, plain characters, not one ``taken`` holds."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError(f"A new {noun} needs a code.")
    if any(character.isspace() for character in cleaned):
        raise ValidationError(f"A {noun} code has no spaces ({cleaned!r}).")
    try:
        cleaned = checked_code(cleaned)
    except ValueError as error:
        raise ValidationError(f"The {noun} code {cleaned!r} {error}.") from None
    if cleaned in taken:  # type: ignore[operator]
        raise ValidationError(f"There is already a {noun} {cleaned}; choose another code.")
    return cleaned


def new_product(schedule: Schedule, text: str, fields: dict[str, Any]) -> Product:
    """A product with every column of the Products sheet; days default to the usual ones."""
    key = ProductCode(code(text, "product", schedule.products))
    base = Product(
        key,
        name="",
        client="",
        modality="mAb",
        validated_scales_l=(),
        batch_days=14,
        turnaround_days=3,
        changeover_days=10,
        qualified_sites=(),
    )
    return master_edits.edited_product(base, schedule, fields)


def new_site(schedule: Schedule, text: str, fields: dict[str, Any]) -> Site:
    """A site with its name, IANA time zone and available-from date."""
    key = SiteCode(code(text, "site", schedule.sites))
    base = Site(key, name="", time_zone="UTC")
    return master_edits.edited_site(base, fields)


def new_bioreactor(
    schedule: Schedule,
    text: str,
    suite: str,
    fields: dict[str, Any],
    site: str | None = None,
) -> tuple[Suite | None, Bioreactor]:
    """A bioreactor in ``suite``; a suite code the schedule does not have yet is made at
    ``site`` in the same change (returned first, else None)."""
    key = BioreactorCode(code(text, "bioreactor", schedule.bioreactors))
    made: Suite | None = None
    suite_code = suite.strip()
    if not suite_code:
        raise ValidationError(f"Bioreactor {key} needs a suite.")
    if SuiteCode(suite_code) not in schedule.suites:
        if not site:
            raise ValidationError(f"Suite {suite_code} is new: say at which site it is.")
        schedule.site(site)
        suite_code = code(suite_code, "suite", schedule.suites)
        made = Suite(SuiteCode(suite_code), SiteCode(site), suite_code)
    elif site and schedule.suites[SuiteCode(suite_code)].site != site:
        held = schedule.suites[SuiteCode(suite_code)]
        raise ValidationError(f"Suite {suite_code} is at {held.site}, not at {site}.")
    values = dict(fields)
    volume = values.pop("working_volume_l", None)
    if volume is None:
        raise ValidationError(f"Bioreactor {key} needs a working volume in litres.")
    base = Bioreactor(key, SuiteCode(suite_code), int(volume))
    values.setdefault("reactor_type", ReactorType.STAINLESS)
    values.setdefault("role", EquipmentRole.PRODUCTION)
    reactor = master_edits.edited_bioreactor(base, schedule, values)
    return made, dataclasses.replace(reactor, working_volume_l=int(volume))


def product_uses(schedule: Schedule, product: str) -> list[str]:
    """What in Live refers to ``product``: its campaigns."""
    used = sorted(c.id for c in schedule.campaigns.values() if c.product == product)
    return [f"campaigns {_names(used)}"] if used else []


def bioreactor_uses(schedule: Schedule, reactor: str) -> list[str]:
    """What in Live refers to ``reactor``: campaigns on it, maintenance windows on it, seed or
    downstream units that serve it."""
    found: list[str] = []
    used = sorted(c.id for c in schedule.campaigns.values() if c.bioreactor == reactor)
    if used:
        found.append(f"campaigns {_names(used)}")
    windows = [w for w in schedule.maintenance if w.bioreactor == reactor]
    if windows:
        found.append(_count(len(windows), "maintenance window"))
    serving = sorted(b.code for b in schedule.bioreactors.values() if reactor in b.serves)
    if serving:
        found.append(f"{_names(serving)} (serving it)")
    return found


def site_uses(schedule: Schedule, site: str) -> list[str]:
    """What keeps ``site`` from going: bioreactors in its suites, products qualified there,
    maintenance windows at the site (its empty suites go with it)."""
    found: list[str] = []
    suites = {code for code, suite in schedule.suites.items() if suite.site == site}
    reactors = sorted(b.code for b in schedule.bioreactors.values() if b.suite in suites)
    if reactors:
        found.append(f"bioreactors {_names(reactors)}")
    qualified = sorted(p.code for p in schedule.products.values() if site in p.qualified_sites)
    if qualified:
        found.append(f"products qualified there ({_names(qualified)})")
    windows = [w for w in schedule.maintenance if w.site == site]
    if windows:
        found.append(_count(len(windows), "maintenance window"))
    return found


def refusal(noun: str, key: str, uses: list[str]) -> ValidationError:
    """``Bioreactor SYR-BR505 is still used by campaigns CMP-0001, CMP-0002; …``."""
    then = "Move or delete those first."
    if any(use.startswith("published plan") for use in uses):
        then = "A published plan is never changed, so it keeps this record; leave it unused."
    return ValidationError(f"{noun} {key} is still used by {'; '.join(uses)}. {then}")


def _names(keys: Sequence[str]) -> str:
    shown = ", ".join(keys[:MAX_SHOWN])
    return shown + (f" and {len(keys) - MAX_SHOWN} more" if len(keys) > MAX_SHOWN else "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
