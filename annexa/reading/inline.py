"""The extractor interface, and the in-process extractor for tests and tiny runs.

Anything that turns FileEntries into Facts fits ``Extractor``: the worker pool
for real scans, ``InlineExtractor`` where a hostile file cannot occur (unit
tests of pure logic, a handful of generated files), or a fake in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from annexa.model import Facts, FileEntry
from annexa.reading.read import read_facts

ReadFunction = Callable[[Path, FileEntry], Facts]
OnDone = Callable[[Facts], None]


class Extractor(Protocol):
    def extract(
        self,
        root: Path,
        entries: Sequence[FileEntry],
        *,
        on_done: OnDone | None = None,
    ) -> dict[str, Facts]:
        """Facts for every entry, keyed by ``entry.path``; never raises for a bad file."""
        ...

    def close(self) -> None:
        """Release workers; safe to call twice."""
        ...


class InlineExtractor:
    """Reads each file in the calling process: no timeout, no memory cap.

    Fine for files annexa generated itself; a real share belongs to
    WorkerPoolExtractor, which can kill a reader that hangs.
    """

    def __init__(self, read: ReadFunction = read_facts) -> None:
        self._read = read

    def extract(
        self,
        root: Path,
        entries: Sequence[FileEntry],
        *,
        on_done: OnDone | None = None,
    ) -> dict[str, Facts]:
        results: dict[str, Facts] = {}
        for entry in entries:
            facts = self._read(Path(root), entry)
            results[entry.path] = facts
            if on_done is not None:
                on_done(facts)
        return results

    def close(self) -> None:
        pass
