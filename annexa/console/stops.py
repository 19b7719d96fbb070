"""Stop cleanly on SIGTERM and SIGHUP, as on Ctrl+C.

A service manager ends annexa with SIGTERM, a closed terminal or a dropped
SSH session with SIGHUP. Left to Python's defaults either kills the
process where it stands: the reader processes are left to notice on their
own, multiprocessing's temporary ``pymp-*`` folder stays behind (its clean-up
runs at a normal exit only), and the watch screen leaves the terminal in
its alternate screen with the mouse captured and the cursor hidden.

So each becomes an exception in the main thread, ``Stopped``, which unwinds
like Ctrl+C's KeyboardInterrupt: every ``finally`` runs (the readers are
ended, the cache's transaction rolled back), the command line says so in
one line and exits with 128 + the signal's number (143, 129), and Python's
normal exit removes the temporary folders. ``annexa watch`` turns the same
signals into quitting the screen (``annexa.tui``), which restores the
terminal first. Windows has no SIGHUP; a console closed there ends the
process without asking.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from annexa.model.held_stops import stop_now_or_after

_WORDS = {"SIGTERM": "stopped (SIGTERM)", "SIGHUP": "stopped: the terminal was closed (SIGHUP)"}


class Stopped(BaseException):
    """A stop signal arrived: unwind like KeyboardInterrupt, then exit 128 + ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_signals() -> tuple[int, ...]:
    """The signals that stop annexa cleanly here: SIGTERM, and SIGHUP where there is one."""
    names = ("SIGTERM", "SIGHUP")
    return tuple(int(getattr(signal, name)) for name in names if hasattr(signal, name))


def signal_exit_code(signum: int) -> int:
    """What a shell reports for a process ended by ``signum``: 143 for SIGTERM, 129 for SIGHUP."""
    return 128 + signum


def words_for(signum: int) -> str:
    """The one line said when stopped by ``signum``."""
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    return _WORDS.get(name, f"stopped ({name})")


def signal_of(code: int) -> int | None:
    """The stop signal an exit code stands for, or None."""
    return code - 128 if code - 128 in stop_signals() else None


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise ``Stopped`` in the main thread.

    The first one only: a second signal while the first unwinds is ignored,
    so the clean-up it started is not cut short. Outside the main thread
    (annexa used as a library) nothing is changed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if raised:
            return
        raised.append(signum)

        def stop() -> None:
            raise Stopped(signum)

        stop_now_or_after(stop)  # after a reader being started is known (held_stops)

    previous = {}
    for signum in stop_signals():
        with contextlib.suppress(OSError, ValueError):
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, old)
