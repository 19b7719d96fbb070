"""Read one written date: "12 March 2015", "Sept 2015", "12/03/15", "2015-03-12".

Every reader in this package (labelled content, file names) goes through
here, so a format is read the same way wherever it appears. Rules:

- Day-first or month-first numeric dates follow the spec's ``date_order``
  (DMY by default: 03/04/2015 is 3 April 2015). A date that does not fit
  that order (25/12/2015 under MDY) is rejected, not reinterpreted: a date
  read wrongly is worse than no date. With ``YMD``, a numeric date whose
  four-digit year comes last is read only when its order is unambiguous.
- A four-digit year first (``2015-03-12``, ``2015/03/12``) is always
  year-month-day, whatever the order.
- Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999.
- A date given to the month ("March 2015", "Mar-15") is the last day of the
  month, precision "month". A year alone is precision "year", 31 December.
- "Mar 15" and "Mar-15" are March 2015 (Excel's mmm-yy), never 15 March:
  a day after the month needs a year too ("March 15, 2015").
- Years outside 1990-2099 and impossible days (31/02/2015) are rejected.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from annexa.dating.months import MONTH_PATTERN, WEEKDAY_PATTERN, month_number
from annexa.model.dates import Precision

MIN_YEAR = 1990
MAX_YEAR = 2099


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read from text, and where in the text it was written."""

    value: dt.date
    precision: Precision
    start: int
    end: int


_S = r"[\s_]"  # a space; "_" stands for a space in file names
_ORD = r"(?:st|nd|rd|th)?"
_MON = MONTH_PATTERN
_WD = rf"(?:{WEEKDAY_PATTERN},?{_S}+)?"
# After a two-digit year: no more digits, no time ("15:30"), no letters ("15th").
_END2 = r"(?![0-9]|[:.][0-9]|[^\W\d_])"
# After a numeric date: not the middle of a longer number or reference.
_ENDN = r"(?![0-9]|[-/._][0-9])"

_FORMS = (
    # 12 March 2015, 12th March 2015, 1st of March 2015, Monday 12 March 2015,
    # 12 March, 2015, 12-Mar-2015, 12 Sept. 2015, 12-Mar-15, 12 Mar '15
    rf"{_WD}(?P<a_day>[0-9]{{1,2}}){_ORD}(?:{_S}+of)?{_S}*[-./]?{_S}*(?P<a_mon>{_MON})"
    rf"(?:,?{_S}*[-./]?{_S}*(?P<a_y4>[0-9]{{4}})(?![0-9])"
    rf"|(?:{_S}*[-/'’]{_S}*|{_S}+)['’]?(?P<a_y2>[0-9]{{2}}){_END2})",
    # March 12, 2015; Thursday, March 12th 2015
    rf"{_WD}(?P<b_mon>{_MON}){_S}*(?P<b_day>[0-9]{{1,2}}){_ORD}(?![0-9]),?{_S}+"
    rf"(?P<b_y4>[0-9]{{4}})(?![0-9])",
    # March 2015, Sept 2015, Mar. 2015, March, 2015, Mar-2015
    rf"(?P<c_mon>{_MON}),?{_S}*[-./]?{_S}*(?P<c_y4>[0-9]{{4}})(?![0-9])",
    # Mar-15, Mar 15, Mar '15 (month and two-digit year)
    rf"(?P<d_mon>{_MON})(?:{_S}*[-/'’]{_S}*|{_S}+)['’]?(?P<d_y2>[0-9]{{2}}){_END2}",
    # 2015-03-12, 2015/03/12, 2015.03.12, 2015_03_12
    rf"(?P<e_y>[0-9]{{4}})(?P<e_s>[-/._])(?P<e_m>[0-9]{{1,2}})(?P=e_s)(?P<e_d>[0-9]{{1,2}}){_ENDN}",
    # 12/03/2015, 12.03.2015, 12-03-2015, 12_03_2015 (order from date_order)
    rf"(?P<f_a>[0-9]{{1,2}})(?P<f_s>[-/._])(?P<f_b>[0-9]{{1,2}})(?P=f_s)(?P<f_y>[0-9]{{4}}){_ENDN}",
    # 12/03/15, 12-03-15, 12/3/15 (order from date_order)
    rf"(?P<g_a>[0-9]{{1,2}})(?P<g_s>[-/._])(?P<g_b>[0-9]{{1,2}})(?P=g_s)(?P<g_c>[0-9]{{2}}){_ENDN}",
    # 20150312 (compact ISO)
    r"(?P<h>[0-9]{8})(?![0-9])",
    # 2015-03 (ISO year and month)
    rf"(?P<i_y>[0-9]{{4}})(?P<i_s>[-_])(?P<i_m>[0-9]{{2}}){_ENDN}(?!{_S}*(?:to|[-/–—]){_S}*[0-9])",
)

