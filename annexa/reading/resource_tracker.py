"""Start multiprocessing's helper process while annexa still has a real stderr.

The first reader process annexa starts on POSIX starts multiprocessing's
resource tracker first, and the tracker is given ``sys.stderr.fileno()`` to
write to. Textual, while ``annexa watch`` runs, swaps ``sys.stderr`` for an
object whose ``fileno()`` is -1: the tracker could not start, so no reader
could, and every document was read inside annexa with no time or memory
limit. Starting the tracker with the real stderr (``sys.__stderr__``; once,
and it then serves every later reader) keeps the limits whatever has
replaced ``sys.stderr``. The reader pool calls this before it starts any
process (``annexa.reading.pool``), so every way of starting readers has it.
"""

from __future__ import annotations

import contextlib
import sys
import threading

_lock = threading.Lock()


def start_resource_tracker() -> None:
    """Make sure the resource tracker runs; a no-op where there is none or it already runs."""
    if sys.platform == "win32":
        return
    try:
        from multiprocessing import resource_tracker
    except ImportError:  # pragma: no cover - a Python without multiprocessing
        return
    with _lock:
        stream = sys.stderr
        if _has_usable_fileno(stream):
            return  # it will start fine on its own, when first needed
        real = sys.__stderr__
        if real is None or not _has_usable_fileno(real):
            return  # nothing better to give it: the pool falls back and says so
        sys.stderr = real
        try:
            with contextlib.suppress(Exception):
                resource_tracker.ensure_running()
        finally:
            sys.stderr = stream


def _has_usable_fileno(stream: object) -> bool:
    """False only for a stream that claims a descriptor it does not have (-1)."""
    try:
        return stream is None or stream.fileno() >= 0  # type: ignore[attr-defined]
    except Exception:
        return True  # no fileno at all: the tracker simply does without it
