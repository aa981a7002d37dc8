from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.ids import BioreactorCode, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.context import Catalogue, WindowSpan, reactor_contexts
from tests.factories import local, small_schedule

SCOPES = [
    ("SYR", None, None),
    ("SDO", None, None),
    ("SYR", "SYR-S1", None),
    ("SDO", "SDO-S1", None),
    ("SYR", "SYR-S1", "SYR-BR501"),
    ("SDO", "SDO-S1", "SDO-SU01"),
    ("SDO", "SDO-S1", "SDO-BR1501"),
]


@given(st.lists(st.tuples(st.sampled_from(SCOPES), st.integers(0, 400)), max_size=12))
def test_each_bioreactor_has_the_windows_maintenance_for_gives_in_its_order(
    windows: list[tuple[tuple[str, str | None, str | None], int]],
) -> None:
    # The contexts sort the windows by scope in one pass; each bioreactor must still get exactly
    # the schedule's own answer, in the schedule's order, and a window shared by bioreactors one
    # span object.
    s = small_schedule()
    for (site, suite, reactor), day in windows:
        opens = local("2027-01-01") + timedelta(days=day)
        s.maintenance.append(
            MaintenanceWindow(
                SiteCode(site),
                opens,
                opens + timedelta(days=3),
                "PM",
                suite=None if suite is None else SuiteCode(suite),
                bioreactor=None if reactor is None else BioreactorCode(reactor),
            )
        )

    contexts = reactor_contexts(s, Catalogue.of(s))

    spans: dict[int, WindowSpan] = {}
    for code, context in contexts.items():
        assert tuple(w.window for w in context.windows) == tuple(s.maintenance_for(code))
        for span in context.windows:
            assert span.start == span.window.start.timestamp()
            assert span.end == span.window.end.timestamp()
            assert spans.setdefault(id(span.window), span) is span
