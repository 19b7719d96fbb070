"""The cache is the user's alone, is made safely by many annexas at once, and mends itself."""

from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from annexa.cache import health
from annexa.cache import sqlite as cache_sqlite
from annexa.cache.place import FILE_NAME
from annexa.cache.store import open_cache
from annexa.model import FileEntry
from annexa.pipeline import scan
from annexa.spec import load_spec
from tests.test_cache import AS_OF, DOCUMENTS, CountingExtractor, make_share

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


@pytest.fixture
def share(tmp_path: Path) -> Path:
    return make_share(tmp_path)


def run(share: Path, cache_dir: Path, *, days_later: int = 0) -> tuple[list[str], list[str]]:
    """One scan through the cache: (the files read, the warnings)."""
    warnings: list[str] = []
    extractor = CountingExtractor()
    cache = open_cache(
        cache_dir, warn=warnings.append, clock=lambda: time.time() + days_later * 86400
    )
    scan(share, load_spec(share.parent / "spec.toml"), AS_OF, extractor=extractor, cache=cache)
    return sorted(extractor.read), warnings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- private ---------------------------------------------------------------------------


@posix_only
def test_the_cache_folder_and_every_file_in_it_are_the_users_alone(share: Path, tmp_path: Path):
    cache_dir = tmp_path / "home" / ".cache" / "annexa"
    old_umask = os.umask(0)  # the most open a user's settings can be
    try:
        cache = open_cache(cache_dir)
        entry = FileEntry("Structure chart.docx", 10, 20)
        cache.put_many(share, [_facts(entry)])
        names = {p.name for p in cache_dir.iterdir()}
        # while in use: the database, SQLite's journal and shared memory, annexa's lock
        assert names == {FILE_NAME + s for s in ("", "-wal", "-shm", ".lock")}
        assert {p.name: mode(p) for p in cache_dir.iterdir()} == dict.fromkeys(names, 0o600)
        cache.close()
    finally:
        os.umask(old_umask)
    assert mode(cache_dir) == 0o700


@posix_only
def test_a_cache_left_readable_by_an_older_annexa_is_made_private(share: Path, tmp_path: Path):
    cache_dir = tmp_path / "cache"
    run(share, cache_dir)
    for path in cache_dir.iterdir():
        os.chmod(path, 0o644)
    read, warnings = run(share, cache_dir)
    assert read == [] and warnings == []  # nothing lost
    assert {p.name: mode(p) for p in cache_dir.iterdir()} == {
        p.name: 0o600 for p in cache_dir.iterdir()
    }


def _facts(entry: FileEntry):  # type: ignore[no-untyped-def]
    from annexa.model import Facts

    return Facts(entry.path, entry.size, entry.mtime_ns, kind="docx")


# -- made by several at once -------------------------------------------------------------


