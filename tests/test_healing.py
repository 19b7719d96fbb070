"""Failures of the moment heal: read again on the next walk or in another reader, never kept.

A share drops, a reader is killed, a file's permissions are fixed, a folder
cannot be listed for a moment: each is a failure that says more about the
moment than about the file (``FailureKind.transient``). annexa must not
remember any of them: a scan reads a file again in a fresh reader when its
reader dies, watch reads such files again on the next full walk (the r key,
the periodic walk, ROOT back), and lists a folder that failed again within
seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from functools import partial
from pathlib import Path

import pytest

from annexa.cache.store import open_cache
from annexa.finding.walk import RootLostError
from annexa.model import Facts, FileEntry
from annexa.model.failures import FailureKind
from annexa.pipeline import Scanner
from annexa.reading.inline import InlineExtractor
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.worker_job import read_ahead
from annexa.spec import load_spec
from annexa.watch.session import Backoff, ReportReady, ScanSession
from tests.hostile import AS_OF
from tests.test_faults import IN_DATE, Meddling, item, reachable_copy, statuses
from tests.test_faults import share as share
from tests.tui_helpers import NOON, SIZE, sync, until
from tests.unprivileged import as_unprivileged_user

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and modes")

TIMEOUT = 60.0


class DropsOnce:
    """Moves the share to ``moved`` the first time it is called (the share drops once)."""

    def __init__(self, moved: Path) -> None:
        self.moved = moved
        self.done = False

    def __call__(self, root: Path) -> None:
        if not self.done:
            self.done = True
            root.rename(self.moved)


def scanner_for(share: Path, extractor, cache=None) -> Scanner:  # type: ignore[no-untyped-def]
    return Scanner(share, load_spec(share.parent / "spec.toml"), extractor=extractor, cache=cache)


# -- in a scan: a reader killed under a file ---------------------------------------------------


def test_readers_killed_mid_scan_change_no_status(share: Path, tmp_path: Path) -> None:
    for number in range(12):  # enough files that both readers are busy when they are killed
        shutil.copy(
            share / "Plans" / "Improvement plan.pdf", share / "Plans" / f"plan {number}.pdf"
        )
    killed: list[int] = []
    extractor = Meddling(workers=2)

    def kill_the_readers(root: Path) -> None:
        for pid in extractor.pool.pids:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    extractor.after_first = kill_the_readers
    scanner = scanner_for(share, extractor, open_cache(tmp_path / "cache"))
    try:
        scanner.full_scan()
        report = scanner.report(AS_OF)
    finally:
        scanner.close()
        extractor.close()
    assert killed, "readers were killed while they read"
    assert statuses(report) == IN_DATE
    assert report.errors == ()
    assert all(facts.error is None for facts in scanner.facts.values())


# -- in watch: the next full walk reads failures of the moment again -------------------------------


def hang_once(root: Path, entry: FileEntry, options: tuple = (), marks: str = "") -> Facts:  # type: ignore[type-arg]
    """Hangs the first time it is asked for the improvement plan (a share that stalls)."""
    mark = Path(marks) / "stalled"
    if entry.name == "Improvement plan.pdf" and not mark.exists():
        mark.write_text("once", encoding="utf-8")
        threading.Event().wait(3600)
    return read_ahead(root, entry, options)


def test_a_file_that_timed_out_is_read_again_on_the_next_full_walk_and_never_cached(
    share: Path, tmp_path: Path
) -> None:
    spec = load_spec(share.parent / "spec.toml")
    marks = tmp_path / "marks"
    marks.mkdir()
    read = partial(hang_once, options=spec.dating_options(), marks=str(marks))
    pool = WorkerPoolExtractor(workers=1, timeout=1, read=read)
    scanner = scanner_for(share, pool, open_cache(tmp_path / "cache"))
    try:
        scanner.full_scan()
        stalled = scanner.report(AS_OF)
        assert item(stalled, "F3").status.value == "unreadable"
        assert scanner.facts["Plans/Improvement plan.pdf"].error_kind is FailureKind.TIMED_OUT
        later = Meddling()  # another annexa with the same cache: the failure was not kept
        elsewhere = scanner_for(share, later, open_cache(tmp_path / "cache"))
        try:
            elsewhere.full_scan()
        finally:
            elsewhere.close()
        assert later.read == ["Plans/Improvement plan.pdf"]
        scanner.full_scan()  # the r key, or the periodic walk
        assert statuses(scanner.report(AS_OF)) == IN_DATE
    finally:
        scanner.close()


def test_a_share_that_drops_mid_read_and_comes_back_leaves_nothing_unreadable(
    share: Path, tmp_path: Path
) -> None:
    moved = share.parent / "away"
    extractor = Meddling(after_first=DropsOnce(moved), workers=1)
    scanner = scanner_for(share, extractor, open_cache(tmp_path / "cache"))
    try:
        with pytest.raises(RootLostError):
            scanner.full_scan()
        moved.rename(share)
        scanner.full_scan()  # what watch does when ROOT is back
        report = scanner.report(AS_OF)
    finally:
        scanner.close()
        extractor.close()
    assert statuses(report) == IN_DATE
    assert report.errors == ()


def _permission_fixed(root: str, spec: str, victim: str) -> dict[str, object]:
    scanner = Scanner(Path(root), load_spec(spec), extractor=InlineExtractor())
    try:
        os.chmod(victim, 0o000)
        scanner.full_scan()
        before = scanner.report(AS_OF)
        os.chmod(victim, 0o644)
        scanner.refresh([])  # a change elsewhere: no full walk yet
        unchanged = scanner.report(AS_OF)
        scanner.full_scan()
        after = scanner.report(AS_OF)
    finally:
        scanner.close()
    return {
        "before": statuses(before),
        "unchanged": statuses(unchanged),
        "after": statuses(after),
        "errors": [e.error for e in after.errors],
    }


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX file modes and fork")
def test_a_file_whose_permission_is_fixed_is_read_again_on_the_next_full_walk(
    share: Path,
) -> None:
    with reachable_copy(share) as (root, spec):
        victim = root / "Plans" / "Improvement plan.pdf"
        args = (str(root), str(spec), str(victim))
        if os.geteuid() == 0:
            _permission_fixed(*args)  # load every module while we can
            os.chown(victim, 65534, 65534)  # the colleague's own file, which they fix
            answer = as_unprivileged_user(_permission_fixed, *args)
        else:
            answer = _permission_fixed(*args)
    assert "error" not in answer, answer
    assert answer["before"] == answer["unchanged"] == {**IN_DATE, "F3": "unreadable"}
    assert answer["after"] == IN_DATE
    assert answer["errors"] == []


# -- a folder that could not be listed -------------------------------------------------------------


class FlakyListing:
    """``os.scandir`` that fails for one folder, as a share's folder does for a moment."""

    def __init__(self, folder: Path, error: OSError) -> None:
        self.folder = folder
        self.error = error
        self.failing = True
        self.failed = threading.Event()
        self._scandir = os.scandir

    def __call__(self, path):  # type: ignore[no-untyped-def]
        if self.failing and isinstance(path, (str, os.PathLike)) and Path(path) == self.folder:
            self.failed.set()
            raise self.error
        return self._scandir(path)


