"""SIGTERM and SIGHUP stop annexa as Ctrl+C does: one line, 143 or 129, nothing left behind.

Each run is a real ``python -m annexa`` process with a temporary folder of
its own (TMPDIR) and a mark in its environment, so the test can see every
process it started and every folder multiprocessing made for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from annexa.console import stops
from tests.hostile import AS_OF, pdf_document
from tests.processes import MARK, marked, new_mark, wait_until

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads processes from /proc"
)

SPEC = """\
[spec]
name = "Stops"

[[item]]
id = "S1"
title = "Policies"
patterns = ["**/policy*"]
count = 300
"""


@pytest.fixture
def share(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    root.mkdir()
    document = pdf_document(["Policy", "Date approved: 1 September 2015"])
    for number in range(300):
        (root / f"policy {number:03}.pdf").write_bytes(document)
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    return root


def environment(tmp_path: Path, mark: str) -> dict[str, str]:
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "TMPDIR": str(temporary),
        MARK: mark,
        "TERM": "xterm-256color",
    }


def readers(mark: str, main: int) -> list[int]:
    """The reader processes: forked by the fork server, so not the run's own children."""
    found = marked(mark)
    return [pid for pid, parent in found.items() if pid != main and parent != main]


@linux_only
@pytest.mark.slow
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_scan_stopped_mid_read_says_so_once_and_leaves_no_process_or_folder(
    share: Path, tmp_path: Path, name: str
) -> None:
    signum = int(getattr(signal, name))
    mark = new_mark()
    env = environment(tmp_path, mark)
    run = subprocess.Popen(
        [sys.executable, "-m", "annexa", "scan", str(share), "--spec",
         str(tmp_path / "spec.toml"), "--as-of", AS_OF.isoformat(), "--no-cache",
         "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    held: list[int] = []
    try:
        assert wait_until(lambda: bool(readers(mark, run.pid)) or run.poll() is not None, 120)
        assert run.poll() is None, "the scan ended before its readers could be caught"
        for pid in readers(mark, run.pid):  # hold them mid-file: the scan is surely mid-read
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
                held.append(pid)
        run.send_signal(signum)
        out, err = run.communicate(timeout=60)
    finally:
        for pid in held:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        if run.poll() is None:
            run.kill()
    assert run.returncode == 128 + signum
    assert out == b""
    assert err.decode().splitlines() == [f"annexa: {stops.words_for(signum)}"]
    assert wait_until(lambda: not marked(mark), 30), f"left running: {marked(mark)}"
    assert list((tmp_path / "tmp").iterdir()) == []  # no /tmp/pymp-* left


class Terminal:
    """``annexa watch`` in a pseudo-terminal of 160 x 45, its output collected as it comes."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # pragma: no cover - the child
            os.execvpe(command[0], command, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if ready:
                    chunk = os.read(self.fd, 65536)
                    if not chunk:
                        return
                    with self._lock:
                        self.output += chunk
            except OSError:  # EIO: the child closed the terminal
                return

    def text(self) -> bytes:
        with self._lock:
            return bytes(self.output)

    def exit_code(self, timeout: float) -> int | None:
        status: list[int] = []

        def ended() -> bool:
            pid, code = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                status.append(code)
            return bool(status)

        if not wait_until(ended, timeout, 0.05):
            return None
        self._reader.join(timeout=10)
        return os.waitstatus_to_exitcode(status[0])

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)


LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"


@linux_only
@pytest.mark.slow
@pytest.mark.skipif(not DEMO.is_dir(), reason="the demo authority is not built")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_watch_stopped_by_a_signal_restores_the_terminal_and_leaves_nothing(
    tmp_path: Path, name: str
) -> None:
    signum = int(getattr(signal, name))
    root = tmp_path / "Annex A"
    shutil.copytree(DEMO, root)
    mark = new_mark()
    as_of = (DEMO.parent / "demo-authority.as-of").read_text().strip()
    terminal = Terminal(
        [sys.executable, "-m", "annexa", "watch", str(root), "--as-of", as_of, "--no-cache"],
        environment(tmp_path, mark),
    )
    try:
        assert wait_until(lambda: b"watching" in terminal.text(), 120), terminal.text()[-2000:]
        assert wait_until(lambda: len(marked(mark)) > 2, 60)  # its readers are running
        before = len(terminal.text())
        os.kill(terminal.pid, signum)
        code = terminal.exit_code(60)
        after = terminal.text()[before:]
    finally:
        terminal.close()
    assert code == 128 + signum
    for restored in (LEAVE_ALTERNATE_SCREEN, SHOW_CURSOR, MOUSE_OFF):
        assert restored in after, (restored, after[-800:])
    said = after[after.rindex(LEAVE_ALTERNATE_SCREEN) :].decode(errors="replace")
    assert f"annexa: {stops.words_for(signum)}" in said
    assert "Traceback" not in said
    assert wait_until(lambda: not marked(mark), 30), f"left running: {marked(mark)}"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_without_sighup_only_sigterm_stops_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no SIGHUP: nothing may ask for it there."""
    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    assert stops.stop_signals() == (int(signal.SIGTERM),)
    with stops.stopping_on_signals():
        pass


def test_exit_codes_are_the_shells_for_the_signal() -> None:
    assert stops.signal_exit_code(int(signal.SIGTERM)) == 143
    if hasattr(signal, "SIGHUP"):
        assert stops.signal_exit_code(int(signal.SIGHUP)) == 129
        assert stops.signal_of(129) == int(signal.SIGHUP)
    assert stops.signal_of(143) == int(signal.SIGTERM)
    assert stops.signal_of(1) is None and stops.signal_of(130) is None


def test_a_stop_while_a_reader_is_being_started_waits_until_it_is_known() -> None:
    """Unwound mid-start, a reader would exist with no one knowing its pid to end it."""
    from annexa.model.held_stops import holding_stops, stop_now_or_after

    class Stop(BaseException):
        pass

    def stop() -> None:
        raise Stop

    started: list[str] = []
    with pytest.raises(Stop), holding_stops():
        stop_now_or_after(stop)  # the signal arrives here ...
        started.append("reader")  # ... and the start still completes
    assert started == ["reader"]
    with pytest.raises(Stop):
        stop_now_or_after(stop)  # outside such a moment it stops at once
