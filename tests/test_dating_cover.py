"""Unlabelled dates on the cover, beside the title and in running heads, and their decoys.

Each case is a page as a reader hands it over (a PDF's lines, a Word file's
paragraphs and footer), in this project's own words.
"""

from __future__ import annotations

import datetime as dt

import pytest

from annexa.dating import read_dates
from annexa.judging.file_verdict import pick_issue
from annexa.model import Facts, TextBlock
from annexa.spec.rules import DatingOptions

D = dt.date
OPTIONS = DatingOptions(date_sources=("content",))
PROSE = "The service works with children and families across the county, with partners. " * 2


def dated(*pages: str, header: str | None = None, footer: str | None = None):  # type: ignore[no-untyped-def]
    blocks = [TextBlock("body", n, text) for n, text in enumerate(pages, 1)]
    if header:
        blocks.append(TextBlock("header", None, header))
    if footer:
        blocks.append(TextBlock("footer", None, footer))
    found = read_dates(Facts("d.pdf", 1, 0, "pdf", blocks=tuple(blocks)), "d.pdf", OPTIONS, 0)
    picked = pick_issue(found, ("content",), D(2030, 1, 1))
    return (picked.value, picked.precision, picked.basis) if picked else None


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (["Statement of Purpose\nDecember 2008"], (D(2008, 12, 31), "month", "cover")),
        (["Missing Children Protocol July 2017"], (D(2017, 7, 31), "month", "cover")),
        (["Statement of Purpose\nJuly\n2017"], (D(2017, 7, 31), "month", "cover")),
        (["Missing Children Protocol July 2017 v2.1"], (D(2017, 7, 31), "month", "cover")),
        (["Missing Children Protocol July 2017 (final)"], (D(2017, 7, 31), "month", "cover")),
        (["Practice Framework\nVersion 3.1 – September 2016"], (D(2016, 9, 30), "month", "cover")),
        (["Sufficiency Statement\n01/09/2016"], (D(2016, 9, 1), "day", "cover")),
        (["Performance Scorecard\nData as at 31 March 2015"], (D(2015, 3, 31), "day", "cover")),
        (
            ["Minutes of the Corporate Parenting Panel held on 12 March 2015\nPresent: A, B"],
            (D(2015, 3, 12), "day", "cover"),
        ),
        (
            [
                "Report of the Virtual School Head to the Corporate Parenting Panel, 14th December 2017"
            ],
            (D(2017, 12, 14), "day", "cover"),
        ),
        (
            ["S T A T E M E N T  O F  P U R P O S E\nD E C E M B E R  2 0 0 8"],
            (D(2008, 12, 31), "month", "cover"),
        ),
        (["Missing Children Protocol Sep-\ntember 2016"], (D(2016, 9, 30), "month", "cover")),
    ],
)
def test_a_cover_or_title_date_without_a_label_dates_the_document(pages, expected):
    assert dated(*pages) == expected


@pytest.mark.parametrize(
    "pages",
    [
        ["Statement of Purpose\nDecember 201"],  # a digit lost
        ["Statement of Purpose\nDec 2O15"],  # a letter for a digit
        ["Quality Assurance Framework 2016"],  # a year alone
        ["The board met on 12 March 2015."],  # a sentence
        ["Safeguarding Conference\nTraining session 12 March 2015"],
        ["Strategy for Consultation\nConsultation closes 12 March 2015"],
        ["Anyshire Care Ltd\nCompany No. 01234567\nRegistered 12 March 2015"],
        ["Guidance\nPrinted: 12/03/2019"],  # a label annexa does not know
        ["Version 2.1\n2015.3.1"],  # a version number
        ["Child's details\nDate of birth 12/03/2010"],
        ["Children looked after\nNumber at\n31/03/2013\n31/03/2014\n31/03/2015"],  # a column
        ["Strategy\nMarch 2014\nJune 2016"],  # two dates, nothing to tell which
        ["Document control\nDate approved by the board\n12/03/2015"],  # the label's to read
        ["Introduction\n" + (PROSE + "\n") * 6 + "31 March 2014\n" + (PROSE + "\n") * 3],  # body
        ["Children's services", "Performance in 2014\n14 April 2015"],  # page 2
    ],
)
def test_decoys_date_nothing(pages):
    assert dated(*pages) is None


def test_a_running_footer_with_the_title_dates_the_document():
    assert dated(
        "Adoption Agency\n" + PROSE, footer="Statement of Purpose December 2008 | Page 1"
    ) == (
        D(2008, 12, 31),
        "month",
        "running",
    )


def test_a_pdf_footer_repeated_on_its_pages_is_a_running_footer():
    found = dated(
        "Missing Children Protocol\n" + PROSE + "\nMissing Children Protocol - July 2017 - Page 1",
        PROSE + "\nMissing Children Protocol - July 2017 - Page 2",
    )
    assert found == (D(2017, 7, 31), "month", "running")


@pytest.mark.parametrize(
    "footer",
    [
        "Missing Protocol  12/03/2019",
        "Missing Protocol  12 March 2019",
        "Strategy v2 12/03/2019 14:02",
    ],
)
def test_a_date_to_the_day_in_a_running_head_is_a_print_date_field(footer):
    assert dated("Missing Protocol\n" + PROSE, footer=footer) is None


def test_the_cover_beats_the_running_footer_and_a_label_beats_both():
    assert dated("Strategy\nDecember 2008", footer="Strategy March 2010")[2] == "cover"
    labelled = dated(
        "Strategy\nDecember 2008\nLast reviewed: June 2009", footer="Strategy March 2010"
    )
    assert labelled == (D(2009, 6, 30), "month", "label")


def test_a_date_alone_may_end_with_a_full_stop():
    assert dated("Statement of Purpose\nDecember 2008.") == (D(2008, 12, 31), "month", "cover")


def test_published_by_someone_and_a_date_is_a_labelled_date():
    assert dated("Missing Children Protocol\nPublished by Anyshire Council, July 2017") == (
        D(2017, 7, 31),
        "month",
        "label",
    )
