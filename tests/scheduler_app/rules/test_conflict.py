"""Conflict: a message written on first access behaves like one given up front."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest

from scheduler_app.ids import BioreactorCode, CampaignId, SiteCode
from scheduler_app.rules.conflict import Conflict, Severity
from scheduler_app.rules.findings import sort_key

START = datetime(2027, 3, 1, tzinfo=UTC)
END = datetime(2027, 3, 4, tzinfo=UTC)


def _conflict(**message: object) -> Conflict:
    return Conflict(
        kind="overlap",
        severity=Severity.ERROR,
        campaigns=(CampaignId("CMP-0001"), CampaignId("CMP-0002")),
        site=SiteCode("SYR"),
        bioreactor=BioreactorCode("SYR-BR501"),
        start=START,
        end=END,
        **message,  # type: ignore[arg-type]
    )


def test_described_message_is_written_once_on_first_access() -> None:
    calls: list[int] = []

    def describe() -> str:
        calls.append(1)
        return "overlap: CMP-0002 overlaps CMP-0001"

    conflict = _conflict(describe=describe)
    assert calls == []
    assert conflict.message == "overlap: CMP-0002 overlaps CMP-0001"
    assert conflict.message == "overlap: CMP-0002 overlaps CMP-0001"
    assert calls == [1]


def test_described_equals_given_in_equality_hash_repr_json_and_pickle() -> None:
    given = _conflict(message="overlap: text")
    described = _conflict(describe=lambda: "overlap: text")

    assert described == given
    assert hash(described) == hash(given)
    assert repr(described) == repr(given)
    assert repr(given).startswith("Conflict(kind='overlap', severity=<Severity.ERROR: 'error'>")
    assert described.as_json() == given.as_json()
    assert pickle.loads(pickle.dumps(_conflict(describe=_text))) == _conflict(message=_text())
    assert _conflict(message="overlap: other") != given
    assert {given, described} == {given}


def _text() -> str:
    return "overlap: picklable"


def test_conflict_is_immutable_and_needs_one_message() -> None:
    conflict = _conflict(message="x")
    with pytest.raises(AttributeError):
        conflict.kind = "late"  # type: ignore[misc]
    with pytest.raises(TypeError):
        _conflict()
    with pytest.raises(TypeError):
        _conflict(message="x", describe=lambda: "x")


def test_sort_keys_that_tie_on_everything_else_order_by_message() -> None:
    later = _conflict(describe=lambda: "overlap: b")
    earlier = _conflict(describe=lambda: "overlap: a")

    assert sort_key(earlier) < sort_key(later)
    assert sorted([later, earlier], key=sort_key) == [earlier, later]
    assert sort_key(earlier) == sort_key(_conflict(message="overlap: a"))
