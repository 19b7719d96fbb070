"""The reader pool as Windows runs it: processes from "spawn", no fork server.

Windows has no fork server; every reader process starts a fresh Python and
imports annexa. Linux uses a fork server, so without this file the suite
would never run the path Windows users take. Here the pool's start method
is forced to "spawn" and the pool's main tests run again, with an end-to-end
scan of the demo authority in a process whose pool spawns its readers.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

import annexa.reading.pool as pool_module
from tests import test_extract_pool as base

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def spawn_only(monkeypatch: pytest.MonkeyPatch) -> None:
    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(pool_module, "_context", lambda: spawn)


make_pool = base.make_pool

# The pool's behaviour, again, with readers that are spawned.
test_workers_are_reused_from_file_to_file = base.test_workers_are_reused_from_file_to_file
test_files_are_shared_between_workers = base.test_files_are_shared_between_workers
test_a_hanging_read_is_killed_and_the_rest_are_read = (
    base.test_a_hanging_read_is_killed_and_the_rest_are_read
)
test_a_worker_that_exits_is_replaced = base.test_a_worker_that_exits_is_replaced
test_a_read_function_that_raises_is_a_reason_not_a_crash = (
    base.test_a_read_function_that_raises_is_a_reason_not_a_crash
)
test_the_pool_reads_real_files_as_in_process_reading_does = (
    base.test_the_pool_reads_real_files_as_in_process_reading_does
)
test_close_from_another_thread_stops_a_running_extract = (
    base.test_close_from_another_thread_stops_a_running_extract
)


def test_the_readers_really_are_spawned(make_pool, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pool = make_pool(workers=1)
    pool.prestart()  # no fork server to start: does nothing, raises nothing
    pool.extract(tmp_path, base.entries("a.pdf"))
    (worker,) = pool._workers
    assert worker.process._start_method == "spawn"  # type: ignore[attr-defined]


SPAWNED_SCAN = """
import multiprocessing, sys
import annexa.reading.pool as pool
pool._context = lambda: multiprocessing.get_context("spawn")
from annexa.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_whole_scan_with_spawned_readers_matches_the_usual_one(tmp_path: Path) -> None:
    demo = PROJECT / "fixtures" / "demo-authority"
    as_of = (PROJECT / "fixtures" / "demo-authority.as-of").read_text("utf-8").strip()
    reports = []
    for name, prelude in (("spawn", SPAWNED_SCAN), ("usual", None)):
        out = tmp_path / f"{name}.json"
        args = ["scan", str(demo), "--as-of", as_of, "--no-cache", "--format", f"json:{out}"]
        command = (
            [sys.executable, "-c", prelude, *args]
            if prelude
            else [sys.executable, "-m", "annexa", *args]
        )
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=PROJECT)
        assert done.returncode == 1, done.stderr
        assert done.stderr == ""
        reports.append(json.loads(out.read_text("utf-8")))
    spawned, usual = reports
    assert spawned == usual
    assert {item["status"] for item in spawned["items"]} >= {"ok", "out_of_date", "unreadable"}
