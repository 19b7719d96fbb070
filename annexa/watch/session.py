"""The one thread that owns the Scanner during ``annexa watch``.

The Scanner is not thread-safe, reading documents takes time, and the user
interface must never wait for it. So one long-lived thread owns it and does
all the reading; everyone else asks for work (a batch of changed paths, a
full re-walk, a new as-of date) and hears back through one callback, with
plain dataclass events. Requests that arrive while the thread is busy are
merged: a burst of 500 saved files is one refresh, not 500.

The same thread notices when the user's spec file changes and reloads it;
an invalid spec keeps the previous one and says why.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from annexa.finding.walk import RootLostError, RootMissingError, unlisted_folders
from annexa.model import FileError, Report
from annexa.watch.debounce import Changes

if TYPE_CHECKING:
    from annexa.pipeline import Progress
    from annexa.spec.rules import Spec

log = logging.getLogger(__name__)


class ScannerLike(Protocol):
    """What the session needs of ``annexa.pipeline.Scanner`` (fakes in tests)."""

    root: Path

    def full_scan(self, progress: Progress | None = None) -> Any: ...

    def refresh(self, paths: Iterable[str], progress: Progress | None = None) -> Any: ...

    def relist(self, folders: Iterable[str], progress: Progress | None = None) -> Any: ...

    @property
    def walk_errors(self) -> Sequence[FileError]: ...

    def report(self, as_of: dt.date) -> Report: ...

    def set_spec(self, spec: Spec) -> None: ...

    def close(self) -> None: ...


# -- what the session tells its owner ------------------------------------


@dataclass(frozen=True)
class ScanStarted:
    """A walk of the whole folder began (first scan, rescan, folder back)."""

    cause: str


@dataclass(frozen=True)
class ScanProgress:
    done: int
    total: int


@dataclass(frozen=True)
class ReportReady:
    """A new Report, with what changed since the previous one and why it was made.

    ``cause`` is "first scan", "change", "rescan", "recheck", "spec" or
    "date"; ``added``/``changed``/``removed`` are the ROOT-relative paths the
    scanner found different.
    """

    report: Report
    previous: Report | None
    cause: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class FolderMissing:
    """ROOT could not be read; the last report stays, marked stale."""

    reason: str


@dataclass(frozen=True)
class SpecReloaded:
    name: str


@dataclass(frozen=True)
class SpecInvalid:
    """The spec file was changed into something invalid; the old spec stays."""

    problems: tuple[str, ...]


@dataclass(frozen=True)
class ScanFailed:
    """An unexpected error in the pipeline (a bug): shown, and the session goes on."""

    message: str


SessionEvent = (
    ScanStarted
    | ScanProgress
    | ReportReady
    | FolderMissing
    | SpecReloaded
    | SpecInvalid
    | ScanFailed
)


@dataclass
class _Work:
    first: bool = False
    rescan: str | None = None  # the cause, when a full walk is asked for
    paths: set[str] = field(default_factory=set)
    as_of: dt.date | None = None
    relist: bool = False  # list again the folders the last walk could not list

    def __bool__(self) -> bool:
        return (
            self.first
            or self.rescan is not None
            or bool(self.paths)
            or self.as_of is not None
            or self.relist
        )


class _Later:
    """Something to do again later while it is needed: its time, backing off."""

    def __init__(self, backoff: Backoff) -> None:
        self.backoff = backoff
        self.at: float | None = None

    def plan(self, needed: bool, now: float) -> None:
        if not needed:
            self.at = None
            self.backoff.reset()
        elif self.at is None:
            self.at = now + self.backoff.next()

    def due(self, now: float) -> bool:
        if self.at is not None and now >= self.at:
            self.at = None
            return True
        return False

    def seconds(self, now: float) -> float | None:
        return None if self.at is None else max(0.0, self.at - now)


class Backoff:
    """Seconds to wait before each try of something that keeps failing: doubling, capped.

    A folder that could not be listed is listed again after 2 s, then 4, 8 ...
    at most every minute while it keeps failing; once it lists, the next
    failure starts from 2 s again.
    """

    def __init__(self, first: float = 2.0, most: float = 60.0) -> None:
        self.first = first
        self.most = most
        self._next = first

    def next(self) -> float:
        wait, self._next = self._next, min(self._next * 2, self.most)
        return wait

    def reset(self) -> None:
        self._next = self.first


class ScanSession:
    """Owns a scanner in its own thread and turns requests into Reports."""

    def __init__(
        self,
        scanner: ScannerLike,
        as_of: dt.date,
        emit: Callable[[SessionEvent], None],
        *,
        spec_path: Path | None = None,
        load_spec: Callable[[Path], Spec] | None = None,
        spec_check_every: float = 1.0,
        progress_every: float = 0.1,
        retry_backoff: Backoff | None = None,
    ) -> None:
        self.scanner = scanner
        self.as_of = as_of
        self._emit = emit
        self._spec_path = spec_path
        self._load_spec = load_spec or _load_spec
        self._spec_check_every = spec_check_every
        self._progress_every = progress_every
        self._spec_files = _spec_files(spec_path)
        self._spec_signature = _signatures(self._spec_files)
        # a changed signature first seen at this time, read once it has held still
        self._spec_pending: tuple[_Signature, float] | None = None
        self._cond = threading.Condition()
        self._work = _Work(first=True)
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.report: Report | None = None
        self.busy = False
        backoff = retry_backoff or Backoff()
        # folders the last walk could not list are listed again soon
        self._relist = _Later(backoff)
        # a step that failed because ROOT was gone (the share dropped during the
        # first read) is followed by a full walk once ROOT is back, whether or
        # not the watcher saw it go: a drop shorter than its poll goes unnoticed there
        self._walk_again = _Later(Backoff(backoff.first, backoff.most))
        self._walk_failed = False

    # -- requests (any thread) ------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="annexa-scan", daemon=True)
            self._thread.start()

    def submit(self, changes: Changes) -> None:
        """A batch from the watcher."""
        with self._cond:
            if changes.rescan:
                self._work.rescan = self._work.rescan or "recheck"
            self._work.paths |= changes.paths
            self._cond.notify()

    def rescan(self, cause: str = "rescan") -> None:
        """Walk the whole folder again (the user pressed r, or the folder came back)."""
        with self._cond:
            self._work.rescan = cause
            self._cond.notify()

    def set_as_of(self, as_of: dt.date) -> None:
        """Judge again on another day (midnight passed while the app was open)."""
        with self._cond:
            self._work.as_of = as_of
            self._cond.notify()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to finish its current step and close the scanner; True when it did."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is None:
            self.scanner.close()
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the thread -------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(
                        lambda: self._stopping or bool(self._work), timeout=self._wait()
                    )
                    if self._stopping:
                        return
                    walk_due = self._take_due_retries()
                    work, self._work = self._work, _Work()
                if walk_due:
                    self._walk_if_back(work)
                self.busy = True
                try:
                    self._do(work)
                finally:
                    self.busy = False
                    self._plan_retries()
        finally:
            try:
                self.scanner.close()
            except Exception:
                log.exception("closing the scanner failed")

    def _wait(self) -> float:
        """How long to wait for work: until the next look at the spec, or the next retry."""
        now = time.monotonic()
        waits = [self._spec_check_every, self._relist.seconds(now), self._walk_again.seconds(now)]
        return min(wait for wait in waits if wait is not None)

    def _take_due_retries(self) -> bool:
        """Turn a relisting whose time has come into work (called holding the lock); True
        when a walk is due once ROOT is back, which is looked at after the lock is let go."""
        now = time.monotonic()
        if self._relist.due(now):
            self._work.relist = True
        return self._walk_again.due(now)

    def _walk_if_back(self, work: _Work) -> None:
        """Walk again if ROOT is back. Outside the lock: on a dead share the look can
        hang for many seconds, and q and r must not wait for it."""
        if os.path.isdir(self.scanner.root):
            work.rescan = work.rescan or "recheck"
        else:
            self._walk_again.plan(True, time.monotonic())  # still gone: look again later

    def _plan_retries(self) -> None:
        """After each step: while a folder could not be listed, list it again soon; while
        the last walk failed because ROOT was gone, walk again once it is back. Both
        back off while they keep failing."""
        now = time.monotonic()
        self._relist.plan(bool(self._unlisted()), now)
        self._walk_again.plan(self._walk_failed, now)

    def _unlisted(self) -> list[str]:
        return unlisted_folders(self.scanner.walk_errors)

    def _do(self, work: _Work) -> None:
        try:
            cause, delta = self._read(work)
            spec_changed = self._check_spec()
            if spec_changed:
                cause = cause or "spec"
                delta = _merge(delta, self.scanner.refresh((), self._progress()))
            if work.as_of is not None and work.as_of != self.as_of:
                self.as_of = work.as_of
                cause = cause or "date"
            if cause is None:
                return
            report = self.scanner.report(self.as_of)
        except RootMissingError as exc:
            # The watcher asks for a full walk when it sees the folder back;
            # _walk_again makes sure of one (and so of the changes this step
            # could not apply) if it never saw it go.
            self._walk_failed = True
            self._emit(FolderMissing(exc.reason if isinstance(exc, RootLostError) else str(exc)))
            return
        except Exception as exc:
            log.exception("the scan failed")
            self._emit(ScanFailed(f"{type(exc).__name__}: {exc}"))
            return
        previous, self.report = self.report, report
        added, changed, removed = delta
        self._emit(ReportReady(report, previous, cause, added, changed, removed))

    def _read(self, work: _Work) -> tuple[str | None, _Delta]:
        empty: _Delta = ((), (), ())
        if work.first or work.rescan is not None:
            cause = "first scan" if work.first or self.report is None else work.rescan
            self._emit(ScanStarted(cause or "rescan"))
            delta = _parts(self.scanner.full_scan(self._progress()))
            self._walk_failed = False
            return cause, delta
        if work.paths or work.relist:
            if not os.path.isdir(self.scanner.root):
                # Files seem to vanish because the folder (or the share) went:
                # keep the last report rather than calling everything missing.
                raise RootMissingError(f"{self.scanner.root} cannot be opened")
            delta = empty
            folders = self._unlisted() if work.relist else []
            if folders:
                delta = _parts(self.scanner.relist(folders, self._progress()))
            if work.paths:
                more = self.scanner.refresh(sorted(work.paths), self._progress())
                delta = _merge(delta, more)
            return ("change" if any(delta) else None), delta
        return None, empty

    def _check_spec(self) -> bool:
        """Reload the spec when its file, or a file it extends, was saved; say if it changed.

        An editor saves by emptying the file and writing it again, so a change is
        read only once the files have looked the same for a whole spec-check
        interval, and kept only if they did not change while being read: a spec
        caught half written would otherwise load with items missing, or be
        called invalid for a moment.
        """
        if self._spec_path is None:
            return False
        signature = _signatures(self._spec_files)
        if signature == self._spec_signature or signature is None:
            self._spec_pending = None
            return False
        now = time.monotonic()
        if self._spec_pending is None or self._spec_pending[0] != signature:
            self._spec_pending = (signature, now)  # still being saved, perhaps: look again
            return False
        if now - self._spec_pending[1] < self._spec_check_every / 2:
            return False
        from annexa.spec import SpecError

        files = _spec_files(self._spec_path)  # an edit may name another base
        before = _signatures(files)
        try:
            spec = self._load_spec(self._spec_path)
        except SpecError as exc:
            problems = tuple(str(p) for p in exc.problems)
            if self._settled(files, before):
                self._emit(SpecInvalid(problems))
            return False
        if not self._settled(files, before):
            return False
        self.scanner.set_spec(spec)
        self._emit(SpecReloaded(spec.name))
        return True

    def _settled(self, files: tuple[Path, ...], before: _Signature | None) -> bool:
        """True when the spec files read are the ones looked at before (and are now
        the known ones); False, to read them again later, when a save landed meanwhile."""
        self._spec_pending = None
        if _signatures(files) != before:
            return False
        self._spec_files, self._spec_signature = files, before
        return True

    def _progress(self) -> Progress:
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if done >= total or now - last >= self._progress_every:
                last = now
                self._emit(ScanProgress(done, total))

        return progress


_Delta = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # added, changed, removed


def _parts(delta: Any) -> _Delta:
    if delta is None:
        return ((), (), ())
    return (tuple(delta.added), tuple(delta.changed), tuple(delta.removed))


def _merge(first: _Delta, second: Any) -> _Delta:
    more = _parts(second)
    return (first[0] + more[0], first[1] + more[1], first[2] + more[2])


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _spec_files(spec_path: Path | None) -> tuple[Path, ...]:
    """The spec file and the local files it extends (the bundled ones never change)."""
    if spec_path is None:
        return ()
    from annexa.spec import spec_files

    return spec_files(spec_path) or (spec_path,)


_Signature = tuple[tuple[int, int] | None, ...]  # size and time of each spec file


def _signatures(paths: tuple[Path, ...]) -> _Signature | None:
    """Size and time of each file, None for one that is missing (a base not made yet).

    None while the spec file itself is missing: an editor saving it replaces
    it, and the spec is read again once it is back.
    """
    found = tuple(_signature(path) for path in paths)
    if not found or found[0] is None:
        return None
    return found


def _load_spec(path: Path) -> Spec:
    from annexa.spec import load_spec

    return load_spec(path)
