"""The schedule's campaign journal: what ``put_campaign`` and ``remove_campaign`` did, which the
conflict engine reads instead of comparing a bioreactor's campaigns with the dict; and an audit
of the source for code that writes to a schedule's campaigns dict directly (the journal cannot
see such a write when it keeps the dict's length)."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from scheduler_app.ids import CampaignId
from scheduler_app.schedule import CampaignJournal, Schedule
from scheduler_app.synthetic import synthetic_schedule

ROOT = Path(__file__).resolve().parents[2]


def _schedule() -> Schedule:
    return synthetic_schedule(n_campaigns=40, n_bioreactors=4, seed=1)


def test_put_and_remove_are_journaled_with_what_they_replaced() -> None:
    s = _schedule()
    journal = s.watched_journal()
    mark = journal.mark(s.campaigns)
    assert mark is not None
    first, second = sorted(s.campaigns)[:2]
    old = s.campaigns[first]
    moved = replace(old, batches=old.batches + 1)
    s.put_campaign(moved)
    removed = s.remove_campaign(second)
    added = replace(old, id=CampaignId("CMP-9999"))
    s.put_campaign(added)

    assert journal.since(s.campaigns, mark) == [
        (first, old),
        (second, removed),
        (added.id, None),
    ]
    assert s.journal is journal


def test_the_journal_cannot_vouch_after_a_direct_write_that_changes_the_length() -> None:
    s = _schedule()
    journal = s.watched_journal()
    mark = journal.mark(s.campaigns)
    assert mark is not None
    gone = sorted(s.campaigns)[0]
    del s.campaigns[gone]  # behind the journal's back
    s.put_campaign(replace(s.campaigns[sorted(s.campaigns)[0]], batches=9))  # noted, length kept

    assert journal.since(s.campaigns, mark) is None
    assert journal.mark(s.campaigns) is None
    assert s.watched_journal().mark(s.campaigns) is not None  # a full check starts it over


def test_the_journal_cannot_vouch_for_a_replaced_dict() -> None:
    s = _schedule()
    journal = s.watched_journal()
    mark = journal.mark(s.campaigns)
    assert mark is not None
    s.campaigns = dict(s.campaigns)

    assert journal.since(s.campaigns, mark) is None
    s.put_campaign(replace(s.campaigns[sorted(s.campaigns)[0]], batches=9))
    assert journal.since(s.campaigns, mark) is None  # noting the new dict starts over


def test_past_its_limit_the_journal_keeps_the_newer_half() -> None:
    s = _schedule()
    journal = s.watched_journal()
    early = journal.mark(s.campaigns)
    assert early is not None
    campaign = s.campaigns[sorted(s.campaigns)[0]]
    for _ in range(CampaignJournal.LIMIT):
        s.put_campaign(campaign)
    late = journal.mark(s.campaigns)
    assert late is not None
    s.put_campaign(campaign)

    assert journal.since(s.campaigns, early) is None
    assert journal.since(s.campaigns, late) == [(campaign.id, campaign)]
    assert len(journal.entries) <= CampaignJournal.LIMIT


def test_a_copy_has_its_own_journal() -> None:
    s = _schedule()
    copy = s.copy()
    assert copy.journal is not s.journal


# Writes into a ``campaigns`` dict that no engine can be watching: dicts that are not a schedule's
# (import rows, scenario bases), and schedules being built (a load, an import's merged copy). The
# receiver's name as written in each module.
_ALLOWED = {
    ("scheduler_app/storage/scenario_rows.py", "found"),  # ScenarioBase: versions by ID
    ("scheduler_app/excel/campaign_rows.py", "result"),  # the workbook's rows
    ("scheduler_app/storage/store.py", "found"),  # Store.load filling the schedule it returns
    ("scheduler_app/storage/version_rows.py", "out"),  # load(): the version's fresh schedule
    ("scheduler_app/excel/changes.py", "merged"),  # merged_schedule(): a copy it returns
}
_MUTATORS = {"pop", "popitem", "update", "setdefault", "clear", "__setitem__", "__delitem__"}


def _receiver(node: ast.expr) -> str | None:
    """The source of ``X`` when ``node`` is ``X.campaigns``."""
    if isinstance(node, ast.Attribute) and node.attr == "campaigns":
        return ast.unparse(node.value)
    return None


def _written(node: ast.AST) -> list[ast.expr]:
    """What a statement or call writes into: subscripted targets, ``|=`` targets, mutator
    receivers."""
    if isinstance(node, ast.Assign | ast.Delete):
        targets = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MUTATORS
    ):
        return [node.func.value]
    else:
        return []
    out = [t.value for t in targets if isinstance(t, ast.Subscript)]
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.BitOr):
        out.append(node.target)
    return out


def _direct_writes(path: Path, relative: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        for target in _written(node):
            receiver = _receiver(target)
            if receiver is not None and (relative, receiver) not in _ALLOWED:
                found.add(f"{relative}:{node.lineno}: {receiver}.campaigns")
    # Names a function binds to some ``X.campaigns`` and then writes into.
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        aliases = {
            target.id
            for node in ast.walk(scope)
            if isinstance(node, ast.Assign) and _receiver(node.value) is not None
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(scope):
            for target in _written(node):
                if (
                    isinstance(target, ast.Name)
                    and target.id in aliases
                    and (relative, target.id) not in _ALLOWED
                ):
                    found.add(f"{relative}:{node.lineno}: {target.id} (a .campaigns)")
    return sorted(found)


def test_no_code_writes_a_schedules_campaigns_dict_directly() -> None:
    # Replacing the dict (``schedule.campaigns = ...``) is noticed and allowed; writing into it
    # must go through put_campaign / remove_campaign, or the engine may miss the change.
    found = []
    for path in sorted([*ROOT.glob("scheduler_app/**/*.py"), *ROOT.glob("ui/**/*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "scheduler_app/schedule.py":
            continue
        found += _direct_writes(path, relative)
    assert found == []


def test_the_audit_catches_direct_writes(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text(
        "def f(schedule, c):\n"
        "    schedule.campaigns[c.id] = c\n"
        "    del schedule.campaigns[c.id]\n"
        "    schedule.campaigns.pop(c.id)\n"
        "    held = schedule.campaigns\n"
        "    held[c.id] = c\n"
        "    held.update({})\n"
        "    schedule.campaigns = {}\n",
        encoding="utf-8",
    )
    assert len(_direct_writes(source, "module.py")) == 5
