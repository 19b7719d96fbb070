"""What a cell of a data list counts as: the dates, numbers, codes and postcodes councils write."""

from __future__ import annotations

import datetime as dt

import pytest

from annexa.reading.rows.values import (
    IMPOSSIBLE_DATE,
    NEGATIVE,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_WHOLE,
    US_DATE,
    CodeMatcher,
    date_value,
    is_postcode,
    whole_number,
)
from annexa.spec import load_spec

SEPT_17 = dt.date(2015, 9, 17).toordinal()


@pytest.mark.parametrize(
    "written",
    [
        dt.datetime(2015, 9, 17),
        dt.date(2015, 9, 17),
        42264,  # an Excel date left unformatted
        42264.0,
        "42264",
        "17/09/2015",
        "17/9/2015",
        "17-09-2015",
        "17.09.2015",
        "17/09/15",
        " 17/09/2015 ",
        "17/09/2015 00:00:00",
        "17/09/2015 14:30",
        "2015-09-17",
        "2015-09-17T00:00:00",
        "2015-09-17 00:00:00.000",
        "2015/09/17",
        "17 Sep 2015",
        "17 September 2015",
        "17th September 2015",
        "17-SEP-2015",
        "17-Sep-15",
        "20150917",
        20150917,
    ],
)
def test_a_date_counts_in_every_form_councils_systems_write(written):
    assert date_value(written) == SEPT_17


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("31/02/2024", IMPOSSIBLE_DATE),
        ("29/02/2015", IMPOSSIBLE_DATE),
        ("31/04/2015", IMPOSSIBLE_DATE),
        ("09/17/2015", US_DATE),
        ("12/31/2015", US_DATE),
        ("02/31/2024", IMPOSSIBLE_DATE),
        ("13/13/2015", NOT_A_DATE),
        ("not known", NOT_A_DATE),
        ("TBC", NOT_A_DATE),
        ("17/09/1850", NOT_A_DATE),
        ("17/09/2215", NOT_A_DATE),
        ("17 Septober 2015", NOT_A_DATE),
        (5, NOT_A_DATE),  # a count typed in a date column
        (True, NOT_A_DATE),
    ],
)
def test_a_date_that_is_not_a_real_date_says_which_kind(written, problem):
    assert date_value(written) == problem


def test_a_blank_date_is_blank_not_a_problem():
    assert date_value(None) is None
    assert date_value("  ") is None


@pytest.mark.parametrize(
    ("written", "value"),
    [(3, 3), (3.0, 3), ("3", 3), (" 12 ", 12), ("3.0", 3), ("1,200", 1200), (0, 0)],
)
def test_a_whole_number_is_read_whatever_its_form(written, value):
    assert whole_number(written) == value


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        (-1, NEGATIVE),
        ("-2", NEGATIVE),
        (2.5, NOT_WHOLE),
        ("1.5", NOT_WHOLE),
        ("several", NOT_A_NUMBER),
        (True, NOT_A_NUMBER),
        ("nan", NOT_A_NUMBER),
    ],
)
def test_a_count_that_is_negative_or_not_whole_says_so(written, problem):
    assert whole_number(written) == problem


@pytest.mark.parametrize("written", ["SW1A 1AA", "sw1a1aa", "BS1 4DJ", "M1 1AE", "SW1A 1", "BS1"])
def test_a_postcode_whole_or_shortened_for_privacy_counts(written):
    assert is_postcode(written)


@pytest.mark.parametrize("written", ["Not known", "12345", "SW1A 1AAA", "", 42])
def test_anything_else_is_not_a_postcode(written):
    assert not is_postcode(written)


def _codes(column: str) -> CodeMatcher:
    return CodeMatcher(
        next(c for c in load_spec("ilacs-lists").item("L8").column_rules if c.name == column).codes
    )


@pytest.mark.parametrize(
    "written",
    [
        "a) WBRI",
        "WBRI",
        "wbri",
        "White British",
        "WHITE BRITISH",
        "White - British",
        "White-British",
        "WBRI - White British",
        "a) WBRI (White British)",
    ],
)
def test_a_code_counts_as_the_template_writes_it_or_by_its_short_code_or_description(written):
    assert _codes("Ethnicity")(written)


@pytest.mark.parametrize("written", ["Z", "WBRIX", "British", "a)", "n/a"])
def test_a_value_that_is_no_code_of_the_column_does_not_count(written):
    assert not _codes("Ethnicity")(written)


@pytest.mark.parametrize(
    ("column", "written"),
    [
        ("Gender", "F"),
        ("Gender", "b) Female"),
        ("Gender", "Male"),
        ("Gender", "Not stated / recorded"),
        ("Child's Legal Status", "C2"),
        ("Child's Legal Status", "C2: FCO"),
        ("Child's Legal Status", "EPO"),
        ("Reason Ceased to be Looked After", "E4A"),
        (
            "Reason Ceased to be Looked After",
            "E4A: Returned home to live with parents or relatives - part of planning",
        ),
        ("Reason Ceased to be Looked After", "E4A – Returned home"),  # an en dash
        ("Placement Type", "U6"),
        ("Does the Child have a Disability", "Y"),
        ("Child's Category of Need", "N1"),
        ("Child's Category of Need", "Abuse or neglect"),
    ],
)
def test_codes_of_list_8_in_the_ways_councils_write_them(column, written):
    assert _codes(column)(written)


def test_a_code_written_as_a_number_counts():
    matcher = CodeMatcher((("1 - Adopter withdrew from process", "1"), ("2",)))
    assert matcher(1) and matcher(2.0) and matcher("1")
    assert not matcher(3)


def test_an_excel_true_or_false_counts_as_yes_or_no():
    yes_no = CodeMatcher((("a) Yes", "Yes", "Y"), ("b) No", "No", "N")))
    assert yes_no(True) and yes_no(False)
    assert not _codes("Gender")(True)
