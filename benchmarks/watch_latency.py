"""How fast does ``annexa watch`` show a change, in a real terminal?

Runs ``annexa watch`` in tmux (160 x 45) on a copy of the demo authority and
reads the screen with ``tmux capture-pane``, as a person would look at it:

1. latency, native events: copy the missing private fostering report into the
   folder and time until its row says "in date" (and back to "missing" when
   it is deleted);
2. the same with ``--poll`` (default every 5 seconds);
3. a burst of 500 matching PDF files added, then deleted: time until the
   screen settles, and how long a key press takes to show meanwhile;
4. ROOT moved away and back: time until "cannot be reached" shows (the last
   report staying on screen) and until the folder is watched again;
5. quitting with q and with Ctrl+C: the process ends cleanly, no traceback.

Prints the figures; it is a measurement, not a test (see tests/test_tui_demo.py
for the assertions). Needs tmux. Nothing in fixtures/ is written: the demo is
copied to a temporary folder first.

    python benchmarks/watch_latency.py [--rounds 5] [--poll 5] [--burst 500]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmux import TmuxSession  # noqa: E402

DEMO = PROJECT / "fixtures" / "demo-authority"
AS_OF_FILE = PROJECT / "fixtures" / "demo-authority.as-of"
SOURCE = "04 Annual reports/2014-15/Borsetshire LSCB Annual Report 2014-15.pdf"
MISSING = "04 Annual reports/2014-15/Private Fostering Annual Report 2014-15.pdf"
BURST_DIR = "04 Annual reports/burst"
SESSION = f"annexa-bench-{os.getpid()}"


class Screen(TmuxSession):
    """One ``annexa watch`` running in a detached tmux session."""

    def __init__(self, root: Path, as_of: str, poll: float | None) -> None:
        command = [
            sys.executable,
            "-m",
            "annexa",
            "watch",
            str(root),
            "--as-of",
            as_of,
            "--no-cache",
        ]
        if poll is not None:
            command += ["--poll", str(poll)]
        shell = f"{shlex.join(command)}; echo ANNEXA-EXIT=$?; sleep 30"
        super().__init__(SESSION, shell, cwd=PROJECT)

    def wait(self, predicate: Callable[[str], bool], timeout: float, what: str) -> float:
        """Seconds until the screen satisfies ``predicate``; raises after ``timeout``."""
        start = time.monotonic()
        while True:
            if predicate(self.text()):
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise TimeoutError(
                    f"timed out after {timeout:.0f} s waiting for {what}\n{self.text()}"
                )
            time.sleep(0.05)

    def close(self) -> None:
        self.kill()


def row(screen: str, item_id: str) -> str:
    for line in screen.splitlines():
        cells = line.split()
        if item_id in cells[:6]:  # after the status words
            return line
    return ""


def status_is(item_id: str, words: str) -> Callable[[str], bool]:
    return lambda screen: words in row(screen, item_id)


UNREACHABLE = "✗ the folder cannot be reached"  # the status line (the log keeps its own line)


def watching(screen: str) -> bool:
    return "● watching" in screen and "checking the folder" not in screen


def add_file(root: Path, relative: str, source: Path) -> float:
    """Copy a document in the way a save does (written, then closed); the time it was complete."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return time.monotonic()


def latency_rounds(
    screen: Screen, root: Path, source: Path, rounds: int, timeout: float
) -> tuple[list[float], list[float]]:
    added, removed = [], []
    for _ in range(rounds):
        done = add_file(root, MISSING, source)
        screen.wait(status_is("A11", "in date"), timeout, "A11 in date")
        added.append(time.monotonic() - done)
        (root / MISSING).unlink()
        gone = time.monotonic()
        screen.wait(status_is("A11", "missing"), timeout, "A11 missing")
        removed.append(time.monotonic() - gone)
        time.sleep(0.5)  # let the watcher go quiet between rounds
    return added, removed


def settle(screen: Screen, predicate: Callable[[str], bool], quiet: float, timeout: float) -> float:
    """Seconds until ``predicate`` holds and the screen stops changing for ``quiet`` seconds."""
    start = time.monotonic()
    last_text, last_change = "", start
    while True:
        text = screen.text()
        now = time.monotonic()
        if text != last_text:
            last_text, last_change = text, now
        if predicate(text) and now - last_change >= quiet:
            return last_change - start
        if now - start > timeout:
            raise TimeoutError(f"the screen did not settle in {timeout:.0f} s\n{text}")
        time.sleep(0.1)


