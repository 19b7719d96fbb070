"""The folder watcher, on a real temporary folder, with native events and with polling.

Waits use conditions with generous timeouts: a slow machine makes a test
slower, never wrong.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annexa.watch.debounce import Changes
from annexa.watch.watcher import FolderWatcher, WatchState

TIMEOUT = 20.0


class Collector:
    """Everything the watcher said, with a way to wait for something to be said."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.batches: list[Changes] = []
        self.states: list[WatchState] = []

    def on_change(self, changes: Changes) -> None:
        with self.cond:
            self.batches.append(changes)
            self.cond.notify_all()

    def on_state(self, state: WatchState) -> None:
        with self.cond:
            self.states.append(state)
            self.cond.notify_all()

    def wait(self, predicate: Callable[[Collector], bool], timeout: float = TIMEOUT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self), timeout)

    def paths(self) -> set[str]:
        with self.cond:
            return set().union(*(b.paths for b in self.batches)) if self.batches else set()

    def rescans(self) -> int:
        with self.cond:
            return sum(1 for b in self.batches if b.rescan)

    def kinds(self) -> list[str]:
        with self.cond:
            return [s.kind for s in self.states]


MODES = {"native": None, "polling": 0.2}


@pytest.fixture(params=list(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "Annex A"
    folder.mkdir()
    return folder


def start(root: Path, poll: float | None, **options) -> tuple[FolderWatcher, Collector]:
    collector = Collector()
    settings = {
        "quiet": 0.2,
        "max_wait": 1.0,
        "settle": 0.1,
        "health_every": 0.2,
        "max_backoff": 0.5,
    }
    settings.update(options)
    watcher = FolderWatcher(root, collector.on_change, collector.on_state, poll, **settings)
    watcher.start()
    assert collector.wait(lambda c: bool(c.states)), "the watcher never said how it watches"
    return watcher, collector


@pytest.fixture
def watching(root: Path, mode: str) -> Iterator[tuple[FolderWatcher, Collector]]:
    watcher, collector = start(root, MODES[mode])
    yield watcher, collector
    watcher.stop()


def test_watch_state_says_native_or_polling(watching, mode: str) -> None:
    _, collector = watching
    state = collector.states[-1]
    if mode == "native":
        assert state == WatchState("native", "watching: changes show within seconds")
    else:
        assert state.kind == "polling"
        assert state.text == "watching: looks for changes every 0.2 s (as asked with --poll)"


def test_new_file_is_handed_over(watching, root: Path) -> None:
    _, collector = watching
    (root / "Report.docx").write_bytes(b"new")
    assert collector.wait(lambda c: "Report.docx" in c.paths())


def test_file_in_a_subfolder_is_handed_over_with_its_relative_path(watching, root: Path) -> None:
    _, collector = watching
    (root / "Leadership").mkdir()
    (root / "Leadership" / "SEF 2015.pdf").write_bytes(b"%PDF")
    assert collector.wait(lambda c: "Leadership/SEF 2015.pdf" in c.paths() or c.rescans() > 0)


def test_modified_file_is_handed_over(root: Path, mode: str) -> None:
    (root / "Plan.pdf").write_bytes(b"one")
    watcher, collector = start(root, MODES[mode])
    try:
        with open(root / "Plan.pdf", "ab") as handle:
            handle.write(b" and two")
        assert collector.wait(lambda c: "Plan.pdf" in c.paths())
    finally:
        watcher.stop()


def test_renamed_file_hands_over_both_names(root: Path, mode: str) -> None:
    (root / "draft.pdf").write_bytes(b"x")
    watcher, collector = start(root, MODES[mode])
    try:
        (root / "draft.pdf").rename(root / "final.pdf")
        assert collector.wait(lambda c: {"draft.pdf", "final.pdf"} <= c.paths())
    finally:
        watcher.stop()


def test_deleted_file_is_handed_over(root: Path, mode: str) -> None:
    (root / "Old.pdf").write_bytes(b"x")
    watcher, collector = start(root, MODES[mode])
    try:
        (root / "Old.pdf").unlink()
        assert collector.wait(lambda c: "Old.pdf" in c.paths())
    finally:
        watcher.stop()


def test_word_save_dance_hands_over_the_document_and_no_temporary_name(
    root: Path, mode: str
) -> None:
    (root / "Report.docx").write_bytes(b"version 1")
    watcher, collector = start(root, MODES[mode])
    try:
        (root / "~$Report.docx").write_bytes(b"owner")
        (root / "~WRL0001.tmp").write_bytes(b"version 2, longer")
        os.replace(root / "~WRL0001.tmp", root / "Report.docx")
        (root / "~$Report.docx").unlink()
        assert collector.wait(lambda c: "Report.docx" in c.paths())
        (root / "marker.pdf").write_bytes(b"after")
        assert collector.wait(lambda c: "marker.pdf" in c.paths())
        assert not any(p.startswith("~") for p in collector.paths())
    finally:
        watcher.stop()


def test_reading_a_file_does_not_wake_the_watcher(root: Path, mode: str) -> None:
    (root / "Read me.pdf").write_bytes(b"content")
    watcher, collector = start(root, MODES[mode])
    try:
        for _ in range(3):
            (root / "Read me.pdf").read_bytes()
        (root / "marker.pdf").write_bytes(b"after")
        assert collector.wait(lambda c: "marker.pdf" in c.paths())
        assert "Read me.pdf" not in collector.paths()
    finally:
        watcher.stop()


def test_folder_removed_is_unreachable_and_recovers_when_recreated(root: Path, mode: str) -> None:
    (root / "Report.docx").write_bytes(b"x")
    watcher, collector = start(root, MODES[mode])
    try:
        shutil.rmtree(root)
        assert collector.wait(lambda c: "unreachable" in c.kinds())
        assert not collector.states[-1].reachable
        assert collector.states[-1].reason, "the screen says why"
        root.mkdir()
        (root / "Report.docx").write_bytes(b"back")
        assert collector.wait(lambda c: "back" in c.kinds() and c.rescans() > 0)
        assert collector.wait(
            lambda c: c.states[-1].kind == ("native" if mode == "native" else "polling")
        )
        (root / "New.pdf").write_bytes(b"after")
        assert collector.wait(lambda c: "New.pdf" in c.paths())
    finally:
        watcher.stop()


def test_dead_observer_is_restarted(root: Path) -> None:
    watcher, collector = start(root, None)
    try:
        observer = watcher._observer
        for emitter in list(observer.emitters):
            emitter.stop()
        assert collector.wait(lambda c: c.rescans() > 0), "no full walk after the restart"
        assert watcher._observer is not None and watcher._observer is not observer
        (root / "After restart.pdf").write_bytes(b"x")
        assert collector.wait(lambda c: "After restart.pdf" in c.paths())
    finally:
        watcher.stop()


def test_periodic_full_check_is_asked_for(root: Path, mode: str) -> None:
    watcher, collector = start(root, MODES[mode], recheck=0.3)
    try:
        assert collector.wait(lambda c: c.rescans() >= 2)
    finally:
        watcher.stop()


def test_native_events_unavailable_falls_back_to_polling(root: Path) -> None:
    def no_inotify():
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    watcher, collector = start(root, None, observer_factory=no_inotify, network_poll=0.2)
    try:
        assert collector.states[-1].kind == "polling"
        assert "change notices are unavailable" in collector.states[-1].text
        (root / "Report.docx").write_bytes(b"x")
        assert collector.wait(lambda c: "Report.docx" in c.paths())
    finally:
        watcher.stop()


def test_network_folder_is_polled(root: Path, tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    point = os.path.realpath(root).replace(" ", "\\040")
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n//server/share {point} cifs rw 0 0\n")
    watcher, collector = start(root, None, mounts_path=mounts, network_poll=0.2)
    try:
        assert collector.states[-1] == WatchState(
            "polling", "watching: looks for changes every 0.2 s (a network folder (cifs))"
        )
        (root / "Report.docx").write_bytes(b"x")
        assert collector.wait(lambda c: "Report.docx" in c.paths())
    finally:
        watcher.stop()


def test_stop_ends_the_thread_and_the_observer(root: Path, mode: str) -> None:
    watcher, _ = start(root, MODES[mode])
    observer = watcher._observer
    watcher.stop()
    assert not watcher.alive
    if observer is not None:
        assert not observer.is_alive()
        assert all(not e.is_alive() for e in observer.emitters)


def test_file_still_being_written_waits_until_it_stops_changing(root: Path) -> None:
    watcher = FolderWatcher(root, lambda c: None, lambda s: None, settle=0.01)
    sizes = iter([1, 2, 2, 3, 3, 3])
    watcher._signature = lambda path: (next(sizes), 0)  # type: ignore[method-assign]
    first = watcher._settled(Changes(frozenset({"Big.xlsx"})))
    assert first.paths == frozenset()
    assert watcher._debouncer.pending, "the file must wait for the next batch"
    watcher._debouncer.take()
    second = watcher._settled(Changes(frozenset({"Big.xlsx"})))
    assert second.paths == frozenset()
    third = watcher._settled(Changes(frozenset({"Big.xlsx"})))
    assert third.paths == {"Big.xlsx"}


def test_file_that_never_stops_changing_is_read_in_the_end(root: Path) -> None:
    watcher = FolderWatcher(root, lambda c: None, lambda s: None, settle=0.01, max_unstable=3)
    counter = iter(range(1000))
    watcher._signature = lambda path: (next(counter), 0)  # type: ignore[method-assign]
    handed = [watcher._settled(Changes(frozenset({"log.csv"}))).paths for _ in range(4)]
    assert handed == [frozenset(), frozenset(), frozenset(), {"log.csv"}]
