"""Dates in file names are issue dates; spans and years in file names are periods."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.dating_helpers import name_dates

D = dt.date


@pytest.mark.parametrize(
    "name",
    [
        "2015-03-12 Structure chart.pdf",
        "Structure chart 12.03.2015.pdf",
        "Structure chart 12-03-2015.pdf",
        "Structure chart 12_03_2015.pdf",
        "20150312 Structure chart.pdf",
        "Contacts 12 March 2015.docx",
        "Chart 2015_03_12.pdf",
        "Chart_12th_March_2015.pdf",
        "Minutes 12.03.15.docx",
    ],
)
def test_file_name_day_forms_give_the_issue_date(name):
    (found,) = name_dates(name).issue
    assert (found.value, found.precision) == (D(2015, 3, 12), "day")
    assert (found.source, found.kind, found.where, found.text) == (
        "filename",
        "issue",
        "name",
        name,
    )


@pytest.mark.parametrize(
    "name,expected",
    [
        ("LADO report Sept 2015.docx", D(2015, 9, 30)),
        ("Structure Chart March 2015.pdf", D(2015, 3, 31)),
        ("Scorecard_Mar_2015.xlsx", D(2015, 3, 31)),
        ("2015-03 Structure chart.pdf", D(2015, 3, 31)),
    ],
)
def test_file_name_month_forms_give_the_end_of_the_month(name, expected):
    (found,) = name_dates(name).issue
    assert (found.value, found.precision) == (expected, "month")


def test_file_name_numeric_dates_follow_the_date_order():
    assert [d.value for d in name_dates("Chart 03-04-2015.pdf", "MDY").issue] == [D(2015, 3, 4)]
    assert [d.value for d in name_dates("Chart 03-04-2015.pdf", "DMY").issue] == [D(2015, 4, 3)]


def test_compact_date_must_be_a_real_plausible_date():
    assert name_dates("Minutes 20151340.pdf").issue == ()
    assert name_dates("Scan 19700101.pdf").issue == ()
    assert name_dates("Invoice 1234567890.pdf").issue == ()


def test_span_in_file_name_is_a_period_not_an_issue_date():
    found = name_dates("Annual report 2014-15.pdf")
    assert found.issue == ()
    assert [(s.first, s.last, s.source, s.text) for s in found.spans] == [
        (2014, 2015, "filename", "2014-15")
    ]


def test_single_year_in_file_name_is_a_one_year_span_not_an_issue_date():
    found = name_dates("IRO annual report 2014.pdf")
    assert found.issue == ()
    assert [(s.first, s.last) for s in found.spans] == [(2014, 2014)]


def test_year_inside_a_file_name_date_is_not_also_a_period():
    assert name_dates("Contacts 12 March 2015.docx").spans == ()
    assert name_dates("LADO report Sept 2015.docx").spans == ()
    assert name_dates("2015-03-12 Structure chart.pdf").spans == ()


def test_spans_are_listed_before_single_years():
    found = name_dates("Plan 2016 refresh of 2015-2018.pdf")
    assert [(s.first, s.last) for s in found.spans] == [(2015, 2018), (2016, 2016)]


def test_only_the_file_name_is_read_not_the_folders():
    found = name_dates("plain.pdf")
    assert (found.issue, found.spans) == ((), ())
    from annexa.dating import read_dates
    from tests.dating_helpers import options

    found = read_dates(None, "2015-03-12 Archive/2014-15/plain.pdf", options(("filename",)), 0)
    assert (found.issue, found.spans) == ((), ())


def test_file_name_without_dates_gives_nothing():
    found = name_dates("Structure chart v3 final.pdf")
    assert (found.issue, found.spans, found.draft) == ((), (), None)


@pytest.mark.parametrize("name", ["Policy v1.2.15.docx", "Ref 2015-1234.pdf", "v2015-1 plan.pdf",
                                  "Tel 01234 567890.pdf", "Case 12345678.pdf"])  # fmt: skip
def test_version_and_reference_numbers_in_file_names_are_not_dates(name):
    assert name_dates(name).issue == ()


def test_extension_does_not_hide_a_date_or_year_at_the_end_of_the_name():
    assert [d.value for d in name_dates("Chart 12.03.2015.pdf").issue] == [D(2015, 3, 12)]
    assert [s.text for s in name_dates("IRO report 2014.docx").spans] == ["2014"]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_any_date_in_any_file_name_form_reads_back_as_itself(day):
    for stem in (
        f"{day.isoformat()} Structure chart",
        f"Structure chart {day:%d.%m.%Y}",
        f"Structure chart {day:%d-%m-%Y}",
        f"{day:%Y%m%d} Structure chart",
        f"Chart {day:%Y_%m_%d}",
        f"Contacts {day.day} {day:%B %Y}",
    ):
        found = name_dates(f"{stem}.pdf").issue
        assert [(d.value, d.precision) for d in found] == [(day, "day")], stem
