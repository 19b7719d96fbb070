"""A file's content digest, so a renamed or copied document is recognised by its bytes."""

from __future__ import annotations

import hashlib
import os
import stat

from annexa.finding.safe_open import open_read_only

HASH_LIMIT = 64 * 1024 * 1024
"""Files larger than this are not hashed: a rename of one is read again."""
HASH_CHUNK = 1024 * 1024


def file_digest(path: str, size: int, mtime_ns: int) -> bytes | None:
    """BLAKE2b-256 of a file's bytes, streamed; None when it is not the file we were told of.

    The file must still have the size and time the inventory saw, before and
    after hashing, or the digest would be filed against facts of other bytes.
    Only reads: the file is opened read-only and never written.
    """
    if size <= 0 or size > HASH_LIMIT:
        return None
    try:
        fd, before = open_read_only(path)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(before.st_mode) or (before.st_size, before.st_mtime_ns) != (
            size,
            mtime_ns,
        ):
            return None
        hasher = hashlib.blake2b(digest_size=32)
        while True:
            chunk = os.read(fd, HASH_CHUNK)
            if not chunk:
                break
            hasher.update(chunk)
        after = os.fstat(fd)
        if (after.st_size, after.st_mtime_ns) != (size, mtime_ns):
            return None
        return hasher.digest()
    except OSError:
        return None
    finally:
        os.close(fd)