# Not glued to a word or to the end of a longer number ("v2015-03-12", "1.2.15.3").
_LEAD = r"(?<![^\W_])(?<![0-9][-/.])"
DATE_RE = re.compile(_LEAD + "(?:" + "|".join(_FORMS) + ")", re.IGNORECASE)

# A year alone ("Next review: 2016"), never the start of a span ("2015-18",
# "2015 to 2018") or of a longer number.
YEAR_RE = re.compile(
    rf"(?P<y>[0-9]{{4}})(?![0-9]|{_S}*[-/–—._]{_S}*[0-9]|{_S}+to{_S}+[0-9])", re.IGNORECASE
)


def plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def two_digit_year(text: str) -> int:
    """00-69 are 2000-2069, 70-99 are 1970-1999."""
    yy = int(text)
    return 2000 + yy if yy < 70 else 1900 + yy


def make_date(year: int, month: int, day: int | None) -> dt.date | None:
    """The date, or the last day of the month when ``day`` is None; None if impossible."""
    if not plausible(year) or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return dt.date(year, month, last)
    if not 1 <= day <= last:
        return None
    return dt.date(year, month, day)


def _day_month(a: int, b: int, order: str) -> tuple[int, int] | None:
    """(day, month) of a numeric date whose year is written last."""
    if order == "MDY":
        return b, a
    if order == "YMD":
        # Year-last dates are foreign to a YMD reader: take only unambiguous ones.
        if a > 12 >= b:
            return a, b
        if b > 12 >= a:
            return b, a
        return (a, b) if a == b else None
    return a, b


def _could_be_span(first: int, second: int) -> bool:
    """Whether "YYYY-NN" reads as a span of years ("2011-12" is 2011-12, not December 2011)."""
    last = first // 100 * 100 + second
    return first < last <= first + 10


def resolve(m: re.Match[str], order: str) -> tuple[dt.date, Precision] | None:
    """The date a DATE_RE match names, or None when it is impossible or implausible."""
    g = m.group
    if g("a_mon") is not None:
        year = int(g("a_y4")) if g("a_y4") else two_digit_year(g("a_y2"))
        value = make_date(year, month_number(g("a_mon")), int(g("a_day")))
        return (value, "day") if value else None
    if g("b_mon") is not None:
        value = make_date(int(g("b_y4")), month_number(g("b_mon")), int(g("b_day")))
        return (value, "day") if value else None
    if g("c_mon") is not None:
        value = make_date(int(g("c_y4")), month_number(g("c_mon")), None)
        return (value, "month") if value else None
    if g("d_mon") is not None:
        value = make_date(two_digit_year(g("d_y2")), month_number(g("d_mon")), None)
        return (value, "month") if value else None
    if g("e_y") is not None:
        value = make_date(int(g("e_y")), int(g("e_m")), int(g("e_d")))
        return (value, "day") if value else None
    if g("f_a") is not None:
        dm = _day_month(int(g("f_a")), int(g("f_b")), order)
        value = make_date(int(g("f_y")), dm[1], dm[0]) if dm else None
        return (value, "day") if value else None
    if g("g_a") is not None:
        a, b, c = int(g("g_a")), int(g("g_b")), g("g_c")
        if order == "YMD":
            value = make_date(two_digit_year(g("g_a")), b, int(c))
        else:
            day, month = (b, a) if order == "MDY" else (a, b)
            value = make_date(two_digit_year(c), month, day)
        return (value, "day") if value else None
    if g("h") is not None:
        digits = g("h")
        value = make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return (value, "day") if value else None
    if g("i_y") is not None:
        year, month = int(g("i_y")), int(g("i_m"))
        if _could_be_span(year, month):
            return None
        value = make_date(year, month, None)
        return (value, "month") if value else None
    return None  # pragma: no cover - every branch of DATE_RE is handled above


def match_date(text: str, pos: int, order: str) -> ParsedDate | None:
    """A date written exactly at ``pos`` (after a label), or None."""
    m = DATE_RE.match(text, pos)
    if m is None:
        return None
    found = resolve(m, order)
    if found is None:
        return None
    return ParsedDate(found[0], found[1], m.start(), m.end())


def match_year(text: str, pos: int) -> ParsedDate | None:
    """A plausible year alone at ``pos`` ("2016"), as 31 December of it."""
    m = YEAR_RE.match(text, pos)
    if m is None:
        return None
    year = int(m.group("y"))
    if not plausible(year):
        return None
    return ParsedDate(dt.date(year, 12, 31), "year", m.start(), m.end())


def find_dates(text: str, order: str) -> list[ParsedDate]:
    """Every date written anywhere in ``text`` (used for file names, not prose)."""
    found: list[ParsedDate] = []
    for m in DATE_RE.finditer(text):
        resolved = resolve(m, order)
        if resolved is not None:
            found.append(ParsedDate(resolved[0], resolved[1], m.start(), m.end()))
    return found
