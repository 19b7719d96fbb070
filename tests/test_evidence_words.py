"""Where a date was read, in the words of every report and of the live view."""

from __future__ import annotations

import dataclasses

import pytest

from annexa.formats._common import evidence_words
from annexa.model import Evidence
from annexa.model.dates import OCR_WHERE
from annexa.tui.cells import detail_text
from tests.watch_fakes import sample_report

CASES = [
    ("footer", "in the footer"),
    ("header", "in the header"),
    ("cover", "on the cover"),
    (OCR_WHERE, "read by OCR from a scanned page"),
]


@pytest.mark.parametrize(("where", "words"), CASES)
def test_reports_and_the_live_view_say_where_on_the_page_in_plain_words(where, words):
    evidence = Evidence("content", "Date approved", 1, "Date approved: 12 March 2013", where)
    assert evidence_words(evidence) == f"'Date approved', page 1, {words} (in the document)"
    item = dataclasses.replace(sample_report().items[0], evidence=evidence)
    shown = detail_text(item).plain
    assert f"(page 1, {words})" in shown
    assert "scan (OCR)" not in shown and "(OCR))" not in evidence_words(evidence)


def test_the_body_of_the_text_and_the_file_name_need_no_words_of_place():
    body = Evidence("content", "Date approved", 1, "Date approved: 12 March 2013", "body")
    assert evidence_words(body) == "'Date approved', page 1 (in the document)"
    name = Evidence("filename", None, None, "2015-09-01", "name")
    assert evidence_words(name) == "from the file name"
    properties = Evidence("metadata", "Modified", None, "2015-09-01", "properties")
    assert evidence_words(properties) == "'Modified' (from the document properties)"
