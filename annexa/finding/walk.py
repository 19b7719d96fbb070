"""Walk ROOT and list the files annexa may look at.

Read-only by construction: this module only lists and stats. It never
follows a link out of ROOT, survives links that loop, and records a folder
it cannot list or a file that vanishes as data, so one bad corner of a
shared drive does not stop the check of everything else.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annexa.finding.ignore import is_ignored_dir, is_ignored_file
from annexa.model import FileEntry, FileError
from annexa.model.failures import FailureKind, RunStopped, os_failure

# Windows file attributes (st_file_attributes); absent elsewhere.
_HIDDEN_OR_SYSTEM = getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 2) | getattr(
    stat, "FILE_ATTRIBUTE_SYSTEM", 4
)


@dataclass
class Inventory:
    """Every file under ROOT that is not ignored, keyed by its relative path."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)


class RootMissingError(RunStopped):
    """ROOT does not exist or is not a folder: the run cannot be made."""


class RootLostError(RootMissingError):
    """ROOT went away while it was being checked: the share dropped, the folder was moved.

    Every file read after that moment failed for the same one reason, so
    the run is stopped with that reason instead of a report that calls
    every document unreadable. ``reason`` is the cause alone, for a screen
    that goes on showing the last report and keeps trying (watch).
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


LOST_KINDS = frozenset({FailureKind.VANISHED, FailureKind.UNREACHABLE})
"""Failures of a file or folder that may mean ROOT itself went: ask ROOT when one is met."""


def lost_root(root: Path) -> RootLostError | None:
    """ROOT's own failure, when it is no longer a folder that can be reached; else None.

    Asked when a file or folder under ROOT fails with a kind in LOST_KINDS:
    one stat of ROOT tells one vanished document from a vanished share.
    """
    try:
        info = os.stat(root)
    except OSError as exc:
        words = (exc.strerror or type(exc).__name__).lower()  # the system's, said once
    else:
        if stat.S_ISDIR(info.st_mode):
            return None
        words = "it is not a folder any more"
    return RootLostError(
        f"the folder {root} became unreachable during the check ({words}); "
        "no report was made: check again once it is back",
        reason=words,
    )


def scan_tree(root: Path) -> Inventory:
    """List every file under ``root``; raises RootMissingError only for ROOT itself."""
    root_real = real_root(root)
    inventory = Inventory()
    visited: set[tuple[int, int]] = set()
    _walk(root, "", root_real, inventory, visited)
    return inventory


def scan_folder(root: Path, folder: str, root_real: str | None = None) -> Inventory:
    """List one folder under ROOT again: its listing failed at the last walk.

    ``folder`` is relative to ROOT. A folder that is no longer there (or is
    now a file, or a link out of ROOT, or ignored) lists nothing and is no
    error: its files are simply gone. Raises RootMissingError for ROOT.
    """
    root_real = root_real or real_root(root)
    inventory = Inventory()
    path = root / folder
    if any(is_ignored_dir(part) for part in folder.split("/")):
        return inventory
    try:
        if not path.is_dir() or not _within(os.path.realpath(path), root_real):
            return inventory
    except (OSError, ValueError):
        return inventory
    _walk(path, folder + "/", root_real, inventory, set())
    return inventory


def unlisted_folders(errors: Iterable[FileError]) -> list[str]:
    """The folders (relative to ROOT, "." for ROOT itself) whose listing failed."""
    return [e.file for e in errors if e.folder]


def stat_entry(root: Path, rel_path: str, root_real: str | None = None) -> FileEntry | None:
    """Stat one file again (the watcher's re-check); None when it is gone or ignored.

    ``root_real``: ROOT as ``real_root`` gives it, for a caller re-checking
    many files at once; on a network share each step of resolving ROOT again
    is a round trip.
    """
    if is_ignored_path(rel_path):
        return None
    path = root / rel_path
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode) or _hidden_attribute(st):
        return None
    # Any part of the path may be a link (a folder swapped for one since the
    # walk), not only the file itself: where it really leads must be in ROOT.
    try:
        inside = _within(os.path.realpath(path), root_real or real_root(root))
    except (OSError, ValueError):
        return None
    if not inside:
        return None
    return FileEntry(rel_path, st.st_size, st.st_mtime_ns)


SPEC_FILE = "annexa.toml"


def is_ignored_path(rel_path: str) -> bool:
    """Whether any part of a relative path is ignored (a hidden folder, a lock file...).

    ROOT's own ``annexa.toml`` is annexa's configuration, not evidence.
    """
    if rel_path == SPEC_FILE:
        return True
    parts = rel_path.split("/")
    return any(is_ignored_dir(p) for p in parts[:-1]) or is_ignored_file(parts[-1])


def real_root(root: Path) -> str:
    """ROOT with links and ``..`` resolved; RootMissingError when it is not a folder."""
    try:
        if not root.is_dir():
            raise RootMissingError(f"{root} is not a folder")
        return os.path.realpath(root)
    except OSError as exc:
        raise RootMissingError(f"{root} cannot be opened: {os_failure(exc).words}") from exc


def is_inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` is ROOT or anywhere under it, links and ``..`` resolved.

    The one test of ROOT's boundary: the walk uses it to refuse links out of
    ROOT, and the CLI, the watch screen's export and the cache use it to
    refuse writing inside ROOT.
    """
    return _within(os.path.realpath(path), os.path.realpath(root))


def _within(target_real: str, base_real: str) -> bool:
    """``is_inside`` for two paths already resolved."""
    target = os.path.normcase(target_real)
    base = os.path.normcase(base_real)
    return target == base or target.startswith(base.rstrip(os.sep) + os.sep)


def _hidden_attribute(st: os.stat_result) -> bool:
    return bool(getattr(st, "st_file_attributes", 0) & _HIDDEN_OR_SYSTEM)


def _walk(
    folder: Path, prefix: str, root_real: str, inventory: Inventory, visited: set[tuple[int, int]]
) -> None:
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in visited:
            return  # a link back to a folder already listed
        visited.add(key)
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as exc:
        failure = os_failure(exc)
        where = prefix.rstrip("/") or "."
        inventory.errors.append(
            FileError(where, f"folder cannot be listed: {failure.words}", failure.kind, folder=True)
        )
        return
    # Real folders before links, so a file is listed under its own path and a
    # link to a folder already seen is the one skipped.
    entries.sort(key=lambda e: (_is_link(e), e.name))
    for entry in entries:
        rel = prefix + entry.name
        try:
            is_link = entry.is_symlink()
            if is_link and not _within(os.path.realpath(entry.path), root_real):
                continue  # never follow a link out of ROOT
            if entry.is_dir(follow_symlinks=True):
                if not is_ignored_dir(entry.name):
                    _walk(Path(entry.path), rel + "/", root_real, inventory, visited)
                continue
            if (
                is_ignored_file(entry.name)
                or rel == SPEC_FILE
                or not entry.is_file(follow_symlinks=True)
            ):
                continue
            st = entry.stat(follow_symlinks=True)
        except FileNotFoundError:
            continue  # vanished between listing and stat: it is simply not there
        except OSError as exc:
            failure = os_failure(exc)
            inventory.errors.append(
                FileError(rel, f"cannot be read: {failure.words}", failure.kind)
            )
            continue
        if _hidden_attribute(st):
            continue
        inventory.files[rel] = FileEntry(rel, st.st_size, st.st_mtime_ns)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False
