"""Spans of years in file names and title lines are the periods documents cover."""

from __future__ import annotations

import pytest

from annexa.dating import read_dates
from annexa.dating.covered import covered_spans
from annexa.model import TextBlock
from tests.dating_helpers import facts_with, name_dates, options


def spans_in_name(name: str) -> list[tuple[int, int]]:
    return [(s.first, s.last) for s in name_dates(name).spans if s.first != s.last]


@pytest.mark.parametrize(
    "written,first,last",
    [
        ("2014-15", 2014, 2015),
        ("2014_15", 2014, 2015),
        ("2014-2015", 2014, 2015),
        ("2015–18", 2015, 2018),
        ("2015—2018", 2015, 2018),
        ("2015 - 2018", 2015, 2018),
        ("2015 – 2018", 2015, 2018),
        ("2012 to 2015", 2012, 2015),
        ("2015-16 to 2017-18", 2015, 2018),
        ("1999-00", 1999, 2000),
        ("2015-2025", 2015, 2025),
    ],
)
def test_span_forms_in_a_file_name(written, first, last):
    assert spans_in_name(f"Sufficiency strategy {written}.pdf") == [(first, last)]


@pytest.mark.parametrize(
    "written,first,last",
    [("2014/15", 2014, 2015), ("2015/16 – 2017/18", 2015, 2018), ("2014/2015", 2014, 2015)],
)
def test_span_forms_with_slashes_in_a_title(written, first, last):
    facts = facts_with(TextBlock("body", 1, f"Annual Report {written}\nIntroduction"))
    found = read_dates(facts, "report.pdf", options(), 0)
    assert [(s.first, s.last, s.source) for s in found.spans] == [(first, last, "content")]


@pytest.mark.parametrize(
    "written",
    [
        "2015-09-01",
        "2015-03-12",
        "20150312",
        "2015-1234",
        "v2015-1",
        "2015-2026",  # more than ten years
        "2015-2015",  # not after the first
        "2016-15",  # goes backwards
        "12.03.2015-16",
    ],
)
def test_look_alikes_are_not_spans(written):
    assert spans_in_name(f"Plan {written}.pdf") == []


@pytest.mark.parametrize(
    "line",
    ["Ref ABC/2014/15/001", "Ref: 2015-16", "Our reference: ABC/2014/15", "No. 2014/15",
     "Version 2015-16", "Case 2014-15"],
)  # fmt: skip
def test_reference_numbers_in_titles_are_not_spans(line):
    facts = facts_with(TextBlock("body", 1, line))
    assert read_dates(facts, "x.pdf", options(), 0).spans == ()


def test_title_lines_are_the_properties_title_and_the_first_eight_lines_of_page_one():
    lines = [
        "Children's Services",
        "",
        "Placement",
        "Sufficiency",
        "Strategy",
        "for",
        "Plan",
        "Us",
        "All",
    ]
    prose = ["The partnership agreed the plan with children and their carers."] * 20
    facts = facts_with(
        TextBlock("title", None, "Corporate Plan 2012 to 2015"),
        TextBlock("body", 1, "\n".join([*lines, "2015-2018", *prose])),
        TextBlock("body", 2, "Looking back at 2010-2013"),
    )
    found = read_dates(facts, "strategy.pdf", options(), 0)
    assert [(s.first, s.last) for s in found.spans] == [(2012, 2015)]


def test_span_on_the_sixth_line_of_page_one_counts_and_keeps_its_page():
    text = "\n".join(["A", "B", "C", "D", "E", "Strategy 2015–18", "Contents"])
    found = read_dates(facts_with(TextBlock("body", 1, text)), "s.pdf", options(), 0)
    assert [(s.first, s.last, s.page, s.text) for s in found.spans] == [(2015, 2018, 1, "2015–18")]


def test_title_lines_come_from_the_first_body_block_when_pages_are_unknown():
    facts = facts_with(TextBlock("body", None, "Strategy 2015-2018\nIntro"),
                       TextBlock("body", None, "Annex 2019-2020"))  # fmt: skip
    found = read_dates(facts, "s.docx", options(), 0)
    assert [(s.first, s.last, s.page) for s in found.spans] == [(2015, 2018, None)]


def test_a_single_year_in_a_title_is_not_a_span():
    facts = facts_with(TextBlock("body", 1, "IRO Annual Report 2014\n© 2015 The Council"))
    assert read_dates(facts, "report.pdf", options(), 0).spans == ()


def test_spans_deep_in_the_text_are_not_read():
    text = "\n".join(["Title", "Intro"] + ["text"] * 10 + ["Our outcomes 2010-2013"])
    assert read_dates(facts_with(TextBlock("body", 1, text)), "x.pdf", options(), 0).spans == ()


def test_spans_follow_the_order_of_date_sources_and_only_those_sources():
    facts = facts_with(TextBlock("body", 1, "Strategy 2015-2018"))
    both = read_dates(facts, "Plan 2014-17.pdf", options(("filename", "content")), 0)
    assert [s.source for s in both.spans] == ["filename", "content"]
    reversed_ = read_dates(facts, "Plan 2014-17.pdf", options(("content", "filename")), 0)
    assert [s.source for s in reversed_.spans] == ["content", "filename"]
    only_name = read_dates(facts, "Plan 2014-17.pdf", options(("filename",)), 0)
    assert [s.source for s in only_name.spans] == ["filename"]
    assert read_dates(facts, "Plan 2014-17.pdf", options(("metadata",)), 0).spans == ()


def test_the_same_span_twice_in_the_title_is_listed_once():
    facts = facts_with(TextBlock("title", None, "Strategy 2015-18"),
                       TextBlock("body", 1, "Strategy 2015-2018"))  # fmt: skip
    found = read_dates(facts, "s.pdf", options(), 0)
    assert [(s.first, s.last) for s in found.spans] == [(2015, 2018)]


_COVER = TextBlock("body", 1, "Children's Services\nIndependent Reviewing Officers")


@pytest.mark.parametrize(
    "line", ["Updated 2014-March\tPeriod: 2014/15", "Updated March\tPeriod: 2014/15"]
)
def test_a_glued_dash_before_a_period_label_does_not_hide_its_period(line):
    # "2014-March" is read as "2014 - March": the label must be found in that text too.
    found = covered_spans((_COVER, TextBlock("body", 2, line)), "DMY")
    assert [(s.text, s.basis) for s in found] == [("2014/15", "label")]


def test_a_glued_dash_before_the_anchor_of_a_foreword_does_not_move_it():
    page = TextBlock("body", 2, "In 2015-Spring the 2013/14 annual report was published.")
    found = covered_spans((_COVER, page), "DMY")
    assert [(s.text, s.basis) for s in found] == [("2013/14", "foreword")]
