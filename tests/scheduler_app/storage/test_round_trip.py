"""load(save(x)) == x on SQLite and PostgreSQL: DST dates, Korean text, extra columns in order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from scheduler_app.campaigns import Status
from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.localtime import zone
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.storage import Store
from scheduler_app.storage.tables import UTCDateTime
from scheduler_app.synthetic import synthetic_schedule
from tests.factories import SEOUL, campaign, local, small_schedule
from tests.scheduler_app.storage.helpers import save


def rich_schedule():
    s = small_schedule()
    # 2027-03-14 is the spring-forward day in New York; 2027-11-07 the fall-back day.
    campaign(s, "CMP-0001", start="2027-03-14", batches=3, due=date(2027, 4, 30))
    campaign(s, "CMP-0002", start="2027-11-07", status=Status.CONFIRMED, notes="세척 검증 후 시작")
    campaign(
        s,
        "CMP-0003",
        bioreactor="SDO-BR1501",
        start=local("2027-02-01", SEOUL),
        notes="=SUM(A1) literal, tab\tand newline\n",
        extra=(
            ("PO number", "PO-7781"),
            ("담당자", "김지훈"),
            ("Lot count", 3),
            ("Yield", 2.75),
            ("Released", True),
            ("Empty", None),
            ("Shipped", datetime(2027, 5, 2, 8, 30)),
            ("Ack", datetime(2027, 5, 3, 9, 0, tzinfo=UTC)),
        ),
    )
    campaign(
        s,
        "CMP-0004",
        product="CDX-110",
        bioreactor="SDO-SU01",
        start="2027-06-01",
        status=Status.IN_PROGRESS,
        extra=(("Yield", 1.5), ("PO number", "PO-1")),
    )
    s.extra_columns = [
        "PO number",
        "담당자",
        "Lot count",
        "Yield",
        "Released",
        "Empty",
        "Shipped",
        "Ack",
    ]
    s.maintenance = [
        MaintenanceWindow(SiteCode("SYR"), local("2027-07-01"), local("2027-07-15"), "Shutdown"),
        MaintenanceWindow(
            SiteCode("SDO"),
            local("2027-08-01", SEOUL),
            local("2027-08-03", SEOUL),
            "PM 세척",
            suite=SuiteCode("SDO-S1"),
        ),
        MaintenanceWindow(
            SiteCode("SDO"),
            local("2027-09-01", SEOUL),
            local("2027-09-05", SEOUL),
            "Requalification",
            suite=SuiteCode("SDO-S1"),
            bioreactor=BioreactorCode("SDO-SU01"),
        ),
    ]
    return s


def test_round_trip_is_exact(store: Store) -> None:
    original = rich_schedule()
    stored = save(store, original)
    loaded = Store.open(store.url).load()
    assert loaded == stored
    assert loaded.extra_columns == original.extra_columns
    extra = loaded.campaigns["CMP-0003"].extra
    assert [name for name, _ in extra] == [name for name, _ in original.campaigns["CMP-0003"].extra]
    assert extra[6][1] == datetime(2027, 5, 2, 8, 30) and extra[6][1].tzinfo is None
    assert extra[7][1].tzinfo is not None
    assert type(extra[2][1]) is int and type(extra[4][1]) is bool
    assert loaded.campaigns["CMP-0002"].notes == "세척 검증 후 시작"


def test_instants_come_back_aware_utc_and_dst_ends_hold(store: Store) -> None:
    save(store, rich_schedule())
    loaded = store.load()
    first = loaded.campaigns["CMP-0001"]
    assert first.start.tzinfo is UTC
    assert first.start == datetime(2027, 3, 14, 5, 0, tzinfo=UTC)
    # 3 × 14 + 2 × 2 days from local midnight of the DST day ends at local midnight (EDT, -4).
    assert loaded.campaign_end(first) == datetime(2027, 4, 29, 4, 0, tzinfo=UTC)
    assert all(w.start.tzinfo is UTC and w.end.tzinfo is UTC for w in loaded.maintenance)


def test_synthetic_schedule_round_trips(store: Store) -> None:
    original = synthetic_schedule(n_campaigns=400, n_bioreactors=12, seed=3)
    stored = save(store, original)
    assert store.load() == stored


def test_new_database_is_empty_and_a_saved_one_is_not(store: Store) -> None:
    assert store.is_empty()
    assert store.load().campaigns == {}
    save(store, small_schedule())
    assert not store.is_empty()


def test_naive_instants_are_refused_before_they_reach_the_database() -> None:
    from sqlalchemy.dialects import sqlite

    column_type = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2027, 1, 1), sqlite.dialect())
    seoul_evening = datetime(2027, 1, 1, 21, tzinfo=zone(SEOUL))
    stored = column_type.process_bind_param(seoul_evening, sqlite.dialect())
    assert stored == datetime(2027, 1, 1, 12) and stored.tzinfo is None, "21:00 KST is 12:00 UTC"


def test_instants_are_naive_utc_in_sqlite_and_timestamptz_in_postgres(store: Store) -> None:
    from sqlalchemy import text

    save(store, rich_schedule())
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            raw = connection.execute(text("SELECT start FROM campaigns WHERE id = 'CMP-0001'"))
            assert raw.scalar() == "2027-03-14 05:00:00.000000"
        else:
            kinds = connection.execute(
                text(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = 'campaigns' "
                    "AND column_name = 'start'"
                )
            ).all()
            assert kinds == [("start", "timestamp with time zone")]


def test_the_bulk_load_and_the_single_campaign_read_agree(store: Store) -> None:
    # On SQLite the bulk load parses stored text itself; the per-campaign read uses the column
    # types. Both must give the same campaigns.
    save(store, rich_schedule())
    loaded = store.load().campaigns
    assert store.load_campaigns(list(loaded)) == loaded
    assert store.load_campaigns(["CMP-0001", "CMP-9999"]) == {"CMP-0001": loaded["CMP-0001"]}


def test_loading_leaves_the_garbage_collector_as_it_found_it(store: Store) -> None:
    """The collector is paused while rows become campaigns, and only then."""
    import gc

    save(store, rich_schedule())
    assert gc.isenabled()
    store.load()
    assert gc.isenabled()
    gc.disable()
    try:
        store.load()
        assert not gc.isenabled()
    finally:
        gc.enable()
