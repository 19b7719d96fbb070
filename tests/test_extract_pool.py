"""The worker pool: a file that hangs, crashes or eats memory costs one file, not the scan."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

import annexa.reading.pool as pool_module
from annexa.model import Facts, FileEntry, TextBlock
from annexa.model.failures import FailureKind
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.read import read_facts

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="an address-space limit is enforced on Linux only"
)


# -- read functions run inside the workers (module level, so they pickle) -----------


def pid_read(root: Path, entry: FileEntry) -> Facts:
    """Answers with the worker's pid, or misbehaves as the file name asks."""
    name = entry.name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("alloc"):
        bytearray(2 * 1024 * 1024 * 1024)  # far beyond the test's memory limit
    if name.startswith("raise"):
        raise ValueError("bug in a reader")
    if name.startswith("kill"):  # killed from outside: once, or every time it is read
        record = Path(root) / f"{name}.attempts"
        before = record.read_text() if record.exists() else ""
        record.write_text(f"{before}{os.getpid()}\n")
        if name.startswith("killalways") or not before:
            os.kill(os.getpid(), signal.SIGKILL)
    return Facts(
        path=entry.path,
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        kind="pdf",
        blocks=(TextBlock("body", 1, str(os.getpid())),),
    )


def slow_read(root: Path, entry: FileEntry) -> Facts:
    """Takes 1.5 s a file: two of them sent together outlast one timeout of 2.5 s."""
    time.sleep(1.5)
    return pid_read(root, entry)


def worker_pid(facts: Facts) -> int:
    return int(facts.blocks[0].text)


def entries(*names: str) -> list[FileEntry]:
    return [FileEntry(name, 1, 1) for name in names]


@pytest.fixture
def make_pool():
    pools: list[WorkerPoolExtractor] = []

    def make(**kwargs) -> WorkerPoolExtractor:
        kwargs.setdefault("read", pid_read)
        pool = WorkerPoolExtractor(**kwargs)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


# -- starting and reusing workers ------------------------------------------------


def test_no_worker_starts_before_a_file_needs_reading(make_pool, tmp_path):
    pool = make_pool(workers=2)
    assert pool.pids == ()
    results = pool.extract(tmp_path, entries("Report.doc", "notes.txt"))
    assert {f.kind for f in results.values()} == {"other"}
    assert pool.pids == ()
    pool.extract(tmp_path, entries("a.pdf"))
    assert len(pool.pids) == 1


def test_prestart_readies_the_fork_server_but_starts_no_reader(make_pool, tmp_path):
    pool = make_pool(workers=1)
    pool.prestart()
    pool.prestart()  # idempotent
    assert pool.pids == ()
    assert pool.extract(tmp_path, entries("a.pdf"))["a.pdf"].error is None
    assert len(pool.pids) == 1


def test_workers_are_reused_from_file_to_file(make_pool, tmp_path):
    pool = make_pool(workers=1)
    first = pool.extract(tmp_path, entries("a.pdf", "b.pdf", "c.pdf"))
    second = pool.extract(tmp_path, entries("d.pdf"))
    pids = {worker_pid(f) for f in [*first.values(), *second.values()]}
    assert len(pids) == 1
    assert pids == set(pool.pids)
    assert os.getpid() not in pids


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities here")
def test_readers_run_below_the_process_they_read_for(make_pool, tmp_path):
    # The watch screen (or the scan storing facts) must get a core at once.
    pool = make_pool(workers=1)
    pool.extract(tmp_path, entries("a.pdf"))
    (reader,) = pool.pids
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, reader) > mine


def test_one_worker_per_core_by_default(make_pool):
    assert make_pool().size == (os.cpu_count() or 1)


def test_files_are_shared_between_workers(make_pool, tmp_path):
    pool = make_pool(workers=2)
    results = pool.extract(tmp_path, entries(*(f"{n}.pdf" for n in range(8))))
    assert len(results) == 8
    assert len({worker_pid(f) for f in results.values()}) <= 2


