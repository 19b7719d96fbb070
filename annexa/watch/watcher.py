"""Watch ROOT and hand the scanner batches of paths that may have changed.

One supervisor thread owns everything here. It:

- chooses native events (watchdog's platform observer) or polling: polling
  when asked (``poll=``), when ROOT is on a network file system, or when
  native events cannot be set up (inotify's watch limit);
- turns events into hints and debounces them (1 s quiet, 3 s at most);
- holds a path back until its size and mtime have stopped changing (two
  stats ``settle`` seconds apart), so a document still being copied is not
  read half-written;
- polls by walking ROOT with annexa's own inventory and comparing (size,
  mtime_ns) with the previous walk: no watchdog PollingObserver, whose thread
  stops for good when a share drops and whose diff reports storms of false
  changes on network drives;
- supervises the native observer: a dead emitter thread, or ROOT gone or
  replaced, stops it; it is started again with a backoff, and the state says
  "folder unreachable" until ROOT is back;
- asks for a full re-walk every ``recheck`` seconds as a safety net.

Nothing here reads a document or imports a user interface: callbacks carry
``Changes`` and ``WatchState`` values to whoever owns the scanner.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from annexa.finding.walk import RootMissingError, scan_tree, unlisted_folders
from annexa.model.failures import FailureKind, os_failure
from annexa.watch.debounce import Changes, Debouncer
from annexa.watch.hints import hint_for_event
from annexa.watch.netfs import PROC_MOUNTS, network_fs_type

log = logging.getLogger(__name__)

StateKind = Literal["native", "polling", "unreachable", "back", "stopped"]


@dataclass(frozen=True)
class WatchState:
    """How the folder is being watched, in words for the status line."""

    kind: StateKind
    text: str
    reason: str = ""  # why the folder cannot be reached, for "unreachable"

    @property
    def reachable(self) -> bool:
        return self.kind != "unreachable"


ObserverFactory = Callable[[], Any]
Signature = tuple[int, int] | None  # (size, mtime_ns), None when the file is gone


# Events that say something about names or content. Opened/closed events are
# left out at the source, so annexa's own reads never wake it.
def _event_filter() -> list[type]:
    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileAttribEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
    )

    return [
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileAttribEvent,
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
    ]


def _default_observer() -> Any:
    from watchdog.observers import Observer

    return Observer()


class FolderWatcher:
    """Watches one ROOT; ``start()`` it, ``stop()`` it, and listen to the callbacks.

    ``on_change`` receives debounced, settled batches; ``on_state`` receives
    every change of how (or whether) the folder is watched. Both are called
    from the watcher's thread, never from the caller's.
    """

    def __init__(
        self,
        root: Path,
        on_change: Callable[[Changes], None],
        on_state: Callable[[WatchState], None],
        poll: float | None = None,
        *,
        network_poll: float = 5.0,
        quiet: float = 1.0,
        max_wait: float = 3.0,
        settle: float = 0.5,
        recheck: float = 300.0,
        health_every: float = 1.0,
        max_backoff: float = 10.0,
        max_unstable: int = 20,
        mounts_path: Path = PROC_MOUNTS,
        observer_factory: ObserverFactory | None = None,
    ) -> None:
        self.root = Path(root)
        self._root_text = os.path.abspath(self.root)
        self._on_change = on_change
        self._on_state = on_state
        self._forced_poll = poll
        self._network_poll = network_poll
        self._settle = settle
        self._recheck = recheck
        self._health_every = health_every
        self._max_backoff = max_backoff
        self._max_unstable = max_unstable
        self._mounts_path = mounts_path
        self._observer_factory = observer_factory or _default_observer

        self._lock = threading.Lock()
        self._debouncer = Debouncer(quiet, max_wait)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

        self.polling = False
        self.interval = 0.0
        self._why_polling = ""
        self._observer: Any = None
        self._identity: tuple[int, int] | None = None
        self._snapshot: dict[str, tuple[int, int]] = {}
        self._unstable: dict[str, int] = {}
        self.state: WatchState | None = None

    # -- lifecycle -------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="annexa-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and wait for the thread and the observer to end."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the supervisor --------------------------------------------------

    def _run(self) -> None:
        try:
            self._choose_mode()
            self._loop()
        except Exception as exc:  # a bug must not pass silently, nor kill the app
            log.exception("the folder watcher stopped")
            self._set_state(WatchState("stopped", f"watching stopped (a fault in annexa): {exc}"))
        finally:
            self._stop_observer()

    def _choose_mode(self) -> None:
        if self._forced_poll is not None:
            self.polling, self.interval = True, max(0.1, self._forced_poll)
            self._why_polling = "as asked with --poll"
            return
        fs_type = network_fs_type(self.root, mounts_path=self._mounts_path)
        if fs_type is not None:
            self.polling, self.interval = True, self._network_poll
            self._why_polling = f"a network folder ({fs_type})"

    def _loop(self) -> None:
        connected = False
        was_lost = restarted = False
        backoff = 1.0
        now = time.monotonic()
        next_attempt = now
        next_health = now + self._health_every
        next_poll = now + self.interval
        next_recheck = now + self._recheck
        while not self._stop.is_set():
            now = time.monotonic()
            if not connected:
                if now >= next_attempt:
                    reason = self._connect()
                    if reason is None:
                        connected, backoff = True, 1.0
                        next_poll = now + self.interval
                        next_health = now + self._health_every
                        next_recheck = now + self._recheck
                        if was_lost:
                            self._set_state(WatchState("back", "the folder is back"))
                        self._set_state(self._watching_state())
                        if was_lost or restarted:
                            # events were missed while nobody listened: walk again,
                            # now that new events are heard again
                            self._deliver(Changes(rescan=True))
                        was_lost = restarted = False
                    else:
                        was_lost = True
                        self._set_state(_unreachable(reason))
                        next_attempt = now + (self.interval if self.polling else backoff)
                        backoff = min(backoff * 2, self._max_backoff)
            elif self.polling:
                if now >= next_poll:
                    next_poll = now + self.interval
                    reason = self._poll(now)
                    if reason is not None:
                        connected, was_lost = False, True
                        self._set_state(_unreachable(reason))
                        next_attempt = now + self.interval
            elif now >= next_health:
                next_health = now + self._health_every
                problem = self._check_health()
                if problem is not None:
                    lost, reason = problem
                    self._stop_observer()
                    connected = False
                    if lost:
                        was_lost = True
                        self._set_state(_unreachable(reason))
                        next_attempt = now + backoff
                    else:  # observer died or ROOT replaced: restart now, walk again
                        log.info("restarting the folder observer: %s", reason)
                        next_attempt, restarted = now, True
                    continue

            if connected and now >= next_recheck:
                next_recheck = now + self._recheck
                self._deliver(Changes(rescan=True))

            with self._lock:
                batch = self._debouncer.take() if self._debouncer.due(now) else None
            if batch:
                self._deliver(self._settled(batch))
                continue

            self._sleep_until(
                now,
                next_attempt if not connected else None,
                next_poll if connected and self.polling else None,
                next_health if connected and not self.polling else None,
                next_recheck if connected else None,
            )

    def _sleep_until(self, now: float, *deadlines: float | None) -> None:
        with self._lock:
            debounce = self._debouncer.deadline()
        times = [d for d in (*deadlines, debounce) if d is not None]
        wait = min(times) - now if times else 0.5
        self._wake.wait(min(max(wait, 0.01), 0.5))
        self._wake.clear()

    def _watching_state(self) -> WatchState:
        if self.polling:
            return WatchState(
                "polling",
                f"watching: looks for changes every {_seconds(self.interval)} ({self._why_polling})",
            )
        return WatchState("native", "watching: changes show within seconds")

    def _set_state(self, state: WatchState) -> None:
        if state == self.state:
            return
        self.state = state
        self._on_state(state)

    def _deliver(self, changes: Changes) -> None:
        if changes and not self._stop.is_set():
            self._on_change(changes)

    # -- connecting ------------------------------------------------------

    def _connect(self) -> str | None:
        """Start watching ROOT; the reason in words when it cannot be reached."""
        try:
            st = os.stat(self.root)
        except OSError as exc:
            return _why(exc)
        if not os.path.isdir(self.root):
            return "it is not a folder"
        self._identity = (st.st_dev, st.st_ino)
        if self.polling:
            try:
                self._snapshot = self._walk()
            except RootMissingError as exc:
                return str(exc)
            return None
        try:
            observer = self._observer_factory()
            observer.schedule(
                _Handler(self), self._root_text, recursive=True, event_filter=_event_filter()
            )
            observer.start()
        except OSError as exc:
            if not os.path.isdir(self.root):
                return _why(exc)
            # e.g. the inotify watch limit: polling still works
            log.warning("native events unavailable, polling instead: %s", exc)
            self.polling, self.interval = True, self._network_poll
            self._why_polling = f"the system's change notices are unavailable: {_why(exc)}"
            return self._connect()
        self._observer = observer
        return None

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is None:
            return
        try:
            observer.stop()
            observer.join(timeout=2.0)
        except Exception:  # an observer that died badly must not stop us
            log.debug("observer did not stop cleanly", exc_info=True)

    def _check_health(self) -> tuple[bool, str] | None:
        """(lost, reason) when native watching must restart; None when all is well."""
        try:
            st = os.stat(self.root)
        except OSError as exc:
            return True, _why(exc)
        if not os.path.isdir(self.root):
            return True, "it is not a folder"
        if (st.st_dev, st.st_ino) != self._identity:
            return False, "the folder was replaced"
        observer = self._observer
        if observer is None or not observer.is_alive():
            return False, "the observer stopped"
        if any(not emitter.is_alive() for emitter in observer.emitters):
            return False, "the observer stopped"
        return None

    # -- polling ---------------------------------------------------------

    def _walk(self) -> dict[str, tuple[int, int]]:
        inventory = scan_tree(self.root)
        snapshot = {path: (e.size, e.mtime_ns) for path, e in inventory.files.items()}
        # A folder that could not be listed this time keeps what it held last
        # time, so a network hiccup is not read as every file in it deleted.
        for folder in unlisted_folders(inventory.errors):
            prefix = "" if folder == "." else folder + "/"
            for path, sig in self._snapshot.items():
                if path.startswith(prefix):
                    snapshot.setdefault(path, sig)
        return snapshot

    def _poll(self, now: float) -> str | None:
        try:
            fresh = self._walk()
        except RootMissingError as exc:
            return str(exc)
        old = self._snapshot
        changed = {p for p in fresh.keys() | old.keys() if fresh.get(p) != old.get(p)}
        self._snapshot = fresh
        if changed:
            with self._lock:
                self._debouncer.add(changed, now)
        return None

    # -- events ----------------------------------------------------------

    def _event(self, event: Any) -> None:
        hint = hint_for_event(
            event.event_type,
            event.is_directory,
            event.src_path,
            getattr(event, "dest_path", ""),
            self._root_text,
        )
        if not hint:
            return
        with self._lock:
            self._debouncer.add(hint.paths, time.monotonic(), rescan=hint.rescan)
        self._wake.set()

    # -- settling --------------------------------------------------------

    def _signature(self, path: str) -> Signature:
        try:
            st = os.stat(self.root / path)
        except (OSError, ValueError):
            return None
        return (st.st_size, st.st_mtime_ns)

    def _settled(self, batch: Changes) -> Changes:
        """The batch without the files still being written; those go back to wait."""
        if not batch.paths or self._settle <= 0:
            return batch
        first = {path: self._signature(path) for path in batch.paths}
        if self._stop.wait(self._settle):
            return Changes()
        unstable = set()
        for path, sig in first.items():
            if self._signature(path) != sig:
                tries = self._unstable.get(path, 0) + 1
                if tries <= self._max_unstable:  # a file written for ever is read anyway
                    self._unstable[path] = tries
                    unstable.add(path)
                    continue
            self._unstable.pop(path, None)
        if unstable:
            with self._lock:
                self._debouncer.add(unstable, time.monotonic())
        return Changes(batch.paths - unstable, batch.rescan)


class _Handler:
    """watchdog calls ``dispatch``; every event becomes a hint for the watcher."""

    def __init__(self, watcher: FolderWatcher) -> None:
        self._watcher = watcher

    def dispatch(self, event: Any) -> None:
        self._watcher._event(event)


def _why(exc: OSError) -> str:
    failure = os_failure(exc)
    return "the folder is not there" if failure.kind is FailureKind.VANISHED else failure.words


def _unreachable(reason: str) -> WatchState:
    return WatchState("unreachable", f"the folder cannot be reached: {reason}", reason)


def _seconds(value: float) -> str:
    return f"{value:g} s"
