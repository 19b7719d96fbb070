"""A day on a network share, at full size: faults that heal and stops that leave nothing.

On the 2,000 generated documents of ``benchmarks/scan_speed.py``, each run a
real ``python -m annexa`` process:

- ``race``: four first-time scans at once (one new, empty cache folder for
  the four), for ``--rounds`` rounds (80): how many rounds gave a warning
  (the target is none), and whether the four reports agree;
- ``kill``: a cold scan while a reader process is killed every
  ``--kill-every`` seconds: whether every item's status and reason are
  those of an undisturbed scan;
- ``away``: ROOT moved away while a cold scan reads: the exit code (2) and
  what is said (one line);
- ``sigterm``: SIGTERM (and SIGHUP) while a cold scan reads: the exit code
  (143, 129), what is said, and whether any process it started or any
  ``pymp-*`` temporary folder is left (each run has its own TMPDIR);
- ``watch``: ``annexa watch --poll=2`` in tmux, the share moved away during
  the first read and back again, then r: whether any item or file is
  unreadable on the screen afterwards.

Prints figures; asserts nothing (the tests assert, on small folders).

    python benchmarks/share_faults.py [race kill away sigterm watch] [--rounds 80]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from scan_speed import AS_OF, build_share  # noqa: E402
from tmux import TmuxSession  # noqa: E402

from tests.processes import MARK, marked, new_mark, wait_until  # noqa: E402

RUN = {"project": PROJECT}  # the annexa source the runs import (--project)


def annexa_env(**more: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(RUN["project"]), **more}


def scan_command(root: Path, spec: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "annexa", "scan", str(root), "--spec", str(spec),
        "--as-of", AS_OF, "--format", "json", *extra,
    ]  # fmt: skip


def environment(mark: str, temporary: Path) -> dict[str, str]:
    return annexa_env(**{MARK: mark, "TMPDIR": str(temporary)})


def readers(mark: str, main: int) -> list[int]:
    """annexa's reader processes: forked by its fork server, not its own children."""
    return [pid for pid, parent in marked(mark).items() if pid not in (main,) and parent != main]


def statuses(report: dict) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {item["id"]: (item["status"], item["reason"]) for item in report["items"]}


# -- race -----------------------------------------------------------------------------------


def race(docs: Path, spec: Path, rounds: int, work: Path) -> None:
    warned_rounds, disagreed = 0, 0
    started = time.monotonic()
    for number in range(rounds):
        cache = work / f"race-cache-{number}"
        runs = [
            subprocess.Popen(
                scan_command(docs, spec, "--cache-dir", str(cache)),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=annexa_env(),
            )
            for _ in range(4)
        ]
        outs = [run.communicate(timeout=900) for run in runs]
        errors = [err.decode(errors="replace") for _, err in outs]
        if any("warning" in err for err in errors):
            warned_rounds += 1
            print(f"  round {number + 1}: " + " | ".join(e.strip() for e in errors if e.strip()))
        reports = [json.loads(out) for out, _ in outs]
        if any(statuses(r) != statuses(reports[0]) for r in reports):
            disagreed += 1
        if any(run.returncode not in (0, 1) for run in runs):
            print(f"  round {number + 1}: exit codes {[run.returncode for run in runs]}")
        shutil.rmtree(cache, ignore_errors=True)
    print(
        f"race: {rounds} rounds of four first-time scans at once "
        f"({time.monotonic() - started:.0f} s): {warned_rounds} rounds warned, "
        f"{disagreed} rounds where the four reports disagreed (target: 0 and 0)"
    )


# -- readers killed -----------------------------------------------------------------------------


