"""A file found under ROOT and the facts a reader took from it: plain, cacheable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from annexa.model.failures import FailureKind

EXTRACTOR_VERSION = 8
"""Which way of reading produced a Facts. Raise it when what the readers put in a
Facts changes: the cache keys on it and reads older facts again. Each version's
change is listed in docs/architecture.md."""


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
    error_kind: FailureKind | None = None  # set with ``error``: what the code decides on
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