# -- the kill paths ----------------------------------------------------------------


def test_a_hanging_read_is_killed_and_the_rest_are_read(make_pool, tmp_path):
    pool = make_pool(workers=2, timeout=1)
    results = pool.extract(tmp_path, entries("hang.pdf", "a.pdf", "b.pdf", "c.pdf"))
    assert results["hang.pdf"].error == "timed out after 1 s"
    assert results["hang.pdf"].kind == "pdf"
    assert all(results[n].error is None for n in ("a.pdf", "b.pdf", "c.pdf"))
    again = pool.extract(tmp_path, entries("d.pdf"))
    assert again["d.pdf"].error is None


@posix_only
def test_a_worker_that_exits_is_replaced(make_pool, tmp_path):
    pool = make_pool(workers=1)
    results = pool.extract(tmp_path, entries("a.pdf", "exit.pdf", "b.pdf"))
    assert results["exit.pdf"].error == "the reader stopped unexpectedly (exit code 3)"
    assert worker_pid(results["a.pdf"]) != worker_pid(results["b.pdf"])


@posix_only
def test_a_crashing_reader_is_reported_with_its_signal(make_pool, tmp_path):
    pool = make_pool(workers=1)
    results = pool.extract(tmp_path, entries("segv.pdf", "a.pdf"))
    assert results["segv.pdf"].error == f"the reader crashed (signal {int(signal.SIGSEGV)})"
    assert results["a.pdf"].error is None


@linux_only
def test_memory_beyond_the_limit_fails_that_file_only(make_pool, tmp_path):
    pool = make_pool(workers=1, memory_mb=256)
    results = pool.extract(tmp_path, entries("alloc.pdf", "a.pdf"))
    assert results["alloc.pdf"].error == "needs more memory than the 256 MB allowed"
    assert results["a.pdf"].error is None


@posix_only
def test_a_worker_killed_while_idle_is_replaced(make_pool, tmp_path):
    pool = make_pool(workers=1)
    first = pool.extract(tmp_path, entries("a.pdf"))["a.pdf"]
    os.kill(worker_pid(first), signal.SIGKILL)
    with pytest.raises(ProcessLookupError):
        _wait_gone(worker_pid(first))
    second = pool.extract(tmp_path, entries("b.pdf"))["b.pdf"]
    assert second.error is None
    assert worker_pid(second) not in (worker_pid(first), os.getpid())


@posix_only
def test_a_file_whose_reader_is_killed_under_it_is_read_once_more_in_another(make_pool, tmp_path):
    pool = make_pool(workers=1)
    results = pool.extract(tmp_path, entries("a.pdf", "killonce.pdf", "b.pdf"))
    assert {name: f.error for name, f in results.items()} == dict.fromkeys(results)
    killed, read = map(int, (tmp_path / "killonce.pdf.attempts").read_text().split())
    assert worker_pid(results["killonce.pdf"]) == read != killed


@posix_only
def test_a_file_whose_readers_die_twice_is_unreadable_for_a_reason_of_the_moment(
    make_pool, tmp_path
):
    pool = make_pool(workers=2)
    results = pool.extract(tmp_path, entries("killalways.pdf", "a.pdf"))
    failed = results["killalways.pdf"]
    assert failed.error == f"the reader crashed (signal {int(signal.SIGKILL)})"
    assert failed.error_kind is FailureKind.READER_FAILED and failed.error_kind.transient
    assert len((tmp_path / "killalways.pdf.attempts").read_text().split()) == 2
    assert results["a.pdf"].error is None


# -- files sent ahead: a busy worker has its next file before it asks -----------------


def test_files_sent_behind_a_hanging_one_are_read_by_its_replacement(make_pool, tmp_path):
    pool = make_pool(workers=1, timeout=1)
    results = pool.extract(tmp_path, entries("hang.pdf", "a.pdf", "b.pdf", "c.pdf"))
    assert results["hang.pdf"].error == "timed out after 1 s"
    assert all(results[n].error is None for n in ("a.pdf", "b.pdf", "c.pdf"))


