from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.ids import CampaignId
from scheduler_app.rules.facts import FactCache, Facts
from tests.factories import NEW_YORK, SEOUL, campaign, local, small_schedule


@given(
    tz=st.sampled_from([NEW_YORK, SEOUL]),
    specs=st.lists(
        st.tuples(
            st.integers(0, 800),
            st.integers(0, 23),
            st.integers(1, 5),
            st.none() | st.integers(0, 900),
        ),
        min_size=8,
        max_size=30,
    ),
)
def test_many_equals_one_by_one(tz: str, specs: list[tuple[int, int, int, int | None]]) -> None:
    s = small_schedule()
    made = [
        campaign(
            s,
            f"CMP-{n:04d}",
            start=local(date(2026, 11, 1) + timedelta(days=d), tz) + timedelta(hours=h),
            batches=b,
            due=None if due is None else date(2026, 11, 1) + timedelta(days=due),
        )
        for n, (d, h, b, due) in enumerate(specs)
    ]

    many = Facts.many(made, tz)

    for facts, c in zip(many, made, strict=True):
        one = Facts.of(c, tz)
        assert (facts.start, facts.end, facts.due_end) == (one.start, one.end, one.due_end)
        assert facts.end_time == one.end_time == c.end_in(tz)


def test_cache_prunes_deleted_and_moved_campaigns() -> None:
    s = small_schedule()
    made = [campaign(s, f"CMP-{n:04d}", start="2027-01-01") for n in range(40)]
    cache = FactCache()
    first = cache.of(made, NEW_YORK)
    assert cache.of(made, NEW_YORK) == first  # the same objects come back
    for c in made[:30]:
        s.remove_campaign(CampaignId(c.id))

    cache.prune(s.campaigns)

    assert [f is g for f, g in zip(cache.of(made[30:], NEW_YORK), first[30:], strict=True)] == [
        True
    ] * 10
    assert all(f is not g for f, g in zip(cache.of(made[:30], NEW_YORK), first, strict=False))
