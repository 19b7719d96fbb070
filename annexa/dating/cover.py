"""Unlabelled dates where a reader looks first: the cover, beside the title, the running footer.

The commonest way a council document dates itself has no label at all
("Missing Children Protocol July 2017"), so such a date is read; but only
where a reader would take it for the document's date, since a date with no
label may as well be a phone number, a meeting or a review. Where it is read
and what it must look like are in docs/dating.md ("Unlabelled dates on the
cover, beside the title, in a running footer"). A period on such a line is
left to ``annexa.dating.covered``. Such a date is weaker than a labelled one
(``FoundDate.basis``: "cover" on page 1, "running" in a header or footer).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from annexa.dating.excerpt import excerpt
from annexa.dating.firstpage import (
    Line,
    looks_like_title,
    page_one_lines,
    running_key,
    running_lines,
)
from annexa.dating.labels import LABEL_RE
from annexa.dating.parse import find_dates
from annexa.dating.ranges import find_ranges, space_glued_dashes
from annexa.dating.spans import blank_out, find_spans
from annexa.model import FoundDate, TextBlock
from annexa.model.dates import OCR_WHERE

TITLE_PART_WORDS = 14
CONTEXT_LINES = 3
COLUMN_LINES = 2

# Words that, before a date, make it some other date than the document's.
_OTHER_DATE_WORDS = frozenset(
    [
        "review",
        "reviews",
        "next",
        "due",
        "until",
        "till",
        "expires",
        "expiry",
        "expiring",
        "deadline",
        "printed",
        "print",
        "saved",
        "created",
        "modified",
        "downloaded",
        "accessed",
        "retrieved",
        "received",
        "submitted",
        "tel",
        "telephone",
        "phone",
        "fax",
        "mobile",
        "email",
        "e-mail",
        "ref",
        "reference",
        "registered",
        "company",
        "charity",
        "no",
        "number",
        "born",
        "birth",
        "dob",
        "closing",
        "closes",
        "close",
        "start",
        "starts",
        "started",
        "starting",
        "end",
        "ends",
        "ended",
        "ending",
        "commencing",
        "commences",
        "from",
        "since",
        "consultation",
        "event",
        "conference",
        "training",
        "session",
        "hearing",
        "census",
        "snapshot",
    ]
)
# A preposition just before the date makes it part of a sentence or a range.
_PREPOSITIONS = frozenset(
    [
        "in",
        "since",
        "from",
        "by",
        "until",
        "till",
        "before",
        "after",
        "during",
        "between",
        "to",
        "than",
        "within",
        "over",
    ]
)
# A number after these words is a version or a reference, not a date ("Version 2015.3.1").
_REFERENCE_WORDS = frozenset(
    ["version", "ver", "v", "issue", "ref", "no", "number", "id", "edition"]
)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_LONG_NUMBER = re.compile(r"[0-9]{3,}")
_DIGIT = re.compile(r"[0-9]")  # every date is written with one
# What may follow the date: punctuation, "Page 3 of 14", a page number, a version.
_TAIL = re.compile(
    r"(?:[\W_]*(?:(?:page|p\.)(?:\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?)?"
    r"|v(?:er(?:sion)?)?\.?\s*[0-9]{1,2}(?:\.[0-9]{1,3}){0,2}|final|issue\s+[0-9]{1,2}"
    r"|[0-9]{1,3}(?![0-9:])))*[\W_]*",
    re.IGNORECASE,
)
_TABLE_CELL = re.compile(
    r"(?i)^\W*(?:v(?:ersion)?\.?\s*)?[0-9]{1,2}(?:\.[0-9]{1,3}){1,2}\W*$"
    r"|^\W*(?:version|issue|revision|date|author|status|owner)\W*$"
)


def _title_part(before: str) -> bool:
    """Whether the words before a date read as a title (or there are none)."""
    stripped = before.rstrip(" \t-–—|,·•/(")
    if _WORD.search(stripped) is None:
        return ":" not in stripped  # the date alone on its line
    if stripped.endswith(":"):
        return False  # "Printed: 12/03/2019": a label annexa does not know
    words = [w.lower() for w in _WORD.findall(stripped)]
    if not 2 <= len(words) <= TITLE_PART_WORDS or not looks_like_title(stripped):
        return False
    if words[-1] in _PREPOSITIONS or words[-1] in _REFERENCE_WORDS:
        return False
    if _LONG_NUMBER.search(stripped):
        return False
    return not any(word in _OTHER_DATE_WORDS for word in words)


def _context_is_a_table(lines: Sequence[Line], index: int) -> bool:
    """Whether one of the lines just above holds a label or is a version table's cell.

    A date below a label is the label's to read or to leave ("Date approved
    by the board" / "12 March 2015" may be a table's header row and values).
    """
    for above in lines[max(0, index - CONTEXT_LINES) : index]:
        if LABEL_RE.search(above.text) or _TABLE_CELL.match(above.text):
            return True
    return False


def _date_on(line: Line, order: str) -> tuple[FoundDate, bool] | None:
    """The document date a cover, title or running line states, if it states one,
    and whether it stands alone on its line."""
    text = space_glued_dashes(line.text)
    if LABEL_RE.search(text) is not None:
        return None  # a labelled line: the label rules read it or it holds no date
    periods = [(r.begin, r.stop) for r in find_ranges(text, order)]
    periods += [(s.start, s.end) for s in find_spans(text)]
    plain = blank_out(text, periods)
    dates = [d for d in find_dates(plain, order) if d.precision != "year"]
    if not dates:
        return None
    last = dates[-1]
    if _TAIL.fullmatch(plain, last.end) is None or not _title_part(plain[: last.start]):
        return None
    running = line.zone in ("foot", "running")
    if running and last.precision == "day":
        return None  # "Page 3   12/03/2019": a date field, the day it was printed
    alone = _WORD.search(plain[: last.start]) is None
    if not alone and plain.rstrip().endswith(".") and not plain.rstrip().endswith("Sept."):
        return None  # a sentence: "The board met on 12 March 2015."
    basis = "running" if running else "cover"
    found = FoundDate(
        value=last.value,
        kind="issue",
        source="content",
        precision=last.precision,
        label=None,
        page=line.block.page,
        where=OCR_WHERE if line.block.ocr else line.where,
        text=excerpt(line.text),
        basis=basis,  # type: ignore[arg-type]
    )
    return found, alone


@functools.lru_cache(maxsize=16)
def cover_dates(blocks: tuple[TextBlock, ...], order: str) -> tuple[FoundDate, ...]:
    """Unlabelled dates on the cover and in the running heads, in reading order, once each."""
    found: list[FoundDate] = []
    seen: set[tuple[object, ...]] = set()
    running = running_lines(blocks)
    # A PDF prints its running lines on page 1 too; a Word file keeps them apart.
    repeated = {running_key(line.text) for line in running if line.block.where == "body"}
    for group in (page_one_lines(blocks), running):
        dated: list[tuple[int, FoundDate, bool]] = []
        for index, line in enumerate(group):
            if line.zone == "body" or _DIGIT.search(line.text) is None:
                continue
            if line.zone != "running" and running_key(line.text) in repeated:
                continue  # page 1's copy of a running header or footer
            on_line = _date_on(line, order)
            if on_line is None or _context_is_a_table(group, index):
                continue
            dated.append((index, on_line[0], on_line[1]))
        for index, date, alone in dated:
            if alone and _in_a_column(index, date, dated):
                continue
            key = (date.value, date.precision, date.basis)
            if key not in seen:
                seen.add(key)
                found.append(date)
    return tuple(found)


def _in_a_column(index: int, date: FoundDate, dated: list[tuple[int, FoundDate, bool]]) -> bool:
    """Whether another date stands alone within two lines: a column of a table, or
    two dates with nothing to tell which is the document's."""
    return any(
        alone and other is not date and abs(where - index) <= COLUMN_LINES
        for where, other, alone in dated
    )