@posix_only
def test_files_sent_behind_a_crashing_one_are_read_by_its_replacement(make_pool, tmp_path):
    pool = make_pool(workers=1)
    results = pool.extract(tmp_path, entries("exit.pdf", "a.pdf", "b.pdf", "c.pdf"))
    assert results["exit.pdf"].error == "the reader stopped unexpectedly (exit code 3)"
    assert all(results[n].error is None for n in ("a.pdf", "b.pdf", "c.pdf"))
    assert len({worker_pid(results[n]) for n in ("a.pdf", "b.pdf", "c.pdf")}) == 1


def test_a_file_waiting_behind_a_slow_one_gets_its_own_time(make_pool, tmp_path):
    """The timeout counts from when a worker starts a file, not from when it was sent."""
    pool = make_pool(workers=1, timeout=2.5, read=slow_read)
    names = [f"slow{n}.pdf" for n in range(3)]
    results = pool.extract(tmp_path, entries(*names))
    assert all(results[n].error is None for n in names)


def test_a_read_function_that_raises_is_a_reason_not_a_crash(make_pool, tmp_path):
    pool = make_pool(workers=1)
    results = pool.extract(tmp_path, entries("raise.pdf", "a.pdf"))
    assert results["raise.pdf"].error == "could not be read: ValueError"
    assert results["a.pdf"].error is None


# -- the caller's side ---------------------------------------------------------------


def test_on_done_runs_in_the_calling_thread_for_every_file(make_pool, tmp_path):
    pool = make_pool(workers=2)
    calls: list[tuple[str, int]] = []
    outcome: dict[str, dict] = {}

    def background() -> None:
        outcome["results"] = pool.extract(
            tmp_path,
            entries("a.pdf", "b.pdf", "c.doc"),
            on_done=lambda f: calls.append((f.path, threading.get_ident())),
        )

    thread = threading.Thread(target=background)
    thread.start()
    thread.join(timeout=120)
    assert sorted(path for path, _ in calls) == ["a.pdf", "b.pdf", "c.doc"]
    assert {ident for _, ident in calls} == {thread.ident}
    assert sorted(outcome["results"]) == ["a.pdf", "b.pdf", "c.doc"]


def test_close_is_idempotent_and_the_pool_restarts_on_demand(make_pool, tmp_path):
    pool = make_pool(workers=1)
    pool.extract(tmp_path, entries("a.pdf"))
    (pid,) = pool.pids
    pool.close()
    pool.close()
    assert pool.pids == ()
    with pytest.raises(ProcessLookupError):
        _wait_gone(pid)
    assert pool.extract(tmp_path, entries("b.pdf"))["b.pdf"].error is None


def test_close_from_another_thread_stops_a_running_extract(make_pool, tmp_path):
    pool = make_pool(workers=1, timeout=600)
    started = threading.Event()
    outcome: dict[str, dict] = {}

    def background() -> None:
        outcome["results"] = pool.extract(
            tmp_path, entries("a.pdf", "hang1.pdf", "hang2.pdf"), on_done=lambda f: started.set()
        )

    thread = threading.Thread(target=background)
    thread.start()
    assert started.wait(timeout=120)
    pool.close()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert list(outcome["results"]) == ["a.pdf"]  # what was read before the close
    assert pool.pids == ()


def _wait_gone(pid: int) -> None:
    """Raise ProcessLookupError once ``pid`` no longer exists (it is not our child)."""
    for _ in range(200):
        os.kill(pid, 0)
        time.sleep(0.05)


def test_without_worker_processes_files_are_read_in_process_with_a_warning(
    make_pool, tmp_path, monkeypatch
):
    def no_processes():
        raise OSError("no /dev/shm")

    monkeypatch.setattr(pool_module, "_context", no_processes)
    pool = make_pool(workers=2)
    with pytest.warns(RuntimeWarning, match="no /dev/shm"):
        results = pool.extract(tmp_path, entries("a.pdf", "b.pdf"))
    assert {worker_pid(f) for f in results.values()} == {os.getpid()}
    assert pool.fallback_reason == "no /dev/shm"


