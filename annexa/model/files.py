"""A file found under ROOT and the facts a reader took from it: plain, cacheable data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from annexa.model.failures import FailureKind

EXTRACTOR_VERSION = 9
"""Which way of reading produced a Facts. Raise it when what the readers put in a
Facts changes: the cache keys on it and reads older facts again. Each version's
change is listed in docs/architecture.md."""


ScanState = Literal["image", "ocr", "ocr-failed"]
SCAN_STATES: tuple[str, ...] = ("image", "ocr", "ocr-failed")
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
    error_kind: FailureKind | None = None  # set with ``error``: what the code decides on
    blocks: tuple[TextBlock, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    sheets: tuple[Sheet, ...] = ()
    pages: int | None = None
    content_status: str | None = None  # DOCX core property "contentStatus" (e.g. "Draft")
    extractor_version: int = 0
    scan: ScanState | None = None  # page 1 of a PDF is an image without text (SCAN_STATES)

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
            "error_kind": self.error_kind.value if self.error_kind else None,
            "blocks": [
                [b.where, b.page, b.text, True] if b.ocr else [b.where, b.page, b.text]
                for b in self.blocks
            ],
            "metadata": [list(m) for m in self.metadata],
            "sheets": [[s.name, [list(r) for r in s.rows]] for s in self.sheets],
            "pages": self.pages,
            "content_status": self.content_status,
            "extractor_version": self.extractor_version,
            "scan": self.scan,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Facts:
        return cls(
            path=data["path"],
            size=data["size"],
            mtime_ns=data["mtime_ns"],
            kind=data["kind"],
            error=data.get("error"),
            error_kind=_kind(data),
            blocks=tuple(TextBlock(*block[:4]) for block in data.get("blocks", ())),
            metadata=tuple((k, v) for k, v in data.get("metadata", ())),
            sheets=tuple(
                Sheet(name, tuple(tuple(r) for r in rows)) for name, rows in data.get("sheets", ())
            ),
            pages=data.get("pages"),
            content_status=data.get("content_status"),
            extractor_version=data.get("extractor_version", 0),
            scan=_scan(data),
        )


def _scan(data: Mapping[str, Any]) -> ScanState | None:
    value = data.get("scan")
    return value if value in SCAN_STATES else None


def _kind(data: Mapping[str, Any]) -> FailureKind | None:
    """The stored kind of a failure; facts stored before kinds existed were damaged files."""
    if data.get("error") is None:
        return None
    try:
        return FailureKind(data.get("error_kind") or FailureKind.DAMAGED)
    except ValueError:
        return FailureKind.UNEXPECTED
