"""Gather change hints into batches: after a quiet second, or three seconds at most.

A single Word save is a dozen events over a second (owner file, temporary
file, rename, attribute change); a colleague copying a folder in is hundreds.
Reading a document on its first event would read it half-written and read it
again a moment later. The debouncer holds hints until the folder has been
quiet for ``quiet`` seconds, but never longer than ``max_wait`` after the
first, so a folder that never goes quiet is still checked.

The clock is a parameter (``now``) so the rules can be tested without sleeping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    """One batch for the scanner: ROOT-relative paths that may have changed.

    ``rescan`` asks for a walk of the whole folder instead: a folder was
    created, moved or deleted, the folder came back after being unreachable,
    or the periodic safety-net check is due. The paths are hints; the scanner
    re-stats them and only reads what really changed.
    """

    paths: frozenset[str] = frozenset()
    rescan: bool = False

    def __bool__(self) -> bool:
        return self.rescan or bool(self.paths)


class Debouncer:
    """Hints collected since the last batch, and when they are due."""

    def __init__(self, quiet: float = 1.0, max_wait: float = 3.0) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self._paths: set[str] = set()
        self._rescan = False
        self._first: float | None = None
        self._last: float | None = None

    def add(self, paths: Iterable[str], now: float, *, rescan: bool = False) -> None:
        paths = set(paths)
        if not paths and not rescan:
            return
        self._paths |= paths
        self._rescan = self._rescan or rescan
        if self._first is None:
            self._first = now
        self._last = now

    @property
    def pending(self) -> bool:
        return self._first is not None

    def deadline(self) -> float | None:
        """When the pending batch falls due, or None when nothing is pending."""
        if self._first is None or self._last is None:
            return None
        return min(self._last + self.quiet, self._first + self.max_wait)

    def due(self, now: float) -> bool:
        deadline = self.deadline()
        return deadline is not None and now >= deadline

    def take(self) -> Changes:
        """The pending batch, emptying the debouncer."""
        batch = Changes(frozenset(self._paths), self._rescan)
        self._paths = set()
        self._rescan = False
        self._first = self._last = None
        return batch
