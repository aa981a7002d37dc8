"""Export → import is the identity: synthetic schedules, hypothesis-made ones, DST, formula-like
and Korean text, extra columns."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import given, settings

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.equipment import Bioreactor, EquipmentRole
from scheduler_app.excel import compute_changes
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.localtime import local_datetime_to_utc
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.schedule import Schedule
from scheduler_app.synthetic import synthetic_schedule
from scheduler_app.unicode_text import nfc
from tests.factories import NEW_YORK, campaign, small_schedule
from tests.scheduler_app.excel.workbooks import assert_same_schedule, round_trip

EXTRA_COLUMNS = ["Comments", "Lot", "Priority 우선순위"]
TRICKY_TEXT = ["=SUM(A1)", "+1", "-x", "@x", "\tlead tab", "\rlead cr", "항체 캠페인 메모", "a\nb"]


def test_synthetic_schedule_survives_export_and_import(tmp_path: Path) -> None:
    schedule = synthetic_schedule(600, 12, seed=3)

    result = round_trip(schedule, tmp_path / "plan.xlsx", known=schedule)

    assert result.errors == [] and result.warnings == []
    assert_same_schedule(result.schedule, schedule)
    assert result.new_ids == []


def test_import_into_an_empty_database_rebuilds_everything(tmp_path: Path) -> None:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", notes="=SUM(A1)")
    campaign(schedule, "CMP-0002", bioreactor="SDO-BR1501", start="2027-03-08", batches=1)

    result = round_trip(schedule, tmp_path / "plan.xlsx", known=None)

    assert result.errors == []
    assert_same_schedule(result.schedule, schedule)


def test_dst_start_and_end_are_site_local_wall_clock(tmp_path: Path) -> None:
    """A campaign across the US spring-forward keeps its local midnights both ways."""
    schedule = small_schedule()
    made = campaign(schedule, "CMP-0001", start="2027-03-08", batches=1)  # DST starts 03-14
    path = tmp_path / "dst.xlsx"

    result = round_trip(schedule, path, known=schedule)

    from tests.scheduler_app.excel.workbooks import sheet_rows

    row = sheet_rows(path, "Campaigns")[1]
    assert row[6] == datetime(2027, 3, 8, 0, 0)
    assert row[7] == datetime(2027, 3, 22, 0, 0)  # 14 days later, still local midnight
    assert result.schedule.campaigns[made.id] == made


def test_formula_like_korean_and_extra_values_round_trip(tmp_path: Path) -> None:
    schedule = small_schedule()
    schedule.extra_columns = list(EXTRA_COLUMNS)
    for index, text in enumerate(TRICKY_TEXT):
        campaign(
            schedule,
            f"CMP-{index + 1:04d}",
            start=(date(2027, 1, 4) + timedelta(days=40 * index)).isoformat(),
            notes=text,
            extra=(("Comments", text), ("Lot", index * 10), ("Priority 우선순위", index % 2 == 0)),
        )

    result = round_trip(schedule, tmp_path / "tricky.xlsx", known=schedule)

    assert result.errors == []
    assert result.extra_columns == EXTRA_COLUMNS
    assert_same_schedule(result.schedule, schedule)
    assert compute_changes(schedule, result.schedule).changed == []


_SITES = {"SYR-BR501": NEW_YORK, "SDO-BR1501": "Asia/Seoul", "SDO-SU01": "Asia/Seoul"}
# Text as the schedule holds it: the app, the import and the command line store it in NFC.
_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\t", "\n"]),
    max_size=20,
).map(nfc)
_note = st.one_of(
    _text,
    st.sampled_from(TRICKY_TEXT),
    st.builds(lambda a, b: a + b, st.sampled_from(["=", "+", "-", "@"]), _text),
)
_wall_clock = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
_extra_value = st.one_of(
    st.none(),
    _note,
    st.integers(-10_000, 10_000),
    st.integers(-10_000, 10_000).map(lambda n: n / 4),
    st.booleans(),
    _wall_clock,
)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    schedule = small_schedule()
    schedule.extra_columns = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), unique=True, max_size=3))
    count = draw(st.integers(0, 12))
    for number in range(1, count + 1):
        reactor = draw(st.sampled_from(sorted(_SITES)))
        extra = tuple(
            (name, value)
            for name in schedule.extra_columns
            if (value := draw(_extra_value)) is not None and value != ""
        )
        schedule.put_campaign(
            Campaign(
                CampaignId(f"CMP-{number:04d}"),
                ProductCode(draw(st.sampled_from(["ABX-201", "CDX-110"]))),
                BioreactorCode(reactor),
                local_datetime_to_utc(draw(_wall_clock), _SITES[reactor]),
                draw(st.integers(1, 6)),
                draw(st.integers(1, 30)),
                draw(st.integers(0, 5)),
                draw(st.sampled_from(list(Status))),
                draw(st.none() | st.dates(date(2026, 1, 1), date(2030, 12, 31))),
                draw(_note),
                extra,
                1,
                draw(st.sampled_from(list(Purpose))),
                # Only an earlier campaign: needs never form a circle.
                CampaignId(f"CMP-{draw(st.integers(1, number - 1)):04d}")
                if number > 1 and draw(st.booleans())
                else None,
                draw(st.integers(0, 60)),
            )
        )
    _draw_process_master_data(draw, schedule)
    for _ in range(draw(st.integers(0, 3))):
        site = draw(st.sampled_from(["SYR", "SDO"]))
        tz_name = NEW_YORK if site == "SYR" else "Asia/Seoul"
        start = local_datetime_to_utc(draw(_wall_clock), tz_name)
        scope = draw(st.sampled_from(["site", "suite", "reactor"]))
        schedule.maintenance.append(
            MaintenanceWindow(
                SiteCode(site),
                start,
                start + timedelta(days=draw(st.integers(1, 20))),
                draw(_text),
                SuiteCode(f"{site}-S1") if scope != "site" else None,
                BioreactorCode("SYR-BR501" if site == "SYR" else "SDO-SU01")
                if scope == "reactor"
                else None,
            )
        )
    return schedule


def _draw_process_master_data(draw: st.DrawFn, schedule: Schedule) -> None:
    """Seed and downstream units serving a suite or a vessel, product process fields with a
    dated qualification, and a changeover matrix."""
    targets = st.lists(
        st.sampled_from(["SYR-S1", "SDO-S1", "SYR-BR501", "SDO-BR1501", "SDO-SU01"]),
        unique=True,
        max_size=3,
    )
    for index in range(draw(st.integers(0, 3))):
        suite = draw(st.sampled_from(["SYR-S1", "SDO-S1"]))
        code = BioreactorCode(f"{suite}-U{index}")
        schedule.bioreactors[code] = Bioreactor(
            code,
            SuiteCode(suite),
            draw(st.sampled_from([1000, 3000])),
            role=draw(st.sampled_from([EquipmentRole.SEED, EquipmentRole.DOWNSTREAM])),
            serves=tuple(draw(targets)),
        )
    for code, product in list(schedule.products.items()):
        chosen = draw(st.sets(st.sampled_from(product.qualified_sites)))
        dated = [site for site in product.qualified_sites if site in chosen]
        schedule.products[code] = replace(
            product,
            seed_days=draw(st.integers(0, 7)),
            harvest_days=draw(st.integers(0, 6)),
            max_batches=draw(st.integers(0, 12)),
            qualified_from=tuple(
                (site, draw(st.dates(date(2026, 1, 1), date(2029, 12, 31)))) for site in dated
            ),
        )
    abx, cdx = ProductCode("ABX-201"), ProductCode("CDX-110")
    for pair in draw(st.lists(st.sampled_from([(abx, cdx), (cdx, abx)]), unique=True)):
        schedule.changeovers[pair] = draw(st.integers(0, 40))


@settings(max_examples=40)
@given(schedule=schedules())
def test_any_schedule_survives_export_and_import(tmp_path_factory, schedule: Schedule) -> None:
    path = tmp_path_factory.mktemp("rt") / "any.xlsx"

    result = round_trip(schedule, path, known=schedule)

    assert result.errors == []
    assert_same_schedule(result.schedule, schedule)
    result_empty_db = round_trip(schedule, path, known=None)
    assert_same_schedule(result_empty_db.schedule, schedule)


def test_korean_product_codes_names_and_notes_round_trip(tmp_path: Path) -> None:
    schedule = small_schedule()
    base = schedule.products[ProductCode("ABX-201")]
    korean = replace(
        base, code=ProductCode("항체-01"), name="항체 약물", client="고객 가", colour="#2CA02C"
    )
    schedule.products[korean.code] = korean
    campaign(schedule, "CMP-0001", product="항체-01", bioreactor="SDO-BR1501",
             notes="송도 1공장 첫 배치")  # fmt: skip

    result = round_trip(schedule, tmp_path / "한글.xlsx", known=None)

    assert result.errors == []
    assert_same_schedule(result.schedule, schedule)
