"""The workbook's sheets and columns, and how a header typed by a human maps onto them.

Export writes the canonical names below in this order; import matches headers ignoring case,
spaces and punctuation and accepts the synonyms operations commonly type.
"""

from __future__ import annotations

from dataclasses import dataclass

CAMPAIGNS = "Campaigns"
MAINTENANCE = "Maintenance"
PRODUCTS = "Products"
EQUIPMENT = "Equipment"
SITES = "Sites"
CHANGEOVERS = "Changeovers"
GANTT = "Gantt"
CONFLICTS = "Conflicts"
ABOUT = "About"
LISTS = "Lists"

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"

# Excel would evaluate (or offer to evaluate) text starting with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    """``key`` is what the code uses; ``header`` what the export writes; ``synonyms`` what the
    import also accepts (compared after :func:`normalise`)."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    width: float = 12.0


CAMPAIGN_COLUMNS = (
    Column("id", "Campaign ID", ("ID", "Campaign", "Campaign no", "Campaign number", "CMP"), 13),
    Column("product", "Product", ("Product code", "Programme", "Program", "Molecule"), 12),
    Column("client", "Client", ("Customer",), 12),
    Column("site", "Site", ("Site code", "Plant", "Location"), 8),
    Column("suite", "Suite", ("Suite code", "Room"), 10),
    Column(
        "bioreactor", "Bioreactor", ("Reactor", "Equipment", "Vessel", "BR", "Bioreactor code"), 13
    ),
    Column(
        "start",
        "Start",
        ("Start date", "Start time", "Begin", "From", "Starts", "Start (local)", "Local start"),
        17,
    ),
    Column("end", "End", ("End date", "Finish", "Finish date", "To", "Ends", "End (local)"), 17),
    Column(
        "batches",
        "Batches",
        ("No. of batches", "# batches", "Number of batches", "Batch count", "N batches", "Runs"),
        9,
    ),
    Column("batch_days", "Batch days", ("Days per batch", "Batch duration", "Batch length"), 11),
    Column("turnaround_days", "Turnaround days", ("Turnaround", "TA days", "Turnaround time"), 15),
    Column("status", "Status", ("State",), 12),
    Column("due", "Due", ("Due date", "Deadline", "Need by", "Required by"), 11),
    Column("purpose", "Purpose", ("Run type", "Campaign type", "Campaign purpose"), 12),
    Column(
        "needs",
        "Needs",
        (
            "Needs campaign",
            "Depends on",
            "Consumes",
            "Fed by",
            "Input campaign",
            "Feeding campaign",
        ),
        13,
    ),
    Column("lag_days", "Lag days", ("Lag", "Release days", "QC release days", "Release lag"), 9),
    Column("notes", "Notes", ("Note", "Remarks"), 30),
)

EXPORT_ONLY_CAMPAIGN_COLUMNS = (
    Column("baseline_start", "Baseline start", (), 17),
    Column("slip_days", "Slip (days)", ("Slip",), 10),
)
"""Written against a published plan version when one exists; never read back, and never taken
for an extra column operations added."""

MAINTENANCE_COLUMNS = (
    Column("site", "Site", ("Site code", "Plant"), 8),
    Column("suite", "Suite", ("Suite code",), 10),
    Column("bioreactor", "Bioreactor", ("Reactor", "Equipment", "Vessel"), 13),
    Column("start", "Start", ("Start date", "From"), 17),
    Column("end", "End", ("End date", "To", "Until"), 17),
    Column("reason", "Reason", ("Description", "Notes", "Why"), 30),
)

