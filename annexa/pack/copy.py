"""Copy one judged file from ROOT into the pack, or say why it could not be.

The file is opened read-only through annexa's safe open (never a FIFO or a
device, nothing written), and must still be the file annexa judged: the
same size and modification time as at the scan, and still inside ROOT. A
file that has gone, moved out of ROOT or changed since is not packed, and
the index says so. One that changes while it is being copied is taken back
out where the pack allows (a folder); in a zip, where an entry cannot be
removed, the index says the copy may not match the folder.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annexa.finding.safe_open import open_read_only
from annexa.finding.walk import is_inside
from annexa.model.failures import FailureKind, os_failure
from annexa.pack.plan import MANIFEST, PackFile
from annexa.pack.sinks import Sink


@dataclass(frozen=True, slots=True)
class Copied:
    """What became of one file: packed (with its checksum), or a problem in words."""

    name: str
    sha256: str | None = None
    size: int = 0
    problem: str = ""  # "" when the copy is good
    partial: bool = False  # a broken copy is left in a zip (an entry cannot be removed)

    @property
    def packed(self) -> bool:
        """Whether a copy is in the pack (possibly with a problem to tell)."""
        return self.sha256 is not None


class DestinationError(OSError):
    """Writing to the pack failed (disk full, DEST's folder gone): the pack cannot be made."""


class _SourceError(Exception):
    """Reading the source failed part-way (a share dropped): the source's fault, not DEST's."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Reading:
    """A source file whose read errors are told apart from the pack's write errors."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def read(self, size: int = -1, /) -> bytes:
        try:
            return self._raw.read(size)
        except OSError as exc:
            raise _SourceError(exc) from exc


def copy_into(root: Path, file: PackFile, sink: Sink) -> Copied:
    """Copy ``file`` from ROOT into ``sink``; problems with the source come back as words.

    Raises DestinationError when the pack itself cannot be written.
    """
    path = root / file.source
    if not is_inside(path, root):
        return Copied(file.name, problem="it now leads outside the folder, so it was not packed")
    try:
        fd, info = open_read_only(path)
    except OSError as exc:
        failure = os_failure(exc)
        if failure.kind is FailureKind.VANISHED:
            return Copied(file.name, problem="it has gone since annexa checked the folder")
        return Copied(file.name, problem=f"it could not be opened: {failure.words}")
    with os.fdopen(fd, "rb", buffering=0) as raw:
        if not stat.S_ISREG(info.st_mode):
            return Copied(file.name, problem="it is no longer an ordinary file")
        if (info.st_size, info.st_mtime_ns) != (file.entry.size, file.entry.mtime_ns):
            return Copied(file.name, problem=f"it changed after annexa checked it; {_AGAIN}")
        try:
            sha256, size = sink.add(file.name, _Reading(raw), info.st_size, info.st_mtime_ns)
        except _SourceError as exc:
            words = os_failure(exc.error).words
            if sink.discard(file.name):
                return Copied(file.name, problem=f"it could not be read: {words}; {_AGAIN}")
            return Copied(
                file.name,
                problem=f"it could not be read to the end ({words}), so its copy in the pack "
                f"is incomplete and not in {MANIFEST}: do not use it; {_AGAIN}",
                partial=True,
            )
        except OSError as exc:
            raise DestinationError(exc.errno, exc.strerror or str(exc)) from exc
        after = os.fstat(raw.fileno())
    if size == file.entry.size and (after.st_size, after.st_mtime_ns) == (
        file.entry.size,
        file.entry.mtime_ns,
    ):
        return Copied(file.name, sha256, size)
    if sink.discard(file.name):
        return Copied(file.name, problem=f"it changed while it was being copied; {_AGAIN}")
    return Copied(
        file.name,
        sha256,
        size,
        problem="it changed while it was being copied: the copy in the pack may not match "
        f"the folder; {_AGAIN}",
    )


_AGAIN = "run annexa pack again to include it"
