"""Reading data lists: the first rows of every worksheet, and CSV as Excel writes it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

from annexa.model import FileEntry
from annexa.reading.read import read_facts

HEADERS = [
    "Child Unique ID",
    "Child Protection Plan Start Date",
    "Date of the Last Statutory Visit",
]


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    stat = path.stat()
    return read_facts(tmp_path, FileEntry(name, stat.st_size, stat.st_mtime_ns))


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


def test_every_sheet_gives_its_first_five_rows_as_strings(tmp_path):
    facts = read(tmp_path, "Annex A.xlsx", workbook_bytes(annex_a_workbook(data_rows=2000)))
    assert facts.error is None and facts.kind == "xlsx"
    assert [s.name for s in facts.sheets] == ["Cover", "List_7", "List_8"]
    list7 = facts.sheets[1]
    assert len(list7.rows) == 5
    assert list7.rows[0] == ("List 7: children subject to a plan",)
    assert list7.rows[1] == tuple(HEADERS)
    assert list7.rows[2] == ("C00000", "2015-03-12", "3")
    assert facts.sheets[0].rows == (("Annex A child-level data",),)


def test_workbook_core_properties_are_read_raw(tmp_path):
    data = with_part(workbook_bytes(annex_a_workbook(data_rows=1)), "docProps/core.xml", CORE)
    facts = read(tmp_path, "lists.xlsx", data)
    assert dict(facts.metadata) == {
        "core:modified": "2015-09-09T08:30:00Z",
        "core:created": "2015-09-01T08:00:00Z",
    }
    assert [b.text for b in facts.blocks if b.where == "title"] == ["Annex A lists"]


def test_leading_empty_rows_keep_their_place(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["B3"] = "Child Unique ID"
    facts = read(tmp_path, "gap.xlsx", workbook_bytes(workbook))
    assert facts.sheets[0].rows == ((), (), ("", "Child Unique ID"))


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


# -- CSV -----------------------------------------------------------------------


def test_utf8_csv_with_byte_order_mark_reads_clean_headers(tmp_path):
    text = (
        ",".join(HEADERS) + "\r\n" + "\r\n".join(f"C{n},12/03/2015,01/04/2015" for n in range(20))
    )
    facts = read(tmp_path, "List 7.csv", ("\ufeff" + text).encode("utf-8"))
    assert facts.error is None and facts.kind == "csv"
    (sheet,) = facts.sheets
    assert sheet.name == "List 7"
    assert sheet.rows[0] == tuple(HEADERS)
    assert len(sheet.rows) == 5


def test_windows_csv_with_a_pound_sign_is_decoded(tmp_path):
    data = "Service,Budget\r\nFostering,£1,200\r\n".encode("cp1252")
    facts = read(tmp_path, "budget.csv", data)
    assert facts.sheets[0].rows == (("Service", "Budget"), ("Fostering", "£1", "200"))


def test_semicolon_csv_is_split_on_semicolons(tmp_path):
    facts = read(tmp_path, "euro.csv", b"Child Unique ID;Start date\nC1;12/03/2015\n")
    assert facts.sheets[0].rows[0] == ("Child Unique ID", "Start date")


def test_a_huge_csv_costs_only_its_first_megabyte(tmp_path):
    header = ",".join(HEADERS) + "\n"
    data = (header + "C1,12/03/2015,01/04/2015\n" * 200_000).encode()
    assert len(data) > 4_000_000
    facts = read(tmp_path, "big.csv", data)
    assert facts.sheets[0].rows[0] == tuple(HEADERS)
    assert len(facts.sheets[0].rows) == 5


def test_a_binary_file_named_csv_is_not_a_csv(tmp_path):
    facts = read(tmp_path, "data.csv", b"PK\x03\x04\x00\x00\x00" + bytes(500))
    assert facts.error == "not a CSV file: it holds binary data"


def test_excel_unicode_text_renamed_to_csv_is_read(tmp_path):
    data = "\ufeffChild Unique ID\tStart date\r\nC1\t12/03/2015\r\n".encode("utf-16-le")
    facts = read(tmp_path, "list.csv", data)
    assert facts.error is None
    assert facts.sheets[0].rows == (("Child Unique ID", "Start date"), ("C1", "12/03/2015"))
