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


def period_from_span(kind: str, span: YearSpan) -> int:
    """The end year of the period a span names.

    "2014-15" names the split year ending in 2015; a single year names the
    period ending in it ("Annual report 2015" of a financial-year item is
    2014-15); a longer span names its last period.
    """
    return span.last


def latest_period_ended_by(kind: str, day: dt.date) -> int:
    """The end year of the latest period that had ended on or before ``day``."""
    end = period_end(kind, day.year)
    return day.year if end <= day else day.year - 1


def plan_end(span: YearSpan, year_end: str) -> dt.date:
    """When a plan period such as 2015-2018 ends: 31 March or 31 December of its last year."""
    return dt.date(span.last, 3, 31) if year_end == "march" else dt.date(span.last, 12, 31)
