"""The period a document says it covers: "Annual Report 2014-15", "April 2016 – March 2017".

Read, strongest first (``YearSpan.basis``):

1. "title": in the title lines (the properties title, and the title-like
   lines among the first eight of page 1) or on any title-like line of a
   page 1 short enough to be a cover: ``IRO Annual Report 2014-15``,
   ``Statement of Purpose April 2015 – March 2016``.
2. "label": after a period label at the start of a line or table cell, on
   any page read: ``Period: 1st April 2014 – 31st March 2015``,
   ``Reporting period 2014/15``, ``Period 1st April 2014 – 31st March 2015``.
3. "running": in a running header or footer: ``LADO Annual Report 2014/15 | Page 2``.
4. "foreword": in a sentence that names the report, on any page read (the
   cover often names no period and the foreword on page 2 does):
   ``This report covers the period April 2014 to March 2015``, ``Welcome
   to the Annual Report for 2013/14``, ``... the 2013/14 annual report``.

A line that names two periods or more ("2012-13  2013-14  2014-15", a
table's heading row) states none, nor does a line of a contents page
("Performance in 2014-15 ...... 12"). A period in a sentence that looks back
("last year's report for 2012/13") is not the document's.
"""

from __future__ import annotations

import re

from annexa.dating.excerpt import OCR_WHERE
from annexa.dating.firstpage import (
    Line,
    looks_like_title,
    mended_lines,
    page_one_lines,
    running_lines,
)
from annexa.dating.ranges import find_ranges, space_glued_dashes
from annexa.dating.spans import blank_out, find_spans
from annexa.dating.textlayer import mend
from annexa.model import SPAN_RANK, TextBlock, YearSpan

ANCHOR_REACH = 120  # characters after "this report" where its period may be named

_PERIOD_LABEL = re.compile(
    r"(?i)(?:^|\t|\||  )[\W_]*(?:reporting\s+period|period\s+covered|period\s+of\s+(?:this\s+)?"
    r"report|report(?:ing)?\s+(?:period|year)|period|financial\s+year|academic\s+year)"
    r"(?![^\W_])(?:\s*covered)?\s*[:\-–—|]?\s*(?:from\s+)?"
)
_ANCHOR = re.compile(
    r"(?i)(?<![^\W_])(?:annual\s+report|this\s+(?:[\w'’()-]+\s+){0,5}?report|the\s+report"
    r"|report\s+(?:covers|covering)|covers\s+the\s+(?:period|year)|period\s+covered)(?![^\W_])"
)
_LOOKING_BACK = re.compile(
    r"(?i)(?<![^\W_])(?:last\s+year['’]?s?|previous|prior|earlier|former|last)\s+(?:\S+\s+){0,3}$"
)
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]|\n")
# A line of a contents page: words, then its page number ("Performance in 2014-15 .... 12").
_CONTENTS_ENTRY = re.compile(r"[^\W\d_][\s.…]+[0-9]{1,3}\s*$")


def _periods_in(text: str, order: str) -> list[tuple[int, int, YearSpan]]:
    """(start, end, span) for every range and span of years in ``text``, left to right."""
    found = []
    ranges = find_ranges(text, order)
    for r in ranges:
        span = YearSpan(r.start.year, r.end.year, "content", r.text, start=r.start, end=r.end)
        found.append((r.begin, r.stop, span))
    rest = blank_out(text, [(r.begin, r.stop) for r in ranges])
    for s in find_spans(rest):
        found.append((s.start, s.end, YearSpan(s.first, s.last, "content", s.text)))
    found.sort(key=lambda item: item[0])
    return found


def _placed(span: YearSpan, line: Line, basis: str) -> YearSpan:
    where = OCR_WHERE if line.block.ocr else line.where
    return YearSpan(
        span.first,
        span.last,
        "content",
        span.text,
        line.block.page,
        span.start,
        span.end,
        basis,  # type: ignore[arg-type]
        where,
    )


def _title_spans(blocks: tuple[TextBlock, ...], order: str) -> list[YearSpan]:
    spans = []
    for block in blocks:
        if block.where == "title":
            line = Line(mend(block.text), block, "title", "title")
            for _, _, span in _periods_in(space_glued_dashes(line.text), order):
                spans.append(_placed(span, line, "title"))
    for line in page_one_lines(blocks):
        if line.zone not in ("title", "cover") or not looks_like_title(line.text):
            continue
        text = space_glued_dashes(line.text)
        found = _periods_in(text, order)
        if len(found) == 1 and not _CONTENTS_ENTRY.search(blank_out(text, [found[0][:2]])):
            spans.append(_placed(found[0][2], line, "title"))
    return spans


def _body_lines(blocks: tuple[TextBlock, ...]) -> list[Line]:
    return [
        Line(text, block, "body", "body")
        for block in blocks
        if block.where == "body"
        for text in mended_lines(block)
    ]


def _label_spans(lines: list[Line], order: str) -> list[YearSpan]:
    spans = []
    for line in lines:
        if not any(c.isdigit() for c in line.text):
            continue
        text = space_glued_dashes(line.text)
        for label in _PERIOD_LABEL.finditer(text):
            for start, _, span in _periods_in(text, order):
                if start == label.end():
                    spans.append(_placed(span, line, "label"))
                    break
    return spans


def _running_spans(blocks: tuple[TextBlock, ...], order: str) -> list[YearSpan]:
    spans = []
    for line in running_lines(blocks):
        found = _periods_in(space_glued_dashes(line.text), order)
        if len(found) == 1:
            spans.append(_placed(found[0][2], line, "running"))
    return spans


def _foreword_spans(lines: list[Line], order: str) -> list[YearSpan]:
    spans = []
    for line in lines:
        if not any(c.isdigit() for c in line.text):
            continue
        text = space_glued_dashes(line.text)
        periods = None
        for anchor in _ANCHOR.finditer(text):
            if _LOOKING_BACK.search(text, max(0, anchor.start() - 40), anchor.start()):
                continue
            if periods is None:
                periods = _periods_in(text, order)
            chosen = _named_by(text, anchor, periods)
            if chosen is not None:
                spans.append(_placed(chosen, line, "foreword"))
                break
    return spans


def _named_by(
    text: str, anchor: re.Match[str], periods: list[tuple[int, int, YearSpan]]
) -> YearSpan | None:
    """The period a sentence's anchor names: the first after it, or one just before it."""
    for start, end, span in periods:
        if anchor.start() - 12 <= end <= anchor.start() and not text[end : anchor.start()].strip():
            return span  # "the 2013/14 annual report"
        if start >= anchor.end():
            between = text[anchor.end() : start]
            if len(between) <= ANCHOR_REACH and _SENTENCE_END.search(between) is None:
                return span
            return None
    return None


def covered_spans(blocks: tuple[TextBlock, ...], order: str) -> list[YearSpan]:
    """Every period the text names as its own, strongest first, each once."""
    body = _body_lines(blocks)
    found = _title_spans(blocks, order) + _label_spans(body, order)
    found += _running_spans(blocks, order) + _foreword_spans(body, order)
    found.sort(key=lambda span: SPAN_RANK[span.basis])
    return found
