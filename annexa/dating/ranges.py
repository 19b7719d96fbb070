"""Periods written with months or days: "April 2016 – March 2017", "year ending 31 March 2015".

Councils name the year a report covers as often with months as with years:

- ``April 2016 – March 2017``, ``April 2016 - March 2017``, ``April 2014 to
  March 2015``, ``Apr 16 - Mar 17``, ``April 2014-March 2015``;
- ``1st April 2014 – 31st March 2015``, ``1 April 2014 to 31 March 2015``,
  ``01/04/2014 - 31/03/2015``;
- the first year left out: ``April – March 2015``, ``1st April to 31st
  March 2015`` (April 2014 to March 2015), ``January to December 2015``;
- ``between April 2014 and March 2015``;
- the end alone: ``year ending 31 March 2015``, ``year ended March 2015``,
  ``year to 31 March 2015`` (the twelve months up to it).

The start is the first day of its month when no day is written, the end the
last day of its month. A period lasts at least a quarter (80 days: a
consultation from 12 March to 14 April is not the period a document covers)
and at most ten years, as spans of years do.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from annexa.dating.months import MONTH_PATTERN, month_number
from annexa.dating.parse import MAX_YEAR, MIN_YEAR, find_dates

MAX_RANGE_YEARS = 10
MIN_RANGE_DAYS = 80

# Between the two ends: a dash of any kind, "to", "until", "through".
_SEP = re.compile(r"\s*(?:[-–—‒−]+|to|until|till|through|thru|and)\s*$", re.IGNORECASE)
# The first end without its year: "1st April", "April", "1 Apr.".
_PARTIAL_START = re.compile(
    rf"(?:(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?)?(?P<mon>{MONTH_PATTERN}),?$",
    re.IGNORECASE,
)
# "year ending 31 March 2015", "year ended March 2015", "year to 31 March 2015".
_YEAR_ENDING = re.compile(
    r"(?<![^\W_])(?:(?:financial|academic|calendar|reporting)\s+)?year\s+"
    r"(?:end(?:ing|ed)?|to)\s*(?:on\s+)?:?\s*$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"(?<![^\W_])between\s*$", re.IGNORECASE)
# A dash glued to a year and a month name ("2014-March") is read as a gap.
_GLUED_DASH = re.compile(r"([0-9])([-–—])(?=[^\W\d_])")


@dataclass(frozen=True, slots=True)
class FoundRange:
    """A period read from text: its first and last day, and where it was written."""

    start: dt.date
    end: dt.date
    begin: int  # offsets in the text searched
    stop: int
    text: str


def _first_day(day: dt.date, precision: str) -> dt.date:
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return dt.date(day.year, 1, 1)
    return day


def _plausible(start: dt.date, end: dt.date) -> bool:
    return (
        (end - start).days >= MIN_RANGE_DAYS
        and start.year >= MIN_YEAR
        and end.year <= MAX_YEAR
        and end.year - start.year <= MAX_RANGE_YEARS
    )


def _year_before(end: dt.date) -> dt.date:
    """The first day of the twelve months that end on ``end``."""
    try:
        back = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        back = dt.date(end.year - 1, 2, 28)
    return back + dt.timedelta(days=1)


def space_glued_dashes(text: str) -> str:
    """``text`` with a dash between a year and a month spaced: "2014-March" -> "2014 - March"."""
    if "-" not in text and "–" not in text and "—" not in text:
        return text
    return _GLUED_DASH.sub(r"\1 \2 ", text)


@functools.lru_cache(maxsize=64)
def find_ranges(text: str, order: str) -> tuple[FoundRange, ...]:
    """Every period written with months or days in ``text``, left to right.

    Offsets are those of ``space_glued_dashes(text)``, the same as those of
    a text without a glued dash. Remembered for the last lines read: the
    cover and the covered period read the same lines of page 1.
    """
    text = space_glued_dashes(text)
    dates = [d for d in find_dates(text, order) if d.precision != "year"]
    found: list[FoundRange] = []
    ends_at = {d.end: d for d in dates}
    used_until = -1
    for second in dates:
        if second.start < used_until:
            continue
        before = text[max(0, second.start - 30) : second.start]
        sep = _SEP.search(before)
        if sep is not None:
            sep_start = second.start - (len(before) - sep.start())
            head = text[:sep_start].rstrip()
            first = ends_at.get(len(head))
            start: dt.date | None = None
            begin = 0
            if first is not None and first.start >= used_until:
                start, begin = _first_day(first.value, first.precision), first.start
            else:
                partial = _PARTIAL_START.search(head[-24:])
                if partial is not None:
                    start = _partial_start(partial, second.value)
                    begin = len(head) - (len(head[-24:]) - partial.start())
            word = sep.group().strip().lower()
            if word == "and" and not _BETWEEN.search(text[max(0, begin - 12) : begin]):
                start = None
            if start is not None and _plausible(start, second.value):
                found.append(
                    FoundRange(start, second.value, begin, second.end, text[begin : second.end])
                )
                used_until = second.end
                continue
        window = max(0, second.start - 40)
        ending = _YEAR_ENDING.search(text[window : second.start])
        if ending is not None:
            begin = window + ending.start()
            start = _year_before(second.value)
            found.append(
                FoundRange(start, second.value, begin, second.end, text[begin : second.end])
            )
            used_until = second.end
    return tuple(found)


def _partial_start(m: re.Match[str], end: dt.date) -> dt.date | None:
    """The first day a yearless start names: the year of the end, or the one before."""
    month = month_number(m.group("mon"))
    year = end.year if month <= end.month else end.year - 1
    day = int(m.group("day")) if m.group("day") else 1
    if year < MIN_YEAR or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    start = dt.date(year, month, day)
    if start >= end:  # "March – March 2015": a whole year
        start = _year_before(end)
    return start
