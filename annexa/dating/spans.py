"""Spans of years: the period a plan or an annual report covers.

Read: ``2014-15``, ``2014/15``, ``2014_15``, ``2014-2015``, ``2015–18`` (en
dash), ``2015 - 2018``, ``2012 to 2015``, and the council habit of naming
both ends by financial year, ``2015/16 – 2017/18`` (read as 2015 to 2018).
The second year must come after the first, at most ten years later.

Not read as spans: dates (``2015-09-01``, ``2015-03-12``, ``20150312``),
parts of references or versions glued to other characters (``ABC/2014/15/001``,
``v2015-1``, ``2015-1234``), and years after a word that introduces a number
("Ref 2015-16", "No. 2014/15", "Version 2015"): a reference is not a period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annexa.dating.parse import plausible

_S = r"[\s_]"
_LEAD = r"(?<![^\W_])(?<![0-9][-/._])(?<![/\\])"
_TAIL = r"(?![0-9]|[-/._][0-9]|/[^\W_])"
MAX_SPAN_YEARS = 10

SPAN_RE = re.compile(
    _LEAD
    + "(?:"
    # 2015/16 - 2017/18, 2015-16 to 2017-18
    + r"(?P<a1>[0-9]{4})(?P<as>[-/_])(?P<a1b>[0-9]{2})"
    + rf"(?:{_S}*[-–—]{_S}*|{_S}+to{_S}+)(?P<a2>[0-9]{{4}})(?P=as)(?P<a2b>[0-9]{{2}}){_TAIL}"
    # 2014-15, 2014/15, 2014_15, 2014-2015, 2015–18, 2015 - 2018
    + rf"|(?P<b1>[0-9]{{4}})(?:{_S}*[-–—]{_S}*|/|_)(?P<b2>[0-9]{{4}}|[0-9]{{2}}){_TAIL}"
    # 2012 to 2015
    + rf"|(?P<c1>[0-9]{{4}}){_S}+to{_S}+(?P<c2>[0-9]{{4}}){_TAIL}"
    + ")",
    re.IGNORECASE,
)

YEAR_RE = re.compile(_LEAD + rf"(?P<y>[0-9]{{4}})(?![0-9]|{_S}*[-–—/.][0-9])")

# A number after these words is a reference, not a period.
_REFERENCE_WORD = re.compile(
    r"(?<![^\W_])(?:ref|reference|no|number|num|version|ver|v|id|case|tel|phone|issue)"
    r"[\s_.:#]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FoundSpan:
    first: int
    last: int
    start: int
    end: int
    text: str


def _later_year(first: int, written: str) -> int | None:
    """The calendar year of a span's second part, if the span is a plausible one."""
    if len(written) == 4:
        last = int(written)
    else:
        last = first // 100 * 100 + int(written)
        if last <= first:
            last += 100
    return last if first < last <= first + MAX_SPAN_YEARS else None


def _after_reference_word(text: str, start: int) -> bool:
    return _REFERENCE_WORD.search(text, max(0, start - 12), start) is not None


def find_spans(text: str) -> list[FoundSpan]:
    """Every span of years written in ``text``, in order."""
    found: list[FoundSpan] = []
    for m in SPAN_RE.finditer(text):
        if _after_reference_word(text, m.start()):
            continue
        if m.group("a1"):
            first, second = int(m.group("a1")), int(m.group("a2"))
            if (
                _later_year(first, m.group("a1b")) != first + 1
                or _later_year(second, m.group("a2b")) != second + 1
                or not first < second + 1 <= first + MAX_SPAN_YEARS
            ):
                continue
            last: int | None = second + 1
        elif m.group("b1"):
            first = int(m.group("b1"))
            last = _later_year(first, m.group("b2"))
        else:
            first = int(m.group("c1"))
            last = _later_year(first, m.group("c2"))
        if last is None or not (plausible(first) and plausible(last)):
            continue
        found.append(FoundSpan(first, last, m.start(), m.end(), m.group()))
    return found


def find_single_years(text: str) -> list[FoundSpan]:
    """Years standing alone ("IRO annual report 2014"), for calendar-year items."""
    found = []
    for m in YEAR_RE.finditer(text):
        year = int(m.group("y"))
        if plausible(year) and not _after_reference_word(text, m.start()):
            found.append(FoundSpan(year, year, m.start(), m.end(), m.group()))
    return found


def blank_out(text: str, regions: list[tuple[int, int]]) -> str:
    """``text`` with the given regions replaced by spaces, so they are not read twice."""
    if not regions:
        return text
    chars = list(text)
    for start, end in regions:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
