"""The scan session: one thread owns the scanner and turns requests into Reports."""

from __future__ import annotations

import datetime as dt
import queue
import threading
from pathlib import Path

import pytest

from annexa.watch.debounce import Changes
from annexa.watch.session import (
    FolderMissing,
    ReportReady,
    ScanProgress,
    ScanSession,
    ScanStarted,
    SpecInvalid,
    SpecReloaded,
)
from tests.watch_fakes import AS_OF, Delta, ReportScanner, sample_report

TIMEOUT = 20.0


class Events:
    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue()

    def __call__(self, event) -> None:
        self.queue.put(event)

    def next(self, kind: type, timeout: float = TIMEOUT):
        """The next event of this kind, skipping others."""
        while True:
            event = self.queue.get(timeout=timeout)
            if isinstance(event, kind):
                return event


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "annex"
    folder.mkdir()
    return folder


def make_session(root: Path, **options) -> tuple[ScanSession, ReportScanner, Events]:
    scanner = options.pop("scanner", None) or ReportScanner(root, sample_report)
    events = Events()
    session = ScanSession(scanner, AS_OF, events, spec_check_every=0.05, **options)
    session.start()
    return session, scanner, events


def test_first_scan_reports_progress_then_a_report(root: Path) -> None:
    session, scanner, events = make_session(root)
    try:
        assert events.next(ScanStarted).cause == "first scan"
        progress = events.next(ScanProgress)
        assert progress.total == scanner.files
        ready = events.next(ReportReady)
        assert ready.cause == "first scan"
        assert ready.previous is None
        assert ready.report.as_of == AS_OF
    finally:
        session.stop()


def test_changes_arriving_while_busy_are_merged_into_one_refresh(root: Path) -> None:
    gate = threading.Event()
    scanner = ReportScanner(root, sample_report, gate=gate)
    session, _, events = make_session(root, scanner=scanner)
    try:
        events.next(ScanStarted)
        for n in range(50):
            session.submit(Changes(frozenset({f"file{n}.pdf"})))
        scanner.next_delta = Delta(changed=["file1.pdf"])
        gate.set()
        events.next(ReportReady)
        ready = events.next(ReportReady)
        assert ready.cause == "change"
        assert ready.changed == ("file1.pdf",)
        assert len(scanner.refreshed) == 1
        assert len(scanner.refreshed[0]) == 50
    finally:
        session.stop()


def test_hints_that_change_nothing_make_no_new_report(root: Path) -> None:
    session, scanner, events = make_session(root)
    try:
        events.next(ReportReady)
        session.submit(Changes(frozenset({"same.pdf"})))
        session.set_as_of(AS_OF + dt.timedelta(days=1))
        ready = events.next(ReportReady)
        assert ready.cause == "date", "the false alarm must not have produced a report"
        assert scanner.refreshed == [["same.pdf"]]
    finally:
        session.stop()


def test_new_day_reevaluates_with_the_new_date(root: Path) -> None:
    session, _, events = make_session(root)
    try:
        events.next(ReportReady)
        tomorrow = AS_OF + dt.timedelta(days=1)
        session.set_as_of(tomorrow)
        ready = events.next(ReportReady)
        assert ready.cause == "date"
        assert ready.report.as_of == tomorrow
    finally:
        session.stop()


def test_folder_gone_keeps_the_last_report(root: Path) -> None:
    session, _, events = make_session(root)
    try:
        first = events.next(ReportReady).report
        root.rmdir()
        session.submit(Changes(frozenset({"Report.docx"})))
        assert "cannot be opened" in events.next(FolderMissing).reason
        assert session.report is first
    finally:
        session.stop()


def test_edited_spec_is_reloaded_and_an_invalid_one_keeps_the_old(
    root: Path, tmp_path: Path
) -> None:
    from annexa.spec import SpecError, SpecProblem

    spec_file = tmp_path / "annexa.toml"
    spec_file.write_text("version 1")
    loaded: list[str] = []

    def load(path: Path):
        text = path.read_text()
        if "broken" in text:
            raise SpecError([SpecProblem(str(path), 3, "item 'A7': 'patern' is not a known key")])
        loaded.append(text)
        return type("FakeSpec", (), {"name": "Edited spec"})()

    session, scanner, events = make_session(root, spec_path=spec_file, load_spec=load)
    try:
        events.next(ReportReady)
        spec_file.write_text("version 2, longer")
        assert events.next(SpecReloaded).name == "Edited spec"
        assert events.next(ReportReady).cause == "spec"
        assert len(scanner.specs) == 1
        spec_file.write_text("broken version 3")
        problems = events.next(SpecInvalid).problems
        assert problems == (f"{spec_file}:3: item 'A7': 'patern' is not a known key",)
        assert len(scanner.specs) == 1, "an invalid spec must not replace the old one"
    finally:
        session.stop()


