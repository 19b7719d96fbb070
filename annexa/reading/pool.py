"""Read files in worker processes that can be killed and cannot eat the machine.

pypdf and friends still meet files that loop for ever or inflate to gigabytes.
The stdlib ProcessPoolExecutor cannot kill a hung task, so this is a small
pool of its own: one Pipe per worker, ``multiprocessing.connection.wait`` over
the busy pipes and process sentinels with a deadline per file, and a worker
that overruns or dies is killed and replaced while the others carry on. A
file whose reader died under it (killed from outside, or crashed) is read
once more in another reader before it is called unreadable: a reader killed
mid-scan changes no answer. A file that timed out is not tried again in the
same run (it would most likely cost the same 20 seconds again).

- Workers are started lazily (a scan whose files are all cached starts none)
  and reused from file to file; at most one per core by default. While more
  files wait than there are workers, a busy worker is sent its next files
  ahead, so it never waits for this process between two files; a file's
  deadline starts when its worker starts it.
- Processes come from "forkserver" on Linux, with the readers preloaded so a
  new worker is a cheap fork of a process that already imported PDFium and
  lxml, and from "spawn" elsewhere; never plain "fork", which is
  unsafe in a process with threads (the TUI has several).
- Each worker caps its address space (RLIMIT_AS) so a flate bomb raises
  MemoryError inside the worker, reported as "needs more memory than the
  1024 MB allowed", instead of swapping the machine to a halt.
- If no worker process can be started at all (a locked-down host), the
  files are read in this process with a warning, rather than failing the scan.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from annexa.model import Facts, FileEntry
from annexa.model.failures import FailureKind, os_failure
from annexa.model.held_stops import holding_stops
from annexa.reading.inline import OnDone, ReadFunction
from annexa.reading.read import (
    MEMORY_REASON,
    READABLE_FORMATS,
    READER_MODULES,
    failed_facts,
    read_facts,
    unread_facts,
)
from annexa.reading.resource_tracker import start_resource_tracker

PRELOAD = ["annexa.reading.read", *READER_MODULES]
STARTUP_TIMEOUT = 60.0  # a worker that is not ready by then counts as "cannot start"
# Recycle workers so a long `watch` session cannot creep in memory; a reader's size
# stays flat over that many files (docs/speed.md), and each new one costs a fork and a
# warm-up.
TASKS_PER_WORKER = 2000
# Files sent ahead to a busy worker, so it never waits for the main process: two
# at most near the end of the queue, so no worker sits idle while another still
# has files queued; up to eight while many wait, so the readers keep reading
# while the main process stores a batch of facts in the cache (docs/speed.md).
PIPELINE = 2
PIPELINE_LONG = 8
POLL_INTERVAL = 0.5  # longest wait between checks for close() from another thread


# ---------------------------------------------------------------------------
# Inside the worker process
# ---------------------------------------------------------------------------


def _worker_main(conn: Connection, memory_mb: int, read: ReadFunction) -> None:
    """Serve (root, entry) tasks until told to stop or the parent goes away."""
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limited = _limit_resources(memory_mb)
    _yield_priority()
    warnings.simplefilter("ignore")  # library warnings about odd files are not the user's business
    memory_reason = (
        f"needs more memory than the {memory_mb} MB allowed" if limited else MEMORY_REASON
    )
    try:
        conn.send(("ready", os.getpid()))
    except (OSError, ValueError):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        root, entry = task
        try:
            facts = read(Path(root), entry)
        except MemoryError:
            facts = failed_facts(entry, memory_reason, FailureKind.OUT_OF_MEMORY)
        except BaseException as exc:  # a read function that raises is a bug, not a crash
            facts = failed_facts(
                entry, f"could not be read: {type(exc).__name__}", FailureKind.UNEXPECTED
            )
        if not isinstance(facts, Facts):
            facts = failed_facts(
                entry, "could not be read: the reader returned nothing", FailureKind.UNEXPECTED
            )
        elif facts.error_kind is FailureKind.OUT_OF_MEMORY:
            facts = failed_facts(entry, memory_reason, FailureKind.OUT_OF_MEMORY)
        try:
            conn.send(facts)
        except MemoryError:
            conn.send(failed_facts(entry, memory_reason, FailureKind.OUT_OF_MEMORY))
        except (OSError, ValueError):
            return
        except Exception as exc:  # e.g. facts that cannot be pickled
            conn.send(
                failed_facts(
                    entry, f"could not be read: {type(exc).__name__}", FailureKind.UNEXPECTED
                )
            )


READER_NICENESS = 5


def _yield_priority() -> None:
    """Run below the process the reader works for, which stays quick to answer.

    With two readers on two cores, the main process (the watch screen, or
    the scan storing facts in the cache) had to wait for a turn on a core
    while the readers' next files ran out; lowered, the readers take what
    it leaves, and a desktop stays responsive while a share is read. Where there is no
    ``os.nice`` (Windows) they run as they are.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.nice(READER_NICENESS)


