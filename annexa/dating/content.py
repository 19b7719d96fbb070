"""Labelled dates in a document's text: "Date approved: 12 March 2015".

Only a date written right after a label counts (separated by ``:``, ``-``,
``|``, a table-cell gap, or, where the label starts a short line or cell,
"on"/"by"/"in"), so a date in a sentence, a reference number or a phone
number is never taken for the document's date. The text is mended first
(``annexa.dating.textlayer``: ligatures, split words, letter-spacing). Document-control tables
often put a label in one cell and its date in the next; when a label stands
alone on its line, the date may start the next line, unless the line before
is also a bare label (a table whose header row lists several labels and
whose values follow in the next row, where the pairing cannot be known).

A year alone is read only after an expiry label ("Next review: 2016" is
31 December 2016: it can only make a document expire sooner). After an issue
label ("Date: 2015") it is skipped as too weak: taking 31 December would make
a document look newer than it is; the next date source is used instead.
"""

from __future__ import annotations

import functools
import re

from annexa.dating.excerpt import excerpt
from annexa.dating.labels import LABEL_RE, display_label, find_labels, label_kind, qualified_away
from annexa.dating.parse import ParsedDate, match_date, match_year
from annexa.dating.textlayer import mend
from annexa.model import FoundDate, TextBlock
from annexa.model.dates import OCR_WHERE, DateKind

_GAP = r"[^\S\n]*"
# Between a label and its date: "(dd/mm/yyyy)", ":", "-", "|".
_SEP = rf"{_GAP}(?:\([^()\n]{{0,24}}\){_GAP})?(?:[:\-–—|=]+{_GAP})?"
_SEP_RE = re.compile(_SEP)
# Connecting words are taken only where the label starts a line or a table
# cell and the cell is short: "Published in May 2014" on a cover, not "... was
# published in May 2012" in a sentence about an older strategy, nor a Word
# paragraph that opens "Published in January 2014, the national guidance ...".
_SEP_WORDS_RE = re.compile(rf"{_SEP}(?:(?:on|by|in|of|from)(?![^\W_]){_GAP})?", re.IGNORECASE)
# "Approved by Cabinet on 12 March 2015", "Date approved by the Board: 12/03/2015",
# "Published by Anyshire Council, July 2017".
_BY_WHOM_RE = re.compile(
    rf"{_GAP}by[^\S\n]+[^\n:|\t,]{{1,40}}?(?:[^\S\n]+on[^\S\n]+|{_GAP}[:|\t,]{_GAP})",
    re.IGNORECASE,
)
_CELL_END = re.compile(r"\t|\||  ")
_SHORT_CELL_WORDS = 6  # after the label: "in May 2014", "by the Board on 12 March 2015"
_ONLY_PUNCT = re.compile(r"[\W_]*")
_LONE_LABEL_RE = re.compile(r"[\W_]*" + LABEL_RE.pattern + r"[\W_]*", re.IGNORECASE)
_NEAR_LINES = 3  # how far a cell's value may sit below its label, blank lines included


def _starts_cell(line: str, start: int) -> bool:
    """Whether only punctuation precedes ``start`` in its line or table cell.

    A cell ends at a tab, a ``|`` or a gap of two spaces or more.
    """
    i = start
    while i > 0 and not line[i - 1].isalnum():
        i -= 1
    if i == 0:
        return True
    gap = line[i:start]
    return "\t" in gap or "|" in gap or "  " in gap


def _short_cell(line: str, end: int) -> bool:
    """Whether the rest of the label's cell is a few words, not a sentence."""
    cell_end = _CELL_END.search(line, end)
    rest = line[end : cell_end.start() if cell_end else len(line)]
    return len(rest.split()) <= _SHORT_CELL_WORDS


def _date_after(line: str, start: int, end: int, kind: str, order: str) -> ParsedDate | None:
    """The date written just after the label at ``start``..``end`` of ``line``, if any."""
    heading = _starts_cell(line, start)
    words = heading and _short_cell(line, end)
    sep = (_SEP_WORDS_RE if words else _SEP_RE).match(line, end)
    at = sep.end() if sep else end
    found = match_date(line, at, order)
    if found is None and kind == "expiry":
        found = match_year(line, at)
    if found is None and kind == "issue" and heading:
        by = _BY_WHOM_RE.match(line, end)
        if by is not None:
            found = match_date(line, by.end(), order)
    return found


