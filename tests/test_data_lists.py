"""The child-level data lists, end to end: workbooks and CSV made on the fly, scanned.

Every test writes real files (openpyxl, csv) into a folder and runs the real
pipeline (inventory, worker extraction, dating, evaluation) against the
bundled ``ilacs-lists`` spec or a small spec written beside the folder, with
the as-of date the first day of an inspection (Monday 21 September 2015), as
business support staff run it in the notification week. The rows are
invented and valid (tests/council_lists.py), so what is judged here is the
layout of the lists and their dates; their rows are tested in
test_list_rows.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from lxml import etree

from annexa.cli import main
from annexa.model import ItemResult, Report, Severity, Status
from annexa.pipeline import Scanner, read_function, scan
from annexa.reading.inline import InlineExtractor
from annexa.reading.pool import WorkerPoolExtractor
from annexa.spec import load_spec
from annexa.spec.rules import Spec
from tests.council_lists import make_rows

MONDAY = dt.date(2015, 9, 21)  # the first day of the inspection: the as-of date
LISTS = load_spec("ilacs-lists")
ALL = [f"L{number}" for number in range(1, 12)]

Rows = Sequence[Sequence[object]]


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPoolExtractor]:
    """One worker pool for the module: the killable readers ``annexa scan`` uses."""
    extractor = WorkerPoolExtractor(workers=1, read=read_function(LISTS))
    yield extractor
    extractor.close()


@pytest.fixture
def share(tmp_path: Path) -> Path:
    """The folder being checked; specs written by the tests live beside it, not in it."""
    folder = tmp_path / "Annex A lists"
    folder.mkdir()
    return folder


# -- making files ----------------------------------------------------------------


def columns_of(list_id: str, *, drop: Sequence[str] = ()) -> list[str]:
    """The headings the bundled spec asks of a list, less those a test leaves out."""
    return [column for column in LISTS.item(list_id).columns if column not in drop]


def list_sheet(
    list_id: str, *, drop: Sequence[str] = (), title_row: bool = True, rows: int = 2
) -> list[list]:
    """A list sheet as Ofsted's template lays it out: title, headings, valid rows."""
    columns = columns_of(list_id, drop=drop)
    out: list[list] = [[LISTS.item(list_id).title]] if title_row else []
    out.append(list(columns))
    for row in make_rows(list_id, rows, random.Random(list_id)):
        out.append([_cell(row[column]) for column in columns])
    return out


def _cell(value: object) -> object:
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def workbook_bytes(sheets: dict[str, Rows]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def core_xml(*, modified: str | None = None, title: str | None = None) -> bytes:
    """docProps/core.xml as Excel writes it (openpyxl stamps the time of saving)."""
    parts = []
    if title:
        parts.append(f"<dc:title>{title}</dc:title>")
    if modified:
        parts.append(f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        + "".join(parts)
        + "</cp:coreProperties>"
    ).encode()


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The package ``data`` with these parts replaced, or added when new."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.get(info.filename, source.read(info)))
        for name in sorted(set(parts) - set(source.namelist())):
            target.writestr(name, parts[name])
    return out.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def as_excel_saves_it(data: bytes) -> tuple[bytes, list[str]]:
    """The workbook with its text in a shared strings table, as Excel writes it.

    openpyxl writes every string inline in its cell; Excel writes each
    distinct string once in xl/sharedStrings.xml and the cell holds its index.
    Returns the package and the strings, in table order.
    """
    strings: dict[str, int] = {}
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            root = etree.fromstring(package.read(name))
            for cell in root.iter(f"{{{MAIN}}}c"):
                if cell.get("t") == "inlineStr":
                    text = "".join(cell.itertext())
                    for child in list(cell):
                        cell.remove(child)
                    cell.set("t", "s")
                    value = etree.SubElement(cell, f"{{{MAIN}}}v")
                    value.text = str(strings.setdefault(text, len(strings)))
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        rels = package.read("xl/_rels/workbook.xml.rels")
        types = package.read("[Content_Types].xml")
    parts["xl/sharedStrings.xml"] = shared_strings_part(list(strings))
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSST" Type="{SST_TYPE}" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    parts["[Content_Types].xml"] = types.replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CONTENT}"/></Types>'.encode(),
    )
    return replace_parts(data, parts), list(strings)


