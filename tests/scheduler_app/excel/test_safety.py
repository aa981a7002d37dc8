"""Untrusted workbooks: every attack or wrong file is one ExcelError sentence, never a traceback,
and no partial result."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import hypothesis.strategies as st
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from scheduler_app.excel import ExcelError, read_workbook, safety, write_workbook
from tests.factories import campaign, small_schedule
from tests.scheduler_app.excel.workbooks import make_workbook

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)


def _valid(tmp_path: Path) -> Path:
    schedule = small_schedule()
    campaign(schedule, "CMP-0001", notes="hello")
    path = tmp_path / "valid.xlsx"
    write_workbook(schedule, path, conflicts=[])
    return path


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) the named entries, adding new ones."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename in change:
                continue
            new.writestr(item, old.read(item.filename))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)
    return target


def _sheet_xml(path: Path, name: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    safety.require_defusedxml()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_billion_laughs_is_refused(tmp_path: Path, part: str) -> None:
    valid = _valid(tmp_path)
    body = _sheet_xml(valid, part).split("?>", 1)[1]
    if part.endswith("workbook.xml"):
        poisoned = LAUGHS + body.replace('name="Campaigns"', 'name="&lol9;"')
    else:
        poisoned = LAUGHS + body.replace(
            "</sheetData>",
            '<row r="99"><c r="A99" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>',
        )
    bad = _rewrite(valid, tmp_path / "laughs.xlsx", {part: poisoned.encode()})

    with pytest.raises(
        ExcelError, match="contains XML entity or DTD declarations, which are used in attacks"
    ):
        read_workbook(bad, small_schedule())


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path: Path) -> None:
    valid = _valid(tmp_path)
    bomb = _rewrite(valid, tmp_path / "bomb.xlsx", {"xl/media/padding.bin": b"\0" * 20_000_000})

    with pytest.raises(ExcelError, match="zip bomb"):
        read_workbook(bomb, small_schedule())


def test_total_size_and_entry_count_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    valid = _valid(tmp_path)
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(ExcelError, match="unpacks to .* refused as unsafe"):
        read_workbook(valid, small_schedule())
    monkeypatch.undo()
    many = _rewrite(valid, tmp_path / "many.xlsx", {f"x/{n}.xml": b"" for n in range(2_001)})
    with pytest.raises(ExcelError, match="holds 20.. parts"):
        read_workbook(many, small_schedule())


def test_absurd_declared_dimensions_are_refused(tmp_path: Path) -> None:
    valid = _valid(tmp_path)
    xml = _sheet_xml(valid)
    assert '<dimension ref="A1:' in xml
    start = xml.index('<dimension ref="')
    end = xml.index("/>", start)
    huge = xml[:start] + '<dimension ref="A1:XFD1048576"' + xml[end:]
    bad = _rewrite(valid, tmp_path / "huge.xlsx", {"xl/worksheets/sheet1.xml": huge.encode()})

    with pytest.raises(ExcelError, match="declares 1,048,576 rows"):
        read_workbook(bad, small_schedule())


def test_a_far_away_cell_without_dimension_is_bounded(tmp_path: Path) -> None:
    header = ["ID", "Product", "Bioreactor", "Start", "Batches"]
    path = make_workbook(tmp_path / "far.xlsx", {"Campaigns": [header]})
    xml = _sheet_xml(path)
    start = xml.index("<dimension")
    xml = xml[:start] + xml[xml.index("/>", start) + 2 :]
    xml = xml.replace(
        "</sheetData>", '<row r="900000"><c r="A900000" t="n"><v>1</v></c></row></sheetData>'
    )
    far = _rewrite(path, tmp_path / "far2.xlsx", {"xl/worksheets/sheet1.xml": xml.encode()})

    with pytest.raises(ExcelError, match="more than 200,000 rows"):
        read_workbook(far, small_schedule())


def test_macros_are_ignored_with_a_warning(tmp_path: Path) -> None:
    valid = _valid(tmp_path)
    xlsm = _rewrite(valid, tmp_path / "plan.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"})

    result = read_workbook(xlsm, small_schedule())

    assert set(result.schedule.campaigns) == {"CMP-0001"}
    assert any("contains macros; they were ignored" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel 97-2003 (.xls)"),
        (b"Campaign ID,Product\nCMP-0001,ABX-201\n", "text or CSV file"),
        (bytes(range(256)) * 4, "is not an Excel workbook"),
        (b"", "is not an Excel workbook"),
        (b"PK\x03\x04 not really a zip", "damaged or not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)

    with pytest.raises(ExcelError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_workbook(path, small_schedule())


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "docs.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ExcelError, match="zip file but not an Excel workbook"):
        read_workbook(path, small_schedule())


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ExcelError, match="does not exist"):
        read_workbook(tmp_path / "nope.xlsx", None)
    with pytest.raises(ExcelError, match="is a folder"):
        read_workbook(tmp_path, None)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2_000))
def test_random_bytes_raise_only_excel_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(content)
    with pytest.raises(ExcelError):
        read_workbook(path, small_schedule())


_VALID_BYTES: dict[str, bytes] = {}


def _valid_parts(tmp_path: Path) -> dict[str, bytes]:
    if not _VALID_BYTES:
        with zipfile.ZipFile(_valid(tmp_path)) as archive:
            _VALID_BYTES.update({name: archive.read(name) for name in archive.namelist()})
    return _VALID_BYTES


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_workbooks_raise_only_excel_error(tmp_path: Path, data: st.DataObject) -> None:
    """Cut, duplicate or overwrite bytes inside one XML part, then read: a result or an
    ExcelError, nothing else (a KeyError or a parser error would fail this test)."""
    parts = dict(_valid_parts(tmp_path))
    name = data.draw(st.sampled_from(sorted(parts)))
    blob = parts[name]
    at = data.draw(st.integers(0, max(len(blob) - 1, 0)))
    length = data.draw(st.integers(0, 40))
    action = data.draw(st.sampled_from(["cut", "insert", "overwrite"]))
    noise = data.draw(
        st.binary(min_size=1, max_size=40)
        | st.sampled_from(
            [b"<", b">", b"&", b'"', b'<c r="ZZZ9"/>', b'<row r="-1">', b't="s"', b"\xff\xfe"]
        )
    )
    if action == "cut":
        blob = blob[:at] + blob[at + length :]
    elif action == "insert":
        blob = blob[:at] + noise + blob[at:]
    else:
        blob = blob[:at] + noise + blob[at + len(noise) :]
    parts[name] = blob
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(buffer.getvalue())

    with contextlib.suppress(ExcelError):
        read_workbook(path, small_schedule())


_HEADERS = ["Campaign ID", "ID", "Product", "Bioreactor", "Reactor", "Start", "Start date",
            "End", "Batches", "# batches", "Batch days", "Turnaround days", "Status", "Due",
            "Notes", "Site", "Suite", "Client", "Comments", "Comments", None, 42]  # fmt: skip
_CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "ABX-201",
            "CDX-110",
            "SYR-BR501",
            "SDO-SU01",
            "SYR",
            "Songdo Bio Campus Plant 1",
            "CMP-0001",
            "planned",
            "in progress",
            "2027-02-30",
            "3/1/2027",
            "=SUM(A1)",
            "",
            " ",
            "1e308",
            "nan",
            "-0",
        ]
    ),  # fmt: skip
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(
        min_value=__import__("datetime").datetime(1900, 3, 1),
        max_value=__import__("datetime").datetime(2200, 1, 1),
    ),
    st.times(),
    st.timedeltas(
        min_value=__import__("datetime").timedelta(0),
        max_value=__import__("datetime").timedelta(days=3),
    ),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(_HEADERS), min_size=1, max_size=10),
    rows=st.lists(st.lists(_CELLS, max_size=12), max_size=8),
    title_rows=st.integers(0, 3),
)
def test_random_workbooks_give_a_result_or_excel_error(
    tmp_path: Path, header: list[object], rows: list[list[object]], title_rows: int
) -> None:
    """Any grid of values under any mix of headers: a result whose campaigns are all valid, or
    one ExcelError; never another exception."""
    sheets = {"Campaigns": [["Plan"]] * title_rows + [header, *rows]}
    path = make_workbook(tmp_path / "random.xlsx", sheets)
    try:
        result = read_workbook(path, small_schedule())
    except ExcelError:
        return
    for made in result.schedule.campaigns.values():
        assert made.batches >= 1 and made.batch_days >= 1 and made.turnaround_days >= 0
        assert made.product in result.schedule.products
        assert made.bioreactor in result.schedule.bioreactors
        for _, value in made.extra:
            assert (
                value is None
                or isinstance(value, str | int | float | bool)
                or hasattr(value, "hour")
            )
