"""The cache checks itself now and then, and mends a damaged index.

A bit flipped in one of the cache's indexes does not make SQLite fail: a
lookup through it simply misses, the document is read again, and scans
slow down for good while the answers stay right. Nothing would ever say
so. So once every ``CHECK_EVERY_DAYS`` (recorded in the ``meta`` table), the
first annexa to open the cache asks SQLite to check the whole file.

``PRAGMA integrity_check``, not ``quick_check``: the quick check skips the
one test that matters here, whether each index agrees with its table (an
index page with flipped bits passes it); its cost is in docs/security.md.

When the check finds a problem, every index is built again from the
tables (``REINDEX``) and the file checked once more: a file whose tables
themselves are damaged is ``Damaged``, which the store moves aside and
starts afresh, as for any other damage. The decision is on what SQLite
does (the repair works and the check then passes), not on its words.
"""

from __future__ import annotations

import sqlite3

from annexa.cache.sqlite import Damaged, why, write

CHECK_EVERY_DAYS = 7


def check_now_and_then(conn: sqlite3.Connection, today: int) -> bool:
    """Check the file when it has not been checked for a while; True when its indexes were mended.

    Raises Damaged when the file needs rebuilding, and lets SQLite's
    ``OperationalError`` (busy, read-only) through for the store to handle.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = 'checked'").fetchone()
    if row is not None and str(row[0]).isdigit() and 0 <= today - int(row[0]) < CHECK_EVERY_DAYS:
        return False
    problem = first_problem(conn)
    mended = False
    if problem is not None:
        try:
            with write(conn):
                _reindex(conn)
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:  # the tables are damaged too
            raise Damaged(f"{problem}; its indexes could not be rebuilt: {why(exc)}") from None
        again = first_problem(conn)
        if again is not None:
            raise Damaged(again)
        mended = True
    with write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('checked', ?)", (str(today),)
        )
    return mended


_KEYED = (("facts", "path, version"), ("meta", "key"))


def _reindex(conn: sqlite3.Connection) -> None:
    """Build every index again; first drop rows a damaged unique index let in twice.

    A lookup through a damaged primary-key index misses, the file is read
    again and its row stored again beside the old one: the table then holds
    two rows for one key, and the index cannot be built until one goes. The
    newer stays. ``NOT INDEXED``: the damaged index must not be asked which
    rows are twins.
    """
    try:
        conn.execute("REINDEX")
        return
    except sqlite3.IntegrityError:
        pass
    for table, key in _KEYED:
        conn.execute(
            f"DELETE FROM {table} WHERE rowid NOT IN"
            f" (SELECT max(rowid) FROM {table} NOT INDEXED GROUP BY {key})"
        )
    conn.execute("REINDEX")


def first_problem(conn: sqlite3.Connection) -> str | None:
    """SQLite's first complaint about the file, or None when it checks out."""
    try:
        rows = conn.execute("PRAGMA integrity_check(1)").fetchall()
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:
        raise Damaged(why(exc)) from None
    words = str(rows[0][0]) if rows else "ok"
    return None if words == "ok" else f"SQLite's check found: {words}"