def _limit_resources(memory_mb: int) -> bool:
    """Cap this process's address space; no core files from a crashing reader."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        return False
    return True


# ---------------------------------------------------------------------------
# In the parent
# ---------------------------------------------------------------------------


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _preload(context: Any, modules: list[str]) -> bool:
    """Tell a fork server what to import before forking readers that run a function of
    ``modules``; whether ``context`` has a fork server at all."""
    get_method = getattr(context, "get_start_method", None)
    if get_method is None or get_method() != "forkserver":
        return False
    context.set_forkserver_preload(preload_for(modules))
    return True


def preload_for(modules: list[str]) -> list[str]:
    """What the fork server imports before forking readers that run a function of ``modules``."""
    return [*PRELOAD, *(module for module in modules if module not in PRELOAD)]


def start_fork_server(modules: list[str]) -> None:
    """Start the readers' fork server now, for readers that will run a function of ``modules``.

    For a caller that knows, before it imports anything heavy, that documents
    will be read (a first scan): the fork server's imports then overlap its
    own start-up. The pool started later finds the server running and forks
    its readers from it, so ``modules`` must name the module of the read
    function it will be given (``annexa.cli`` passes ``annexa.reading.worker_job``;
    a test holds the two together). Does nothing where processes come from
    "spawn". Never raises: the pool meets any trouble again and reports it.
    """
    try:
        start_resource_tracker()
        if _preload(_context(), modules):
            from multiprocessing import forkserver

            forkserver.ensure_running()
    except Exception:
        pass


def _modules_of(read: ReadFunction) -> list[str]:
    """The module of the read function (through functools.partial), to preload with the readers.

    A reader recycled after TASKS_PER_WORKER files then starts with it loaded,
    instead of importing it again (annexa.reading.worker_job brings the dating code).
    """
    function = getattr(read, "func", read)
    module = getattr(function, "__module__", None)
    return [module] if module and module not in ("__main__", "__mp_main__") else []


class _Worker:
    """One reader process and its end of the pipe."""

    def __init__(self, context: Any, memory_mb: int, read: ReadFunction) -> None:
        parent_end, child_end = context.Pipe(duplex=True)
        self.conn: Connection = parent_end
        self.process = context.Process(
            target=_worker_main,
            args=(child_end, memory_mb, read),
            name="annexa-reader",
            daemon=True,
        )
        try:
            self.process.start()
        except BaseException:
            parent_end.close()
            raise
        finally:
            child_end.close()
        self.pid: int | None = self.process.pid
        self.pending: deque[FileEntry] = deque()  # sent, in the order the worker reads them
        self.deadline = 0.0  # for the first pending file
        self.tasks = 0

    @property
    def entry(self) -> FileEntry | None:
        """The file being read now, or None when idle."""
        return self.pending[0] if self.pending else None

    def wait_ready(self, timeout: float) -> None:
        """Block until the worker has set its limits and is waiting for work."""
        if not self.conn.poll(timeout):
            raise OSError("the reader process did not start in time")
        message = self.conn.recv()
        if not (isinstance(message, tuple) and message[0] == "ready"):
            raise OSError("the reader process sent something unexpected")
        self.pid = message[1]

    def assign(self, root: Path, entry: FileEntry, timeout: float) -> None:
        self.conn.send((str(root), entry))
        if not self.pending:
            self.deadline = time.monotonic() + timeout
        self.pending.append(entry)
        self.tasks += 1

    def done(self, timeout: float) -> None:
        """The first pending file came back; the next one's time starts now."""
        self.pending.popleft()
        if self.pending:
            self.deadline = time.monotonic() + timeout

    def receive(self, ready: bool = False) -> Facts | None:
        """The worker's answer, or None when it died without one.

        ``ready``: ``wait`` said the pipe has data, so no need to ask again.
        """
        try:
            if not ready and not self.conn.poll():
                return None
            answer = self.conn.recv()
        except (EOFError, OSError):
            return None
        return answer if isinstance(answer, Facts) else None

    def death_reason(self) -> str:
        self.process.join(timeout=2)
        code = self.process.exitcode
        if code is None:
            return "the reader stopped answering"
        if code < 0:
            return f"the reader crashed (signal {-code})"
        return f"the reader stopped unexpectedly (exit code {code})"

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=2)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        """Ask an idle worker to leave; kill it if it does not."""
        with contextlib.suppress(Exception):
            self.conn.send(None)
        with contextlib.suppress(Exception):
            self.process.join(timeout=1)
        if self.process.exitcode is None:
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


