from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.localtime import end_of_local_date
from scheduler_app.rules.facts import end_time, measure
from tests.factories import NEW_YORK, SEOUL, campaign, local, small_schedule


@given(
    tz=st.sampled_from([NEW_YORK, SEOUL]),
    specs=st.lists(
        st.tuples(
            st.integers(0, 800),
            st.integers(0, 23),
            st.sampled_from([0, 0, 0, 250_000]),
            st.integers(1, 5),
            st.none() | st.integers(0, 900),
        ),
        max_size=30,
    ),
)
def test_measure_equals_the_calendar_arithmetic_one_by_one(
    tz: str, specs: list[tuple[int, int, int, int, int | None]]
) -> None:
    s = small_schedule()
    made = [
        campaign(
            s,
            f"CMP-{n:04d}",
            start=local(date(2026, 11, 1) + timedelta(days=d), tz)
            + timedelta(hours=h, microseconds=us),
            batches=b,
            due=None if due is None else date(2026, 11, 1) + timedelta(days=due),
        )
        for n, (d, h, us, b, due) in enumerate(specs)
    ]

    found = measure(made, tz)
    with_batches = measure(made, tz, batches=True)

    assert found.starts.tolist() == [c.start.timestamp() for c in made]
    assert found.ends.tolist() == [c.end_in(tz).timestamp() for c in made]
    assert found.due_ends.tolist() == [
        float("inf") if c.due is None else end_of_local_date(c.due, tz).timestamp() for c in made
    ]
    for c, end in zip(made, found.ends.tolist(), strict=True):
        assert end_time(c, end, tz) == c.end_in(tz)
    # Working out the batch table on the way (many campaigns) changes none of it.
    for name in ("starts", "ends", "due_ends"):
        assert getattr(found, name).tolist() == getattr(with_batches, name).tolist()
    if with_batches.batches is not None:
        expected = [
            [max(c.batches, 0) for c in made],
            [float(c.batch_days) for c in made],
            [float(c.batch_days + c.turnaround_days) for c in made],
        ]
        assert [part.tolist() for part in with_batches.batches] == expected


def test_measure_spans_a_dst_change_on_the_site_calendar() -> None:
    s = small_schedule()
    # Ten one-batch campaigns (two weeks) from local midnight 2027-03-07; New York springs forward
    # on the 14th, so each lasts an hour less than its days.
    made = [
        campaign(s, f"CMP-{n:04d}", start=local(date(2027, 3, 7), NEW_YORK), batches=1)
        for n in range(10)
    ]

    found = measure(made, NEW_YORK)

    assert (found.ends - found.starts).tolist() == [c.duration_days * 86_400 - 3_600 for c in made]
