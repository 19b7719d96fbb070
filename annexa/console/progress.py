"""A plain progress bar on stderr for scans that take more than a moment.

Written without Rich so that ``annexa scan --format json`` stays free of the
terminal libraries; shown only on a terminal (the CLI decides), only once a
scan has taken half a second, and erased when done so the report starts on a
clean line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

_DELAY = 0.5
_INTERVAL = 0.1
_WIDTH = 30


class TerminalProgress:
    """Call with (done, total) as files are read."""

    def __init__(
        self,
        stream: TextIO,
        clock: Callable[[], float] = time.monotonic,
        label: str = "Reading documents",
    ) -> None:
        from annexa.console.screen import can_encode

        self._stream = stream
        self._label = label
        self._bar = ("█", "░") if can_encode(stream, "█░") else ("#", "-")
        self._clock = clock
        self._start = clock()
        self._last = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        finished = done >= total
        if finished:
            self.clear()
            return
        if now - self._start < _DELAY or now - self._last < _INTERVAL:
            return
        self._last = now
        filled = int(_WIDTH * done / total) if total else 0
        full, empty = self._bar
        bar = full * filled + empty * (_WIDTH - filled)
        self._stream.write(f"\r{self._label} {bar} {done}/{total}")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the bar, if shown: the report, or a message, starts on a clean line."""
        if self._shown:
            self._stream.write("\r\x1b[2K")
            self._stream.flush()
            self._shown = False
