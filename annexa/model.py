"""The data that flows through annexa's pipeline.

Everything here is plain, immutable data: a file found under ROOT, the facts a
worker extracted from it, the dates found in those facts, and the Report that
every face (terminal, TUI, HTML, JSON, CI) renders. Keeping it plain is what
lets scan, watch and CI give the same answer: they all call the same pure
``evaluate`` over these values, and a worker's failure is a value too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

# ---------------------------------------------------------------------------
# Files and the facts read from them
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file under ROOT, as the inventory saw it.

    ``path`` is relative to ROOT with ``/`` separators. It may hold lone
    surrogates where the file system name was not valid UTF-8 (Python's
    surrogateescape); faces render it through ``annexa.textsafe``.
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
    format knows pages (PDF, DOCX page breaks), else None.
    """

    where: Literal["body", "header", "footer", "title"]
    page: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Sheet:
    """The first rows of a worksheet (or of a CSV file), as strings.

    Only the rows a header search needs are kept, never the data: a 50 MB
    child-level workbook costs the same as a small one.
    """

    name: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Facts:
    """What a worker read from one file. Spec-independent, so it can be cached.

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
    blocks: tuple[TextBlock, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    sheets: tuple[Sheet, ...] = ()
    pages: int | None = None
    content_status: str | None = None  # DOCX core property "contentStatus" (e.g. "Draft")
    extractor_version: int = 0

    @property
    def readable(self) -> bool:
        return self.error is None

    def text(self) -> str:
        """All extracted text joined, for keyword checks."""
        return "\n".join(block.text for block in self.blocks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "kind": self.kind,
            "error": self.error,
            "blocks": [[b.where, b.page, b.text] for b in self.blocks],
            "metadata": [list(m) for m in self.metadata],
            "sheets": [[s.name, [list(r) for r in s.rows]] for s in self.sheets],
            "pages": self.pages,
            "content_status": self.content_status,
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Facts:
        return cls(
            path=data["path"],
            size=data["size"],
            mtime_ns=data["mtime_ns"],
            kind=data["kind"],
            error=data.get("error"),
            blocks=tuple(TextBlock(w, p, t) for w, p, t in data.get("blocks", ())),
            metadata=tuple((k, v) for k, v in data.get("metadata", ())),
            sheets=tuple(
                Sheet(name, tuple(tuple(r) for r in rows)) for name, rows in data.get("sheets", ())
            ),
            pages=data.get("pages"),
            content_status=data.get("content_status"),
            extractor_version=data.get("extractor_version", 0),
        )


# ---------------------------------------------------------------------------
# Dates found in a document
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


class Status(str, Enum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OUT_OF_DATE = "out_of_date"
    MISSING = "missing"
    UNDATED = "undated"
    DRAFT = "draft"
    UNREADABLE = "unreadable"
    INCOMPLETE = "incomplete"
    WAIVED = "waived"

    @property
    def severity(self) -> Severity | None:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        """The status in words for people ("out of date")."""
        return _LABEL[self]

    @property
    def symbol(self) -> str:
        """A symbol that survives a monochrome terminal or a printout."""
        return _SYMBOL[self]


class Severity(str, Enum):
    WARNING = "warning"
    ERROR = "error"


_SEVERITY: dict[Status, Severity | None] = {
    Status.OK: None,
    Status.DUE_SOON: Severity.WARNING,
    Status.OUT_OF_DATE: Severity.ERROR,
    Status.MISSING: Severity.ERROR,
    Status.UNDATED: Severity.WARNING,
    Status.DRAFT: Severity.WARNING,
    Status.UNREADABLE: Severity.ERROR,
    Status.INCOMPLETE: Severity.ERROR,
    Status.WAIVED: None,
}

_LABEL: dict[Status, str] = {
    Status.OK: "in date",
    Status.DUE_SOON: "due soon",
    Status.OUT_OF_DATE: "out of date",
    Status.MISSING: "missing",
    Status.UNDATED: "undated",
    Status.DRAFT: "draft",
    Status.UNREADABLE: "unreadable",
    Status.INCOMPLETE: "incomplete",
    Status.WAIVED: "waived",
}

_SYMBOL: dict[Status, str] = {
    Status.OK: "✓",
    Status.DUE_SOON: "◔",
    Status.OUT_OF_DATE: "✗",
    Status.MISSING: "∅",
    Status.UNDATED: "?",
    Status.DRAFT: "✎",
    Status.UNREADABLE: "!",
    Status.INCOMPLETE: "◧",
    Status.WAIVED: "~",
}

# The order in which items needing action are listed: worst first.
STATUS_ORDER: tuple[Status, ...] = (
    Status.MISSING,
    Status.OUT_OF_DATE,
    Status.UNREADABLE,
    Status.INCOMPLETE,
    Status.DUE_SOON,
    Status.DRAFT,
    Status.UNDATED,
    Status.WAIVED,
    Status.OK,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which words in which file gave the date that decided an item."""

    source: str
    label: str | None
    page: int | None
    text: str
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "label": self.label,
            "page": self.page,
            "text": self.text,
            "where": self.where,
        }


