"""Extraction: read the facts dating needs from each file, safely.

This package is the only place annexa opens documents. It turns each file
into a ``Facts``: text of the first pages, headers, footers and title, raw
metadata date strings with their labels, the first rows of worksheets, or a
one-line reason why the file could not be read. It interprets nothing (the
dating package does) and must never crash, hang or balloon a scan, whatever
is dropped in the share.

Public interface::

    EXTRACTOR_VERSION: int      # bump when what is read changes; the cache keys on it
    READABLE_FORMATS: frozenset[str]   # extensions whose content is read

    read_facts(root: Path, entry: FileEntry) -> Facts
        In-process reading of one file. Never raises: every failure becomes
        Facts.error, a one-line reason in plain English.

    class Extractor(Protocol):
        def extract(self, root, entries, *, on_done=None) -> dict[str, Facts]
        def close(self) -> None

    InlineExtractor()                  # in-process, for tests of pure logic
    WorkerPoolExtractor(workers=None, timeout=20.0, memory_mb=1024, read=read_facts)
        # killable, memory-bounded worker processes, reused, started lazily

    is_transient_error(reason) -> bool
        # True for failures of the moment (timed out, out of memory, crashed,
        # vanished, permission denied) that a cache should not keep
"""

from annexa.reading.inline import Extractor, InlineExtractor
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.read import (
    EXTRACTOR_VERSION,
    READABLE_FORMATS,
    is_transient_error,
    read_facts,
)

__all__ = [
    "EXTRACTOR_VERSION",
    "READABLE_FORMATS",
    "Extractor",
    "InlineExtractor",
    "WorkerPoolExtractor",
    "is_transient_error",
    "read_facts",
]
