"""Packaging hook (the project is described in pyproject.toml): a built wheel carries the
repository's ``resources/`` and ``docs/`` inside the ``ui`` package, as ``ui/_bundled/resources``
and ``ui/_bundled/docs``, so that a plain ``pip install .`` shows its icons, style and About text
and opens Help → User guide. A checkout (or an editable install, or the PyInstaller folder) reads
them where they stand; ``ui/resources.py`` looks in both places."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("resources", "docs")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's own folders
        target = Path(self.build_lib) / "ui" / "_bundled"
        for name in BUNDLED:
            shutil.copytree(
                ROOT / name,
                target / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildWithData})
