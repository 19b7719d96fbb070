"""The cache's folder and files are the user's alone.

The cache holds the text of documents' first pages (names, dates, whatever a
council's policy says on page one), so nobody else on the machine may read
it: its folder is made 0700 and its files 0600. SQLite gives the ``-wal``
and ``-shm`` files it makes the database file's own mode, so making the
database file first, 0600, keeps them private too. A cache left by an
older annexa with wider modes is narrowed when annexa next opens it, if
the files are the user's own. On Windows the default folder is in the
user's own profile (``%LOCALAPPDATA%``), private by its access rights; the
modes here are POSIX's and Windows ignores them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) with only the user allowed in it.

    Parents annexa makes on the way (``~/.cache`` on a new account) get the
    usual mode; the folder itself is 0700. A folder that already exists is
    left as it is: it may be one the user chose and shares on purpose.
    """
    if folder.is_dir():
        return
    os.makedirs(folder, mode=FOLDER_MODE, exist_ok=True)
    # mkdir's mode is narrowed by the umask, never widened: say it exactly
    with contextlib.suppress(OSError):
        os.chmod(folder, FOLDER_MODE)


def make_private_file(path: Path) -> None:
    """Make ``path`` if it is missing, readable and writable by the user alone.

    An existing file of the user's own that others can read (made by an
    older annexa) is narrowed to 0600; another user's file is left alone.
    """
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        narrow(fd)
    finally:
        os.close(fd)


def narrow_if_present(path: Path) -> None:
    """``narrow`` a file that may or may not be there (SQLite's ``-wal`` and ``-shm``)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return
    try:
        narrow(fd)
    finally:
        os.close(fd)


def narrow(fd: int) -> None:
    """Take away every permission of group and others from an open file of the user's own."""
    if not hasattr(os, "getuid"):
        return  # Windows: the profile folder's access rights keep it private
    with contextlib.suppress(OSError):
        info = os.fstat(fd)
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.fchmod(fd, stat.S_IMODE(info.st_mode) & ~0o077)
