"""Names annexa never matches, lists or reports: locks, temporaries, system files.

A Word user's open document leaves a ``~$`` owner file beside it, a save
passes through ``~WRL1234.tmp``, LibreOffice leaves ``.~lock.name#``,
browsers leave ``.crdownload`` and ``.part`` while downloading, and Windows
and macOS sprinkle ``Thumbs.db``, ``desktop.ini`` and ``.DS_Store``. None of
these is evidence, and none should ever be reported as missing, unmatched
or unreadable. Rules compare the last part of a path only.
"""

from __future__ import annotations

_SYSTEM_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db", "icon\r"})
_TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", ".partial", ".download", ".swp", "~")
_IGNORED_DIRS = frozenset({"$recycle.bin", "system volume information", "__macosx"})


def is_ignored_file(name: str) -> bool:
    """Whether a file name is a lock, temporary, hidden or system file."""
    lowered = name.lower()
    if not lowered or lowered in _SYSTEM_NAMES:
        return True
    if lowered.startswith(("~$", ".~lock.", "~wrl", ".")):
        return True
    return lowered.endswith(_TEMP_SUFFIXES)


def is_ignored_dir(name: str) -> bool:
    """Hidden folders (``.git``, ``.snapshot``) and system folders are not walked."""
    lowered = name.lower()
    return lowered.startswith((".", "~")) or lowered in _IGNORED_DIRS