def kill(docs: Path, spec: Path, every: float, work: Path) -> None:
    quiet = subprocess.run(
        scan_command(docs, spec, "--no-cache"),
        capture_output=True,
        env=annexa_env(),
        check=False,
    )
    expected = statuses(json.loads(quiet.stdout))
    mark = new_mark()
    report, said = work / "killed.json", work / "killed.txt"
    with open(report, "wb") as out, open(said, "wb") as err:  # files: a pipe would fill up
        run = subprocess.Popen(
            scan_command(docs, spec, "--no-cache"), stdout=out, stderr=err,
            env=environment(mark, work),
        )  # fmt: skip
    kills = 0
    rng = random.Random(18)
    next_kill = time.monotonic() + every
    while run.poll() is None:
        if time.monotonic() >= next_kill:
            found = readers(mark, run.pid)
            if found:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(rng.choice(found), signal.SIGKILL)
                    kills += 1
            next_kill = time.monotonic() + every
        time.sleep(0.01)
    run.wait()
    got = statuses(json.loads(report.read_bytes()))
    err = said.read_bytes()
    changed = sorted(item for item in expected if got.get(item) != expected[item])
    print(
        f"kill: {kills} readers killed during a cold scan of the documents (one every"
        f" {every:g} s): exit {run.returncode}, {len(changed)} items changed status or reason"
        f" against an undisturbed scan (target: 0){': ' + ', '.join(changed) if changed else ''}"
    )
    if err.strip():
        print(f"  said: {err.decode(errors='replace').strip()}")


# -- ROOT away --------------------------------------------------------------------------------------