def test_scan_says_once_in_plain_words_that_no_reader_could_start(tmp_path, monkeypatch, capsys):
    from annexa.cli import main

    def no_processes():
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(pool_module, "_context", no_processes)
    (tmp_path / "Self-evaluation 2015.pdf").write_bytes(b"%PDF-1.4 not really")
    main(["scan", str(tmp_path), "--no-cache", "--as-of", "2015-09-16", "--format", "json"])
    said = [line for line in capsys.readouterr().err.splitlines() if "reader" in line]
    assert said == [
        "annexa: warning: documents are read one at a time by annexa itself, with no time "
        "or memory limit, as its reader processes could not start (too many open files)"
    ]


def test_the_pool_reads_real_files_as_in_process_reading_does(make_pool, tmp_path):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    pdf.drawString(72, 720, "Date approved: 12 March 2015")
    pdf.save()
    (tmp_path / "plan.pdf").write_bytes(buffer.getvalue())
    (tmp_path / "list.csv").write_text("Child Unique ID\nC1\n")
    found = [
        FileEntry(name, (tmp_path / name).stat().st_size, (tmp_path / name).stat().st_mtime_ns)
        for name in ("plan.pdf", "list.csv")
    ]
    pool = make_pool(workers=2, read=read_facts)
    results = pool.extract(tmp_path, [*found, FileEntry("gone.docx", 1, 1)])
    for entry in found:
        assert results[entry.path] == read_facts(tmp_path, entry)
    assert results["gone.docx"].error == "file vanished before it could be read"


# -- read-ahead facts cross the pipe as tuples --------------------------------------------


def test_read_ahead_facts_cross_the_pipe_unchanged(tmp_path):
    import datetime as dt
    import pickle

    from annexa.model import (
        ColumnDates,
        DateCount,
        DocumentDates,
        DraftMark,
        FoundDate,
        RowGroup,
        Sheet,
        YearSpan,
    )
    from annexa.reading.worker_job import ReadAhead
    from annexa.spec.rules import DatingOptions

    found = FoundDate(
        dt.date(2015, 3, 31),
        "expiry",
        "content",
        "month",
        "Next review",
        2,
        "body",
        "Next review: March 2015",
    )
    ahead = ReadAhead(
        path="Data/List 7.xlsx",
        size=10,
        mtime_ns=20,
        kind="xlsx",
        blocks=(
            TextBlock("title", None, "List 7"),
            TextBlock("body", 1, "Date approved 12/03/2015"),
        ),
        metadata=(("core:modified", "2015-03-12T10:15:00Z"),),
        sheets=(
            Sheet(
                "List 7",
                heading_row=2,
                headings=("Child Unique ID", "Date"),
                holds=("L7",),
                holds_name="List 7",
                data_rows=3,
                checked=True,
                problems=(RowGroup("Date", "not_a_date", 2, (4, 5)),),
                window=(DateCount(dt.date(2015, 3, 1), 1, (3,)),),
                events=(ColumnDates("Date", (DateCount(dt.date(2015, 3, 1), 1, (3,)),), 0),),
            ),
        ),
        pages=3,
        content_status="Draft",
        extractor_version=7,
        lists_key="0123456789abcdef01234567",
        dates=(
            (
                DatingOptions(),
                DocumentDates(
                    issue=(found,),
                    expiry=(found,),
                    spans=(YearSpan(2014, 2015, "filename", "2014-15"),),
                    draft=DraftMark("draft", "properties", "Draft"),
                ),
            ),
            (DatingOptions(date_order="MDY"), DocumentDates()),
        ),
        digest=b"\x01" * 32,
    )
    assert pickle.loads(pickle.dumps(ahead)) == ahead
    plain = ReadAhead(
        path="a.pdf", size=1, mtime_ns=1, kind="pdf", error="encrypted PDF: password required"
    )
    assert pickle.loads(pickle.dumps(plain)) == plain
