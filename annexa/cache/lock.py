"""The lock file beside the cache: shared while a process uses the cache, exclusive to rebuild it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from annexa.cache.private import FILE_MODE, narrow
from annexa.cache.sqlite import CacheUnusable, why


class FileLock:
    """A shared lock held while a process uses the cache; exclusive to rebuild it.

    A damaged file is only moved aside when no other annexa holds the shared
    lock, so a process reading a healthy cache is never left writing into a
    file that has just been moved away (or its WAL applied to a new one).
    Where ``fcntl`` is missing (Windows), an open SQLite file cannot be
    renamed anyway, so the rename itself fails safely.
    """

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @classmethod
    def shared(cls, path: Path) -> FileLock:
        try:
            import fcntl
        except ImportError:
            return cls(None)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
        except OSError as exc:
            raise CacheUnusable(f"its lock file cannot be opened: {why(exc)}") from None
        narrow(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError as exc:
            os.close(fd)
            raise CacheUnusable(f"its lock file cannot be locked: {why(exc)}") from None
        return cls(fd)

    def exclusive(self) -> bool:
        if self._fd is None:
            return True
        import fcntl

        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def shared_again(self) -> None:
        if self._fd is None:
            return
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None
