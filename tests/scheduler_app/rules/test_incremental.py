"""Property tests: the incremental answer equals a fresh full check after any sequence of edits,
the full check agrees with a slow reference statement of the rules, and a preview equals what the
applied move produces."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scheduler_app.campaigns import Campaign, Status
from scheduler_app.ids import BioreactorCode, CampaignId, ProductCode, SiteCode, SuiteCode
from scheduler_app.maintenance import MaintenanceWindow
from scheduler_app.rules.engine import ConflictEngine, check_schedule
from scheduler_app.schedule import Schedule
from scheduler_app.synthetic import synthetic_schedule
from tests.factories import local
from tests.scheduler_app.rules.reference import facts_of, reference_conflicts
from tests.scheduler_app.rules.support import process_schedule

REACTORS = ["SYR-BR501", "SDO-BR1501", "SDO-SU01"]
PRODUCTS = ["ABX-201", "CDX-110"]
STATUSES = [Status.PLANNED, Status.CONFIRMED, Status.TENTATIVE, Status.CANCELLED]
# Around both DST changes of 2027 and Songdo's opening on 2027-01-01.
DAYS = st.integers(-40, 400)
HOURS = st.sampled_from([0, 0, 0, 0, 1, 2, 3, 23])
# Off whole seconds too, where the engine settles near-ties with datetimes instead of floats.
JITTER = st.sampled_from([0, 0, 0, 0, 1, 500_000, 90_000_000])


@st.composite
def campaign_specs(draw: st.DrawFn) -> dict[str, object]:
    return {
        "product": draw(st.sampled_from(PRODUCTS)),
        "bioreactor": draw(st.sampled_from(REACTORS)),
        "day": draw(DAYS),
        "hour": draw(HOURS),
        "jitter": draw(JITTER),
        "batches": draw(st.integers(1, 3)),
        "status": draw(st.sampled_from(STATUSES)),
        "due": draw(st.none() | st.integers(0, 450)),
        "needs": draw(st.none() | st.none() | st.integers(0, 20)),
        "lag": draw(st.sampled_from([0, 0, 3, 10])),
    }


def _make(s: Schedule, campaign_id: str, spec: dict[str, object]) -> Campaign:
    reactor = str(spec["bioreactor"])
    tz = s.time_zone_of(reactor)
    product = s.products[ProductCode(str(spec["product"]))]
    start = local(date(2026, 12, 1) + timedelta(days=int(str(spec["day"]))), tz)
    due = spec["due"]
    needs = spec.get("needs")
    return Campaign(
        CampaignId(campaign_id),
        product.code,
        BioreactorCode(reactor),
        start + timedelta(hours=int(str(spec["hour"])), microseconds=int(str(spec["jitter"]))),
        int(str(spec["batches"])),
        product.batch_days,
        product.turnaround_days,
        Status(spec["status"]),
        due=None if due is None else date(2026, 12, 1) + timedelta(days=int(str(due))),
        needs=None if needs is None else CampaignId(f"CMP-{int(str(needs)) + 1:04d}"),
        lag_days=int(str(spec.get("lag", 0))),
    )


windows = st.lists(
    st.tuples(
        st.sampled_from(["site", "suite", "bioreactor", "seed unit", "downstream unit"]),
        DAYS,
        st.integers(1, 20),
    ),
    max_size=3,
)

UNITS = ["SYR-N1-01", "SDO-N1-01", "SYR-DSP-01", "SDO-DSP-01", "SDO-DSP-02"]
SERVES = [(), ("SYR-S1",), ("SDO-S1",), ("SDO-BR1501",), ("SDO-SU01",), ("SYR-BR501", "SDO-S1")]

# Master-data edits the engine must notice by itself (no bioreactor is named to update()).
master_edits = st.one_of(
    st.tuples(st.just("serves"), st.sampled_from(UNITS), st.sampled_from(SERVES)),
    st.tuples(
        st.just("product days"),
        st.sampled_from(PRODUCTS),
        st.integers(0, 6),
        st.integers(0, 6),
        st.integers(0, 3),
    ),
    st.tuples(
        st.just("matrix"),
        st.sampled_from(PRODUCTS),
        st.sampled_from(PRODUCTS),
        st.none() | st.integers(0, 25),
    ),
    st.tuples(
        st.just("qualified from"),
        st.sampled_from(PRODUCTS),
        st.sampled_from(["SYR", "SDO"]),
        st.none() | DAYS,
    ),
)

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("move"),
            st.integers(0, 99),
            st.sampled_from(REACTORS + [None]),
            st.integers(-30, 30),
            HOURS,
        ),
        st.tuples(st.just("batches"), st.integers(0, 99), st.integers(1, 4)),
        st.tuples(st.just("delete"), st.integers(0, 99)),
        st.tuples(st.just("add"), campaign_specs()),
        st.tuples(st.just("status"), st.integers(0, 99), st.sampled_from(STATUSES)),
        st.tuples(
            st.just("needs"), st.integers(0, 99), st.none() | st.integers(0, 99), st.integers(0, 9)
        ),
        master_edits,
        st.tuples(
            st.just("together"),
            st.lists(
                st.tuples(st.integers(0, 99), st.integers(-20, 20), st.sampled_from(REACTORS)),
                max_size=4,
            ),
        ),
    ),
    max_size=12,
)


def _schedule(specs: list[dict[str, object]], window_specs: list[tuple[str, int, int]]) -> Schedule:
    s = process_schedule()
    for number, spec in enumerate(specs, start=1):
        s.put_campaign(_make(s, f"CMP-{number:04d}", spec))
    for scope, day, length in window_specs:
        start = local(date(2026, 12, 1) + timedelta(days=day), "Asia/Seoul")
        s.maintenance.append(
            MaintenanceWindow(
                SiteCode("SDO"),
                start,
                start + timedelta(days=length),
                f"{scope} PM",
                suite=SuiteCode("SDO-S1") if scope == "suite" else None,
                bioreactor=BioreactorCode(_WINDOW_REACTOR[scope])
                if "unit" in scope or scope == "bioreactor"
                else None,
            )
        )
    return s


_WINDOW_REACTOR = {
    "bioreactor": "SDO-SU01",
    "seed unit": "SDO-N1-01",
    "downstream unit": "SDO-DSP-01",
}


def _edit_master(s: Schedule, op: tuple[object, ...]) -> None:
    kind = op[0]
    if kind == "serves":
        code = BioreactorCode(str(op[1]))
        s.bioreactors[code] = replace(s.bioreactors[code], serves=op[2])  # type: ignore[arg-type]
    elif kind == "product days":
        code = ProductCode(str(op[1]))
        s.products[code] = replace(
            s.products[code],
            seed_days=int(str(op[2])),
            harvest_days=int(str(op[3])),
            max_batches=int(str(op[4])),
        )
    elif kind == "matrix":
        pair = (ProductCode(str(op[1])), ProductCode(str(op[2])))
        if op[3] is None:
            s.changeovers.pop(pair, None)
        else:
            s.changeovers[pair] = int(str(op[3]))
    else:
        code, site = ProductCode(str(op[1])), SiteCode(str(op[2]))
        product = s.products[code]
        dated = tuple((k, d) for k, d in product.qualified_from if k != site)
        if op[3] is not None:
            dated += ((site, date(2026, 12, 1) + timedelta(days=int(str(op[3])))),)
        s.products[code] = replace(product, qualified_from=dated)


def _apply(s: Schedule, op: tuple[object, ...]) -> set[str]:
    """Apply one edit as the service would and return the bioreactors it touched."""
    ids = sorted(s.campaigns)
    kind = op[0]
    if kind in ("serves", "product days", "matrix", "qualified from"):
        _edit_master(s, op)
        return set()
    if kind == "add":
        made = _make(s, s.next_campaign_id(), op[1])  # type: ignore[arg-type]
        s.put_campaign(made)
        return {made.bioreactor}
    if kind == "together":
        touched: set[str] = set()
        for index, delta, reactor in op[1]:  # type: ignore[attr-defined]
            if ids:
                old = s.campaigns[ids[index % len(ids)]]
                new = replace(old, start=old.start + timedelta(days=delta), bioreactor=reactor)
                s.put_campaign(new)
                touched |= {old.bioreactor, new.bioreactor}
        return touched
    if not ids:
        return set()
    old = s.campaigns[ids[int(str(op[1])) % len(ids)]]
    if kind == "delete":
        s.remove_campaign(old.id)
        return {old.bioreactor}
    if kind == "needs":
        target = None if op[2] is None else ids[int(str(op[2])) % len(ids)]
        new = replace(old, needs=target, lag_days=int(str(op[3])))
    elif kind == "move":
        reactor = op[2] or old.bioreactor
        new = replace(
            old,
            bioreactor=reactor,
            start=old.start + timedelta(days=int(str(op[3])), hours=int(str(op[4]))),
        )
    elif kind == "batches":
        new = replace(old, batches=int(str(op[2])))
    else:
        new = replace(old, status=Status(op[2]))
    s.put_campaign(new)
    return {old.bioreactor, new.bioreactor}


@given(specs=st.lists(campaign_specs(), max_size=14), window_specs=windows, ops=operations)
def test_incremental_equals_full_after_any_edits(
    specs: list[dict[str, object]],
    window_specs: list[tuple[str, int, int]],
    ops: list[tuple[object, ...]],
) -> None:
    s = _schedule(specs, window_specs)
    engine = ConflictEngine(s)
    engine.check_all()
    for op in ops:
        touched = _apply(s, op)
        answer = engine.update(touched)
        full = check_schedule(s)
        assert answer == full
        assert engine.conflicts == full
        assert engine.counts() == {
            "error": sum(c.severity == "error" for c in full),
            "warning": sum(c.severity == "warning" for c in full),
        }
    assert facts_of(engine.conflicts) == reference_conflicts(s)


@given(specs=st.lists(campaign_specs(), max_size=14), window_specs=windows)
def test_full_check_agrees_with_the_reference(
    specs: list[dict[str, object]], window_specs: list[tuple[str, int, int]]
) -> None:
    s = _schedule(specs, window_specs)

    assert facts_of(check_schedule(s)) == reference_conflicts(s)


@given(
    specs=st.lists(campaign_specs(), min_size=1, max_size=14),
    window_specs=windows,
    pick=st.integers(0, 99),
    reactor=st.sampled_from(REACTORS),
    delta=st.integers(-30, 30),
)
def test_preview_equals_the_applied_move(
    specs: list[dict[str, object]],
    window_specs: list[tuple[str, int, int]],
    pick: int,
    reactor: str,
    delta: int,
) -> None:
    s = _schedule(specs, window_specs)
    engine = ConflictEngine(s)
    before = engine.check_all()
    old = s.campaigns[sorted(s.campaigns)[pick % len(s.campaigns)]]
    moved = replace(old, bioreactor=reactor, start=old.start + timedelta(days=delta))

    preview = engine.preview([moved])

    assert engine.conflicts == before
    s.put_campaign(moved)
    engine.update({old.bioreactor, moved.bioreactor})
    assert preview == engine.conflicts_for(moved.id)


@given(seed=st.integers(0, 10_000), ops=operations)
def test_incremental_equals_full_on_synthetic_schedules(
    seed: int, ops: list[tuple[object, ...]]
) -> None:
    s = synthetic_schedule(n_campaigns=120, n_bioreactors=6, seed=seed)
    engine = ConflictEngine(s)
    engine.check_all()
    assert facts_of(engine.conflicts) == reference_conflicts(s)
    for op in ops:
        if op[0] in ("add", "serves", "product days", "matrix", "qualified from"):
            continue  # these name the small schedule's equipment and products
        touched = _apply_synthetic(s, op)
        assert engine.update(touched) == check_schedule(s)


def _apply_synthetic(s: Schedule, op: tuple[object, ...]) -> set[str]:
    reactors = sorted(r.code for r in s.production_bioreactors())
    if op[0] == "move" and op[2] is not None:
        op = (op[0], op[1], reactors[REACTORS.index(str(op[2]))], op[3], op[4])
    if op[0] == "together":
        op = ("together", [(i, d, reactors[REACTORS.index(r)]) for i, d, r in op[1]])  # type: ignore[attr-defined]
    return _apply(s, op)