def cold_scan_under_way(
    root: Path, spec: Path, mark: str, temporary: Path
) -> tuple[subprocess.Popen[bytes], bool]:
    """A cold scan of ``root``, a little into its reading; and whether it is still reading."""
    run = subprocess.Popen(
        scan_command(root, spec, "--no-cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(mark, temporary),
    )
    wait_until(lambda: bool(readers(mark, run.pid)) or run.poll() is not None, 120)
    time.sleep(0.3)  # a little into the reading
    return run, run.poll() is None


def away(docs: Path, spec: Path, work: Path) -> None:
    root = work / "share"
    moved = work / "share (away)"
    shutil.copytree(docs, root)
    run, was_reading = cold_scan_under_way(root, spec, new_mark(), work)
    root.rename(moved)
    out, err = run.communicate(timeout=600)
    moved.rename(root)
    said = err.decode(errors="replace").strip().splitlines()
    print(
        f"away: ROOT moved away during a cold scan (still reading: {was_reading}): "
        f"exit {run.returncode} (target: 2), {len(said)} line(s) said, "
        f"{len(out)} bytes of report (target: none)"
    )
    for line in said:
        print(f"  said: {line}")
    shutil.rmtree(root, ignore_errors=True)


# -- stop signals ----------------------------------------------------------------------------------


def stop(docs: Path, spec: Path, work: Path, name: str) -> None:
    signum = int(getattr(signal, name))
    temporary = work / f"tmp-{name}"
    temporary.mkdir()
    mark = new_mark()
    run, was_reading = cold_scan_under_way(docs, spec, mark, temporary)
    run.send_signal(signum)
    started = time.monotonic()
    _out, err = run.communicate(timeout=120)
    exited = time.monotonic() - started
    gone = wait_until(lambda: not marked(mark), 30)
    gone_after = time.monotonic() - started
    left = sorted(p.name for p in temporary.iterdir())
    print(
        f"{name.lower()}: {name} during a cold scan (still reading: {was_reading}): "
        f"exit {run.returncode} (target: {128 + signum}) after {exited:.2f} s; "
        f"processes left: {'none' if gone else marked(mark)} (all gone {gone_after:.2f} s "
        f"after the signal); temporary folders left: {left or 'none'}"
    )
    for line in err.decode(errors="replace").strip().splitlines():
        print(f"  said: {line}")


# -- watch --------------------------------------------------------------------------------------------


class Tmux(TmuxSession):
    """``annexa watch`` (or any command) in tmux, marked so its processes can be found."""

    def __init__(self, command: Sequence[str], mark: str) -> None:
        shell = f"env {MARK}={mark} {shlex.join(command)}; echo ANNEXA-EXIT=$?; sleep 30"
        super().__init__(f"annexa-faults-{os.getpid()}", shell, env=annexa_env())

    def close(self) -> None:
        self.keys("q")
        wait_until(lambda: "ANNEXA-EXIT=" in self.text(), 30, 0.1)
        self.kill()


def unreadable_on(screen: str) -> tuple[int, list[str]]:
    """(the count in the label of the tab of files that cannot be read, rows unreadable)."""
    tab = re.search(r"(?:Files that cannot be read|Can't read) (\d+)", screen)
    rows = [line.strip() for line in screen.splitlines() if "! unreadable" in line]
    return (int(tab.group(1)) if tab else -1), rows


def watch(docs: Path, spec: Path, work: Path) -> None:
    if shutil.which("tmux") is None:
        print("watch: skipped (needs tmux)")
        return
    root = work / "watched share"
    moved = work / "watched share (away)"
    shutil.copytree(docs, root)
    mark = new_mark()
    command = [
        sys.executable, "-m", "annexa", "watch", str(root), "--spec", str(spec),
        "--as-of", AS_OF, "--poll=2", "--cache-dir", str(work / "watch-cache"),
    ]  # fmt: skip
    screen = Tmux(command, mark)
    try:
        assert wait_until(lambda: "Reading documents" in screen.text(), 120, 0.05)
        time.sleep(0.5)  # well into the first read
        root.rename(moved)
        lost = wait_until(lambda: "cannot be reached" in screen.text(), 60, 0.1)
        moved.rename(root)
        back = wait_until(
            lambda: (
                "cannot be reached" not in screen.text()
                and "● watching" in screen.text()
                and "Checking…" not in screen.text()
            ),
            600,
            0.2,
        )
        screen.keys("r")
        wait_until(lambda: "Reading documents" in screen.text(), 5, 0.05)
        settled = wait_until(
            lambda: "Reading documents" not in screen.text() and "● watching" in screen.text(),
            600,
            0.2,
        )
        time.sleep(1)
        text = screen.text()
        tab, rows = unreadable_on(text)
        summary = next((line.strip() for line in text.splitlines() if "in date" in line), "")
        print(
            f"watch --poll=2: share moved away during the first read (shown unreachable: {lost}),"
            f" back (checked again: {back}), then r (settled: {settled}): unreadable files"
            f" {tab}, unreadable items on screen {len(rows)} (target: 0 and 0)"
        )
        print(f"  summary: {summary}")
    finally:
        screen.close()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(moved, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "what",
        nargs="*",
        default=["race", "kill", "away", "sigterm", "watch"],
        choices=["race", "kill", "away", "sigterm", "watch"],
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=80, help="rounds of the race")
    parser.add_argument("--kill-every", type=float, default=1.0, help="seconds between kills")
    parser.add_argument(
        "--project",
        type=Path,
        default=PROJECT,
        help="the annexa source to run (another checkout, to compare before and after)",
    )
    args = parser.parse_args()
    RUN["project"] = args.project
    os.chdir(args.project)  # ``python -m annexa`` looks in the folder it runs in first
    _share, docs, spec = build_share(HERE / "out", args.docs)
    print(f"{args.docs:,} documents in {docs}")
    work = Path(tempfile.mkdtemp(prefix="annexa-faults-"))
    try:
        for what in args.what:
            if what == "race":
                race(docs, spec, args.rounds, work)
            elif what == "kill":
                kill(docs, spec, args.kill_every, work)
            elif what == "away":
                away(docs, spec, work)
            elif what == "sigterm":
                stop(docs, spec, work, "SIGTERM")
                if hasattr(signal, "SIGHUP"):
                    stop(docs, spec, work, "SIGHUP")
            elif what == "watch":
                watch(docs, spec, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