def burst(screen: Screen, root: Path, source: Path, count: int) -> dict[str, float]:
    """Add ``count`` matching documents at once, then delete them; time the screen and a key press."""
    figures: dict[str, float] = {}
    data = source.read_bytes()
    start = time.monotonic()
    folder = root / BURST_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"IRO Annual Report 2014-15 copy {n:03}.pdf").write_bytes(data)
    figures["write"] = time.monotonic() - start
    # a key press while annexa reads: switch to the tab of files matching no item, and back
    time.sleep(1.5)
    pressed = time.monotonic()
    screen.keys("4")
    screen.wait(lambda s: "Looks like" in s, 30, "the tab of files matching no item")
    figures["key while busy"] = time.monotonic() - pressed
    screen.keys("1")
    figures["added, settled"] = settle(screen, status_is("A7", "in date"), 3.0, 600) + (
        pressed - start
    )
    start = time.monotonic()
    shutil.rmtree(folder)
    figures["deleted, settled"] = settle(screen, status_is("A7", "waived"), 3.0, 600)
    return figures


def unreachable(screen: Screen, root: Path, timeout: float) -> dict[str, float]:
    away = root.with_name(root.name + " (away)")
    root.rename(away)
    lost = screen.wait(lambda s: UNREACHABLE in s, timeout, "the folder cannot be reached")
    text = screen.text()
    kept = bool(row(text, "A11")) and "Showing the last report" in text
    away.rename(root)
    back = screen.wait(
        lambda s: watching(s) and UNREACHABLE not in s and bool(row(s, "A11")),
        timeout,
        "the folder back",
    )
    return {"shown unreachable": lost, "back and watched": back, "last report kept": float(kept)}


def quit_cleanly(screen: Screen, keys: str) -> str:
    screen.keys(keys)
    screen.wait(lambda s: "ANNEXA-EXIT=" in s, 30, "annexa to exit")
    text = screen.text()
    code = text.split("ANNEXA-EXIT=", 1)[1].split()[0]
    return f"exit {code}" + (", traceback!" if "Traceback" in text else ", no traceback")


def describe(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.2f} s, max {max(values):.2f} s "
        f"({', '.join(f'{v:.2f}' for v in values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--poll", type=float, default=5.0)
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed to run annexa watch in a real terminal", file=sys.stderr)
        return 2
    as_of = AS_OF_FILE.read_text().strip()
    work = Path(tempfile.mkdtemp(prefix="annexa-watch-bench-"))
    root = work / "Annex A"
    shutil.copytree(DEMO, root)
    source = root / SOURCE
    print(f"annexa watch on a copy of the demo authority ({root}), as of {as_of}, 160 x 45 tmux")
    try:
        screen = Screen(root, as_of, None)
        try:
            first = screen.wait(
                lambda s: watching(s) and bool(row(s, "A11")), 120, "the first report"
            )
            print(f"first report on screen after {first:.2f} s")
            added, removed = latency_rounds(screen, root, source, args.rounds, 30)
            print(f"native events: missing -> in date: {describe(added)}")
            print(f"native events: in date -> missing: {describe(removed)}")
            for name, value in burst(screen, root, source, args.burst).items():
                print(f"burst of {args.burst} PDFs: {name}: {value:.2f} s")
            for name, value in unreachable(screen, root, 60).items():
                print(f"ROOT moved away and back (native): {name}: {value:.2f}")
            print(f"quit with q: {quit_cleanly(screen, 'q')}")
        finally:
            screen.close()

        screen = Screen(root, as_of, args.poll)
        try:
            screen.wait(lambda s: watching(s) and bool(row(s, "A11")), 120, "the first report")
            added, removed = latency_rounds(screen, root, source, args.rounds, args.poll + 30)
            print(f"polling every {args.poll:g} s: missing -> in date: {describe(added)}")
            print(f"polling every {args.poll:g} s: in date -> missing: {describe(removed)}")
            for name, value in unreachable(screen, root, args.poll * 4 + 30).items():
                print(f"ROOT moved away and back (polling): {name}: {value:.2f}")
            print(f"quit with Ctrl+C: {quit_cleanly(screen, 'C-c')}")
        finally:
            screen.close()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
