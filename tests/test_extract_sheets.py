"""Reading data lists: each sheet's heading row and list, and CSV as Excel writes it.

What a reader keeps of a sheet is its name, its heading row and which list
those headings are, never a cell of a data row.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

from annexa.model import FileEntry
from annexa.reading.read import read_facts
from annexa.spec.rules import ColumnRule, ListRule

HEADERS = [
    "Child Unique ID",
    "Child Protection Plan Start Date",
    "Date of the Last Statutory Visit",
]


LIST_7 = ListRule("L7", "List 7", 7, tuple(ColumnRule(h) for h in HEADERS))
SERVICES = ListRule("S", "Services", None, (ColumnRule("Service"), ColumnRule("Budget")))


def read(tmp_path: Path, name: str, data: bytes, lists=(LIST_7, SERVICES)):
    path = tmp_path / name
    path.write_bytes(data)
    stat = path.stat()
    return read_facts(tmp_path, FileEntry(name, stat.st_size, stat.st_mtime_ns), lists)


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The package ``data`` with part ``name`` replaced by ``content``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w") as archive:
        for info in original.infolist():
            archive.writestr(
                info.filename, content if info.filename == name else original.read(info)
            )
    return out.getvalue()


CORE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Annex A lists</dc:title>
<dcterms:created xsi:type="dcterms:W3CDTF">2015-09-01T08:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2015-09-09T08:30:00Z</dcterms:modified>
</cp:coreProperties>"""


def annex_a_workbook(data_rows: int = 50) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Cover"
    first["A1"] = "Annex A child-level data"
    for number in (7, 8):
        sheet = workbook.create_sheet(f"List_{number}")
        sheet.append([f"List {number}: children subject to a plan"])
        sheet.append(HEADERS)
        for row in range(data_rows):
            sheet.append([f"C{row:05}", dt.datetime(2015, 3, 12), 3.0])
    return workbook


def test_every_sheet_gives_its_name_heading_row_and_list_and_no_cell_of_its_rows(tmp_path):
    facts = read(tmp_path, "Annex A.xlsx", workbook_bytes(annex_a_workbook(data_rows=2000)))
    assert facts.error is None and facts.kind == "xlsx"
    assert [s.name for s in facts.sheets] == ["Cover", "List_7", "List_8"]
    cover, list7, _list8 = facts.sheets
    assert (cover.heading_row, cover.holds, cover.headings) == (None, (), ())
    assert (list7.heading_row, list7.holds, list7.holds_name) == (2, ("L7",), "List 7")
    assert list7.headings == tuple(HEADERS)
    assert "C00000" not in repr(facts) and "C01999" not in repr(facts)


def test_without_the_specs_lists_only_the_sheet_names_are_kept(tmp_path):
    facts = read(tmp_path, "Annex A.xlsx", workbook_bytes(annex_a_workbook(2)), lists=())
    assert [(s.name, s.heading_row, s.headings) for s in facts.sheets] == [
        ("Cover", None, ()),
        ("List_7", None, ()),
        ("List_8", None, ()),
    ]
    assert facts.lists_key is None


def test_workbook_core_properties_are_read_raw(tmp_path):
    data = with_part(workbook_bytes(annex_a_workbook(data_rows=1)), "docProps/core.xml", CORE)
    facts = read(tmp_path, "lists.xlsx", data)
    assert dict(facts.metadata) == {
        "core:modified": "2015-09-09T08:30:00Z",
        "core:created": "2015-09-01T08:00:00Z",
    }
    assert [b.text for b in facts.blocks if b.where == "title"] == ["Annex A lists"]


def test_leading_empty_rows_and_columns_keep_their_place(tmp_path):
    workbook = openpyxl.Workbook()
    for column, heading in enumerate(HEADERS, start=2):
        workbook.active.cell(row=3, column=column, value=heading)
    facts = read(tmp_path, "gap.xlsx", workbook_bytes(workbook))
    (sheet,) = facts.sheets
    assert sheet.heading_row == 3
    assert sheet.headings == ("", *HEADERS)


