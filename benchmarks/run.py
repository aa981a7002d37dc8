"""Run the performance benchmarks and compare them with the DESIGN.md targets.

    python benchmarks/run.py [--seed N] [--campaigns N] [--bioreactors N] [--only NAME] [--json]

Each ``benchmarks/bench_*.py`` defines ``run(ctx: BenchContext) -> list[Result]``. By default each
module runs in a fresh process on a context built from the same arguments (same seed, same
schedule), so that a crash in one (Qt can take a process down) or the memory one leaves behind
does not touch the figures of the next; ``--in-process`` runs them all on one shared context. A
module that fails to import, raises or crashes becomes a row of its own. Exit code 1 when a target
is missed or a module failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import BenchContext, Result  # noqa: E402

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Row:
    """A result, or the failure of the module that should have produced it."""

    module: str
    result: Result | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.met is not False


def discover(directory: Path = HERE, only: Sequence[str] = ()) -> list[Path]:
    """``bench_*.py`` files in name order; ``only`` keeps those whose name contains any of the
    given words (``--only check`` runs ``bench_check.py``)."""
    found = sorted(directory.glob("bench_*.py"))
    if only:
        found = [p for p in found if any(word in p.stem for word in only)]
    return found


def load(path: Path) -> ModuleType:
    name = f"benchmarks.{path.stem}" if path.parent == HERE else path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_module(path: Path, ctx: BenchContext, debug: bool = False) -> list[Row]:
    name = path.stem
    try:
        results = list(load(path).run(ctx))
    except Exception as error:  # one module's failure must not hide the others' figures
        if debug:
            traceback.print_exc()
        return [Row(name, None, f"{type(error).__name__}: {error}".splitlines()[0])]
    if not results:
        return [Row(name, None, "returned no results")]
    return [Row(name, result) for result in results]


def run_isolated(path: Path, args: argparse.Namespace) -> list[Row]:
    """``run_module`` in a child process; a crash or a timeout becomes a failure row."""
    with tempfile.TemporaryDirectory() as scratch:
        rows_file = Path(scratch) / "rows.json"
        command = [
            sys.executable, str(Path(__file__).resolve()), "--child", str(path),
            "--rows-out", str(rows_file), "--seed", str(args.seed),
            "--campaigns", str(args.campaigns), "--bioreactors", str(args.bioreactors),
            "--workdir", str(args.workdir), *(["--debug"] if args.debug else []),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            return [Row(path.stem, None, f"timed out after {args.timeout:.0f} s")]
        sys.stderr.write(done.stdout + done.stderr)
        if done.returncode == 0 and rows_file.exists():
            return rows_from_json(json.loads(rows_file.read_text(encoding="utf-8")))
    how = f"signal {-done.returncode}" if done.returncode < 0 else f"exit code {done.returncode}"
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return [Row(path.stem, None, f"crashed ({how}){': ' + last if last else ''}")]


def rows_to_json(rows: Sequence[Row]) -> list[dict[str, object]]:
    return [
        {"module": r.module, "error": r.error, "result": asdict(r.result) if r.result else None}
        for r in rows
    ]


def rows_from_json(items: list[dict[str, object]]) -> list[Row]:
    out = []
    for item in items:
        result = item["result"]
        made = Result(**result) if isinstance(result, dict) else None
        out.append(Row(str(item["module"]), made, str(item["error"])))
    return out


def format_rows(rows: Sequence[Row]) -> str:
    headers = ["metric", "value", "unit", "target", "met", "note"]
    lines = []
    for row in rows:
        result = row.result
        if result is None:
            lines.append([row.module, "-", "", "", "✗", f"failed: {row.error}"])
            continue
        target = ""
        if result.target is not None:
            target = ("≥ " if result.higher_is_better else "≤ ") + _number(result.target)
        met = {True: "✓", False: "✗", None: ""}[result.met]
        lines.append([result.name, _number(result.value), result.unit, target, met, result.note])
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    right = {1, 3}

    def fmt(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([fmt(headers), fmt(["-" * w for w in widths]), *map(fmt, lines)])


def _number(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if value == int(value) and abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def default_bioreactors(campaigns: int) -> int:
    """The plant a schedule of ``campaigns`` runs on: 60 bioreactors up to about 20,000 campaigns
    (about 25 years of them), then one per 333 (100,000 on 300). On 60 bioreactors 100,000
    campaigns would run to the year 2263."""
    return max(60, round(campaigns / 333))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="synthetic schedule seed (0)")
    parser.add_argument("--campaigns", type=int, default=10_000, help="campaigns (10,000)")
    parser.add_argument(
        "--bioreactors",
        type=int,
        help="bioreactors (default: one per 333 campaigns, at least 60: 60 for 10,000, 300 for "
        "100,000, so a larger schedule is a larger plant rather than centuries of one)",
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="run bench_*NAME* only"
    )
    parser.add_argument("--json", action="store_true", help="print one object: metric -> value")
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / ".work")
    parser.add_argument("--debug", action="store_true", help="print tracebacks of failures")
    parser.add_argument(
        "--in-process", action="store_true", help="run every module in this process, one context"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds a module may take (isolated)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rows-out", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None, directory: Path = HERE) -> int:
    args = build_parser().parse_args(argv)
    if args.bioreactors is None:
        args.bioreactors = default_bioreactors(args.campaigns)
    args.workdir.mkdir(parents=True, exist_ok=True)
    ctx = BenchContext(args.seed, args.campaigns, args.bioreactors, args.workdir)
    if args.child is not None:
        found = run_module(args.child, ctx, args.debug)
        args.rows_out.write_text(json.dumps(rows_to_json(found)), encoding="utf-8")
        return 0
    paths = discover(directory, args.only)
    if not paths:
        print(f"no benchmark matches {args.only or 'bench_*.py'} in {directory}", file=sys.stderr)
        return 2
    rows: list[Row] = []
    for path in paths:
        began = time.perf_counter()
        print(f"running {path.stem} …", file=sys.stderr, flush=True)
        if args.in_process:
            rows += run_module(path, ctx, args.debug)
        else:
            rows += run_isolated(path, args)
        print(f"  {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    if args.json:
        values = {row.result.json_key: row.result.value for row in rows if row.result is not None}
        print(json.dumps(values, indent=2))
        for row in rows:
            if row.result is None:
                print(f"{row.module} failed: {row.error}", file=sys.stderr)
    else:
        print(
            f"{ctx.n_campaigns:,} campaigns on {ctx.n_bioreactors} bioreactors, seed {ctx.seed}\n"
        )
        print(format_rows(rows))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