def test_a_spec_caught_half_saved_is_not_loaded(root: Path, tmp_path: Path) -> None:
    """An editor empties the file, then writes it: only the finished spec is read."""
    spec_file = tmp_path / "annexa.toml"
    spec_file.write_text("version 1")
    loaded: list[str] = []

    def load(path: Path):
        loaded.append(path.read_text())
        return type("FakeSpec", (), {"name": loaded[-1]})()

    scanner = ReportScanner(root, sample_report)
    session = ScanSession(
        scanner, AS_OF, Events(), spec_path=spec_file, load_spec=load, spec_check_every=0
    )
    spec_file.write_text("")  # the save has begun
    assert not session._check_spec()
    spec_file.write_text("version 2, saved")
    assert not session._check_spec(), "a change must hold still before it is read"
    assert session._check_spec()
    assert loaded == ["version 2, saved"]
    assert not session._check_spec(), "a spec is read once per save"


def test_a_save_landing_while_the_spec_is_read_is_read_again(root: Path, tmp_path: Path) -> None:
    spec_file = tmp_path / "annexa.toml"
    spec_file.write_text("version 1")

    def load(path: Path):
        text = path.read_text()
        if text == "version 2":
            spec_file.write_text("version 3, saved while version 2 was read")
        return type("FakeSpec", (), {"name": text})()

    session, scanner, events = make_session(root, spec_path=spec_file, load_spec=load)
    try:
        events.next(ReportReady)
        spec_file.write_text("version 2")
        assert events.next(SpecReloaded).name == "version 3, saved while version 2 was read"
        assert len(scanner.specs) == 1
    finally:
        session.stop()


def test_an_edit_to_the_file_a_spec_extends_reloads_it(root: Path, tmp_path: Path) -> None:
    item = '[[item]]\nid = "A1"\ntitle = "{title}"\npatterns = ["*.docx"]\n'
    base = tmp_path / "council-base.toml"
    base.write_text(item.format(title="Self-evaluation"), encoding="utf-8")
    spec_file = tmp_path / "annexa.toml"
    spec_file.write_text('[spec]\nname = "Ours"\nextends = "council-base.toml"\n', "utf-8")
    session, scanner, events = make_session(root, spec_path=spec_file)
    try:
        events.next(ReportReady)
        base.write_text(item.format(title="Self-evaluation, 2015 update"), encoding="utf-8")
        assert events.next(SpecReloaded).name == "Ours"
        assert events.next(ReportReady).cause == "spec"
        assert scanner.specs[-1].items[0].title == "Self-evaluation, 2015 update"
    finally:
        session.stop()


def test_a_spec_whose_base_is_missing_reloads_once_it_names_one_that_exists(
    root: Path, tmp_path: Path
) -> None:
    (tmp_path / "base.toml").write_text(
        '[[item]]\nid = "A1"\ntitle = "Self-evaluation"\npatterns = ["*.docx"]\n', "utf-8"
    )
    spec_file = tmp_path / "annexa.toml"
    spec_file.write_text('[spec]\nname = "Ours"\nextends = "base.toml"\n', "utf-8")
    session, _, events = make_session(root, spec_path=spec_file)
    try:
        events.next(ReportReady)
        spec_file.write_text('[spec]\nname = "Ours"\nextends = "bsae.toml"\n', "utf-8")
        assert any("bsae.toml" in p for p in events.next(SpecInvalid).problems)
        spec_file.write_text('[spec]\nname = "Ours, fixed"\nextends = "base.toml"\n', "utf-8")
        assert events.next(SpecReloaded).name == "Ours, fixed"
    finally:
        session.stop()


def test_stop_closes_the_scanner_in_its_own_thread(root: Path) -> None:
    session, scanner, events = make_session(root)
    events.next(ReportReady)
    assert session.stop()
    assert scanner.closed
    assert not session.alive