def test_xlsm_is_read_like_xlsx(tmp_path):
    facts = read(tmp_path, "lists.xlsm", workbook_bytes(annex_a_workbook(data_rows=1)))
    assert facts.kind == "xlsx" and facts.error is None and len(facts.sheets) == 3


def test_a_renamed_csv_is_not_an_excel_workbook(tmp_path):
    facts = read(tmp_path, "list7.xlsx", b"Child Unique ID,Start\nC1,2015-03-12\n")
    assert facts.error == "not an Excel workbook: not a zip file"


def test_a_zip_without_a_workbook_says_so(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert (
        read(tmp_path, "x.xlsx", out.getvalue()).error == "not an Excel workbook: no workbook part"
    )


def test_a_workbook_part_with_a_dtd_is_refused(tmp_path):
    data = workbook_bytes(annex_a_workbook(data_rows=1))
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        workbook_xml = original.read("xl/workbook.xml")
    evil = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + workbook_xml
    facts = read(tmp_path, "evil.xlsx", with_part(data, "xl/workbook.xml", evil))
    assert (
        facts.error
        == "not an Excel workbook: refused as unsafe (its XML declares a DTD, which Office never writes)"
    )


def test_styles_too_large_when_unzipped_are_refused(tmp_path):
    data = workbook_bytes(annex_a_workbook(data_rows=1))
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(io.BytesIO(data)) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for name in original.namelist():
            if name == "xl/styles.xml":
                with archive.open(name, "w", force_zip64=True) as part:
                    part.write(b"<styleSheet>")
                    for _ in range(70):
                        part.write(b" " * (1 << 20))
                    part.write(b"</styleSheet>")
            else:
                archive.writestr(name, original.read(name))
    stat = path.stat()
    facts = read_facts(tmp_path, FileEntry("bomb.xlsx", stat.st_size, stat.st_mtime_ns))
    assert facts.error == "too large when unzipped (73 MB)"


# -- rows read by pattern, and by lxml when the pattern cannot -------------------

LOOKED_AFTER = ListRule(
    "LA",
    "Looked after",
    None,
    (
        ColumnRule("Child Unique ID", "text", required=True),
        ColumnRule("Looked after", "code", codes=(("Yes", "Y"), ("No", "N"))),
    ),
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Row 2: a child's id in coloured rich text, and an Excel TRUE in a yes/no column;
# row 3 a code that is none of the column's; row 4 an id of only a coloured space.
_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Child Unique ID</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Looked after</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/><charset val="0"/>'
    '<condense val="0"/></rPr><t>C1</t></r></is></c><c r="B2" t="b"><v>1</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>C2</t></is></c>'
    '<c r="B3" t="inlineStr"><is><t>Maybe</t></is></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><r><rPr><color rgb="FF0000FF"/></rPr>'
    '<t xml:space="preserve"> </t></r></is></c><c r="B4" t="b"><v>0</v></c></row>'
)


def _looked_after(prefixed: bool) -> bytes:
    """A workbook of one list sheet; ``prefixed``: its elements written ``<x:row>``,
    a shape the pattern leaves to lxml."""
    sheet = f'<worksheet xmlns="{_MAIN}"><sheetData>{_ROWS}</sheetData></worksheet>'
    if prefixed:
        sheet = sheet.replace("<", "<x:").replace("<x:/", "</x:").replace("xmlns=", "xmlns:x=")
    data = workbook_bytes(openpyxl.Workbook())
    return with_part(data, "xl/worksheets/sheet1.xml", sheet.encode())


def _problems(tmp_path: Path, data: bytes) -> set[tuple[str, str, tuple[int, ...]]]:
    facts = read(tmp_path, "looked after.xlsx", data, lists=(LOOKED_AFTER,))
    assert facts.error is None
    (sheet,) = facts.sheets
    assert sheet.checked and sheet.data_rows == 3
    return {(p.column, p.kind, p.rows) for p in sheet.problems}


EXPECTED = {("Looked after", "invalid_code", (3,)), ("Child Unique ID", "blank", (4,))}


def test_rich_text_with_a_colour_in_a_row_is_read_by_pattern(tmp_path, monkeypatch):
    def no_lxml(*args: object) -> None:
        raise AssertionError("the rows were read again with lxml")

    monkeypatch.setattr("annexa.reading.workbook._all_rows", no_lxml)
    assert _problems(tmp_path, _looked_after(prefixed=False)) == EXPECTED


def test_rows_read_by_lxml_are_judged_as_rows_read_by_pattern(tmp_path):
    assert _problems(tmp_path, _looked_after(prefixed=True)) == EXPECTED
    assert _problems(tmp_path, _looked_after(prefixed=False)) == EXPECTED


# -- CSV -----------------------------------------------------------------------


def test_utf8_csv_with_byte_order_mark_reads_clean_headers(tmp_path):
    text = (
        ",".join(HEADERS) + "\r\n" + "\r\n".join(f"C{n},12/03/2015,01/04/2015" for n in range(20))
    )
    facts = read(tmp_path, "List 7.csv", ("\ufeff" + text).encode("utf-8"))
    assert facts.error is None and facts.kind == "csv"
    (sheet,) = facts.sheets
    assert sheet.name == "List 7"
    assert (sheet.heading_row, sheet.headings, sheet.holds) == (1, tuple(HEADERS), ("L7",))


def test_windows_csv_with_a_pound_sign_is_decoded(tmp_path):
    data = "Service,Budget (£)\r\nFostering,£1,200\r\n".encode("cp1252")
    spec = ListRule("S", "Services", None, (ColumnRule("Service"), ColumnRule("Budget (£)")))
    facts = read(tmp_path, "budget.csv", data, lists=(spec,))
    assert facts.sheets[0].headings == ("Service", "Budget (£)")


def test_semicolon_csv_is_split_on_semicolons(tmp_path):
    facts = read(tmp_path, "euro.csv", b"Service;Budget\nFostering;1200\n")
    assert facts.sheets[0].headings == ("Service", "Budget")


def test_a_huge_csv_is_only_read_to_its_end_when_its_rows_are_checked(tmp_path):
    """Headings only (no column declares what its cells hold): the first megabyte is
    all that is read; the rows of a 4 MB file are never looked at."""
    header = ",".join(HEADERS) + "\n"
    data = (header + "C1,12/03/2015,01/04/2015\n" * 200_000).encode()
    assert len(data) > 4_000_000
    facts = read(tmp_path, "big.csv", data)
    (sheet,) = facts.sheets
    assert sheet.headings == tuple(HEADERS)
    assert not sheet.checked and sheet.data_rows == 0


def test_a_binary_file_named_csv_is_not_a_csv(tmp_path):
    facts = read(tmp_path, "data.csv", b"PK\x03\x04\x00\x00\x00" + bytes(500))
    assert facts.error == "not a CSV file: it holds binary data"


def test_excel_unicode_text_renamed_to_csv_is_read(tmp_path):
    data = "\ufeffService\tBudget\r\nFostering\t1200\r\n".encode("utf-16-le")
    facts = read(tmp_path, "list.csv", data)
    assert facts.error is None
    assert facts.sheets[0].headings == ("Service", "Budget")


def test_a_semicolon_csv_under_a_banner_is_split_on_semicolons(tmp_path):
    data = b"OFFICIAL-SENSITIVE\nBorsetshire: services\n\nService;Budget\nFostering;1200\n"
    facts = read(tmp_path, "euro.csv", data)
    (sheet,) = facts.sheets
    assert (sheet.heading_row, sheet.headings) == (4, ("Service", "Budget"))


def test_a_csv_record_that_cannot_be_read_is_named_by_its_own_row(tmp_path):
    """Row 5 holds a cell longer than any a reader takes: the message names row 5."""
    rows = ["Child Unique ID,Looked after", "C1,Yes", "C2,No", "C3,Yes", "C4," + "x" * 200_000]
    facts = read(tmp_path, "looked after.csv", "\n".join(rows).encode(), lists=(LOOKED_AFTER,))
    assert facts.error == "damaged CSV: row 5 cannot be read"
