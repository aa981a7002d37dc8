"""Property: whatever text, instants and extra columns a campaign carries, the SQLite file gives
back exactly what was saved."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Purpose, Status
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode
from scheduler_app.storage import Store
from tests.factories import small_schedule
from tests.scheduler_app.storage.helpers import save

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
extra_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)),
)
extras = st.lists(st.tuples(text, extra_values), max_size=6, unique_by=lambda pair: pair[0])


@st.composite
def campaigns(draw: st.DrawFn, key: int) -> Campaign:
    return Campaign(
        CampaignId(f"CMP-{key:04d}"),
        ProductCode(draw(st.sampled_from(["ABX-201", "CDX-110"]))),
        BioreactorCode(draw(st.sampled_from(["SYR-BR501", "SDO-BR1501", "SDO-SU01"]))),
        draw(instants),
        draw(st.integers(1, 40)),
        draw(st.integers(1, 60)),
        draw(st.integers(0, 30)),
        draw(st.sampled_from(list(Status))),
        draw(st.none() | st.dates()),
        draw(text),
        tuple(draw(extras)),
        1,
        draw(st.sampled_from(list(Purpose))),
        draw(st.none() | st.sampled_from([CampaignId("CMP-0001"), CampaignId("CMP-9999")])),
        draw(st.integers(0, 90)),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


@given(data=st.data())
def test_any_campaign_survives_the_round_trip(
    data: st.DataObject, sqlite_template: Path, folder: Path
) -> None:
    path = folder / f"{uuid.uuid4().hex}.db"
    shutil.copyfile(sqlite_template, path)
    schedule = small_schedule()
    for key in range(1, data.draw(st.integers(1, 4)) + 1):
        schedule.put_campaign(data.draw(campaigns(key)))
    schedule.extra_columns = list(
        dict.fromkeys(name for c in schedule.campaigns.values() for name, _ in c.extra)
    )
    store = Store.open(path)
    try:
        stored = save(store, schedule)
        assert store.load() == stored
    finally:
        store.close()
        path.unlink()
