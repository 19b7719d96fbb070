"""A file found under ROOT and the facts a reader took from it: plain, cacheable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from annexa.model.failures import FailureKind

EXTRACTOR_VERSION = 12
"""Which way of reading produced a Facts. Raise it when what the readers put in a
Facts changes: the cache keys on it and reads older facts again. Each version's
change is listed in docs/architecture.md."""


ScanState = Literal["image", "ocr", "ocr-failed"]
"""What annexa knows of a PDF whose first page has no text layer (a scan):
"image" when no OCR was available to read it, "ocr" when OCR read its text
(the blocks marked ``ocr``), "ocr-failed" when OCR was tried and read nothing."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file under ROOT, as the inventory saw it.

    ``path`` is relative to ROOT with ``/`` separators. It may hold lone
    surrogates where the file system name was not valid UTF-8 (Python's
    surrogateescape); faces render it through ``annexa.words.textsafe``.
    ``(size, mtime_ns)`` is the identity the cache and the watcher compare.
    """

    path: str
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        """Lower-case extension without the dot ("pdf"), or "" for none."""
        name = self.name
        dot = name.rfind(".")
        return name[dot + 1 :].lower() if dot > 0 else ""

    @property
    def modified(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9, tz=dt.timezone.utc)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A piece of a document's text and where it came from.

    ``where`` is "body" for page or paragraph text, "header" or "footer" for
    running heads (which carry review dates in many council templates),
    "title" for a document-properties title. ``page`` is 1-based where the
    format knows pages (PDF, DOCX page breaks), else None. ``ocr`` is True
    for text read by OCR from a scanned page (the optional ``annexa[ocr]``).
    """

    where: Literal["body", "header", "footer", "title"]
    page: int | None
    text: str
    ocr: bool = False


ROWS_KEPT = 10
"""Row numbers a reader keeps for each problem, and for each date: enough to name
the first rows of every kind of problem, whatever the as-of date."""


@dataclass(frozen=True, slots=True)
class RowGroup:
    """Rows of a list that share one problem in one column: how many, and the first of them.

    ``rows`` are the sheet's own row numbers (1-based, as Excel shows them),
    at most ``ROWS_KEPT``; for a repeat (``duplicate_row``,
    ``duplicate_child``) ``earlier`` holds the row each one repeats. Nothing
    from a cell is kept: a report can say where to look, never what is there.
    """

    column: str
    kind: str
    count: int
    rows: tuple[int, ...]
    earlier: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DateCount:
    """How many rows carry one date in a column, and the first of them."""

    day: dt.date
    count: int
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ColumnDates:
    """The newest dates of one column of event dates (never a date of birth).

    Kept so that "after the list was made" can be judged against the list's
    own date, which is only settled at evaluation: the newest few dates,
    newest first, each with its count and first rows; ``more`` is how many
    rows have an older date.
    """

    column: str
    newest: tuple[DateCount, ...]
    more: int = 0


@dataclass(frozen=True, slots=True)
class Sheet:
    """What a reader found in one worksheet (or CSV file): never a cell of a row.

    A child-level list holds children's records, and Facts are cached and
    sent between processes, so a reader keeps only the tab's name, its
    heading row (found among the first rows, checked against the spec's
    lists), which list those headings are (``holds``: the ids of the items
    that ask for that list, several when a spec has more than one; and
    ``holds_name``, "List 2"), and, when its rows were checked, the problems
    found (row numbers and column names), each row's window date (the date
    that places it in the list's window, oldest first) and the newest event
    dates of each date column. Dates of birth never leave the reader.
    """

    name: str
    heading_row: int | None = None
    headings: tuple[str, ...] = ()
    holds: tuple[str, ...] = ()
    holds_name: str | None = None
    data_rows: int = 0
    checked: bool = False
    checked_to: int | None = None  # the last row checked, when a list was too long to finish
    problems: tuple[RowGroup, ...] = ()
    window: tuple[DateCount, ...] = ()
    window_more: int = 0  # rows in the window later than the dates kept in ``window``
    events: tuple[ColumnDates, ...] = ()


@dataclass(frozen=True, slots=True)
class Facts:
    """What a worker read from one file, cached as it is.

    Spec-independent, except for spreadsheets: their sheets are read with the
    spec's data lists (``lists_key`` says which), so that a list's rows are
    checked inside the reader and only row numbers and column names leave it.

    ``error`` is a one-line reason in plain English when the file could not be
    read ("encrypted PDF: password required"); a failure is data, never an
    exception escaping a worker. ``metadata`` holds raw date strings with
    their label (``("pdf:ModDate", "D:20150312101500Z")``,
    ``("core:modified", "2015-03-12T10:15:00Z")``); the dating module turns
    them into dates, so interpretation stays out of the I/O code.
    """

    path: str
    size: int
    mtime_ns: int
    kind: str  # "pdf", "docx", "xlsx", "csv", or "other" for formats not read inside
    error: str | None = None
    error_kind: FailureKind | None = None  # set with ``error``: what the code decides on
    blocks: tuple[TextBlock, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    sheets: tuple[Sheet, ...] = ()
    pages: int | None = None
    content_status: str | None = None  # DOCX core property "contentStatus" (e.g. "Draft")
    extractor_version: int = 0
    scan: ScanState | None = None  # page 1 of a PDF is an image without text (ScanState)
    lists_key: str | None = None  # the spec's lists a spreadsheet was read with (ListRule)

    @property
    def readable(self) -> bool:
        return self.error is None

    def text(self) -> str:
        """All extracted text joined, for keyword checks."""
        return "\n".join(block.text for block in self.blocks)
