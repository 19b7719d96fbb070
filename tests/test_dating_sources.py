"""date_sources decides which sources are read and in what order the candidates come."""

from __future__ import annotations

import datetime as dt

import pytest

from annexa.dating import read_dates
from annexa.model import Facts, TextBlock
from tests.dating_helpers import body, facts_with, options

D = dt.date
NAME = "Reports/2014-01-05 Structure chart.pdf"
MTIME = int(dt.datetime(2013, 6, 1, 12, tzinfo=dt.timezone.utc).timestamp()) * 10**9


def the_facts() -> Facts:
    return facts_with(
        body("Structure chart\nDate: 12 March 2015\nNext review: March 2016"),
        metadata=(("pdf:ModDate", "D:20150401"),),
    )


def sources_of(sources) -> list[str]:
    found = read_dates(the_facts(), NAME, options(sources), MTIME)
    return [d.source for d in found.issue]


def test_candidates_are_grouped_in_the_order_of_date_sources():
    assert sources_of(("content", "filename", "metadata", "mtime")) == [
        "content", "filename", "metadata", "mtime"
    ]  # fmt: skip
    assert sources_of(("mtime", "metadata", "filename", "content")) == [
        "mtime", "metadata", "filename", "content"
    ]  # fmt: skip


@pytest.mark.parametrize("source", ["content", "filename", "metadata", "mtime"])
def test_only_the_listed_sources_are_read(source):
    assert sources_of((source,)) == [source]


def test_expiry_dates_come_only_from_content():
    with_content = read_dates(the_facts(), NAME, options(("content",)), MTIME)
    assert [d.value for d in with_content.expiry] == [D(2016, 3, 31)]
    without = read_dates(the_facts(), NAME, options(("filename", "metadata", "mtime")), MTIME)
    assert without.expiry == ()


def test_a_source_listed_twice_is_read_once():
    assert sources_of(("filename", "filename")) == ["filename"]


def test_file_not_read_is_dated_from_its_name_and_mtime():
    found = read_dates(None, NAME, options(("content", "filename", "metadata", "mtime")), MTIME)
    assert [(d.source, d.value) for d in found.issue] == [
        ("filename", D(2014, 1, 5)), ("mtime", D(2013, 6, 1))
    ]  # fmt: skip


def test_unreadable_file_still_has_its_file_name_date():
    facts = Facts(
        path="x", size=1, mtime_ns=0, kind="pdf", error="encrypted PDF: password required"
    )
    found = read_dates(facts, NAME, options(("content", "filename", "metadata")), 0)
    assert [d.source for d in found.issue] == ["filename"]


def test_each_candidate_keeps_its_evidence():
    found = read_dates(the_facts(), NAME, options(("content", "filename", "metadata")), 0)
    content, filename, metadata = found.issue
    assert (content.label, content.page, content.where, content.text) == (
        "Date", 1, "body", "Date: 12 March 2015"
    )  # fmt: skip
    assert (filename.label, filename.where, filename.text) == (
        "file name", "name", "2014-01-05 Structure chart.pdf"
    )  # fmt: skip
    assert metadata.label == "modified (PDF properties)"


def test_read_dates_is_pure_same_inputs_same_answer():
    first = read_dates(the_facts(), NAME, options(("content", "filename", "metadata")), MTIME)
    second = read_dates(the_facts(), NAME, options(("content", "filename", "metadata")), MTIME)
    assert first == second


def test_a_realistic_cover_page_is_dated_by_its_labels():
    cover = (
        "Placement Sufficiency Strategy\n2015 – 2018\nChildren's Services\n"
        "Document control\nVersion\t1.0\nStatus\tFinal\nAuthor\tHead of Service, Tel 01234 567890\n"
        "Date approved\t14 April 2015\nApproved by\tCabinet\nNext review date\tApril 2016\n"
        "Ref: CS/2015/04/117\n"
    )
    facts = facts_with(
        TextBlock("title", None, "Sufficiency Strategy"),
        body(cover),
        body("1. Introduction\nIn March 2012 the council published its first strategy.", 2),
        TextBlock("footer", None, "Sufficiency Strategy 2015-18 | Page 1"),
    )
    found = read_dates(facts, "Strategies/Sufficiency Strategy.docx", options(), 0)
    assert [(d.value, d.label) for d in found.issue] == [(D(2015, 4, 14), "Date approved")]
    assert [(d.value, d.label) for d in found.expiry] == [(D(2016, 4, 30), "Next review date")]
    assert [(s.first, s.last, s.source) for s in found.spans] == [(2015, 2018, "content")]
    assert found.draft is None