def test_a_cache_another_annexa_makes_while_this_one_looks_is_used_not_refused(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another annexa stamps and fills the new file between two of this one's looks at it.

    Looked at piecemeal, the file then seemed to hold tables without annexa's
    stamp: "belongs to another program", and the run went without a
    cache. Looked at in one snapshot, it is empty, then made.
    """
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    path = cache_dir / FILE_NAME
    new = sqlite3.connect(path)  # the other annexa has switched the new file to WAL ...
    new.execute("PRAGMA journal_mode = WAL")
    new.close()
    real_connection = cache_sqlite.connection
    other: list[threading.Thread] = []

    class Interrupted(sqlite3.Connection):
        def execute(self, sql: str, *args):  # type: ignore[no-untyped-def, override]
            cursor = super().execute(sql, *args)
            if sql == "PRAGMA application_id" and not other:
                # ... and makes the tables and stamps the file, right now
                maker = threading.Thread(target=lambda: cache_sqlite.prepare(real_connection(path)))
                other.append(maker)
                maker.start()
                maker.join(timeout=30)
                assert not maker.is_alive()
            return cursor

    def connection(where: Path) -> sqlite3.Connection:
        return sqlite3.connect(
            str(where),
            timeout=cache_sqlite.BUSY_SECONDS,
            isolation_level=None,
            check_same_thread=False,
            factory=Interrupted,
        )

    monkeypatch.setattr(cache_sqlite, "connection", connection)
    read, warnings = run(share, cache_dir)
    assert other, "the other annexa made the file"
    assert warnings == []
    assert read == DOCUMENTS
    monkeypatch.undo()
    assert run(share, cache_dir) == ([], [])  # and this one's facts are in it


def _first_open(cache_dir: str, root: str, start: threading.Barrier, answers) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    cache = open_cache(cache_dir, warn=warnings.append)
    start.wait()
    cache.holds_root(Path(root))
    cache.close()
    answers.put(warnings)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="starts the four together with fork")
def test_four_annexas_making_a_new_cache_at_once_never_warn_in_80_rounds(tmp_path: Path):
    context = multiprocessing.get_context("fork")
    root = tmp_path / "share"
    root.mkdir()
    for number in range(80):
        cache_dir = tmp_path / f"cache {number}"
        start = context.Barrier(4)
        answers = context.Queue()
        opens = [
            context.Process(target=_first_open, args=(str(cache_dir), str(root), start, answers))
            for _ in range(4)
        ]
        for process in opens:
            process.start()
        warnings = [answers.get(timeout=60) for _ in opens]
        for process in opens:
            process.join(timeout=60)
        assert warnings == [[]] * 4, f"round {number}: {warnings}"
        assert [p.exitcode for p in opens] == [0] * 4


# -- checked now and then ---------------------------------------------------------------------


def _flip_index_bits(path: Path, index: str) -> None:
    """Flip bits in an index of the cache file, as a failing disk or memory does, until
    SQLite's full check notices; the quick check never does (it skips indexes' contents)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root_page,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)
    ).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    healthy = path.read_bytes()
    start = (root_page - 1) * page_size
    for seed in range(200):
        data = bytearray(healthy)
        rng = random.Random(seed)
        for _ in range(3):
            data[start + rng.randrange(page_size // 2, page_size)] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        conn = sqlite3.connect(path)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchone()[0]
            full = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError:
            continue
        finally:
            conn.close()
        if quick == "ok" and full != "ok":
            return
    raise AssertionError("no bit flip in the index was found that SQLite notices")


def _meta(cache_dir: Path, key: str) -> str | None:
    conn = sqlite3.connect(cache_dir / FILE_NAME)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return None if row is None else row[0]


def _check(cache_dir: Path) -> str:
    conn = sqlite3.connect(cache_dir / FILE_NAME)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("index", ["facts_by_size", "sqlite_autoindex_facts_1"])
def test_a_damaged_index_is_found_within_a_week_and_rebuilt(
    share: Path, tmp_path: Path, index: str
) -> None:
    cache_dir = tmp_path / "cache"
    assert run(share, cache_dir) == (DOCUMENTS, [])
    checked = _meta(cache_dir, "checked")
    assert checked is not None  # a new cache is checked at once (it is empty: it costs nothing)
    _flip_index_bits(cache_dir / FILE_NAME, index)
    days = health.CHECK_EVERY_DAYS
    assert run(share, cache_dir, days_later=days - 1)[1] == []  # not looked at again so soon
    read, warnings = run(share, cache_dir, days_later=days)
    assert len(warnings) == 1 and "had a damaged index; it was rebuilt" in warnings[0]
    assert _check(cache_dir) == "ok"
    assert int(_meta(cache_dir, "checked") or 0) == int(checked) + days
    assert read == []  # mended before the lookups: every document found again
    assert run(share, cache_dir, days_later=days) == ([], [])  # whole and fast again


def test_a_cache_whose_table_is_damaged_is_found_and_started_afresh(
    share: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    run(share, cache_dir)
    path = cache_dir / FILE_NAME
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root_page,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'dates'"
    ).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root_page - 1) * page_size
    data[start : start + 8] = b"\xff" * 8  # the page's header: no longer a b-tree page
    path.write_bytes(bytes(data))
    read, warnings = run(share, cache_dir, days_later=health.CHECK_EVERY_DAYS)
    assert read == DOCUMENTS
    assert len(warnings) == 1 and "was damaged" in warnings[0] and "moved to" in warnings[0]
    assert _check(cache_dir) == "ok"
    assert run(share, cache_dir, days_later=health.CHECK_EVERY_DAYS) == ([], [])


# -- bounded ------------------------------------------------------------------------------------


def test_a_long_watch_remembers_the_dates_keys_of_the_newest_files_only(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder whose names keep changing (saved as "v2", "v3" ...) must not grow the
    process for ever: past the limit, the oldest names' dates are simply read again."""
    from annexa.cache import store
    from annexa.model import DocumentDates, Facts
    from annexa.spec.rules import DatingOptions

    monkeypatch.setattr(store, "STORED_LIMIT", 3)
    cache = open_cache(tmp_path / "cache")
    entries = [FileEntry(f"plan v{n}.docx", 100 + n, 1_000 + n) for n in range(10)]
    cache.put_many(share, [Facts(e.path, e.size, e.mtime_ns, kind="docx") for e in entries])
    options = DatingOptions()
    cache.put_dates(share, [(e, options, DocumentDates()) for e in entries])
    found = cache.get_dates(share, [(e, options) for e in entries])
    cache.close()
    assert sorted(path for path, _ in found) == ["plan v7.docx", "plan v8.docx", "plan v9.docx"]
