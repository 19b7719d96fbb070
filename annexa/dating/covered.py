"""The period a document says it covers: "Annual Report 2014-15", "April 2016 – March 2017".

A report names the year it covers on its cover, after a label, in its
running heads or in its foreword. The cover and a period label are read
first, then the running heads, then the foreword, each only when the ones
before name no period, as a reader stops at the cover when it says the year
(``YearSpan.basis``: "title", "label", "running", "foreword"). What each
place takes, and which lines name no period, are in docs/dating.md ("Where a
period is read").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from annexa.dating.firstpage import (
    PROSE_WORDS,
    Line,
    looks_like_title,
    mended_lines,
    page_one_lines,
    running_lines,
)
from annexa.dating.ranges import find_ranges, space_glued_dashes
from annexa.dating.spans import blank_out, find_spans
from annexa.dating.textlayer import mend
from annexa.model import TextBlock, YearSpan
from annexa.model.dates import OCR_WHERE

ANCHOR_REACH = 120  # characters after "this report" where its period may be named
BEFORE_ANCHOR = 24  # characters before it ("the 2013/14 annual report")
LABEL_REACH = 40  # a period label is among the first characters of its line or cell

_PERIOD_LABEL = re.compile(
    r"(?i)[\W_]*(?:reporting\s+period|period\s+covered|period\s+of\s+(?:this\s+)?"
    r"report|report(?:ing)?\s+(?:period|year)|period|financial\s+year|academic\s+year)"
    r"(?![^\W_])(?:\s*covered)?\s*[:\-–—|]?\s*(?:from\s+)?"
)
# Every period has a four-digit year, or a two-digit one after a month or a separator.
_PERIODISH = re.compile(r"[0-9]{4}|[^\W\d_/.'’-][ /.'’-]*[0-9]{2}(?![0-9])|[/.][0-9]{2}(?![0-9])")
# Where a line's table cells start: its start, and after a tab, a "|" or a wide gap.
_CELL = re.compile(r"^|(?<=[\t|])|(?<=  )(?=\S)")
_ANCHOR = re.compile(
    r"(?i)(?<![^\W_])(?:annual\s+report|this\s+(?:[\w'’()-]+\s+){0,5}?report|the\s+report"
    r"|report\s+(?:covers|covering)|covers\s+the\s+(?:period|year)|period\s+covered)(?![^\W_])"
)
_ANCHOR_WORDS = ("report", "covers", "covered")  # every anchor holds one of them
ANCHOR_BEFORE_WORD = 120  # "this" and up to five words before "report"
ANCHOR_AFTER_WORD = 48  # "report covering", "covers the period"
_LOOKING_BACK = re.compile(
    r"(?i)(?<![^\W_])(?:last\s+year['’]?s?|previous|prior|earlier|former|last)\s+(?:\S+\s+){0,3}$"
)
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]")
# A line of a contents page: words, then its page number ("Performance in 2014-15 .... 12").
_CONTENTS_ENTRY = re.compile(r"[^\W\d_][\s.…]+[0-9]{1,3}\s*$")


def _periods_in(text: str, order: str) -> list[tuple[int, int, YearSpan]]:
    """(start, end, span) for every range and span of years in ``text``, left to right."""
    if _PERIODISH.search(text) is None:
        return []
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
        if line.zone not in ("title", "cover") or _PERIODISH.search(line.text) is None:
            continue
        if not looks_like_title(line.text):
            continue
        text = space_glued_dashes(line.text)
        found = _periods_in(text, order)
        if len(found) == 1 and not _CONTENTS_ENTRY.search(blank_out(text, [found[0][:2]])):
            spans.append(_placed(found[0][2], line, "title"))
    return spans


def _body_texts(blocks: tuple[TextBlock, ...]) -> list[tuple[str, str, TextBlock]]:
    """(mended text, its lower case, block) for each page of body text."""
    out = []
    for block in blocks:
        if block.where == "body":
            text = mend(block.text)
            out.append((text, text.lower(), block))
    return out


def _label_spans(blocks: tuple[TextBlock, ...], order: str) -> list[YearSpan]:
    spans = []
    for block in blocks:
        if block.where != "body":
            continue
        for line in mended_lines(block):
            head = line[:LABEL_REACH].lower()
            if "period" not in head and "year" not in head:
                if "\t" not in line and "|" not in line:
                    continue
                if "period" not in line.lower() and "year" not in line.lower():
                    continue
            # Labels and periods are both found in the spaced text, so their offsets agree.
            spaced = space_glued_dashes(line)
            for cell in _CELL.finditer(spaced):
                label = _PERIOD_LABEL.match(spaced, cell.start())
                if label is None:
                    continue
                for start, _, span in _periods_in(spaced, order):
                    if start == label.end():
                        spans.append(_placed(span, Line(line, block, "body", "body"), "label"))
                        break
    return spans


def _running_spans(blocks: tuple[TextBlock, ...], order: str) -> list[YearSpan]:
    spans = []
    for line in running_lines(blocks):
        found = _periods_in(space_glued_dashes(line.text), order)
        if len(found) == 1:
            spans.append(_placed(found[0][2], line, "running"))
    return spans


def _foreword_spans(pages: list[tuple[str, str, TextBlock]], order: str) -> list[YearSpan]:
    spans = []
    for text, lowered, block in pages:
        if "report" not in lowered and "period" not in lowered and "covers" not in lowered:
            continue
        for anchor in _anchors(text, lowered):
            if _LOOKING_BACK.search(text, max(0, anchor.start() - 40), anchor.start()):
                continue
            begin = max(text.rfind("\n", 0, anchor.start()) + 1, anchor.start() - BEFORE_ANCHOR)
            sentence = _sentence(text, begin, anchor.end())
            piece = space_glued_dashes(sentence)
            first = _spaced_position(sentence, anchor.start() - begin)
            after = _spaced_position(sentence, anchor.end() - begin)
            chosen = _named_by(piece, first, after, order)
            if chosen is not None:
                spans.append(_placed(chosen, Line(piece, block, "body", "body"), "foreword"))
                break
    return spans


def _spaced_position(text: str, at: int) -> int:
    """Where ``text``'s character at ``at`` stands once its glued dashes are spaced.

    That character is no glued dash itself (an anchor's first letter, or what
    follows the anchor), and nothing after it moves what comes before.
    """
    upto = text[: at + 1]
    return len(space_glued_dashes(upto)) - (len(upto) - at)


def _anchors(text: str, lowered: str) -> Iterator[re.Match[str]]:
    """``_ANCHOR``'s matches in ``text``, found near its key words only.

    Every anchor holds "report", "covers" or "covered"; the pattern is tried
    only around them, which spares running it over whole pages of prose.
    """
    if len(lowered) != len(text):  # lower() changed lengths ("İ"): positions would drift
        yield from _ANCHOR.finditer(text)
        return
    windows: list[list[int]] = []
    for at in sorted(_places(lowered, _ANCHOR_WORDS)):
        start, end = max(0, at - ANCHOR_BEFORE_WORD), at + ANCHOR_AFTER_WORD
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    for start, end in windows:
        yield from _ANCHOR.finditer(text, start, end)


def _places(lowered: str, words: tuple[str, ...]) -> Iterator[int]:
    """Where each of ``words`` stands in ``lowered`` (str.find: far faster than a pattern)."""
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            yield at
            at = lowered.find(word, at + 1)


def _sentence(text: str, begin: int, after: int) -> str:
    """``text`` from ``begin`` to the end of the sentence that goes on past ``after``.

    A line break ends it only where a paragraph ends (a Word paragraph, a
    heading); a PDF wraps a sentence over lines that run on without a stop,
    and those breaks are read as spaces.
    """
    end = min(len(text), after + ANCHOR_REACH)
    out = []
    position = begin
    while position < end:
        newline = text.find("\n", position, end)
        line_end = newline if newline >= 0 else end
        out.append(text[position:line_end])
        if newline < 0:
            break
        line = text[text.rfind("\n", 0, newline) + 1 : newline]
        if len(line.split()) < PROSE_WORDS or line.rstrip().endswith((".", "!", "?", ":")):
            break
        out.append(" ")
        position = newline + 1
    piece = "".join(out)
    stop = _SENTENCE_END.search(piece, after - begin)
    return piece[: stop.start() + 1] if stop else piece


def _named_by(piece: str, start: int, end: int, order: str) -> YearSpan | None:
    """The period a sentence's anchor names: the first after it, or one just before it."""
    for first, last, span in _periods_in(piece, order):
        if start - 12 <= last <= start and not piece[last:start].strip():
            return span  # "the 2013/14 annual report"
        if first >= end:
            return span
    return None


@functools.lru_cache(maxsize=16)
def covered_spans(blocks: tuple[TextBlock, ...], order: str) -> tuple[YearSpan, ...]:
    """The periods the text names as its own, strongest first.

    A weaker place is looked at only when no stronger one names a period, as
    a reader stops at the cover when it says which year the report covers.
    Remembered for the last few documents, as content dating is.
    """
    found = _title_spans(blocks, order) + _label_spans(blocks, order)
    if not found:
        found = _running_spans(blocks, order)
    if not found:
        found = _foreword_spans(_body_texts(blocks), order)
    return tuple(found)
