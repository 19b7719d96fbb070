"""Where the facts cache lives, known without opening it or importing SQLite.

Kept apart from ``annexa.cache.store`` so the command line can tell, first thing,
whether this is a first scan (no cache file yet) and start the readers
before annexa's own start-up; importing the cache itself costs as much as
the head start is worth.
"""

from __future__ import annotations

import os
from pathlib import Path

SCHEMA = 2
"""The layout of the tables. It is part of the file name, so an annexa with
another layout uses its own file instead of fighting over this one."""

FILE_NAME = f"facts-v{SCHEMA}.sqlite3"


def default_cache_dir() -> Path:
    """The user's cache folder for annexa, as the platform names it."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("annexa", appauthor=False))


def cache_folder(directory: str | os.PathLike[str] | None) -> Path:
    """The folder a cache given as ``directory`` (None: the user's cache folder) lives in."""
    return Path(directory).expanduser() if directory else default_cache_dir()


def cache_file(directory: str | os.PathLike[str] | None) -> Path:
    """The cache's SQLite file, whether or not it exists yet."""
    return cache_folder(directory) / FILE_NAME
