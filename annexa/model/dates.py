"""The dates found in a document, each with the evidence a person can check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

DateSource = Literal["content", "filename", "metadata", "mtime"]
DATE_SOURCES: tuple[str, ...] = ("content", "filename", "metadata", "mtime")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """One date found in a file, with the evidence a person can check.

    ``kind`` says what the date means: "issue" (when the document was
    written, approved, published or last reviewed) or "expiry" (next review,
    valid until). ``value`` is already resolved: a date given to the month
    ("March 2015") is the last day of that month, and ``precision`` says so.
    """

    value: dt.date
    kind: Literal["issue", "expiry"]
    source: DateSource
    precision: Literal["day", "month", "year"] = "day"
    label: str | None = None  # "Date approved", "Next review", "ModDate", ...
    page: int | None = None
    where: str | None = None  # "body", "header", "footer", "title", "name"
    text: str = ""  # the words it was read from, trimmed to a line


@dataclass(frozen=True, slots=True)
class YearSpan:
    """A span of years named in a file name or a title: "2014-15", "2015–2018".

    ``first`` and ``last`` are calendar years as written (2014 and 2015 for
    "2014-15"). What the span means (a plan period ending 31 March, a
    financial year, an academic year) is decided by the rule that reads it.
    A single year ("Annual report 2014") has ``first == last``.
    """

    first: int
    last: int
    source: Literal["filename", "content"]
    text: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class DraftMark:
    """Why a file is taken for a draft: the marker and where it was seen."""

    marker: str
    where: Literal["filename", "content", "properties"]
    text: str


@dataclass(frozen=True, slots=True)
class DocumentDates:
    """Everything the dating module found in one file, before any rule applies.

    Candidates are grouped by source so that the spec's ``date_sources``
    order can be applied by the evaluator; within a source they are in
    document order.
    """

    issue: tuple[FoundDate, ...] = ()
    expiry: tuple[FoundDate, ...] = ()
    spans: tuple[YearSpan, ...] = ()
    draft: DraftMark | None = None
