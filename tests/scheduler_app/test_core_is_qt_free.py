"""The core never imports Qt: statically (every import statement under ``scheduler_app/``) and
dynamically (importing every core module leaves PySide6 out of ``sys.modules``)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "scheduler_app"
FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6", "shiboken2", "ui")


def _forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN


def qt_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every forbidden module an import statement in ``source`` names (also inside functions
    and ``TYPE_CHECKING`` blocks, which a lazy import could hide in)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _forbidden(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _forbidden(node.module):
                found.append(node.module)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            argument = node.args[0]
            named = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            if named and _forbidden(argument.value):
                found.append(argument.value)
    return found


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__") and bool(node.args)


def core_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts
    )


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "from PySide6.QtCore import QObject",
        "import pyqtgraph as pg",
        "def f():\n    from ui.timeline import view",
        "import shiboken6",
        "from PyQt6 import QtWidgets",
        "import importlib\nimportlib.import_module('PySide6.QtGui')",
    ],
)
def test_the_scanner_catches_qt_imports(source: str) -> None:
    assert qt_imports(source)


@pytest.mark.parametrize(
    "source", ["import json", "from scheduler_app.ui_text import x", "from . import ui"]
)
def test_the_scanner_lets_core_imports_pass(source: str) -> None:
    assert qt_imports(source) == []


def test_no_core_file_imports_qt_or_the_ui_package() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 10
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in files
        if (names := qt_imports(path.read_text(encoding="utf-8"), str(path)))
    }
    assert offenders == {}


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = core_modules()
    assert "scheduler_app.demo" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{list(FORBIDDEN)!r})\n"
        "print(json.dumps(qt))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
