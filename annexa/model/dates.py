"""The dates found in a document, each with the evidence a person can check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

DateSource = Literal["content", "filename", "metadata", "mtime"]
DateKind = Literal["issue", "expiry"]
"""What a date means: when the document was written, or when it stops being current."""
Precision = Literal["day", "month", "year"]
DATE_SOURCES: tuple[str, ...] = ("content", "filename", "metadata", "mtime")

DateBasis = Literal["label", "version", "cover", "running"]
BASIS_RANK: dict[str, int] = {"label": 0, "version": 0, "cover": 1, "running": 2}
"""How strongly a date found in the text speaks for the document, strongest
first: after a label or in the newest row of a version table; alone or beside
the title on the cover; in a running header or footer. A weaker date counts
only when no stronger one was found (docs/dating.md, "Which date wins")."""

SpanBasis = Literal["title", "label", "running", "foreword"]
SPAN_RANK: dict[str, int] = {"title": 0, "label": 0, "running": 1, "foreword": 2}
"""Where a period was named, strongest first: on the cover or in the title, or
after words such as "Period:" or "covers the period"; in a running header or
footer; in the introduction of a later page."""


OCR_WHERE = "scan (OCR)"
"""Where evidence read by OCR from a scanned page was found (``FoundDate.where``)."""


@dataclass(frozen=True, slots=True)
class FoundDate:
    """One date found in a file, with the evidence a person can check.

    ``kind`` says what the date means: "issue" (when the document was
    written, approved, published or last reviewed) or "expiry" (next review,
    valid until). ``value`` is already resolved: a date given to the month
    ("March 2015") is the last day of that month, and ``precision`` says so.
    """

    value: dt.date
    kind: DateKind
    source: DateSource
    precision: Precision = "day"
    label: str | None = None  # "Date approved", "Next review", "ModDate", ...
    page: int | None = None
    where: str | None = None  # "body", "header", "footer", "title", "name", "scan (OCR)"
    text: str = ""  # the words it was read from, trimmed to a line
    basis: DateBasis = "label"  # how it was recognised (BASIS_RANK)


@dataclass(frozen=True, slots=True)
class YearSpan:
    """A span of years named in a file name or a title: "2014-15", "2015–2018".

    ``first`` and ``last`` are calendar years as written (2014 and 2015 for
    "2014-15"). What the span means (a plan period ending 31 March, a
    financial year, an academic year) is decided by the rule that reads it.
    A single year ("Annual report 2014") has ``first == last``.

    A period written with months or days ("April 2014 – March 2015",
    "1st April 2014 to 31st March 2015") also has its ``start`` and ``end``:
    a stated end, which is the document's own say on when it stops being
    current. ``basis`` says where it was named (SPAN_RANK), ``where`` in
    which part of the page ("body", "header", "footer", "title", "name").
    """

    first: int
    last: int
    source: Literal["filename", "content"]
    text: str
    page: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    basis: SpanBasis = "title"
    where: str | None = None


@dataclass(frozen=True, slots=True)
class DraftMark:
    """Why a file is taken for a draft: the marker and where it was seen."""

    marker: str
    where: Literal["filename", "content", "properties", "version"]
    text: str  # for "version": the newest row of the version table, numbered 0.x


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
