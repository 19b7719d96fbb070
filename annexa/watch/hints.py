"""Turn a file system event into the ROOT-relative paths it says may have changed.

Events are hints, not facts: the scanner re-stats every path it is given and
keeps its own (size, mtime) truth. What matters here is not to miss a path
and not to wake up for nothing:

- both ends of a move are dirty, and a lock or temporary name is dropped on
  its own end only, so Word's save (``~WRL0001.tmp`` moved onto
  ``Report.docx``) marks ``Report.docx``;
- a folder created, moved or deleted asks for a full re-walk rather than
  guessing which files came or went with it;
- opened and closed events are dropped (annexa's own reads raise them on
  Linux, and would wake it up for ever); folder "modified" events only say
  that an entry inside changed, which the entry's own event already says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from annexa.finding.ignore import is_ignored_dir
from annexa.finding.walk import is_ignored_path

# watchdog event_type values that carry news about content or names.
RELEVANT_EVENT_TYPES = frozenset({"created", "deleted", "modified", "moved", "attrib"})


@dataclass(frozen=True)
class Hint:
    paths: frozenset[str] = frozenset()
    rescan: bool = False

    def __bool__(self) -> bool:
        return self.rescan or bool(self.paths)


NOTHING = Hint()


def relative_path(path: str | bytes, root: str) -> str | None:
    """``path`` relative to ``root`` with ``/`` separators, or None when outside it or ROOT itself."""
    text = os.fsdecode(path)
    try:
        rel = os.path.relpath(text, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == "." or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def hint_for_event(
    event_type: str,
    is_directory: bool,
    src_path: str | bytes,
    dest_path: str | bytes,
    root: str,
) -> Hint:
    """What one watchdog event (given by its fields) says may have changed under ``root``."""
    if event_type not in RELEVANT_EVENT_TYPES:
        return NOTHING
    ends = [src_path] + ([dest_path] if event_type == "moved" and dest_path else [])
    if is_directory:
        if event_type in ("modified", "attrib"):
            return NOTHING
        for end in ends:
            rel = relative_path(end, root)
            if rel is None:
                # ROOT itself deleted or moved: the supervisor notices; walk again when back
                if os.fsdecode(end).rstrip("/\\") == root.rstrip("/\\"):
                    return Hint(rescan=True)
                continue
            if not any(is_ignored_dir(part) for part in rel.split("/")):
                return Hint(rescan=True)
        return NOTHING
    paths = set()
    for end in ends:
        rel = relative_path(end, root)
        if rel is not None and not is_ignored_path(rel):
            paths.add(rel)
    return Hint(frozenset(paths)) if paths else NOTHING
