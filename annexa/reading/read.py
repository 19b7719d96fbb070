"""``read_facts``: one file in, one Facts out, whatever the file holds.

This is the only function that opens documents. It never raises: a file
that cannot be read becomes a Facts with a one-line reason, because one bad
file in a shared folder must not stop a scan. The format readers are
imported on first use; the worker pool preloads them (forkserver preload)
so every worker starts with pypdf, lxml and openpyxl already loaded.
"""

from __future__ import annotations

from pathlib import Path

from annexa.model import Facts, FileEntry
from annexa.model.failures import FailureKind
from annexa.model.files import EXTRACTOR_VERSION
from annexa.reading.content import Content, Unreadable
from annexa.reading.files import open_regular, os_error_failure
from annexa.spec.rules import ListRule, lists_key

READER_MODULES = (
    "annexa.reading.pdf.reader",
    "annexa.reading.docx.wordml",
    "annexa.reading.workbook",
    "annexa.reading.delimited",
)
"""Imported on first use: a scan answered from the cache never loads PDFium or
lxml. Worker processes preload them instead; pypdf, which only PDFs that
need the guard load (``annexa.reading.pdf.guarded``), is left out so a new
reader starts sooner."""

_KINDS = {
    "pdf": "pdf",
    "docx": "docx",
    "docm": "docx",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "csv": "csv",
}
READABLE_FORMATS: frozenset[str] = frozenset(_KINDS)
"""Extensions whose content is read; other files are dated from their name alone."""
SPREADSHEETS = frozenset({"xlsx", "csv"})
"""Kinds whose facts depend on the spec's data lists (``Facts.lists_key``)."""

MEMORY_REASON = "needs more memory than is available"


def kind_of(entry: FileEntry) -> str:
    """The Facts.kind for a file: its format family, or "other" when not read inside."""
    return _KINDS.get(entry.extension, "other")


def unread_facts(entry: FileEntry) -> Facts:
    """Facts for a file annexa does not look inside (.doc, .odt, .txt ...)."""
    return Facts(
        path=entry.path,
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        kind="other",
        extractor_version=EXTRACTOR_VERSION,
    )


def failed_facts(
    entry: FileEntry, reason: str, kind: FailureKind, lists: str | None = None
) -> Facts:
    """Facts for a file that could not be read, with the reason in one line and its kind."""
    return Facts(
        path=entry.path,
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        kind=kind_of(entry),
        error=reason,
        error_kind=kind,
        extractor_version=EXTRACTOR_VERSION,
        lists_key=lists,
    )


def read_facts(root: Path, entry: FileEntry, lists: tuple[ListRule, ...] = ()) -> Facts:
    """Read one file under ``root`` in this process. Never raises.

    ``entry`` is echoed into the Facts (path, size, mtime_ns) so the cache
    and the watcher compare what the inventory saw, even if the file changed
    while it was read; the next scan sees the new size or time and reads again.
    ``lists``: the spec's data lists, looked for in a spreadsheet's sheets
    and checked row by row there (``Facts.lists_key`` records which).
    """
    kind = kind_of(entry)
    if kind == "other":
        return unread_facts(entry)
    key = lists_key(lists) if kind in SPREADSHEETS else None
    try:
        content = _read_content(Path(root) / entry.path, entry, kind, lists)
    except Unreadable as exc:
        return failed_facts(entry, str(exc), exc.kind, key)
    except MemoryError:
        return failed_facts(entry, MEMORY_REASON, FailureKind.OUT_OF_MEMORY, key)
    except RecursionError:
        reason = f"damaged {kind.upper()}: nested too deeply to read"
        return failed_facts(entry, reason, FailureKind.DAMAGED, key)
    except OSError as exc:
        failure = os_error_failure(exc)
        return failed_facts(entry, failure.words, failure.kind, key)
    except Exception as exc:  # a reader bug must still leave the scan running
        # Only the exception's type: its words could quote a cell of a child's record.
        reason = f"could not be read: {type(exc).__name__}"
        return failed_facts(entry, reason, FailureKind.UNEXPECTED, key)
    return Facts(
        path=entry.path,
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        kind=kind,
        blocks=content.blocks,
        metadata=content.metadata,
        sheets=content.sheets,
        pages=content.pages,
        content_status=content.content_status,
        extractor_version=EXTRACTOR_VERSION,
        scan=content.scan,
        lists_key=key,
    )


def _read_content(path: Path, entry: FileEntry, kind: str, lists: tuple[ListRule, ...]) -> Content:
    from annexa.reading.delimited import read_csv
    from annexa.reading.docx.wordml import read_docx
    from annexa.reading.pdf.reader import read_pdf
    from annexa.reading.workbook import read_xlsx

    with open_regular(path) as stream:
        size = stream.seek(0, 2)
        stream.seek(0)
        if size == 0:
            raise Unreadable("empty file")
        if kind == "pdf":
            return read_pdf(stream, size)
        if kind == "docx":
            return read_docx(stream)
        stem = entry.name[: -(len(entry.extension) + 1)] or entry.name
        if kind == "xlsx":
            return read_xlsx(stream, lists, (stem,))
        return read_csv(stream, stem, lists)
