"""Find every process an annexa run started, however far down, and wait for them to end.

A run is given an environment variable with a value of its own; every
process it starts (the fork server, the readers it forks, the resource
tracker) inherits it, and ``/proc/PID/environ`` shows it even after the run's
own process has gone and the others have been handed to init (Linux).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

MARK = "ANNEXA_TEST_RUN"


def new_mark() -> str:
    return uuid.uuid4().hex


def marked(mark: str) -> dict[int, int]:
    """The processes carrying ``mark``: pid -> parent pid."""
    wanted = f"{MARK}={mark}".encode()
    found: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            environ = Path(f"/proc/{entry.name}/environ").read_bytes().split(b"\0")
            if wanted in environ:
                stat = Path(f"/proc/{entry.name}/stat").read_bytes()
                if stat.rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue  # a zombie has ended; only its parent's wait is missing
                found[int(entry.name)] = int(stat.rsplit(b")", 1)[1].split()[1])
    return found


def wait_until(predicate, timeout: float, step: float = 0.01) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``predicate()`` came true within ``timeout`` seconds (polled, not slept blind)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
