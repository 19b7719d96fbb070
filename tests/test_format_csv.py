"""The CSV report: one row per item that Excel opens intact and cannot be tricked into running."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from annexa.formats.csv_report import COLUMNS, cell, render
from tests.golden.fixture_report import HOSTILE_FORMULA, POUND_EN_DASH, fixture_report


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_columns_are_the_contract_in_order() -> None:
    header = render(fixture_report()).split("\r\n", 1)[0]
    assert header.split(",")[:10] == [
        "id",
        "section",
        "title",
        "status",
        "severity",
        "date",
        "expires",
        "file",
        "reason",
        "owner",
    ]
    assert tuple(header.split(",")) == COLUMNS


def test_one_row_per_item_in_spec_order() -> None:
    rows = _rows(render(fixture_report()))
    assert [r["id"] for r in rows] == [item.id for item in fixture_report().items]


def test_every_line_ends_with_crlf_and_no_line_is_split_by_a_name() -> None:
    text = render(fixture_report())
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert len(lines) == 1 + len(fixture_report().items)
    assert "\n" not in "".join(lines) and "\r" not in "".join(lines)


def test_dates_are_iso_and_statuses_are_the_json_values() -> None:
    (a1,) = [r for r in _rows(render(fixture_report())) if r["id"] == "A1"]
    assert (a1["date"], a1["expires"]) == ("2015-06-30", "2016-06-30")
    (a4,) = [r for r in _rows(render(fixture_report())) if r["id"] == "A4"]
    assert (a4["status"], a4["severity"]) == ("out_of_date", "error")
    (f1,) = [r for r in _rows(render(fixture_report())) if r["id"] == "F1"]
    assert (f1["status"], f1["severity"], f1["date"]) == ("missing", "", "")


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_that_excel_would_run_as_a_formula_gets_a_leading_apostrophe(start: str) -> None:
    assert cell(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'


def test_formula_file_name_in_the_report_is_neutralised() -> None:
    (a9,) = [r for r in _rows(render(fixture_report())) if r["id"] == "A9"]
    assert a9["file"] == "'" + HOSTILE_FORMULA
    assert not any(
        value.startswith(("=", "+", "-", "@"))
        for row in _rows(render(fixture_report()))
        for value in row.values()
    )


def test_ordinary_cells_are_left_alone() -> None:
    assert cell("Leadership/Self-evaluation 2015.docx") == "Leadership/Self-evaluation 2015.docx"
    assert cell(None) == ""


def test_pound_and_en_dash_survive_the_utf8_sig_file_excel_reads() -> None:
    data = render(fixture_report()).encode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    (l7,) = [r for r in _rows(data.decode("utf-8-sig")) if r["id"] == "L7"]
    assert l7["file"] == POUND_EN_DASH


def test_text_has_no_byte_order_mark_of_its_own() -> None:
    # The CLI writes CSV as utf-8-sig; a BOM here would make two.
    assert not render(fixture_report()).startswith("\ufeff")


def test_reason_with_a_newline_stays_in_its_cell() -> None:
    report = fixture_report()
    item = dataclasses.replace(report.items[0], reason='line one\nline two, "quoted"')
    rows = _rows(render(dataclasses.replace(report, items=(item,))))
    assert [r["reason"] for r in rows] == ['line one line two, "quoted"']