def test_a_folder_listed_again_brings_its_items_back_without_a_full_walk(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = FlakyListing(share / "Workforce", PermissionError(13, "Permission denied"))
    monkeypatch.setattr(os, "scandir", listing)
    scanner = scanner_for(share, InlineExtractor())
    try:
        scanner.full_scan()
        assert statuses(scanner.report(AS_OF)) == {**IN_DATE, "F4": "missing"}
        assert [e.file for e in scanner.walk_errors] == ["Workforce"]
        listing.failing = False
        delta = scanner.relist(["Workforce"])
        report = scanner.report(AS_OF)
    finally:
        scanner.close()
    assert delta.added == ["Workforce/Workforce data.docx"]
    assert statuses(report) == IN_DATE
    assert report.errors == ()


def test_a_folder_that_is_gone_when_listed_again_is_no_error(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = FlakyListing(share / "Workforce", PermissionError(13, "Permission denied"))
    monkeypatch.setattr(os, "scandir", listing)
    scanner = scanner_for(share, InlineExtractor())
    try:
        scanner.full_scan()
        shutil.rmtree(share / "Workforce")
        listing.failing = False
        scanner.relist(["Workforce"])
        report = scanner.report(AS_OF)
    finally:
        scanner.close()
    assert statuses(report) == {**IN_DATE, "F4": "missing"}
    assert report.errors == ()


def test_watch_lists_a_failed_folder_again_within_seconds_by_itself(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = FlakyListing(share / "Workforce", OSError(5, "Input/output error"))
    monkeypatch.setattr(os, "scandir", listing)
    reports: list[ReportReady] = []
    arrived = threading.Condition()

    def emit(event: object) -> None:
        if isinstance(event, ReportReady):
            with arrived:
                reports.append(event)
                arrived.notify_all()

    scanner = scanner_for(share, InlineExtractor())
    session = ScanSession(scanner, AS_OF, emit, retry_backoff=Backoff(first=0.05, most=0.2))
    session.start()
    try:
        with arrived:
            assert arrived.wait_for(lambda: len(reports) == 1, TIMEOUT)
        assert statuses(reports[0].report) == {**IN_DATE, "F4": "missing"}
        assert [e.kind for e in reports[0].report.errors] == [FailureKind.UNREACHABLE]
        listing.failed.clear()
        assert listing.failed.wait(TIMEOUT), "the folder is tried again while it fails"
        listing.failing = False  # the share answers again: no event, no walk asked for
        with arrived:
            assert arrived.wait_for(lambda: len(reports) == 2, TIMEOUT)
    finally:
        session.stop()
    assert statuses(reports[1].report) == IN_DATE
    assert reports[1].added == ("Workforce/Workforce data.docx",)
    assert reports[1].report.errors == ()


def test_a_walk_that_lost_root_is_made_again_once_root_is_back_whatever_the_watcher_saw(
    share: Path,
) -> None:
    """The share drops for a moment during the first read: too short for the watcher's
    next poll to see, so nobody would ask for another walk. The session walks again."""
    from annexa.watch.session import FolderMissing
    from tests.watch_fakes import ReportScanner, sample_report

    class DropsOnce(ReportScanner):
        def full_scan(self, progress=None):  # type: ignore[no-untyped-def]
            if self.full_scans == 0:
                self.full_scans += 1
                raise RootLostError(f"the folder {self.root} became unreachable")
            return super().full_scan(progress)

    events: list[object] = []
    arrived = threading.Condition()

    def emit(event: object) -> None:
        with arrived:
            events.append(event)
            arrived.notify_all()

    scanner = DropsOnce(share, sample_report)
    session = ScanSession(scanner, AS_OF, emit, retry_backoff=Backoff(first=0.05, most=0.2))
    session.start()
    try:
        with arrived:
            assert arrived.wait_for(
                lambda: any(isinstance(e, ReportReady) for e in events), TIMEOUT
            )
    finally:
        session.stop()
    kinds = [type(e) for e in events if isinstance(e, (FolderMissing, ReportReady))]
    assert kinds == [FolderMissing, ReportReady]
    ready = next(e for e in events if isinstance(e, ReportReady))
    assert ready.cause == "first scan" and scanner.full_scans == 2


def test_watch_gives_the_cause_of_a_lost_folder_not_the_command_lines_advice(
    share: Path,
) -> None:
    """Watch keeps the last report and tries again by itself: its banner wants why the
    folder went, not scan's "no report was made: check again once it is back"."""
    from annexa.finding.walk import lost_root
    from annexa.watch.session import FolderMissing
    from tests.watch_fakes import ReportScanner, sample_report

    class Gone(ReportScanner):
        def full_scan(self, progress=None):  # type: ignore[no-untyped-def]
            lost = lost_root(self.root / "moved away")
            assert lost is not None
            raise lost

    events: list[object] = []
    arrived = threading.Condition()

    def emit(event: object) -> None:
        with arrived:
            events.append(event)
            arrived.notify_all()

    session = ScanSession(Gone(share, sample_report), AS_OF, emit)
    session.start()
    try:
        with arrived:
            assert arrived.wait_for(
                lambda: any(isinstance(e, FolderMissing) for e in events), TIMEOUT
            )
    finally:
        session.stop()
    missing = next(e for e in events if isinstance(e, FolderMissing))
    assert missing.reason == "no such file or directory"


def test_a_failing_folder_is_tried_again_later_and_later_then_soon_once_it_lists() -> None:
    backoff = Backoff(first=2.0, most=60.0)
    assert [backoff.next() for _ in range(7)] == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    backoff.reset()
    assert backoff.next() == 2.0


# -- on the watch screen --------------------------------------------------------------------------


@sync
async def test_watch_shows_nothing_unreadable_once_a_share_that_dropped_mid_read_is_back(
    share: Path,
) -> None:
    """``annexa watch --poll``: the share goes during the first read and comes back; after r
    every item is judged again, none left "unreadable" by the moment it was away."""
    from annexa.model import Status
    from annexa.tui.app import WatchApp

    moved = share.parent / "away"
    drop = DropsOnce(moved)
    extractor = Meddling(after_first=drop, workers=1)
    scanner = scanner_for(share, extractor)
    app = WatchApp(share, scanner, spec_label="Faults", as_of=AS_OF, poll=0.2, clock=lambda: NOON)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.stale_reason is not None, TIMEOUT, "the share gone")
        assert drop.done
        moved.rename(share)
        await until(pilot, lambda: app.report is not None and app.stale_reason is None, TIMEOUT)
        await pilot.press("r")
        await until(
            pilot,
            lambda: any("Checking the whole folder again" in line for line in app.activity),
            TIMEOUT,
        )
        await until(pilot, lambda: not app.session.busy, TIMEOUT)  # type: ignore[union-attr]
        report = app.report
    extractor.close()
    assert report is not None
    assert [i.id for i in report.items if i.status is Status.UNREADABLE] == []
    assert statuses(report) == IN_DATE
