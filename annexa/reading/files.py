"""Open a file under ROOT for reading, and say in words why that failed.

A shared folder holds more than documents: a FIFO or a device would block a
plain ``open()`` for ever, a folder can carry a document's name, and files
vanish between the walk and the read (someone saved over them). The file is
opened without blocking and checked to be a regular file through its open
descriptor, so nothing can swap it in between.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from annexa.finding.safe_open import open_read_only
from annexa.reading.content import Unreadable


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` read-only, or raise Unreadable with the reason.

    Only ever reads: annexa never writes, moves or deletes under ROOT.
    """
    try:
        fd, info = open_read_only(path)
    except OSError as exc:
        raise Unreadable(os_error_reason(exc)) from None
    try:
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("not a file: it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a pipe, socket or device)")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def os_error_reason(exc: OSError) -> str:
    """The words for an operating-system error met while opening or reading."""
    if isinstance(exc, FileNotFoundError):
        return "file vanished before it could be read"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "not a file: it is a folder"
    if exc.errno == errno.ELOOP:
        return "not a file: a symbolic link that loops"
    words = exc.strerror or type(exc).__name__
    return f"could not be read: {words}"