def shared_strings_part(strings: Sequence[str]) -> bytes:
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()


def write_workbook(
    folder: Path,
    name: str,
    sheets: dict[str, Rows],
    *,
    modified: str | None = "2015-09-17T09:00:00Z",
    title: str | None = None,
) -> Path:
    """An .xlsx with these sheets and a fixed 'modified' property (None: no dates)."""
    data = replace_parts(
        workbook_bytes(sheets), {"docProps/core.xml": core_xml(modified=modified, title=title)}
    )
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def template(
    lists: Sequence[str] = ALL, *, drop: dict[str, Sequence[str]] | None = None
) -> dict[str, Rows]:
    """Ofsted's template workbook: a front sheet, then List_1 ... List_11."""
    sheets: dict[str, Rows] = {"Front_Sheet": [["Annex A: child level data"]]}
    for list_id in lists:
        sheets[f"List_{list_id[1:]}"] = list_sheet(list_id, drop=(drop or {}).get(list_id, ()))
    return sheets


def write_csv(
    folder: Path, name: str, rows: Rows, *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> Path:
    path = folder / name
    text = [[f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else v for v in row] for row in rows]
    with path.open("w", newline="", encoding=encoding) as out:
        csv.writer(out, delimiter=delimiter).writerows(text)
    return path


def spec_file(tmp_path: Path, items: str, *, defaults: str = "") -> Spec:
    path = tmp_path / "lists-spec.toml"
    path.write_text(
        '[spec]\nname = "Test lists"\nversion = "1"\n\n[defaults]\n'
        'formats = ["xlsx", "xlsm", "csv"]\nmax_age = "5 days"\ndue_soon = "0 days"\n'
        + defaults
        + "\n"
        + items,
        encoding="utf-8",
    )
    return load_spec(path)


def run(
    folder: Path, pool: WorkerPoolExtractor, spec: Spec = LISTS, as_of: dt.date = MONDAY
) -> Report:
    """A scan with the module's reader processes, or read in this process under another spec."""
    if spec is not LISTS:
        return scan(folder, spec, as_of, extractor=InlineExtractor(read_function(spec)))
    return scan(folder, spec, as_of, extractor=pool)


def items(report: Report) -> dict[str, ItemResult]:
    return {item.id: item for item in report.items}


def statuses(report: Report) -> dict[str, str]:
    return {item.id: item.status.value for item in report.items}


# -- the layout of a list --------------------------------------------------------


def test_ofsted_template_with_a_title_row_then_headings_satisfies_each_list(share, pool):
    write_workbook(share, "Annex A 2015-09-17.xlsx", template())
    found = items(run(share, pool))
    assert {i: r.status for i, r in found.items()} == dict.fromkeys(ALL, Status.OK)
    assert found["L7"].reason == (
        "In date until 22 September 2015: dated 17 September 2015 in its file name, "
        "valid for 5 days."
    )


def test_headings_in_row_one_count_as_well(share, pool):
    sheets = {"List_3": list_sheet("L3", title_row=False)}
    write_workbook(share, "Annex A 2015-09-17.xlsx", sheets)
    assert items(run(share, pool))["L3"].status is Status.OK


def test_headings_below_a_banner_a_title_and_notes_are_found_up_to_row_twenty(share, pool):
    above = [["OFFICIAL-SENSITIVE"], ["Borsetshire County Council"], ["List 3: Referrals"]]
    above += [[f"Note {n}"] for n in range(14)] + [[]]
    assert len(above) == 18
    write_workbook(share, "Annex A 2015-09-17.xlsx", {"List_3": above + list_sheet("L3")[1:]})
    assert items(run(share, pool))["L3"].status is Status.OK


def test_headings_lower_than_row_twenty_are_not_looked_for(share, pool):
    notes = [["Borsetshire County Council"]] + [[]] * 19
    write_workbook(share, "Annex A 2015-09-17.xlsx", {"List_3": notes + list_sheet("L3")[1:]})
    item = items(run(share, pool))["L3"]
    assert item.status is Status.INCOMPLETE
    assert item.reason == (
        "The tab 'List_3' has no row of List 3's headings in its first 20 rows "
        "(Annex A 2015-09-17.xlsx)."
    )


def test_extra_columns_and_any_order_of_columns_are_accepted(share, pool):
    columns = columns_of("L1")
    headings = ["Local reference", *reversed(columns), "Team", "Notes"]
    write_workbook(share, "Annex A 2015-09-17.xlsx", {"List_1": [["List 1: Contacts"], headings]})
    assert items(run(share, pool))["L1"].status is Status.OK


def test_missing_columns_are_named_exactly_in_the_specs_order(share, pool):
    # Left out in the opposite order to the spec's; the reason follows the spec.
    lacking = ["Was the Child Seen Alone?", "Date of the Last Statutory Visit"]
    write_workbook(share, "Annex A 2015-09-17.xlsx", template(drop={"L7": lacking}))
    report = run(share, pool)
    item = items(report)["L7"]
    assert item.status is Status.INCOMPLETE and item.severity is Severity.ERROR
    assert item.reason == (
        "List 7 lacks the columns 'Date of the Last Statutory Visit', "
        "'Was the Child Seen Alone?' (Annex A 2015-09-17.xlsx)."
    )
    assert item.file == "Annex A 2015-09-17.xlsx"
    others = {i: s for i, s in statuses(report).items() if i != "L7"}
    assert set(others.values()) == {"ok"}


def test_one_missing_column_is_named_in_the_singular(share, pool):
    write_workbook(share, "Annex A 2015-09-17.xlsx", template(drop={"L9": ["LA in Touch"]}))
    assert items(run(share, pool))["L9"].reason.startswith(
        "List 9 lacks the column 'LA in Touch' ("
    )


def test_workbook_without_the_list_is_incomplete_and_names_the_tabs_it_has(share, pool):
    lists = [list_id for list_id in ALL if list_id != "L5"]
    write_workbook(share, "Annex A 2015-09-17.xlsx", template(lists))
    item = items(run(share, pool))["L5"]
    assert item.status is Status.INCOMPLETE
    assert item.reason.startswith(
        "The workbook has no tab with List 5's columns (its tabs: 'Front_Sheet', 'List_1', "
        "'List_2', 'List_3', 'List_4', 'List_6',"
    )


def test_list_1_absent_while_list_11_present_leaves_list_1_incomplete(share, pool):
    # List 11's tab given List 1's headings too: it holds List 11, never List 1.
    list_11 = [["List 11: Adopters"], columns_of("L11") + columns_of("L1")]
    write_workbook(share, "Annex A 2015-09-17.xlsx", {"List_11": list_11, "List_10": []})
    found = items(run(share, pool))
    assert found["L1"].status is Status.INCOMPLETE
    assert "has no tab with List 1's columns" in found["L1"].reason
    assert found["L11"].status is Status.OK


@pytest.mark.parametrize("name", ["List_7", "List 7", "LIST7", "list-7", "List.7", " List 7 "])
def test_a_sheet_name_counts_whatever_its_case_spaces_and_punctuation(share, pool, name):
    write_workbook(share, "Annex A 2015-09-17.xlsx", {name: list_sheet("L7")})
    assert items(run(share, pool))["L7"].status is Status.OK


@pytest.mark.parametrize(
    "name", ["List 7 - Child protection", "CP plans", "Old List 7", "Sheet1", "List 7a"]
)
def test_a_list_is_found_by_its_headings_whatever_its_tab_is_called(share, pool, name):
    write_workbook(share, "Annex A 2015-09-17.xlsx", {name: list_sheet("L7")})
    assert items(run(share, pool))["L7"].status is Status.OK


@pytest.mark.parametrize("name", ["List_17", "List 70", "List 1"])
def test_a_tab_named_for_another_list_holding_this_one_is_reported(share, pool, name):
    write_workbook(share, "Annex A 2015-09-17.xlsx", {name: list_sheet("L7")})
    item = items(run(share, pool))["L7"]
    assert item.status is Status.INCOMPLETE
    number = name.rsplit(" ", 1)[-1].rsplit("_", 1)[-1]
    assert item.reason == (
        f"List 7's columns are on the tab '{name}', which is named for List {number} "
        "(Annex A 2015-09-17.xlsx)."
    )


def test_heading_cells_match_whatever_their_case_and_spacing(share, pool):
    odd = {
        "Child Unique ID": "  CHILD UNIQUE ID ",
        "Date of Birth": "Date of\nBirth",  # Alt+Enter in Excel
        "Age of Child (Years)": "age\u00a0of  child (years)",  # a non-breaking space
        "Was the Child Seen Alone?": "was the child\tseen alone?",
    }
    headings = [odd.get(column, column) for column in columns_of("L7")]
    write_workbook(share, "Annex A 2015-09-17.xlsx", {"List_7": [["List 7"], headings]})
    assert items(run(share, pool))["L7"].status is Status.OK


def test_headings_councils_write_differently_are_found_by_their_other_names(share, pool):
    other = {"Child Unique ID": "ChildUniqueID", "Age of Child (Years)": "Age"}
    other["Date of Birth"] = "Date Birth"
    headings = [other.get(c, c) for c in columns_of("L7")]
    write_workbook(share, "Annex A 2015-09-17.xlsx", {"List_7": [["List 7"], headings]})
    assert items(run(share, pool))["L7"].status is Status.OK


def test_a_heading_not_known_says_what_was_found_and_what_to_rename_it_to(tmp_path, share, pool):
    spec = spec_file(
        tmp_path,
        '[[item]]\nid = "L1"\ntitle = "List 1: Contacts"\npatterns = ["**/*list*1*"]\n'
        'sheet = "List 1"\ncolumns = ["Child Unique ID", "Gender", "Age of Child (Years)", '
        '"Date of Contact"]\n',
    )
    rows = [
        ["Child Unique ID", "Gender", "Age", "Contact Date"],
        ["BCC1", "a) Male", 5, "01/09/2015"],
    ]
    write_csv(share, "List 1 2015-09-17.csv", rows)
    item = items(run(share, pool, spec))["L1"]
    assert item.status is Status.INCOMPLETE
    assert item.reason == (
        "List 1 lacks the columns 'Age of Child (Years)', 'Date of Contact': "
        "found 'Age'; rename it to 'Age of Child (Years)'; "
        "found 'Contact Date'; rename it to 'Date of Contact' (List 1 2015-09-17.csv)."
    )
    assert item.action.startswith("Rename the headings as shown")


def test_a_workbook_saved_by_excel_with_shared_strings_is_checked_the_same(share, pool):
    data, strings = as_excel_saves_it(workbook_bytes(template(drop={"L7": ["Gender"]})))
    assert "Child Unique ID" in strings
    (share / "Annex A 2015-09-17.xlsx").write_bytes(data)
    report = run(share, pool)
    assert statuses(report) == {**dict.fromkeys(ALL, "ok"), "L7": "incomplete"}
    assert items(report)["L7"].reason.startswith("List 7 lacks the column 'Gender' (")


def test_a_heading_in_rich_text_reads_as_its_plain_words(share, pool):
    """Part of a heading in bold is stored as runs, with Japanese-style reading
    guides (phonetic runs) that Excel never shows: only the runs count."""
    data, strings = as_excel_saves_it(workbook_bytes({"List_7": list_sheet("L7")}))
    rich = (
        "<si><r><t>Was the </t></r><r><rPr><b/></rPr><t>Child</t></r>"
        '<r><t xml:space="preserve"> Seen Alone?</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>'
    )
    plain = f'<si><t xml:space="preserve">{escape("Was the Child Seen Alone?")}</t></si>'
    sst = shared_strings_part(strings)
    assert plain.encode() in sst
    data = replace_parts(data, {"xl/sharedStrings.xml": sst.replace(plain.encode(), rich.encode())})
    (share / "Annex A 2015-09-17.xlsx").write_bytes(data)
    assert items(run(share, pool))["L7"].status is Status.OK


# -- CSV lists ---------------------------------------------------------------------


def test_a_csv_list_is_its_own_sheet_and_is_dated_by_its_file_name(share, pool):
    write_csv(share, "List 9 Care leavers 2015-09-17.csv", list_sheet("L9", title_row=False))
    item = items(run(share, pool))["L9"]
    assert item.status is Status.OK
    assert (item.date, item.date_source) == (dt.date(2015, 9, 17), "filename")


def test_a_csv_list_lacking_a_column_names_it(share, pool):
    rows = list_sheet("L3", drop=["Referral NFA?"], title_row=False)
    write_csv(share, "List_3 2015-09-17.csv", rows, delimiter=";")
    item = items(run(share, pool))["L3"]
    assert item.reason == "List 3 lacks the column 'Referral NFA?' (List_3 2015-09-17.csv)."


def test_a_csv_in_the_windows_code_page_with_a_pound_sign_is_read(tmp_path, share, pool):
    spec = spec_file(
        tmp_path,
        '[[item]]\nid = "L8"\ntitle = "List 8: Children in care"\n'
        'patterns = ["**/*list*8*"]\nsheet = "List 8"\n'
        'columns = ["Child Unique ID", "Weekly Cost (£)", "Placement Provider"]\n',
    )
    rows = [
        ["Child Unique ID", "Weekly Cost (£)", "Placement Provider"],
        ["BCC0001", "£1,250.00", "Ashdown Fostering – Café Lane"],
    ]
    path = write_csv(share, "List 8 2015-09-17.csv", rows, encoding="cp1252")
    assert b"\xa3" in path.read_bytes()  # the pound sign as Excel writes it in England
    assert items(run(share, pool, spec))["L8"].status is Status.OK


def test_a_csv_list_without_a_date_in_its_name_is_undated(share, pool):
    write_csv(share, "List 9.csv", list_sheet("L9", title_row=False))
    item = items(run(share, pool))["L9"]
    assert item.status is Status.UNDATED
    assert "in its file name" in item.reason


# -- files that are not what they say ---------------------------------------------


def test_a_renamed_csv_is_unreadable_with_a_one_line_reason(share, pool):
    (share / "Annex A 2015-09-17.xlsx").write_text("Child Unique ID,Gender\nBCC1,a) Male\n")
    report = run(share, pool)
    assert set(statuses(report).values()) == {"unreadable"}
    item = items(report)["L4"]
    assert item.reason == (
        "The newest file, Annex A 2015-09-17.xlsx, cannot be read: "
        "not an Excel workbook: not a zip file."
    )
    assert [(e.file, e.error) for e in report.errors] == [
        ("Annex A 2015-09-17.xlsx", "not an Excel workbook: not a zip file")
    ]


def test_a_corrupt_zip_is_unreadable_with_a_one_line_reason(share, pool):
    good = workbook_bytes(template())
    (share / "Annex A 2015-09-17.xlsx").write_bytes(good[: len(good) // 2])  # a copy cut short
    report = run(share, pool)
    item = items(report)["L1"]
    assert item.status is Status.UNREADABLE
    assert item.reason.startswith("The newest file, Annex A 2015-09-17.xlsx, cannot be read: ")
    assert "\n" not in item.reason and len(item.reason) < 250


def test_a_workbook_damaged_inside_its_zip_is_unreadable_and_says_so(share, pool):
    data = bytearray(workbook_bytes(template(["L7"])))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + info.compress_size - 8):
        data[offset] ^= 0x5A  # bytes changed on the way: the part no longer unzips
    (share / "Annex A 2015-09-17.xlsx").write_bytes(bytes(data))
    item = items(run(share, pool))["L7"]
    assert item.status is Status.UNREADABLE
    assert item.reason.startswith(
        "The newest file, Annex A 2015-09-17.xlsx, cannot be read: damaged Excel workbook: "
    )
    assert "\n" not in item.reason


def test_an_unreadable_newer_copy_does_not_hide_behind_an_older_good_one(share, pool):
    write_workbook(share, "Annex A 2015-09-16.xlsx", template())
    (share / "Annex A 2015-09-17.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    item = items(run(share, pool))["L2"]
    assert item.status is Status.UNREADABLE
    assert item.superseded == ("Annex A 2015-09-16.xlsx",)


def test_an_xlsm_workbook_is_checked_like_an_xlsx(share, pool):
    data = workbook_bytes(template(drop={"L7": ["Gender"]}))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    (share / "AnnexA_lists 2015-09-17.xlsm").write_bytes(
        replace_parts(data, {"[Content_Types].xml": types})
    )
    found = statuses(run(share, pool))
    assert found == {**dict.fromkeys(ALL, "ok"), "L7": "incomplete"}


def test_a_pdf_of_a_list_does_not_count(share, pool):
    (share / "List 7 2015-09-17.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    report = run(share, pool)
    assert items(report)["L7"].status is Status.MISSING
    assert report.unmatched == ("List 7 2015-09-17.pdf",)


# -- one workbook, several lists ---------------------------------------------------


def test_one_workbook_with_all_eleven_lists_satisfies_eleven_items(share, pool):
    write_workbook(share, "Child level data 2015-09-17.xlsx", template())
    report = run(share, pool)
    assert statuses(report) == dict.fromkeys(ALL, "ok")
    assert {item.file for item in report.items} == {"Child level data 2015-09-17.xlsx"}
    assert report.unmatched == ()


def test_a_per_list_file_beside_the_whole_workbook_stands_for_its_list(share, pool):
    # Ten lists in the workbook; List 7 is made separately, the day before.
    lists = [list_id for list_id in ALL if list_id != "L7"]
    write_workbook(share, "Annex A 2015-09-18.xlsx", template(lists))
    write_workbook(share, "List 7 Child protection 2015-09-17.xlsx", {"List 7": list_sheet("L7")})
    found = items(run(share, pool))
    assert found["L7"].status is Status.OK
    assert found["L7"].file == "List 7 Child protection 2015-09-17.xlsx"
    assert found["L1"].file == "Annex A 2015-09-18.xlsx"
    assert {found[i].status for i in lists} == {Status.OK}


def test_a_newer_per_list_file_replaces_that_list_of_the_whole_workbook(share, pool):
    write_workbook(share, "Annex A 2015-09-17.xlsx", template(drop={"L7": ["Gender"]}))
    write_csv(share, "List 7 2015-09-18.csv", list_sheet("L7", title_row=False))
    found = items(run(share, pool))
    assert found["L7"].status is Status.OK
    assert found["L7"].file == "List 7 2015-09-18.csv"
    assert found["L7"].superseded == ("Annex A 2015-09-17.xlsx",)


def test_a_per_list_workbook_whose_tab_is_not_named_is_found_by_its_headings(share, pool):
    write_workbook(share, "List 7 2015-09-17.xlsx", {"Sheet1": list_sheet("L7")})
    assert items(run(share, pool))["L7"].status is Status.OK


def test_a_per_list_file_holding_another_list_says_so(share, pool):
    write_csv(share, "List 7 2015-09-17.csv", list_sheet("L3", title_row=False))
    item = items(run(share, pool))["L7"]
    assert item.status is Status.INCOMPLETE
    assert item.reason == "It holds List 3's columns, not List 7's (List 7 2015-09-17.csv)."


def test_a_list_made_on_the_wednesday_before_is_in_date_on_the_first_day_only(share, pool):
    write_workbook(share, "Annex A 2015-09-16.xlsx", template(["L1"]))
    item = items(run(share, pool))["L1"]
    assert item.status is Status.DUE_SOON and item.severity is Severity.WARNING
    assert item.expires == MONDAY
    assert item.reason == (
        "Goes out of date after 21 September 2015 (today): dated 16 September 2015 "
        "in its file name, valid for 5 days."
    )


def test_a_list_made_on_the_thursday_before_or_later_is_ok(share, pool):
    write_workbook(share, "Annex A 2015-09-17.xlsx", template(["L1"]))
    assert items(run(share, pool))["L1"].status is Status.OK


def test_a_list_made_on_the_tuesday_before_is_out_of_date_and_says_since_when(share, pool):
    write_workbook(share, "Annex A 2015-09-15.xlsx", template(["L1"]))
    item = items(run(share, pool))["L1"]
    assert item.status is Status.OUT_OF_DATE and item.severity is Severity.ERROR
    assert item.reason == (
        "Out of date since 21 September 2015 "
        "(dated 15 September 2015 in its file name, valid for 5 days)."
    )


def test_a_workbook_without_a_date_in_its_name_is_dated_by_its_modified_property(share, pool):
    write_workbook(share, "Annex A.xlsx", template(["L1"]), modified="2015-09-15T16:30:00Z")
    item = items(run(share, pool))["L1"]
    assert item.status is Status.OUT_OF_DATE
    assert (item.date, item.date_source) == (dt.date(2015, 9, 15), "metadata")


def test_the_date_in_the_file_name_wins_over_a_later_save(share, pool):
    # Opened and saved again on the Sunday: the data are still Tuesday's.
    write_workbook(
        share, "Annex A 2015-09-15.xlsx", template(["L1"]), modified="2015-09-20T18:00:00Z"
    )
    item = items(run(share, pool))["L1"]
    assert item.status is Status.OUT_OF_DATE
    assert item.date_source == "filename"


def test_a_labelled_date_in_the_workbooks_title_property_comes_first(share, pool):
    write_workbook(
        share,
        "Annex A 2015-09-15.xlsx",
        template(["L1"]),
        title="Annex A child level data. Produced: 17 September 2015",
    )
    item = items(run(share, pool))["L1"]
    assert item.status is Status.OK
    assert (item.date, item.date_source) == (dt.date(2015, 9, 17), "content")


def test_a_workbook_with_no_date_anywhere_is_undated(share, pool):
    write_workbook(share, "Annex A.xlsx", template(["L1"]), modified=None)
    assert items(run(share, pool))["L1"].status is Status.UNDATED


def test_an_incomplete_list_is_reported_incomplete_even_when_out_of_date(share, pool):
    write_workbook(share, "Annex A 2015-09-15.xlsx", template(drop={"L7": ["Gender"]}))
    found = items(run(share, pool))
    assert found["L7"].status is Status.INCOMPLETE
    assert found["L1"].status is Status.OUT_OF_DATE


# -- a huge list -------------------------------------------------------------------


def test_a_huge_workbook_has_every_row_checked_and_keeps_none_of_them(share, pool):
    """200,000 rows without a <dimension> record (openpyxl's write-only mode, as
    scripted extracts are made): every row is checked in the reader, and what
    comes back holds no cell. benchmarks/big_workbook.py measures the time."""
    book = openpyxl.Workbook(write_only=True)
    front = book.create_sheet("Front_Sheet")
    front.append(["Annex A: child level data"])
    sheet = book.create_sheet("List_7")
    columns = columns_of("L7", drop=["Was the Child Seen Alone?"])
    sheet.append(["List 7: Child protection"])
    sheet.append(columns)
    (row,) = list_sheet("L7", drop=["Was the Child Seen Alone?"], rows=1)[2:]
    for number in range(200_000):
        row[0] = f"BCC{number:07d}"
        sheet.append(row)
    path = share / "Annex A 2015-09-17.xlsx"
    book.save(path)
    assert path.stat().st_size > 2_000_000
    scanner = Scanner(share, LISTS, extractor=pool)
    scanner.full_scan()
    facts = scanner.facts["Annex A 2015-09-17.xlsx"]
    assert facts.error is None
    assert [s.name for s in facts.sheets] == ["Front_Sheet", "List_7"]
    list_7 = facts.sheets[1]
    assert (list_7.heading_row, list_7.data_rows, list_7.checked) == (2, 200_000, True)
    assert "BCC0000000" not in repr(facts) and "BCC0199999" not in repr(facts)
    item = items(scanner.report(MONDAY))["L7"]
    assert item.status is Status.INCOMPLETE
    assert item.reason.startswith("List 7 lacks the column 'Was the Child Seen Alone?' (")


def test_a_list_whose_shared_strings_are_larger_than_the_unzip_limit_is_still_read(share, pool):
    """A long list in Excel keeps a unique id per child in its shared strings;
    only the strings the first five rows use are read, so a table of 70 MB
    (past the 64 MB a part read whole may have) costs nothing."""
    data, _strings = as_excel_saves_it(workbook_bytes(template(["L7"])))
    path = share / "Annex A 2015-09-17.xlsx"
    entry = b"<si><t>BCC00000001</t></si>" * 40_000
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for name in source.namelist():
            if name != "xl/sharedStrings.xml":
                target.writestr(name, source.read(name))
                continue
            head, tail = source.read(name).rsplit(b"</sst>", 1)
            with target.open(name, "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(70 * 1024 * 1024 // len(entry) + 1):
                    part.write(entry)
                part.write(b"</sst>" + tail)
        assert target.getinfo("xl/sharedStrings.xml").file_size > 70 * 1024 * 1024
    item = items(run(share, pool))["L7"]
    assert item.status is Status.OK, item.reason


def _cut_after_row_24(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb"<dimension [^>]*/>", b"", sheet)
    cut = sheet[: sheet.index(b'<row r="25"')] + b'<row r="25"><c r="A25" t="inlineStr"><is><t>BC'
    return replace_parts(data, {"xl/worksheets/sheet1.xml": cut})


def test_a_list_cut_short_in_its_rows_is_unreadable_when_its_rows_are_checked(share, pool):
    """A half-copied file: its rows end in the middle of one, and the rows are read."""
    data = workbook_bytes({"List_7": list_sheet("L7", rows=40)})
    (share / "Annex A 2015-09-17.xlsx").write_bytes(_cut_after_row_24(data))
    item = items(run(share, pool))["L7"]
    assert item.status is Status.UNREADABLE
    assert item.reason.endswith(
        "damaged Excel workbook: damaged XML (a part is cut short or garbled)."
    )


def test_rows_are_never_read_when_the_spec_checks_headings_only(tmp_path, share, pool):
    """Without a column saying what its cells hold, a sheet is left after its heading
    search (the first 20 rows): what follows (XML cut short) is never parsed."""
    spec = spec_file(
        tmp_path,
        '[[item]]\nid = "L7"\ntitle = "List 7"\npatterns = ["**/*annex*a*"]\n'
        'sheet = "List 7"\ncolumns = ["Child Unique ID", "Gender"]\n',
    )
    data = workbook_bytes({"List_7": list_sheet("L7", rows=40)})
    (share / "Annex A 2015-09-17.xlsx").write_bytes(_cut_after_row_24(data))
    assert items(run(share, pool, spec))["L7"].status is Status.OK


def test_annexa_scan_with_the_lists_spec_names_each_problem_and_exits_1(tmp_path, share, capsys):
    write_workbook(
        share, "Annex A 2015-09-17.xlsx", template(ALL[:8] + ALL[9:], drop={"L7": ["Gender"]})
    )
    write_csv(share, "List 9 Care leavers 2015-09-15.csv", list_sheet("L9", title_row=False))
    code = main(
        [
            "scan",
            str(share),
            "--spec",
            "ilacs-lists",
            "--as-of",
            "2015-09-21",
            "--cache-dir",
            str(tmp_path / "cache"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "List 7 lacks the column 'Gender' (Annex A 2015-09-17.xlsx)." in out
    assert (
        "Out of date since 21 September 2015 (dated 15 September 2015 in its file name, "
        "valid for 5 days)." in out
    )
    assert "9 in date · 1 out of date · 1 incomplete" in out
    assert "2 items need action now." in out
