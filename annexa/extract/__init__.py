"""Extraction: read the facts dating needs from each file, safely.

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
    WorkerPoolExtractor(workers=None, timeout=20.0, memory_mb=1024)
        # killable, memory-bounded worker processes, reused, started lazily
"""
