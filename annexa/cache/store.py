"""The facts cache: read each document once, not once per scan.

Reading documents is the whole cost of a scan, and ``annexa watch`` re-checks
the same share all day, so the Facts read from each file are kept in a SQLite
file in the user's cache folder (``platformdirs.user_cache_dir("annexa")``,
``--cache-dir`` or ``ANNEXA_CACHE_DIR``). The rules, and why:

- **Key.** A row is found by the file's absolute path, size, mtime_ns and
  ``EXTRACTOR_VERSION``: a file saved again, or a new annexa that reads
  documents differently, is read again. Rows of other extractor versions are
  kept apart (two annexa versions sharing a cache do not evict each other)
  and pruned when unused for ``PRUNE_AFTER_DAYS``.
- **Renamed and copied files** are recognised by their bytes: each file read
  is hashed (BLAKE2b-256, streamed) when its facts are stored, and a file
  whose path is not in the cache is hashed only when some row has exactly its
  size. A cold scan therefore hashes each file once, just after it was read
  (from the OS's cache); a warm scan hashes nothing. The digest has to be
  taken while the old name still exists: once a file has been renamed there
  is nothing left to compare the new name with.
- **Failures are cached** ("encrypted PDF: password required" stays true
  until the file changes), except those that say more about the moment than
  about the file (timed out, out of memory, crashed, vanished, permission
  denied: ``FailureKind.transient``), which are tried again.
- **Several processes** (a watch and a scan, two CI jobs) share one file
  safely: WAL journal, a busy timeout, short transactions and
  ``INSERT OR REPLACE``, so the worst a race can do is read a file twice.
- **Never fatal.** A cache that cannot be used (read-only folder, locked,
  on a file system without shared memory) is bypassed with one warning and
  the scan reads every document. A damaged file is moved aside to
  ``<name>.damaged`` and rebuilt, under an exclusive lock so that a process
  still using a healthy file is never pulled out from under. A SQLite file
  that is not annexa's (its ``application_id`` differs) is left untouched.
- **Never inside ROOT.** annexa writes nothing under the folder it checks, so
  a cache folder inside ROOT is bypassed with a warning; nothing is created
  before that check (the file is opened on first use, not by ``open_cache``).
- **Private.** It holds documents' first pages: folder 0700, files 0600
  (``annexa.cache.private``).
- **Checked.** Once a week the whole file is checked and a damaged index
  rebuilt (``annexa.cache.health``).

Facts and dates are stored as zlib-compressed JSON of the model's codec
(``annexa.model.codec``), never pickled: a cache file is data, and loading it must not run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from annexa.cache.dates import dates_from_blob, dates_to_blob, dating_fingerprint
from annexa.cache.digest import HASH_LIMIT, file_digest
from annexa.cache.health import check_now_and_then
from annexa.cache.lock import FileLock
from annexa.cache.place import FILE_NAME, cache_folder
from annexa.cache.private import make_private_file, make_private_folder, narrow_if_present
from annexa.cache.sqlite import CacheUnusable, Damaged, is_damage, prepared, why, write
from annexa.finding.walk import is_inside
from annexa.model import DocumentDates, Facts, FileEntry
from annexa.model.codec import CodecError, decode, encode
from annexa.model.files import EXTRACTOR_VERSION
from annexa.spec.rules import DatingOptions

PRUNE_AFTER_DAYS = 90
STORED_LIMIT = 100_000  # files whose dates' key this process remembers (see _remember)
_LOOKUP_CHUNK = 500  # SQLite allows 999 parameters in older builds

Warn = Callable[[str], None]


@dataclass
class CacheStats:
    """What the cache did in this process; the benchmark and tests read it."""

    hits: int = 0  # found by path, size and time
    copies: int = 0  # found by content: a renamed or copied file
    misses: int = 0
    hashed: int = 0  # files hashed here (after reading, or to look for a copy)
    digests_given: int = 0  # files a reader process hashed (annexa.reading.worker_job)
    stored: int = 0
    skipped: int = 0  # transient failures not stored
    dates_hits: int = 0  # files whose dates were not read again
    dates_stored: int = 0


def open_cache(
    directory: str | os.PathLike[str] | None,
    *,
    warn: Warn | None = None,
    version: int = EXTRACTOR_VERSION,
    clock: Callable[[], float] = time.time,
) -> FactsCacheDB:
    """The facts cache in ``directory`` (the user's cache folder when None).

    Nothing is opened or created here: the file is opened on first use, once
    the scanned ROOT is known, so a cache folder inside ROOT is never made.
    """
    return FactsCacheDB(cache_folder(directory), warn=warn, version=version, clock=clock)


class FactsCacheDB:
    """The SQLite facts cache. Every method is safe to call: none raises.

    Thread-safe (one lock around the connection), because ``annexa watch``
    reads in a background thread and closes from the UI thread.
    """

    def __init__(
        self,
        directory: Path,
        *,
        warn: Warn | None = None,
        version: int = EXTRACTOR_VERSION,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self.version = version
        self.stats = CacheStats()
        self._warn = warn
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._flock: FileLock | None = None
        self._disabled: str | None = None  # why, once the cache is bypassed
        # absolute path -> (size, mtime_ns, digest of the stored facts): what dates are keyed on
        self._stored: dict[str, tuple[int, int, bytes]] = {}
        self._warned = False

    # -- the FactsCache protocol -------------------------------------------

    def get_many(self, root: Path, entries: Sequence[FileEntry]) -> dict[str, Facts]:
        """Cached facts for the entries that have them, keyed by ``entry.path``."""
        if not entries:
            return {}
        with self._lock:
            conn = self._connect(root)
            if conn is None:
                return {}
            try:
                return self._lookup(conn, _Paths(root), entries)
            except sqlite3.Error as exc:
                self._trouble(exc)
                return {}

    def holds_root(self, root: Path) -> bool:
        """Whether any facts under ROOT are cached: a scan that finds none will read,
        so it may start its readers early (``Scanner.full_scan``)."""
        with self._lock:
            conn = self._connect(root)
            if conn is None:
                return False
            prefix = _Paths(root).full("")
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            try:
                row = conn.execute(
                    "SELECT 1 FROM facts WHERE path >= ? AND path < ? LIMIT 1", (prefix, upper)
                ).fetchone()
            except sqlite3.Error as exc:
                self._trouble(exc)
                return False
            return row is not None

    def put_many(
        self, root: Path, facts: Iterable[Facts], digests: Mapping[str, bytes] | None = None
    ) -> None:
        """Keep these facts; transient failures are left out so they are tried again.

        ``digests`` (by relative path) are content digests a reader process
        already took (annexa.reading.worker_job); other files are hashed here.
        """
        with self._lock:
            keep: list[Facts] = []
            for found in facts:
                if found.error_kind is not None and found.error_kind.transient:
                    self.stats.skipped += 1
                else:
                    keep.append(found)
            if not keep:
                return
            conn = self._connect(root)
            if conn is None:
                return
            paths = _Paths(root)
            today = self._today()
            rows = []
            for found in keep:
                full = paths.full(found.path)
                digest = (digests or {}).get(found.path)
                if digest is not None:
                    self.stats.digests_given += 1
                else:
                    digest = file_digest(full, found.size, found.mtime_ns)
                    if digest is not None:
                        self.stats.hashed += 1
                blob = _pack(found)
                self._remember(full, found.size, found.mtime_ns, blob)
                rows.append(
                    (_db_path(full), self.version, found.size, found.mtime_ns, digest, blob, today)
                )
            try:
                with write(conn):
                    conn.executemany(INSERT_FACTS, rows)
                self.stats.stored += len(rows)
            except sqlite3.Error as exc:
                self._trouble(exc)

    def get_dates(
        self, root: Path, wanted: Sequence[tuple[FileEntry, DatingOptions]]
    ) -> dict[tuple[str, DatingOptions], DocumentDates]:
        """Dates read earlier from the same facts, file name, time and options.

        Only for files whose facts this cache served or stored in this run:
        the key includes a digest of those facts, so dates can never outlive
        what they were read from. The dating code's own fingerprint is in the
        key too: a new annexa that dates differently dates again.
        """
        with self._lock:
            if not wanted:
                return {}
            conn = self._connect(root)
            if conn is None:
                return {}
            paths = _Paths(root)
            keys: dict[bytes, tuple[str, DatingOptions]] = {}
            for entry, options in wanted:
                key = self._dates_key(paths, entry, options)
                if key is not None:
                    keys[key] = (entry.path, options)
            found: dict[tuple[str, DatingOptions], DocumentDates] = {}
            stale: list[bytes] = []
            today = self._today()
            try:
                listed = list(keys)
                for start in range(0, len(listed), _LOOKUP_CHUNK):
                    chunk = listed[start : start + _LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    for key, data, used in conn.execute(
                        f"SELECT key, data, used FROM dates WHERE key IN ({marks})", chunk
                    ):
                        dates = dates_from_blob(data)
                        if dates is not None:
                            found[keys[key]] = dates
                            if used != today:
                                stale.append(key)
                if stale:
                    with write(conn):
                        conn.executemany(
                            "UPDATE dates SET used = ? WHERE key = ?", [(today, k) for k in stale]
                        )
            except sqlite3.Error as exc:
                self._trouble(exc)
                return {}
            self.stats.dates_hits += len(found)
            return found

    def put_dates(
        self, root: Path, found: Sequence[tuple[FileEntry, DatingOptions, DocumentDates]]
    ) -> None:
        """Keep dates read now, for files whose facts this cache holds."""
        with self._lock:
            if not found:
                return
            conn = self._connect(root)
            if conn is None:
                return
            paths = _Paths(root)
            today = self._today()
            rows = []
            for entry, options, dates in found:
                key = self._dates_key(paths, entry, options)
                if key is not None:
                    rows.append((key, dates_to_blob(dates), today))
            if not rows:
                return
            try:
                with write(conn):
                    conn.executemany(
                        "INSERT OR REPLACE INTO dates (key, data, used) VALUES (?, ?, ?)", rows
                    )
                self.stats.dates_stored += len(rows)
            except sqlite3.Error as exc:
                self._trouble(exc)

    def _remember(self, full: str, size: int, mtime_ns: int, blob: bytes) -> None:
        """Note which facts this file's dates are keyed on: its newest version, for the
        STORED_LIMIT files seen last. A watch open all day on a folder whose names
        keep changing would otherwise keep one entry for every name it ever saw;
        a file forgotten here only has its dates read again, not its document."""
        self._stored.pop(full, None)  # to the end: the most recent
        self._stored[full] = (size, mtime_ns, _blob_key(blob))
        if len(self._stored) > STORED_LIMIT:
            del self._stored[next(iter(self._stored))]

    def _dates_key(self, paths: _Paths, entry: FileEntry, options: DatingOptions) -> bytes | None:
        stored = self._stored.get(paths.full(entry.path))
        if stored is None or stored[:2] != (entry.size, entry.mtime_ns):
            return None
        hasher = hashlib.blake2b(digest_size=20)
        hasher.update(stored[2])
        hasher.update(dating_fingerprint())
        hasher.update(
            repr((self.version, entry.path, entry.mtime_ns, options)).encode(
                "utf-8", "surrogatepass"
            )
        )
        return hasher.digest()

    def close(self) -> None:
        """Close the file; a later call opens it again. Safe to call twice."""
        with self._lock:
            self._close_connection()

    # -- reading -------------------------------------------------------------

    def _lookup(
        self, conn: sqlite3.Connection, paths: _Paths, entries: Sequence[FileEntry]
    ) -> dict[str, Facts]:
        found: dict[str, Facts] = {}
        stale_use: list[str | bytes] = []
        misses: list[FileEntry] = []
        today = self._today()
        by_full = {paths.full(e.path): e for e in entries}
        keys = {full: _db_path(full) for full in by_full}
        fulls = list(keys.values())
        rows: dict[str | bytes, tuple[int, int, bytes, int]] = {}
        conn.execute("BEGIN")
        try:
            for start in range(0, len(fulls), _LOOKUP_CHUNK):
                chunk = fulls[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                for path, size, mtime_ns, data, used in conn.execute(
                    f"SELECT path, size, mtime_ns, data, used FROM facts"
                    f" WHERE version = ? AND path IN ({marks})",
                    (self.version, *chunk),
                ):
                    rows[path] = (size, mtime_ns, data, used)
        finally:
            conn.execute("COMMIT")
        for full, entry in by_full.items():
            row = rows.get(keys[full])
            facts = None
            if row is not None and (row[0], row[1]) == (entry.size, entry.mtime_ns):
                facts = _unpack(row[2], entry)
            if facts is None:
                misses.append(entry)
                continue
            found[entry.path] = facts
            self.stats.hits += 1
            self._remember(full, entry.size, entry.mtime_ns, row[2])  # type: ignore[index]
            if row is not None and row[3] != today:
                stale_use.append(keys[full])
        copies = self._find_copies(conn, paths, misses, today) if misses else {}
        found.update(copies)
        self.stats.misses += len(misses) - len(copies)
        if stale_use:  # at most once a day per row, so a warm scan rarely writes
            with write(conn):
                conn.executemany(
                    "UPDATE facts SET used = ? WHERE path = ? AND version = ?",
                    [(today, p, self.version) for p in stale_use],
                )
        return found

    def _find_copies(
        self, conn: sqlite3.Connection, paths: _Paths, misses: list[FileEntry], today: int
    ) -> dict[str, Facts]:
        """Facts for files whose bytes are already cached under another name.

        Only files whose size equals a cached row's size are hashed, so a
        folder of new documents costs no hashing here.
        """
        sizes = sorted({e.size for e in misses if 0 < e.size <= HASH_LIMIT})
        known: set[int] = set()
        for start in range(0, len(sizes), _LOOKUP_CHUNK):
            chunk = sizes[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            known.update(
                size
                for (size,) in conn.execute(
                    f"SELECT DISTINCT size FROM facts WHERE version = ?"
                    f" AND digest IS NOT NULL AND size IN ({marks})",
                    (self.version, *chunk),
                )
            )
        found: dict[str, Facts] = {}
        new_rows = []
        for entry in misses:
            if entry.size not in known:
                continue
            full = paths.full(entry.path)
            digest = file_digest(full, entry.size, entry.mtime_ns)
            if digest is None:
                continue
            self.stats.hashed += 1
            row = conn.execute(
                "SELECT data FROM facts WHERE version = ? AND size = ? AND digest = ? LIMIT 1",
                (self.version, entry.size, digest),
            ).fetchone()
            facts = _unpack(row[0], entry) if row is not None else None
            if facts is None:
                continue
            found[entry.path] = facts
            self.stats.copies += 1
            self._remember(full, entry.size, entry.mtime_ns, row[0])
            new_rows.append(
                (_db_path(full), self.version, entry.size, entry.mtime_ns, digest, row[0], today)
            )
        if new_rows:  # next time the new name is found by its path alone
            with write(conn):
                conn.executemany(INSERT_FACTS, new_rows)
        return found

    # -- opening, checking, rebuilding -----------------------------------------

    def _connect(self, root: Path) -> sqlite3.Connection | None:
        if self._disabled is not None:
            return None
        if self._conn is not None:
            return self._conn
        try:
            _refuse_inside(self.path, root)
            self._conn = self._open()
        except CacheUnusable as exc:
            self._bypass(str(exc))
        except (OSError, sqlite3.Error) as exc:
            self._bypass(why(exc))
        return self._conn

    def _open(self) -> sqlite3.Connection:
        """Open, check and if need be create or rebuild the cache file, the user's alone."""
        try:
            make_private_folder(self.directory)
        except OSError as exc:
            raise CacheUnusable(f"its folder cannot be created: {why(exc)}") from None
        self._flock = FileLock.shared(self.path.with_name(self.path.name + ".lock"))
        try:
            self._make_private()
            try:
                conn = self._checked(prepared(self.path))
            except Damaged as damage:
                conn = self._rebuild(str(damage))
            self._prune(conn)
            return conn
        except BaseException:
            self._flock.release()
            self._flock = None
            raise

    def _make_private(self) -> None:
        """Make the file, 0600, before SQLite does (it would make it 0644); narrow an old one's."""
        try:
            make_private_file(self.path)
            for suffix in ("-wal", "-shm"):
                narrow_if_present(Path(str(self.path) + suffix))
        except OSError as exc:
            raise CacheUnusable(f"it cannot be opened: {why(exc)}") from None

    def _checked(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """Now and then, check the whole file and mend a damaged index (annexa.cache.health)."""
        try:
            mended = check_now_and_then(conn, self._today())
        except BaseException:
            conn.close()
            raise
        if mended:
            self._say(f"the cache at {self.path} had a damaged index; it was rebuilt")
        return conn

    def _rebuild(self, reason: str) -> sqlite3.Connection:
        """Move a damaged cache aside and start an empty one, if no one else uses it."""
        assert self._flock is not None
        if not self._flock.exclusive():
            raise CacheUnusable(f"it is damaged ({reason}) and another annexa is using it")
        try:
            with contextlib.suppress(Damaged):  # another process may have rebuilt it already
                return self._checked(prepared(self.path))
            aside = self.path.with_name(self.path.name + ".damaged")
            try:
                os.replace(self.path, aside)
                for suffix in ("-wal", "-shm", "-journal"):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(str(self.path) + suffix)
            except OSError as exc:
                raise CacheUnusable(
                    f"it is damaged ({reason}) and cannot be moved aside: {why(exc)}"
                ) from None
            self._make_private()
            try:
                conn = prepared(self.path)
            except Damaged as again:
                raise CacheUnusable(f"it cannot be rebuilt ({again})") from None
            self._say(
                f"the cache at {self.path} was damaged ({reason}); "
                f"it was moved to {aside.name} and a new one started"
            )
            return conn
        finally:
            self._flock.shared_again()

    def _prune(self, conn: sqlite3.Connection) -> None:
        """Forget rows unused for PRUNE_AFTER_DAYS, at most once a day."""
        today = self._today()
        row = conn.execute("SELECT value FROM meta WHERE key = 'pruned'").fetchone()
        if row is not None and row[0] == str(today):
            return
        with write(conn):
            conn.execute("DELETE FROM facts WHERE used < ?", (today - PRUNE_AFTER_DAYS,))
            conn.execute("DELETE FROM dates WHERE used < ?", (today - PRUNE_AFTER_DAYS,))
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('pruned', ?)", (str(today),)
            )

    # -- trouble -------------------------------------------------------------

    def _trouble(self, exc: sqlite3.Error) -> None:
        """An error while in use: a damaged file is rebuilt for next time, anything else bypassed."""
        reason = why(exc)
        if is_damage(exc):
            self._close_connection(keep_lock=True)
            try:
                self._conn = self._rebuild(reason)
                return
            except (CacheUnusable, OSError, sqlite3.Error) as again:
                reason = str(again) if isinstance(again, CacheUnusable) else why(again)
        self._bypass(reason)

    def _bypass(self, reason: str) -> None:
        self._close_connection()
        self._disabled = reason
        self._say(f"the cache at {self.path} could not be used ({reason}); reading every document")

    def _say(self, message: str) -> None:
        if self._warn is not None and not self._warned:
            self._warned = True
            self._warn(message)

    def _close_connection(self, *, keep_lock: bool = False) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        if self._flock is not None and not keep_lock:
            self._flock.release()
            self._flock = None

    def _today(self) -> int:
        return int(self._clock() // 86400)


# ---------------------------------------------------------------------------
# Paths, rows and digests
# ---------------------------------------------------------------------------


class _Paths:
    """ROOT-relative paths to the absolute keys of the cache.

    The key is absolute so that two ROOTs over the same files (a share and
    one of its folders) share rows; the stored Facts carry no path, so a hit
    gets the relative path of the scan that asked.
    """

    def __init__(self, root: Path) -> None:
        real = os.path.realpath(root)
        self._prefix = real if real.endswith(os.sep) else real + os.sep
        self._slash = os.sep != "/"

    def full(self, rel: str) -> str:
        return self._prefix + (rel.replace("/", os.sep) if self._slash else rel)


def _db_path(full: str) -> str | bytes:
    """A path as the cache stores it: text, or its bytes when the name is not UTF-8.

    Python keeps the bytes of such a name (a Latin-1 name on an old share)
    as lone surrogates, which SQLite's text cannot hold; stored as a BLOB,
    it can never equal another file's text key.
    """
    try:
        full.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(full)
    return full


def _refuse_inside(cache_file: Path, root: Path) -> None:
    if is_inside(cache_file, root):
        raise CacheUnusable(
            "it is inside the folder being checked, where annexa never writes; "
            "choose another with --cache-dir"
        )


_IDENTITY = tuple(Facts.__dataclass_fields__).index("mtime_ns") + 1
"""The first fields of an encoded Facts (path, size, mtime_ns) are the file's
identity, which the row's key holds: they are stored empty and filled in from
the entry that asked, so a renamed file's facts come back under its new name."""


def _pack(facts: Facts) -> bytes:
    data = encode(facts)
    data[:_IDENTITY] = [None] * _IDENTITY
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)


def _unpack(blob: bytes, entry: FileEntry) -> Facts | None:
    """The stored facts under this entry's name, or None if the row cannot be decoded."""
    try:
        data = json.loads(zlib.decompress(blob))
        data[:_IDENTITY] = [entry.path, entry.size, entry.mtime_ns]
        return decode(Facts, data)
    except (CodecError, ValueError, TypeError, zlib.error):
        return None


def _blob_key(blob: bytes) -> bytes:
    return hashlib.blake2b(blob, digest_size=16).digest()


INSERT_FACTS = (
    "INSERT OR REPLACE INTO facts (path, version, size, mtime_ns, digest, data, used)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


__all__ = [
    "FILE_NAME",
    "CacheStats",
    "CacheUnusable",
    "FactsCacheDB",
    "open_cache",
]
