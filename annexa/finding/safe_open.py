"""Open a file to read it, without ever hanging on something that is not a file.

A shared folder (or an ``extends`` line in a spec) can name a FIFO or a
device, where a plain ``open()`` blocks for ever or reads without end. The
file is opened read-only and without blocking, and what it is comes from the
open descriptor, so nothing can be swapped in between the check and the read.
Every reader of a document, a spec or a file to hash opens through here.
"""

from __future__ import annotations

import contextlib
import os
import stat

_READ_ONLY = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_read_only(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A read-only descriptor for ``path`` and what it is; the caller closes it.

    A regular file's descriptor is switched back to blocking reads; anything
    else is left non-blocking, for the caller to refuse. Raises OSError when
    the path cannot be opened.
    """
    fd = os.open(path, _READ_ONLY)
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and hasattr(os, "set_blocking"):
            with contextlib.suppress(OSError):
                os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, info
