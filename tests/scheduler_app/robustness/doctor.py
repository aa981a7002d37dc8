"""Doctoring a workbook's XML the way a broken tool (or an attacker) would, to test the import."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path


def rewrite_parts(path: Path, change: Callable[[str, str], str]) -> Path:
    """Rewrite every XML part of ``path`` through ``change(name, text)``, in place."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename.endswith(".xml"):
                data = change(info.filename, data.decode("utf-8")).encode("utf-8")
            archive.writestr(info, data)
    return path


def sheet_part(path: Path, title: str) -> str:
    """The zip part name of the sheet called ``title`` (read from workbook.xml and its rels)."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    sheet = re.search(rf'<sheet name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', workbook)
    assert sheet is not None, title
    target = re.search(rf'Id="{sheet.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{sheet.group(1)}"', rels
    )
    assert target is not None
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def set_dimension(path: Path, title: str, ref: str) -> Path:
    """Make sheet ``title`` declare ``<dimension ref=...>`` whatever it really holds."""
    part = sheet_part(path, title)

    def change(name: str, text: str) -> str:
        if name != part:
            return text
        return re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', text, count=1)

    return rewrite_parts(path, change)
