"""The cache's SQLite file: opening it safely, its tables, short transactions, plain words.

Several processes (a watch and a scan, two CI jobs) share one file: WAL
journal, a busy timeout, short transactions. A file that is not annexa's
(its ``application_id`` differs) is never touched; one that is annexa's but
broken is ``Damaged`` and may be rebuilt by the store.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from annexa.cache.place import SCHEMA

APPLICATION_ID = 0x616E7861  # "anxa": how annexa recognises its own SQLite file
BUSY_SECONDS = 10.0


class CacheUnusable(Exception):
    """The cache cannot be used in this run; ``str(exc)`` says why in plain words."""


class Damaged(Exception):
    """The file is not a healthy annexa cache and may be rebuilt."""


_TABLES = """
CREATE TABLE IF NOT EXISTS facts (
    path TEXT NOT NULL,
    version INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest BLOB,
    data BLOB NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (path, version)
);
CREATE INDEX IF NOT EXISTS facts_by_size ON facts (size, version);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dates (
    key BLOB PRIMARY KEY,
    data BLOB NOT NULL,
    used INTEGER NOT NULL
) WITHOUT ROWID;
"""
_NEEDED_TABLES = {"facts", "meta", "dates"}


def connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(path), timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
    )
    return conn


def prepared(path: Path) -> sqlite3.Connection:
    """A connection to a checked cache file, waiting out other processes opening it.

    SQLite answers "database is locked" at once, whatever the busy timeout,
    while another process switches a new file to WAL or recovers its
    journal; two scans starting together must both get in.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        conn = connection(path)
        try:
            prepare(conn)
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        except BaseException:
            conn.close()
            raise
        time.sleep(0.05)


def is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def prepare(conn: sqlite3.Connection) -> None:
    """Check the file is annexa's cache of this schema; create it when empty.

    Raises Damaged when it can be rebuilt (not a database, or annexa's but
    broken) and CacheUnusable when it belongs to another program.

    Several annexa processes may find the same new file at once. Each looks
    at it in one read transaction, so it sees the file either empty or made
    whole, never half-made by another (which looked like another program's
    database: stamped tables without annexa's stamp, or the stamp without
    them); the one that makes it does so in one write transaction, which
    the others wait for and then find done.
    """
    app_id, user_version, tables = _inspect(conn)
    if app_id == 0 and user_version == 0 and not tables:
        set_wal(conn)
        with write(conn):  # another process may be creating it at this moment: look again
            app_id, user_version, tables = _looks(conn)
            if app_id == 0 and user_version == 0 and not tables:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA}")
                for statement in _TABLES.split(";"):
                    if statement.strip():
                        conn.execute(statement)
        app_id, user_version, tables = _inspect(conn)
    if app_id != APPLICATION_ID:
        raise CacheUnusable(
            "the file there belongs to another program and annexa left it as it is; "
            "choose another folder with --cache-dir"
        )
    if user_version != SCHEMA or not _NEEDED_TABLES.issubset(tables):
        raise Damaged("its tables are not the ones annexa writes")
    set_wal(conn)
    try:
        conn.execute("SELECT path, version, size, mtime_ns, digest, data, used FROM facts LIMIT 1")
    except sqlite3.OperationalError as exc:
        if "no such column" in str(exc):
            raise Damaged("its tables are not the ones annexa writes") from None
        raise
    except sqlite3.DatabaseError as exc:
        raise Damaged(why(exc)) from None


def _inspect(conn: sqlite3.Connection) -> tuple[int, int, set[str]]:
    """The file's stamp, schema version and tables, read in one transaction (one snapshot)."""
    try:
        conn.execute("BEGIN")
        try:
            return _looks(conn)
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("COMMIT")
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:
        raise Damaged(why(exc)) from None


def _looks(conn: sqlite3.Connection) -> tuple[int, int, set[str]]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return app_id, user_version, tables


def set_wal(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise CacheUnusable(
            "its folder cannot keep a cache safely, perhaps because it is on a network: choose "
            f"a folder on this computer with --cache-dir; SQLite's journal mode there is {mode}"
        )
    conn.execute("PRAGMA synchronous = NORMAL")


@contextlib.contextmanager
def write(conn: sqlite3.Connection) -> Iterator[None]:
    """One short write transaction, taking the write lock at once (no upgrade deadlock)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def is_damage(exc: sqlite3.Error) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return False
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)
    )


# SQLite's words for what goes wrong with a cache file, and what they mean to
# the person reading the warning; SQLite's own words follow, for support.
_SQLITE_PLAINLY = (
    ("locked", "another annexa kept it busy"),
    ("readonly", "it is read-only"),
    ("disk is full", "the disk is full"),
    ("disk i/o error", "the disk could not be read or written"),
    ("unable to open", "it cannot be opened"),
)  # damage needs none: its warnings already say "damaged", then SQLite's words


def why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return (exc.strerror or str(exc) or type(exc).__name__).lower()
    text = str(exc) or type(exc).__name__
    if isinstance(exc, sqlite3.Error):
        lowered = text.lower()
        for words, plainly in _SQLITE_PLAINLY:
            if words in lowered:
                return f"{plainly}: {text}"
    return text
