"""Where a pack is written: a new zip file or a new folder, whole or not at all.

Both are built under a temporary name beside DEST and moved into place only
when complete, so an interrupted pack never leaves a half-written bundle
under the name the user asked for. Files are streamed through in chunks,
hashed (SHA-256) on the way, never held in memory whole: a 2 GB workbook
costs a megabyte of memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import IO, Protocol

CHUNK = 1024 * 1024


class Readable(Protocol):
    """Where a copy's bytes come from: anything with ``read(size)``."""

    def read(self, size: int = -1, /) -> bytes: ...


class Sink(Protocol):
    def add(self, name: str, source: Readable, size: int, mtime_ns: int) -> tuple[str, int]:
        """Copy ``source`` in as ``name``; its SHA-256 (hex) and the bytes copied."""
        ...

    def add_bytes(self, name: str, data: bytes) -> str:
        """Write ``data`` as ``name``; its SHA-256 (hex)."""
        ...

    def discard(self, name: str) -> bool:
        """Remove a copy just made (it changed while being read); False where it cannot be."""
        ...

    def commit(self) -> None:
        """Move the finished pack to DEST."""
        ...

    def abort(self) -> None:
        """Remove what was written; DEST is left as it was."""
        ...


def _copy(source: Readable, target: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    copied = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        copied += len(chunk)
    return digest.hexdigest(), copied


def _zip_time(mtime_ns: int) -> tuple[int, int, int, int, int, int]:
    """A zip entry's local date and time; zip cannot say before 1980 or after 2107."""
    try:
        moment = time.localtime(mtime_ns / 1e9)
    except (OverflowError, OSError, ValueError):
        return (1980, 1, 1, 0, 0, 0)
    if moment.tm_year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if moment.tm_year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (
        moment.tm_year,
        moment.tm_mon,
        moment.tm_mday,
        moment.tm_hour,
        moment.tm_min,
        moment.tm_sec,
    )


def _commit_path(temporary: str, dest: Path, mode: int) -> None:
    """Move the finished pack into place, with the permissions a new file or folder gets.

    The temporary name was private to its maker (0600, 0700), as ``tempfile``
    makes it; the pack itself should be as readable as anything else the user
    saves there.
    """
    if os.path.lexists(dest):
        raise FileExistsError(f"{dest} appeared while the pack was being made")
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(temporary, mode & ~umask)
    os.replace(temporary, dest)


class ZipSink:
    """A new .zip file, written to a temporary file beside it first."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        handle, self._temporary = tempfile.mkstemp(
            prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent
        )
        os.close(handle)
        self._zip = zipfile.ZipFile(
            self._temporary, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
        )

    def _info(self, name: str, size: int, mtime_ns: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_zip_time(mtime_ns))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.file_size = size  # lets zipfile choose ZIP64 up front for files past 2 GiB
        return info

    def add(self, name: str, source: Readable, size: int, mtime_ns: int) -> tuple[str, int]:
        info = self._info(name, size, mtime_ns)
        with self._zip.open(info, "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as target:
            return _copy(source, target)

    def add_bytes(self, name: str, data: bytes) -> str:
        info = self._info(name, len(data), time.time_ns())
        self._zip.writestr(info, data)
        return hashlib.sha256(data).hexdigest()

    def discard(self, name: str) -> bool:
        return False  # a zip entry cannot be taken back out

    def commit(self) -> None:
        self._zip.close()
        _commit_path(self._temporary, self.dest, 0o666)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._zip.close()
        with contextlib.suppress(OSError):
            os.remove(self._temporary)


class FolderSink:
    """A new folder, built under a temporary name beside it first."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self._temporary = Path(
            tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
        )

    def add(self, name: str, source: Readable, size: int, mtime_ns: int) -> tuple[str, int]:
        path = self._temporary / name
        with open(path, "xb") as target:
            result = _copy(source, target)
        with contextlib.suppress(OSError):
            os.utime(path, ns=(mtime_ns, mtime_ns))  # the copy keeps its original's date
        return result

    def add_bytes(self, name: str, data: bytes) -> str:
        with open(self._temporary / name, "xb") as target:
            target.write(data)
        return hashlib.sha256(data).hexdigest()

    def discard(self, name: str) -> bool:
        try:
            os.remove(self._temporary / name)
        except OSError:
            return False
        return True

    def commit(self) -> None:
        _commit_path(str(self._temporary), self.dest, 0o777)

    def abort(self) -> None:
        shutil.rmtree(self._temporary, ignore_errors=True)


def open_sink(dest: Path) -> Sink:
    """A zip when DEST ends in .zip (any case), else a folder."""
    if dest.suffix.lower() == ".zip":
        return ZipSink(dest)
    return FolderSink(dest)
