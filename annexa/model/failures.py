"""Failures by kind: what went wrong, as a value the pipeline decides on.

Every failure carries a kind beside its plain-English words. Code decides on
the kind (is it worth reading again? is the folder unreachable?), never on
the words, so a reworded message cannot change what annexa does.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import Enum


class FailureKind(str, Enum):
    """Why a file or folder could not be read."""

    # The file's own: stays true until the file changes.
    DAMAGED = "damaged"  # cut short, garbled, empty, or not what its name says
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"  # past a limit set to keep the machine safe
    UNSAFE = "unsafe"  # a bomb, a DTD, a pipe or device, a link that loops
    UNSUPPORTED = "unsupported"  # a feature annexa cannot read
    # The moment's: the same unchanged file may read fine next time.
    VANISHED = "vanished"
    PERMISSION = "permission"
    LOCKED = "locked"  # in use by another program (Word holds it open on Windows)
    UNREACHABLE = "unreachable"  # the share or disk stopped answering
    TIMED_OUT = "timed_out"
    OUT_OF_MEMORY = "out_of_memory"
    READER_FAILED = "reader_failed"  # the reader process crashed or could not start
    UNEXPECTED = "unexpected"  # an error annexa has no words for: a bug, or the moment

    @property
    def transient(self) -> bool:
        """Whether this says more about the moment than the file: retried, never cached."""
        return self in TRANSIENT


TRANSIENT: frozenset[FailureKind] = frozenset(
    {
        FailureKind.VANISHED,
        FailureKind.PERMISSION,
        FailureKind.LOCKED,
        FailureKind.UNREACHABLE,
        FailureKind.TIMED_OUT,
        FailureKind.OUT_OF_MEMORY,
        FailureKind.READER_FAILED,
        FailureKind.UNEXPECTED,
    }
)


@dataclass(frozen=True, slots=True)
class Failure:
    """A failure's kind and its words for people, in one line."""

    kind: FailureKind
    words: str


class RunStopped(Exception):
    """A failure that stops a whole run (exit 2): ROOT unreachable, an invalid spec, ...

    Its message is the one line shown to the user.
    """


_UNREACHABLE_ERRNOS = frozenset(
    getattr(errno, name)
    for name in (
        "EIO",
        "ESTALE",
        "EHOSTDOWN",
        "EHOSTUNREACH",
        "ENETDOWN",
        "ENETUNREACH",
        "ENETRESET",
        "ENOTCONN",
        "ECONNABORTED",
        "ECONNRESET",
        "ETIMEDOUT",
        "ENOLINK",
        "EREMOTEIO",
    )
    if hasattr(errno, name)
)
# Windows: ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION (Word has the file open).
_LOCKED_WINERRORS = frozenset({32, 33})
# Windows: network path or name gone, the share's server not answering.
_UNREACHABLE_WINERRORS = frozenset({51, 53, 59, 64, 67, 1231, 1232})


def os_failure(exc: OSError) -> Failure:
    """The kind of an operating-system error and its words, for every caller.

    The words are short and lower-case ("permission denied", "in use by
    another program"), for the caller to put after what it was doing.
    """
    winerror = getattr(exc, "winerror", None)
    if winerror in _LOCKED_WINERRORS:
        return Failure(FailureKind.LOCKED, "in use by another program (close it there)")
    words = (exc.strerror or str(exc) or type(exc).__name__).lower()
    if isinstance(exc, FileNotFoundError):
        return Failure(FailureKind.VANISHED, words)
    if isinstance(exc, PermissionError):
        return Failure(FailureKind.PERMISSION, "permission denied")
    if isinstance(exc, IsADirectoryError):
        return Failure(FailureKind.UNSAFE, "it is a folder")
    if exc.errno == errno.ELOOP:
        return Failure(FailureKind.UNSAFE, "a symbolic link that loops")
    if exc.errno in _UNREACHABLE_ERRNOS or winerror in _UNREACHABLE_WINERRORS:
        return Failure(FailureKind.UNREACHABLE, f"the folder cannot be reached ({words})")
    return Failure(FailureKind.UNEXPECTED, words)