PRODUCT_COLUMNS = (
    Column("product", "Product", ("Product code", "Code"), 12),
    Column("name", "Name", ("Product name",), 18),
    Column("client", "Client", ("Customer",), 12),
    Column("modality", "Modality", ("Type",), 14),
    Column("scales", "Scales (L)", ("Scales", "Validated scales", "Validated scales (L)"), 14),
    Column("batch_days", "Batch days", ("Days per batch",), 11),
    Column("turnaround_days", "Turnaround days", ("Turnaround",), 15),
    Column("changeover_days", "Changeover days", ("Changeover",), 16),
    Column("qualified_sites", "Qualified sites", ("Sites", "Qualified at"), 15),
    Column("colour", "Colour", ("Color",), 10),
    Column("seed_days", "Seed days", ("Seed", "N-1 days", "Seed train days", "Inoculum days"), 10),
    Column(
        "harvest_days",
        "Harvest days",
        ("Harvest", "Downstream days", "DSP days", "Purification days"),
        12,
    ),
    Column(
        "max_batches",
        "Max batches",
        ("Maximum batches", "Max batches per campaign", "Batch limit", "Max campaign length"),
        11,
    ),
)

EQUIPMENT_COLUMNS = (
    Column("site", "Site", ("Site code", "Plant"), 8),
    Column("suite", "Suite", ("Suite code",), 10),
    Column("bioreactor", "Bioreactor", ("Reactor", "Equipment", "Vessel", "Code"), 13),
    Column("volume", "Working volume (L)", ("Working volume", "Volume", "Volume (L)", "Scale"), 18),
    Column("type", "Type", ("Reactor type", "Bioreactor type"), 11),
    Column("available_from", "Available from", ("Available", "From"), 14),
    Column("role", "Role", ("Equipment role", "Function", "Unit role"), 12),
    Column("serves", "Serves", ("Serving", "Serves suites", "Serves bioreactors", "Feeds"), 22),
    # Not in DESIGN's list: written after it so that suite names survive a round trip.
    Column("suite_name", "Suite name", (), 14),
)

CHANGEOVER_COLUMNS = (
    Column("from_product", "From product", ("From", "Previous product", "Product from"), 14),
    Column("to_product", "To product", ("To", "Next product", "Product to"), 14),
    Column("days", "Days", ("Changeover days", "Cleaning days", "Changeover"), 10),
)

SITE_COLUMNS = (
    Column("site", "Site", ("Code", "Site code"), 8),
    Column("name", "Name", ("Site name",), 28),
    Column("time_zone", "Time zone", ("Timezone", "TZ", "Zone"), 18),
    Column("available_from", "Available from", ("Available",), 14),
)

REQUIRED = {
    CAMPAIGNS: ("product", "bioreactor", "start", "batches"),
    MAINTENANCE: ("site", "start", "end"),
    PRODUCTS: ("product", "batch_days", "turnaround_days", "changeover_days", "scales"),
    EQUIPMENT: ("suite", "bioreactor", "volume"),
    SITES: ("site", "time_zone"),
    CHANGEOVERS: ("from_product", "to_product", "days"),
}

COLUMNS = {
    CAMPAIGNS: CAMPAIGN_COLUMNS,
    MAINTENANCE: MAINTENANCE_COLUMNS,
    PRODUCTS: PRODUCT_COLUMNS,
    EQUIPMENT: EQUIPMENT_COLUMNS,
    SITES: SITE_COLUMNS,
    CHANGEOVERS: CHANGEOVER_COLUMNS,
}


def normalise(text: object) -> str:
    """``"No. of Batches "`` → ``"noofbatches"``: what two headers must share to be the same."""
    if text is None:
        return ""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum() or ch == "#")


def is_export_only(header: object) -> bool:
    """True for a Campaigns header the export writes only for reading (Baseline start, Slip)."""
    key = normalise(header)
    return any(
        key == normalise(name)
        for column in EXPORT_ONLY_CAMPAIGN_COLUMNS
        for name in (column.header, *column.synonyms)
    )


def header_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """Normalised header or synonym → column key."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.header, *column.synonyms):
            lookup.setdefault(normalise(name), column.key)
    return lookup


def match_headers(
    cells: tuple[object, ...], columns: tuple[Column, ...]
) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Which position holds which known column, and the unknown headers (position, text) in
    their order. The first occurrence of a known column wins; a repeat counts as unknown."""
    lookup = header_lookup(columns)
    found: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for position, cell in enumerate(cells):
        if cell is None or str(cell).strip() == "":
            continue
        key = lookup.get(normalise(cell))
        if key is not None and key not in found:
            found[key] = position
        else:
            unknown.append((position, str(cell).strip()))
    return found, unknown