def _label_alone(line: str, start: int, end: int) -> bool:
    """Whether nothing but punctuation surrounds the label on its line."""
    return (
        _ONLY_PUNCT.fullmatch(line, 0, start) is not None
        and _ONLY_PUNCT.fullmatch(line, end) is not None
    )


def _value_below(text: str, line_end: int, kind: str, order: str) -> tuple[ParsedDate, str] | None:
    """A date alone at the start of the next non-empty line, and that line."""
    for following in text[line_end + 1 :].split("\n", _NEAR_LINES)[:_NEAR_LINES]:
        if not following.strip():
            continue
        start = len(following) - len(following.lstrip())
        found = match_date(following, start, order)
        if found is None and kind == "expiry":
            found = match_year(following, start)
        return (found, following) if found else None
    return None


def _lone_label_above(text: str, line_start: int) -> bool:
    """Whether the previous non-empty line is itself a label without a value."""
    for previous in reversed(text[: max(0, line_start - 1)].rsplit("\n", _NEAR_LINES)):
        if previous.strip():
            return _LONE_LABEL_RE.fullmatch(previous) is not None
    return False


_DIGIT_RE = re.compile(r"[0-9]")  # every date form of annexa.dating.parse has one


def _near_digits(text: str) -> list[tuple[int, int]]:
    """The stretches of whole lines where a label could have a date after it.

    A date is always written with a digit, and a label's date is on its own
    line or, for a label alone, on one of the ``_NEAR_LINES`` lines below.
    So only lines with a digit, and the lines just above them, can hold a
    label that dates anything: the label search (the costliest step of
    dating) skips the rest, the prose of most pages, and finds the same dates.
    """
    stretches: list[tuple[int, int]] = []
    search = _DIGIT_RE.search
    found = search(text)
    while found is not None:
        at = found.start()
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        start = text.rfind("\n", 0, at) + 1
        for _ in range(_NEAR_LINES):
            if start == 0:
                break
            start = text.rfind("\n", 0, start - 1) + 1
        if stretches and start <= stretches[-1][1] + 1:
            start = stretches[-1][0]
            stretches[-1] = (start, end)
        else:
            stretches.append((start, end))
        found = search(text, end)
    return stretches


def content_dates(
    blocks: tuple[TextBlock, ...], order: str
) -> tuple[list[FoundDate], list[FoundDate]]:
    """Issue and expiry dates written after labels, in document order, without repeats.

    A date repeated in the running head of every page is kept once, with the
    first place it was seen.
    """
    issue: list[FoundDate] = []
    expiry: list[FoundDate] = []
    seen: set[tuple] = set()
    for block in blocks:
        for kind, found, shown, evidence in _block_dates(block.text, order):
            key = (kind, found.value, found.precision, shown.lower())
            if key in seen:
                continue
            seen.add(key)
            date = FoundDate(
                value=found.value,
                kind=kind,
                source="content",
                precision=found.precision,
                label=shown,
                page=block.page,
                where=OCR_WHERE if block.ocr else block.where,
                text=evidence,
            )
            (issue if kind == "issue" else expiry).append(date)
    return issue, expiry


@functools.lru_cache(maxsize=16)
def _block_dates(text: str, order: str) -> tuple[tuple[DateKind, ParsedDate, str, str], ...]:
    """(kind, date, label as shown, evidence) for each labelled date in one block's text.

    Remembered for the last few texts because a PDF reader asks first
    whether two pages already hold both kinds of date (to skip the third,
    ``annexa.reading.pdf.common.first_page_texts``) and then dates the same pages
    again; a str's hash is kept by the string, so a repeat costs a lookup.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = mend(text)
    dates: list[tuple[DateKind, ParsedDate, str, str]] = []
    for m in find_labels(text, _near_digits(text)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if line_end < 0:
            line_end = len(text)
        line = text[line_start:line_end]
        start, end = m.start() - line_start, m.end() - line_start
        label = line[start:end]
        kind = label_kind(label)
        found = _date_after(line, start, end, kind, order)
        if found is not None:
            evidence = excerpt(line, start)
        else:
            if not _label_alone(line, start, end) or _lone_label_above(text, line_start):
                continue
            below = _value_below(text, line_end, kind, order)
            if below is None:
                continue
            found, value_line = below
            evidence = excerpt(f"{line.strip()} {value_line.strip()}")
        # Checked last: most labels in prose have no date after them at all.
        if qualified_away(line, start, label):
            continue
        dates.append((kind, found, display_label(label), evidence))
    return tuple(dates)
