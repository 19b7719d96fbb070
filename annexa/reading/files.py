"""Open a file under ROOT for reading, and say in words why that failed.

A shared folder holds more than documents: a FIFO or a device would block a
plain ``open()`` for ever, a folder can carry a document's name, and files
vanish between the walk and the read (someone saved over them). The file is
opened without blocking and checked to be a regular file through its open
descriptor, so nothing can swap it in between.

A file another program holds locked (Word, Excel, an antivirus scan, a sync
client saving it: Windows' sharing violation) is tried again after a moment,
twice, before it is reported as in use; the report then says so in those
words, and the next scan or refresh reads it again (the kind is transient).
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import BinaryIO

from annexa.finding.safe_open import open_read_only
from annexa.model.failures import Failure, FailureKind, os_failure
from annexa.reading.content import Unreadable

LOCKED_WAITS: tuple[float, ...] = (0.25, 0.75)
"""Seconds to wait before each new try at a file another program has locked."""


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` read-only, or raise Unreadable with the reason.

    Only ever reads: annexa never writes, moves or deletes under ROOT.
    """
    for wait in (*LOCKED_WAITS, None):
        try:
            fd, info = open_read_only(path)
            break
        except OSError as exc:
            failure = os_error_failure(exc)
            if failure.kind is not FailureKind.LOCKED or wait is None:
                raise Unreadable(failure.words, failure.kind) from None
            time.sleep(wait)
    try:
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("not a file: it is a folder", FailureKind.UNSAFE)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a pipe, socket or device)", FailureKind.UNSAFE)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def os_error_failure(exc: OSError) -> Failure:
    """An operating-system error met while opening or reading a document, in reading's words."""
    failure = os_failure(exc)
    words = {
        FailureKind.VANISHED: "file vanished before it could be read",
        FailureKind.PERMISSION: "permission denied",
    }.get(failure.kind)
    if words is None and failure.kind is FailureKind.UNSAFE:
        words = f"not a file: {failure.words}"
    if words is None and failure.kind is FailureKind.UNEXPECTED:
        words = f"could not be read: {exc.strerror or type(exc).__name__}"
    return Failure(failure.kind, words or failure.words)