@dataclass(frozen=True, slots=True)
class WaiverState:
    """A waiver as it stands on the as-of date."""

    reason: str
    until: dt.date
    approved_by: str | None
    active: bool  # until >= as_of
    applied: bool  # active and the item would otherwise have failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "until": self.until.isoformat(),
            "approved_by": self.approved_by,
            "active": self.active,
            "applied": self.applied,
            "expired": not self.active,
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The verdict on one required item, with the words to explain it.

    ``reason`` says what annexa found ("dated 12 March 2013 (content, 'Date
    approved'); more than 12 months before 16 September 2015"); ``action``
    says what a person should do about it ("Upload the 2014-15 LADO annual
    report; it is expected by 30 September 2015"), or "" when nothing is due.
    ``severity`` is None for items that are fine, waived or not required.
    """

    id: str
    title: str
    section: str | None
    status: Status
    severity: Severity | None
    reason: str
    action: str = ""
    file: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    expires: dt.date | None = None
    evidence: Evidence | None = None
    superseded: tuple[str, ...] = ()
    waiver: WaiverState | None = None
    owner: str | None = None
    required: bool = True
    files: tuple[str, ...] = ()  # every file that matched, newest first
    period: str | None = None  # the period covered, for period items ("2014-15")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "section": self.section,
            "status": self.status.value,
            "severity": self.severity.value if self.severity else None,
            "reason": self.reason,
            "action": self.action,
            "file": self.file,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "expires": self.expires.isoformat() if self.expires else None,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "superseded": list(self.superseded),
            "waiver": self.waiver.to_dict() if self.waiver else None,
            "owner": self.owner,
            "required": self.required,
            "files": list(self.files),
            "period": self.period,
        }


@dataclass(frozen=True, slots=True)
class FileError:
    """A file or folder that could not be read, and why, in one line."""

    file: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "error": self.error}


SUMMARY_KEYS: tuple[str, ...] = (*(s.value for s in Status), "unmatched_files")


@dataclass(frozen=True, slots=True)
class Report:
    """The one truth every face renders. Built only by ``evaluate``."""

    root: str
    spec_name: str
    spec_source: str
    as_of: dt.date
    items: tuple[ItemResult, ...]
    unmatched: tuple[str, ...] = ()
    errors: tuple[FileError, ...] = ()
    notices: tuple[str, ...] = field(default=())  # e.g. "Waiver for A7 expired on 31 October 2015"
    tool_version: str = ""

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(SUMMARY_KEYS, 0)
        for item in self.items:
            counts[item.status.value] += 1
        counts["unmatched_files"] = len(self.unmatched)
        return counts

    def worst(self) -> Severity | None:
        severities = {item.severity for item in self.items}
        if Severity.ERROR in severities:
            return Severity.ERROR
        if Severity.WARNING in severities:
            return Severity.WARNING
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "annexa-report/1",
            "tool": {"name": "annexa", "version": self.tool_version},
            "root": self.root,
            "spec": {"name": self.spec_name, "source": self.spec_source},
            "as_of": self.as_of.isoformat(),
            "summary": self.summary,
            "items": [item.to_dict() for item in self.items],
            "unmatched": list(self.unmatched),
            "errors": [e.to_dict() for e in self.errors],
            "notices": list(self.notices),
        }