def _stop_all(workers: list[_Worker]) -> None:
    """Used by close() and at interpreter exit: no worker may outlive annexa."""
    while workers:
        worker = workers.pop()
        if worker.entry is None:
            worker.stop()
        else:
            worker.kill()


_NO_READER = "the reader stopped unexpectedly before it could start"


def _seconds(value: float) -> str:
    return f"{value:g}"


class WorkerPoolExtractor:
    """Reads files in reusable worker processes with a time and memory limit each.

    ``read`` must be a module-level function (it is pickled by reference into
    every worker); tests pass one that hangs, crashes or allocates to prove
    the kill paths. ``extract`` may run in a background thread, one call at
    a time; ``on_done`` runs in that calling thread as each file finishes and
    must not call ``extract`` itself. ``warn`` is told, once, when no reader
    can start and files are read in this process instead (Python's warnings
    when there is none).
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = 20.0,
        memory_mb: int = 1024,
        read: ReadFunction = read_facts,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.size = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._read = read
        self._warn = warn
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._workers: list[_Worker] = []  # every live worker, idle or busy
        self._retried: set[str] = set()  # files whose reader died once in this extract
        self._context: Any = None
        self.fallback_reason: str | None = None
        weakref.finalize(self, _stop_all, self._workers)

    @property
    def pids(self) -> tuple[int, ...]:
        """Process ids of the live workers (none before the first file is read)."""
        return tuple(w.pid for w in self._workers if w.pid is not None and w.process.is_alive())

    # -- public ----------------------------------------------------------------

    def extract(
        self,
        root: Path,
        entries: Sequence[FileEntry],
        *,
        on_done: OnDone | None = None,
    ) -> dict[str, Facts]:
        with self._lock:
            self._closing.clear()
            self._retried.clear()
            results: dict[str, Facts] = {}
            queue: deque[FileEntry] = deque()
            for entry in entries:
                if entry.extension in READABLE_FORMATS:
                    queue.append(entry)
                else:
                    self._finish(results, unread_facts(entry), on_done)
            if queue:
                self._run(Path(root), queue, results, on_done)
            return results

    def prestart(self) -> None:
        """Start the readers' fork server now, without waiting for it; no reader yet.

        The fork server imports the readers (PDFium, lxml, the dating code)
        before it can fork the first one.
        A caller that knows files will be read (an empty cache) can call this
        before its own start-up work, which then overlaps those imports.
        Readers still start only when ``extract`` needs them; where processes
        come from "spawn" this does nothing. Never raises: ``extract`` meets
        any trouble again and reports it.
        """
        if not self._lock.acquire(blocking=False):
            return  # extract is running: it starts what it needs
        try:
            start_fork_server(_modules_of(self._read))
        finally:
            self._lock.release()

    def close(self) -> None:
        """Stop every worker. Idempotent; also runs at interpreter exit.

        If another thread is in ``extract``, it is asked to stop: it kills its
        busy workers and returns the facts read so far.
        """
        self._closing.set()
        acquired = self._lock.acquire(timeout=10)
        try:
            _stop_all(self._workers)
        finally:
            if acquired:
                self._lock.release()

    # -- the loop --------------------------------------------------------------

    def _run(
        self,
        root: Path,
        queue: deque[FileEntry],
        results: dict[str, Facts],
        on_done: OnDone | None,
    ) -> None:
        busy: dict[Connection, _Worker] = {}
        idle_rounds = 0
        try:
            while queue or busy:
                if self._closing.is_set():
                    return
                self._hand_out(root, queue, busy)
                if not busy:
                    if self.fallback_reason is not None:  # no process can start at all
                        self._read_inline(root, queue, results, on_done)
                        return
                    idle_rounds += 1  # workers died while idle: start others, a few times
                    if idle_rounds < 3:
                        continue
                    while queue:
                        self._finish(
                            results,
                            failed_facts(queue.popleft(), _NO_READER, FailureKind.READER_FAILED),
                            on_done,
                        )
                    return
                idle_rounds = 0
                finished = self._collect(busy, queue)
                if finished:  # new work first, so no worker waits while on_done runs
                    self._hand_out(root, queue, busy)
                for facts in finished:
                    self._finish(results, facts, on_done)
        finally:
            for worker in busy.values():  # interrupted: their answers would be stale
                self._discard(worker, kill=True)

    def _hand_out(
        self, root: Path, queue: deque[FileEntry], busy: dict[Connection, _Worker]
    ) -> None:
        idle = [w for w in self._workers if not w.pending]
        wanted = min(len(queue), self.size - len(busy)) - len(idle)
        if wanted > 0 and self.fallback_reason is None:
            idle.extend(self._start(wanted))
        for worker in idle:
            if not queue:
                break
            entry = queue.popleft()
            try:
                worker.assign(root, entry, self.timeout)
            except (OSError, ValueError):  # it died while idle: try the file on another
                queue.appendleft(entry)
                self._discard(worker, kill=True)
                continue
            busy[worker.conn] = worker
        # While there is more work than workers, each busy one gets its next file now:
        # it starts on it the moment it sends an answer, not after the main process
        # has received the answer and sent another file.
        for worker in list(busy.values()):
            depth = PIPELINE_LONG if len(queue) > self.size * PIPELINE_LONG else PIPELINE
            while (
                len(queue) > self.size
                and len(worker.pending) < depth
                and worker.tasks < TASKS_PER_WORKER
            ):
                entry = queue.popleft()
                try:
                    worker.assign(root, entry, self.timeout)
                except (OSError, ValueError):  # it died: _collect will say why
                    queue.appendleft(entry)
                    break

    def _collect(self, busy: dict[Connection, _Worker], queue: deque[FileEntry]) -> list[Facts]:
        """The facts of every worker that finished (or died, or overran) by now.

        A worker that dies or overruns fails the file it was reading; the
        files sent after it, which it never started, go back to the queue.
        """
        finished: list[Facts] = []
        now = time.monotonic()
        soonest = min(w.deadline for w in busy.values())
        handles: list[Any] = [*busy, *(w.process.sentinel for w in busy.values())]
        ready = set(wait(handles, timeout=max(0.0, min(soonest - now, POLL_INTERVAL))))
        now = time.monotonic()
        for conn, worker in list(busy.items()):
            entry = worker.entry
            assert entry is not None
            if conn in ready or worker.process.sentinel in ready:
                facts = worker.receive(ready=conn in ready)
                if facts is None and entry.path not in self._retried:
                    # Killed or crashed (the machine short of memory, someone
                    # ending processes): once more, in another reader.
                    self._retried.add(entry.path)
                    queue.extendleft(reversed(worker.pending))
                    self._discard(worker, kill=True)
                    del busy[conn]
                    continue
                if facts is None:
                    facts = failed_facts(entry, worker.death_reason(), FailureKind.READER_FAILED)
                elif facts.path != entry.path:
                    facts = failed_facts(
                        entry,
                        "could not be read: the reader answered out of turn",
                        FailureKind.READER_FAILED,
                    )
                else:
                    worker.done(self.timeout)
                    finished.append(facts)
                    if not worker.pending:
                        del busy[conn]
                        if worker.tasks >= TASKS_PER_WORKER:
                            self._discard(worker, kill=False)
                    continue
            elif now >= worker.deadline:
                facts = failed_facts(
                    entry, f"timed out after {_seconds(self.timeout)} s", FailureKind.TIMED_OUT
                )
            else:
                continue
            queue.extendleft(reversed(list(worker.pending)[1:]))
            self._discard(worker, kill=True)
            del busy[conn]
            finished.append(facts)
        return finished

    # -- workers ---------------------------------------------------------------

    def _start(self, count: int) -> list[_Worker]:
        """Start up to ``count`` workers; on total failure remember why and warn once."""
        started: list[_Worker] = []
        error: BaseException | None = None
        ready: list[_Worker] = []
        try:
            try:
                start_resource_tracker()  # under Textual, no reader could start otherwise
                if self._context is None:
                    self._context = _context()
                    _preload(self._context, _modules_of(self._read))
                for _ in range(count):
                    with holding_stops():  # a stop now would leave this reader unknown
                        started.append(_Worker(self._context, self.memory_mb, self._read))
            except Exception as exc:  # no /dev/shm, no fork, too many processes ...
                error = exc
            for worker in started:
                try:
                    worker.wait_ready(STARTUP_TIMEOUT)
                except Exception as exc:
                    error = error or exc
                    worker.kill()
                    continue
                ready.append(worker)
        except BaseException:  # stopped (Ctrl+C, SIGTERM) while readers start: end them too
            for worker in started:
                worker.kill()
            raise
        self._workers.extend(ready)
        if not ready and not self._workers and error is not None:
            self.fallback_reason = (
                os_failure(error).words
                if isinstance(error, OSError)
                else str(error) or type(error).__name__
            )
            message = (
                "documents are read one at a time by annexa itself, with no time or "
                f"memory limit, as its reader processes could not start ({self.fallback_reason})"
            )
            if self._warn is not None:
                self._warn(message)
            else:
                warnings.warn(message, RuntimeWarning, stacklevel=5)
        return ready

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        if kill:
            worker.kill()
        else:
            worker.pending.clear()
            worker.stop()

    def _read_inline(
        self, root: Path, queue: deque[FileEntry], results: dict[str, Facts], on_done: OnDone | None
    ) -> None:
        while queue:
            if self._closing.is_set():
                return
            entry = queue.popleft()
            try:
                facts = self._read(root, entry)
            except Exception as exc:
                facts = failed_facts(
                    entry, f"could not be read: {type(exc).__name__}", FailureKind.UNEXPECTED
                )
            self._finish(results, facts, on_done)

    @staticmethod
    def _finish(results: dict[str, Facts], facts: Facts, on_done: OnDone | None) -> None:
        results[facts.path] = facts
        if on_done is not None:
            on_done(facts)
