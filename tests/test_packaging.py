"""A plain (non-editable) install carries resources/ and docs/: setup.py's build step, the one a
wheel is made from, bundles them into the ui package, and the app looks there first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_build_bundles_resources_and_docs_where_the_app_finds_them(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "lib"
    subprocess.run(
        [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path),
         "build_py", "--build-lib", str(lib)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    bundled = lib / "ui" / "_bundled"
    for name in ("resources", "docs"):
        wanted = sorted(
            path.relative_to(ROOT / name)
            for path in (ROOT / name).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
        assert wanted, name
        for relative in wanted:
            copied = bundled / name / relative
            assert copied.read_bytes() == (ROOT / name / relative).read_bytes(), copied
    # The installed tree alone (not this checkout) on the path: ui.resources finds the bundle.
    env = {**os.environ, "PYTHONPATH": str(lib), "QT_QPA_PLATFORM": "offscreen"}
    found = subprocess.run(
        [sys.executable, "-c",
         "import ui.resources as r; print(r.RESOURCES); print(r.DOCS); "
         "print(len(r.style_sheet()) > 0, r.about_text() != 'Campaign Scheduler')"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True,
    ).stdout.split("\n")  # fmt: skip
    assert found[:3] == [str(bundled / "resources"), str(bundled / "docs"), "True True"]
