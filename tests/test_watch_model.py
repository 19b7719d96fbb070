"""Watcher and session together: the report follows the folder, with events and with polling."""

from __future__ import annotations

import os
import queue
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from annexa.model import Report, Status
from annexa.watch.session import FolderMissing, ReportReady, ScanSession
from annexa.watch.watcher import FolderWatcher, WatchState
from tests.watch_fakes import AS_OF, FolderScanner

TIMEOUT = 20.0


class Live:
    """A watcher feeding a session, as ``annexa watch`` wires them."""

    def __init__(self, root: Path, poll: float | None) -> None:
        self.events: queue.Queue = queue.Queue()
        self.scanner = FolderScanner(root, {"A1": "Report.docx", "A2": "Plan.pdf"})
        self.session = ScanSession(self.scanner, AS_OF, self.events.put, spec_check_every=0.1)
        self.watcher = FolderWatcher(
            root,
            self.session.submit,
            self.events.put,
            poll,
            quiet=0.2,
            max_wait=1.0,
            settle=0.1,
            health_every=0.2,
            max_backoff=0.5,
        )
        self.report: Report | None = None
        self.state: WatchState | None = None

    def start(self) -> None:
        self.watcher.start()
        self.session.start()

    def stop(self) -> None:
        self.watcher.stop()
        self.session.stop()

    def status(self, item_id: str) -> Status | None:
        assert self.report is not None
        return {i.id: i.status for i in self.report.items}[item_id]

    def wait_for(self, predicate, timeout: float = TIMEOUT):
        """Take events until ``predicate(event)`` holds for one; keep the latest report."""
        while True:
            event = self.events.get(timeout=timeout)
            if isinstance(event, ReportReady):
                self.report = event.report
            if isinstance(event, WatchState):
                self.state = event
            if predicate(event):
                return event

    def wait_status(self, item_id: str, status: Status) -> None:
        self.wait_for(lambda e: isinstance(e, ReportReady) and self.status(item_id) == status)


@pytest.fixture(params=["native", "polling"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Live]:
    root = tmp_path / "annex"
    root.mkdir()
    (root / "Plan.pdf").write_bytes(b"plan")
    live = Live(root, None if request.param == "native" else 0.2)
    live.start()
    live.wait_for(lambda e: live.report is not None and live.state is not None)
    yield live
    live.stop()


def test_adding_a_missing_document_makes_it_in_date(live: Live) -> None:
    assert live.status("A1") is Status.MISSING
    (live.scanner.root / "Report.docx").write_bytes(b"report")
    live.wait_status("A1", Status.OK)


def test_deleting_a_document_makes_it_missing(live: Live) -> None:
    (live.scanner.root / "Plan.pdf").unlink()
    live.wait_status("A2", Status.MISSING)


def test_renaming_a_document_away_and_back(live: Live) -> None:
    root = live.scanner.root
    (root / "Plan.pdf").rename(root / "Plan old.pdf")
    live.wait_status("A2", Status.MISSING)
    assert "Plan old.pdf" in live.report.unmatched
    (root / "Plan old.pdf").rename(root / "Plan.pdf")
    live.wait_status("A2", Status.OK)


def test_word_save_dance_keeps_the_document_and_lists_no_temporary_file(live: Live) -> None:
    root = live.scanner.root
    (root / "Report.docx").write_bytes(b"version 1")
    live.wait_status("A1", Status.OK)
    (root / "~$Report.docx").write_bytes(b"owner")
    (root / "~WRL0001.tmp").write_bytes(b"version 2")
    os.replace(root / "~WRL0001.tmp", root / "Report.docx")
    (root / "~$Report.docx").unlink()
    event = live.wait_for(lambda e: isinstance(e, ReportReady) and "Report.docx" in e.changed)
    assert live.status("A1") is Status.OK
    assert not any(p.startswith("~") for p in event.report.unmatched)
    assert live.scanner.files["Report.docx"].size == len(b"version 2")


def test_folder_removed_keeps_the_last_report_and_recovers(live: Live) -> None:
    root = live.scanner.root
    before = live.report
    shutil.rmtree(root)
    live.wait_for(lambda e: isinstance(e, WatchState) and e.kind == "unreachable")
    assert live.session.report is before, "a vanished folder must not make everything missing"
    root.mkdir()
    (root / "Report.docx").write_bytes(b"back")
    (root / "Plan.pdf").write_bytes(b"back")
    live.wait_status("A1", Status.OK)
    assert live.status("A2") is Status.OK


def test_burst_of_files_settles_into_one_correct_report(live: Live) -> None:
    root = live.scanner.root
    for n in range(200):
        (root / f"notes {n:03}.txt").write_bytes(b"x")
    (root / "Report.docx").write_bytes(b"report")
    live.wait_for(
        lambda e: (
            isinstance(e, ReportReady)
            and len(e.report.unmatched) == 200
            and live.status("A1") is Status.OK
        )
    )
    refreshed = sum(len(paths) for paths in live.scanner.refreshed)
    assert len(live.scanner.refreshed) < 20, "a burst must be read in a few batches, not one by one"
    assert refreshed >= 201 or live.scanner.full_scans > 1


def test_scanner_is_only_used_from_one_thread(live: Live) -> None:
    (live.scanner.root / "Report.docx").write_bytes(b"report")
    live.wait_status("A1", Status.OK)
    assert len(live.scanner.thread_ids) == 1


def test_missing_folder_event_is_not_fatal(tmp_path: Path) -> None:
    root = tmp_path / "not yet"
    live = Live(root, 0.2)
    live.start()
    try:
        live.wait_for(lambda e: isinstance(e, FolderMissing))
        root.mkdir()
        (root / "Report.docx").write_bytes(b"x")
        live.wait_status("A1", Status.OK)
    finally:
        live.stop()
