"""Checks on an untrusted file before openpyxl opens it.

An .xlsx is a zip of XML. XML entity attacks are stopped by defusedxml, which openpyxl uses
automatically when it is installed (:func:`require_defusedxml` proves it); zip bombs, absurd
sheet sizes and files that are not workbooks at all are stopped here with one sentence each.
Macros (``vbaProject.bin`` in an .xlsm) are never run or kept: the import reads cell values only
and says so in a warning.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from scheduler_app.excel.errors import ExcelError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_RATIO = 200
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SAVE_AS = "open it in Excel and save it as an Excel Workbook (.xlsx)"


def require_defusedxml() -> None:
    """Refuse to read workbooks if openpyxl would parse XML without defusedxml."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise ExcelError(
            "Reading workbooks needs the defusedxml package (protection against XML attacks); "
            "install it and try again."
        )


def check_workbook_file(path: Path) -> list[str]:
    """Raise :class:`ExcelError` unless ``path`` looks like a bounded .xlsx; return warnings."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ExcelError(f"Cannot read {name}: the file does not exist.") from None
    except IsADirectoryError:
        raise ExcelError(f"Cannot read {name}: it is a folder, not a workbook.") from None
    except OSError as error:
        raise ExcelError(f"Cannot read {name}: {error.strerror or error}.") from None
    if size > MAX_FILE_BYTES:
        raise ExcelError(
            f"{name} is {size // (1024 * 1024)} MB, more than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB a schedule workbook can be."
        )
    if head.startswith(_OLE_MAGIC):
        raise ExcelError(
            f"{name} is an old Excel 97-2003 (.xls) or password-protected file; {_SAVE_AS} "
            "without a password."
        )
    if not head.startswith(_ZIP_MAGIC):
        if _looks_like_text(path):
            raise ExcelError(f"{name} is a text or CSV file, not an Excel workbook; {_SAVE_AS}.")
        raise ExcelError(f"{name} is not an Excel workbook (.xlsx).")
    return _check_archive(path)


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    if not sample or b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_archive(path: Path) -> list[str]:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ExcelError(f"{name} is damaged or not an Excel workbook (.xlsx).") from None
    if len(entries) > MAX_ENTRIES:
        raise ExcelError(
            f"{name} holds {len(entries)} parts, more than a schedule workbook can "
            f"({MAX_ENTRIES}); it was refused as unsafe."
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ExcelError(
            f"{name} unpacks to {total // (1024 * 1024)} MB, more than a schedule workbook can "
            f"({MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB); it was refused as unsafe."
        )
    for entry in entries:
        if entry.file_size > 1_000_000 and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise ExcelError(
                f"{name} is compressed {entry.file_size // max(entry.compress_size, 1)} to 1, "
                "which only a zip bomb is; it was refused as unsafe."
            )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        raise ExcelError(f"{name} is a zip file but not an Excel workbook (.xlsx).")
    warnings = []
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        warnings.append(f"{name} contains macros; they were ignored (only cell values are read).")
    return warnings


def check_dimensions(sheet: str, max_row: int | None, max_column: int | None) -> None:
    """Refuse a sheet that declares more rows or columns than any schedule needs."""
    if max_row is not None and max_row > MAX_ROWS:
        raise ExcelError(
            f"Sheet {sheet} declares {max_row:,} rows, more than the {MAX_ROWS:,} an import "
            "accepts; delete the unused rows and try again."
        )
    if max_column is not None and max_column > MAX_COLUMNS:
        raise ExcelError(
            f"Sheet {sheet} declares {max_column:,} columns, more than the {MAX_COLUMNS:,} an "
            "import accepts; delete the unused columns and try again."
        )
