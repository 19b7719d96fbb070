"""Which date wins, and what a period does: the rules of docs/dating.md, one example each.

Facts are built as readers hand them over (a page's text, a Word footer),
and judged through ``evaluate`` as a scan would judge them.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from annexa.cache.dates import dates_from_blob, dates_to_blob
from annexa.dating import read_dates
from annexa.judging.items import evaluate
from annexa.model import (
    DocumentDates,
    DraftMark,
    Facts,
    FileEntry,
    FoundDate,
    ItemResult,
    Status,
    TextBlock,
    YearSpan,
)
from annexa.spec import load_spec
from annexa.spec.rules import DatingOptions

D = dt.date
DOCUMENT = 'title = "Document"\nmax_age = "12 months"'
NEW_YEAR_2016 = D(2016, 1, 1)
ANNUAL = 'title = "Annual report"\nperiod = "financial-year"\ngrace = "6 months"'


def judge(
    tmp_path: Path,
    *blocks: TextBlock,
    rule: str = DOCUMENT,
    as_of: dt.date = NEW_YEAR_2016,
    name: str = "Document.pdf",
    sources: str = '["content"]',
    metadata: tuple[tuple[str, str], ...] = (),
) -> ItemResult:
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(
        textwrap.dedent(
            f"""\
            [spec]
            name = "rules"
            [defaults]
            date_sources = {sources}
            [[item]]
            id = "X"
            patterns = ["**/*"]
            """
        )
        + rule
        + "\n",
        encoding="utf-8",
    )
    entry = FileEntry(name, 1000, 0)
    facts = Facts(name, 1000, 0, "pdf", blocks=blocks, metadata=metadata)
    (item,) = evaluate(load_spec(spec_file), {name: entry}, {name: facts}, as_of).items
    return item


def page(number: int, *lines: str) -> TextBlock:
    return TextBlock("body", number, "\n".join(lines))


PROSE = "The service works with children and families with partners in health and schools. " * 3


# -- which date wins ----------------------------------------------------------------


def test_text_before_file_name_by_the_order_of_date_sources(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Protocol", "Date approved: 12 March 2015"),
        name="2016-01-04 Protocol.pdf",
        sources='["content", "filename"]',
    )
    assert (item.date, item.date_source) == (D(2015, 3, 12), "content")


@pytest.mark.parametrize(
    ("cover", "label", "expected"),
    [
        ("June 2015", "September 2016", D(2016, 9, 30)),
        ("September 2016", "June 2015", D(2015, 6, 30)),
    ],
)
def test_labelled_over_unlabelled_even_when_older(tmp_path, cover, label, expected):
    item = judge(
        tmp_path,
        page(1, "Quality Assurance Framework", cover, f"Last updated\t{label}"),
        as_of=D(2016, 10, 1),
    )
    assert item.date == expected
    assert item.evidence is not None and item.evidence.label == "Last updated"


def test_newest_version_row_over_the_cover(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Corporate Parenting Strategy", "March 2016"),
        page(
            2,
            "Version\tDate\tAuthor\tSummary of changes",
            "1.0\t21/03/2016\tJ Smith\tApproved by Cabinet",
            "1.1\t14/11/2016\tA Patel\tAction plan refreshed",
        ),
        as_of=D(2017, 1, 1),
    )
    assert item.date == D(2016, 11, 14)
    assert item.evidence is not None
    assert (item.evidence.label, item.evidence.page) == ("Version 1.1", 2)
    assert item.evidence.text == "1.1 14/11/2016 A Patel Action plan refreshed"


def test_cover_over_running_footer_even_when_older(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Fostering Service", "Statement of Purpose", "December 2008"),
        TextBlock("footer", None, "Statement of Purpose March 2010"),
        as_of=D(2011, 1, 1),
    )
    assert item.date == D(2008, 12, 31)
    assert item.evidence is not None and item.evidence.where == "cover"


def test_running_footer_when_the_cover_has_no_date(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Fostering Service", "Statement of Purpose", PROSE),
        TextBlock("footer", None, "Statement of Purpose March 2010 | Page 1"),
        as_of=D(2011, 1, 1),
    )
    assert item.date == D(2010, 3, 31)
    assert item.evidence is not None
    assert (item.evidence.where, item.evidence.text) == (
        "footer",
        "Statement of Purpose March 2010 | Page 1",
    )


def test_body_dates_never_count(tmp_path):
    long_page = "\n".join(["Introduction", *[PROSE] * 4, "On 12 March 2015 the board met.", PROSE])
    item = judge(tmp_path, page(1, long_page))
    assert item.status is Status.UNDATED


def test_the_latest_among_equals(tmp_path):
    item = judge(
        tmp_path, page(1, "Date approved: 12 March 2015", "Last reviewed: 1 September 2015")
    )
    assert item.date == D(2015, 9, 1)


# -- periods ----------------------------------------------------------------------


def test_a_stated_period_beats_one_inferred_from_the_date(tmp_path):
    item = judge(
        tmp_path,
        page(1, "IRO Annual Report", "1st April 2014 – 31st March 2015", "Date: July 2016"),
        rule=ANNUAL,
        as_of=D(2016, 8, 1),
    )
    # Inferred from July 2016 it would be 2015-16, in date until September 2017.
    assert (item.period, item.expires) == ("2014-15", D(2016, 9, 30))


def test_a_stated_end_is_the_expiry(tmp_path):
    lines = ("Children's Home", "Statement of Purpose April 2015 – March 2016")
    item = judge(tmp_path, page(1, *lines), as_of=D(2016, 4, 15))
    assert (item.status, item.expires) == (Status.OUT_OF_DATE, D(2016, 3, 31))
    assert "its period April 2015 – March 2016 ends on 31 March 2016" in item.reason
    assert item.evidence is not None
    assert (item.evidence.text, item.evidence.page) == ("April 2015 – March 2016", 1)


def test_a_stated_end_wins_over_a_later_review_period(tmp_path):
    lines = ("Statement of Purpose", "April 2015 – March 2016", "Approved: 1 May 2015")
    item = judge(tmp_path, page(1, *lines), as_of=D(2016, 4, 15))
    assert (item.date, item.expires) == (D(2015, 5, 1), D(2016, 3, 31))


def test_a_stated_period_dates_the_document_before_its_properties(tmp_path):
    lines = ("Children's Home", "Statement of Purpose", "April 2015 – March 2016")
    item = judge(
        tmp_path,
        page(1, *lines),
        sources='["content", "filename", "metadata"]',
        metadata=(("pdf:ModDate", "D:20131223101500Z"),),
        as_of=D(2015, 9, 16),
    )
    # Last saved in December 2013 would have made it stale since December 2014.
    assert (item.status, item.date, item.expires) == (Status.OK, None, D(2016, 3, 31))
    assert item.evidence is not None and item.evidence.text == "April 2015 – March 2016"


def test_a_report_shows_the_period_it_names_as_its_evidence(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Safeguarding Children Board", "Annual Report 2013/14"),
        rule=ANNUAL,
        sources='["content", "metadata"]',
        metadata=(("pdf:ModDate", "D:20141020101500Z"),),
        as_of=D(2015, 3, 1),
    )
    assert (item.period, item.date, item.date_source) == ("2013-14", D(2014, 10, 20), "metadata")
    assert item.evidence is not None
    assert (item.evidence.source, item.evidence.text, item.evidence.page) == (
        "content",
        "2013/14",
        1,
    )


def test_a_period_ended_before_the_document_is_history_not_its_plan(tmp_path):
    text = "In 2011-12, 25 children were adopted and 31 households were approved"
    item = judge(
        tmp_path,
        page(1, "Adoption Agency Report", "Sufficiency 2011-12", "October 2012", text),
        as_of=D(2013, 1, 15),
    )
    assert (item.status, item.date, item.expires) == (Status.OK, D(2012, 10, 31), D(2013, 10, 31))


def test_for_a_report_a_period_ended_two_years_before_it_is_history(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Safeguarding Board", "Annual Report", "Date: March 2016"),
        page(2, "Foreword", "This year we built on the 2011-12 annual report and its work."),
        rule=ANNUAL,
        as_of=D(2016, 4, 1),
    )
    assert item.period == "2015-16"
    assert "taken to cover 2015-16" in item.reason


def test_for_periods_the_file_name_comes_before_the_text(tmp_path):
    item = judge(
        tmp_path,
        page(1, "IRO Annual Report 2013-14"),
        rule=ANNUAL,
        name="IRO annual report 2014-15.pdf",
        sources='["content", "filename"]',
        as_of=D(2015, 9, 16),
    )
    assert item.period == "2014-15"
    assert "(its file name)" in item.reason


def test_for_periods_the_title_comes_before_the_foreword(tmp_path):
    item = judge(
        tmp_path,
        page(1, "LADO Annual Report 2014-15", PROSE),
        page(2, "Foreword", "Welcome to the Annual Report for 2013/14 of the service."),
        rule=ANNUAL,
        as_of=D(2015, 9, 16),
    )
    assert (item.period, item.status) == ("2014-15", Status.OK)


def test_a_period_only_in_the_foreword_names_the_report_year(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Safeguarding Children Board", "Annual Report"),
        page(2, "Foreword", "Welcome to the Board's Annual Report for 2013/14. " + PROSE),
        rule=ANNUAL,
        as_of=D(2015, 3, 1),
    )
    assert (item.period, item.status) == ("2013-14", Status.OK)
    assert "'2013/14' on page 2" in item.reason


def test_a_plan_period_is_not_taken_from_a_foreword(tmp_path):
    item = judge(
        tmp_path,
        page(1, "Early Help Strategy", "Date approved: 1 May 2015"),
        page(2, "Foreword", "Our annual report for 2013/14 showed the need for this strategy."),
        as_of=D(2015, 9, 16),
    )
    assert (item.status, item.expires) == (Status.OK, D(2016, 5, 1))


# -- evidence -----------------------------------------------------------------------


def test_every_kind_of_date_carries_page_where_and_text():
    facts = Facts(
        "s.docx",
        1,
        0,
        "docx",
        blocks=(
            page(1, "Missing Children Protocol July 2017", "Review date: July 2019"),
            TextBlock("footer", None, "Missing Children Protocol July 2017"),
        ),
    )
    found = read_dates(facts, "s.docx", DatingOptions(date_sources=("content",)), 0)
    (expiry,) = found.expiry
    assert (expiry.page, expiry.where, expiry.text, expiry.basis) == (
        1, "body", "Review date: July 2019", "label"
    )  # fmt: skip
    cover, footer = found.issue
    assert (cover.page, cover.where, cover.text, cover.basis, cover.label) == (
        1, "cover", "Missing Children Protocol July 2017", "cover", None
    )  # fmt: skip
    assert (footer.page, footer.where, footer.text, footer.basis) == (
        None, "footer", "Missing Children Protocol July 2017", "running"
    )  # fmt: skip


def test_dates_periods_and_marks_survive_the_cache_codec():
    dates = DocumentDates(
        issue=(
            FoundDate(D(2016, 11, 14), "issue", "content", "day", "Version 1.1", 2, "body",
                      "1.1 14/11/2016", "version"),
            FoundDate(D(2008, 12, 31), "issue", "content", "month", None, 1, "cover",
                      "December 2008", "cover"),
        ),
        expiry=(FoundDate(D(2017, 3, 31), "expiry", "content", "month", "Review by", 1, "body"),),
        spans=(
            YearSpan(2015, 2016, "content", "April 2015 – March 2016", 1, D(2015, 4, 1),
                     D(2016, 3, 31), "title", "cover"),
            YearSpan(2013, 2014, "content", "2013/14", 2, basis="foreword", where="body"),
            YearSpan(2014, 2015, "filename", "2014-15"),
        ),
        draft=DraftMark("draft", "version", "0.3 03/07/2017 For consultation"),
    )  # fmt: skip
    assert dates_from_blob(dates_to_blob(dates)) == dates
