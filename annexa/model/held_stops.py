"""A stop (SIGTERM, SIGHUP) held off for the moment a reader process is being started.

The command line turns those signals into an exception in the main thread
(``annexa.console.stops``), which unwinds wherever the thread is. Unwound
from the middle of starting a reader, the reader exists but its owner never
learns its pid, so nothing ends it. ``holding_stops`` marks such a moment:
a stop that arrives then is kept, and raised as soon as the moment is over,
when the reader is known and will be ended with the others.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

_held = 0
_pending: list[Callable[[], None]] = []


@contextlib.contextmanager
def holding_stops() -> Iterator[None]:
    """Keep a stop that arrives inside until the end (main thread only: signals run there)."""
    global _held
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pending:
            stop = _pending.pop()
            _pending.clear()
            stop()


def stop_now_or_after(stop: Callable[[], None]) -> None:
    """Call ``stop`` (which raises) now, or when the moment held is over."""
    if _held:
        _pending.append(stop)
    else:
        stop()
