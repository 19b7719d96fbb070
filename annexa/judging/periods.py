"""Reporting periods: financial, academic and calendar years.

A statutory annual report (IRO, LADO, the safeguarding partnership) covers a
period and is due some months after it ends. A period is identified by the
calendar year it ends in: the financial year 2014-15 ends on 31 March 2015,
the academic year 2014-15 on 31 August 2015, the calendar year 2015 on
31 December 2015.
"""

from __future__ import annotations

import datetime as dt

from annexa.model import YearSpan

_END_MONTH_DAY = {
    "financial-year": (3, 31),
    "academic-year": (8, 31),
    "calendar-year": (12, 31),
}


def period_end(kind: str, end_year: int) -> dt.date:
    month, day = _END_MONTH_DAY[kind]
    return dt.date(end_year, month, day)


def period_label(kind: str, end_year: int) -> str:
    """How councils write the period: "2014-15" for split years, "2015" for calendar years."""
    if kind == "calendar-year":
        return str(end_year)
    return f"{end_year - 1}-{end_year % 100:02d}"


HISTORY_YEARS = 2
"""A period the text names that ended this long before the document's own date
is history (a report of 2016 recalling "2011-12"), not the period it covers."""


def period_from_span(kind: str, span: YearSpan) -> int:
    """The end year of the period a span names.

    "2014-15" names the split year ending in 2015; a single year names the
    period ending in it ("Annual report 2015" of a financial-year item is
    2014-15); a longer span names its last period. A stated period ("April
    2014 – March 2015", "September 2014 to July 2015") names the period
    whose end is nearest its stated end.
    """
    if span.end is not None:
        years = (span.end.year - 1, span.end.year, span.end.year + 1)
        return min(years, key=lambda year: abs((period_end(kind, year) - span.end).days))  # type: ignore[operator]
    return span.last


def is_history(ended: dt.date, own: dt.date) -> bool:
    """Whether a period that ended on ``ended`` is history for a document dated ``own``."""
    try:
        limit = ended.replace(year=ended.year + HISTORY_YEARS)
    except ValueError:  # 29 February
        limit = dt.date(ended.year + HISTORY_YEARS, 3, 1)
    return limit < own


def span_words(span: YearSpan) -> str:
    """ "plan period 2015-18" for a span of years; "period April 2015 – March 2016" when stated."""
    return f"period {span.text}" if span.end is not None else f"plan period {span.text}"


def latest_period_ended_by(kind: str, day: dt.date) -> int:
    """The end year of the latest period that had ended on or before ``day``."""
    end = period_end(kind, day.year)
    return day.year if end <= day else day.year - 1


def plan_end(span: YearSpan, year_end: str) -> dt.date:
    """When a plan period such as 2015-2018 ends: 31 March or 31 December of its last year."""
    return dt.date(span.last, 3, 31) if year_end == "march" else dt.date(span.last, 12, 31)
