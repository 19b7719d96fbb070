"""Does ``annexa watch`` stay the same size all day, however often documents are saved?

Runs the real ``annexa watch`` in tmux (160 x 45, native events, its own
cache folder) on a copy of the 2,000 generated documents of
``benchmarks/scan_speed.py`` and measures its memory from ``/proc``:

1. after the first check (every document read, the cache filled);
2. after each of four saves of every document (each save appends bytes, so
   the size, time and content change and every document is read again);
3. through an hour of an office's churn, compressed: twelve rounds, each
   five minutes' worth (60 saves of documents picked at random, 5 renamed,
   5 deleted, 5 new ones copied in under new names).

A round is over when the cache holds the facts of every document saved in
it (watch stores what it reads) and annexa's processes have used no CPU
for two seconds. Memory is annexa's own process (RSS, and its peak VmHWM)
and the proportional set size of every process it started (the readers are
recycled after 2,000 files, so their share comes and goes).

Targets (issue 18): four more saves of every document grow watch's memory
by at most 40 MB; through the churn, memory stays within 40 MB of the
figure after the first check.

    python benchmarks/watch_memory.py [--docs 2000] [--saves 4] [--rounds 12]
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from scan_speed import AS_OF, build_share, memory_kb  # noqa: E402
from tmux import TmuxSession  # noqa: E402

from tests.hostile import status_kb  # noqa: E402
from tests.processes import MARK, marked, new_mark, wait_until  # noqa: E402

FACTS_FILE = "facts-v2.sqlite3"


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total


class Watch:
    """``annexa watch`` in a detached tmux session, found by the mark in its environment."""

    def __init__(self, root: Path, spec: Path, cache: Path, project: Path = PROJECT) -> None:
        self.mark = new_mark()
        command = [
            "env", f"{MARK}={self.mark}", f"PYTHONPATH={project}",
            sys.executable, "-m", "annexa", "watch", str(root), "--spec", str(spec),
            "--as-of", AS_OF, "--cache-dir", str(cache),
        ]  # fmt: skip
        shell = f"{shlex.join(command)}; echo ANNEXA-EXIT=$?; sleep 30"
        self.terminal = TmuxSession(f"annexa-memory-{os.getpid()}", shell)
        assert wait_until(lambda: self.main is not None, 60), "annexa watch did not start"

    @property
    def main(self) -> int | None:
        found = marked(self.mark)
        mains = [pid for pid, parent in found.items() if parent not in found]
        return mains[0] if mains else None

    def pids(self) -> list[int]:
        return list(marked(self.mark))

    def screen(self) -> str:
        return self.terminal.text()

    def idle(self, quiet: float = 2.0, timeout: float = 900) -> None:
        """Wait until annexa's processes have used no CPU for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last, since = cpu_ticks(self.pids()), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = cpu_ticks(self.pids())
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
        raise TimeoutError("annexa watch did not go quiet")

    def memory(self) -> tuple[float, float, float]:
        """(annexa's RSS, its peak, the PSS of every process it started), in MB."""
        main = self.main
        assert main is not None
        rss = status_kb(main, b"VmRSS:") / 1024
        peak = status_kb(main, b"VmHWM:") / 1024
        tree = sum(memory_kb(pid) for pid in self.pids()) / 1024
        return rss, peak, tree

    def close(self) -> None:
        self.terminal.keys("q")
        wait_until(lambda: "ANNEXA-EXIT=" in self.screen(), 30, 0.1)
        self.terminal.kill()


def cached(cache: Path, files: list[Path]) -> bool:
    """Whether the cache holds facts for each file as it is now (watch read it since it changed)."""
    if not files:
        return True
    wanted = {}
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        wanted[os.path.realpath(path)] = (info.st_size, info.st_mtime_ns)
    try:
        conn = sqlite3.connect(f"file:{cache / FACTS_FILE}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return False
    try:
        found = 0
        keys = list(wanted)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for path, size, mtime_ns in conn.execute(
                f"SELECT path, size, mtime_ns FROM facts WHERE path IN ({marks})", chunk
            ):
                if wanted.get(path) == (size, mtime_ns):
                    found += 1
        return found >= len(wanted)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def save(path: Path, number: int) -> None:
    """Save a document again: new bytes at its end (a PDF comment; bytes after a zip's end)."""
    with open(path, "ab") as document:
        document.write(b"\n%% saved again %d\n" % number if path.suffix == ".pdf" else b"\0" * 16)


def settle(watch: Watch, cache: Path, saved: list[Path], timeout: float = 900) -> float:
    started = time.monotonic()
    if not wait_until(lambda: cached(cache, saved), timeout, 0.5):
        raise TimeoutError(f"watch did not read the {len(saved)} saved documents")
    watch.idle()
    return time.monotonic() - started


def line(label: str, figures: tuple[float, float, float], first: tuple[float, float, float]) -> str:
    rss, peak, tree = figures
    return (
        f"{label:<34} annexa {rss:6.1f} MB ({rss - first[0]:+6.1f}), peak {peak:6.1f} MB,"
        f" all its processes {tree:6.1f} MB ({tree - first[2]:+6.1f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=4, help="saves of every document")
    parser.add_argument("--rounds", type=int, default=12, help="five-minute rounds of churn")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--project",
        type=Path,
        default=PROJECT,
        help="the annexa source to run (another checkout, to compare before and after)",
    )
    args = parser.parse_args()
    os.chdir(args.project)  # ``python -m annexa`` looks in the folder it runs in first
    if shutil.which("tmux") is None:
        print("tmux is needed to run annexa watch in a real terminal", file=sys.stderr)
        return 2
    _share, docs_root, spec = build_share(HERE / "out", args.docs)
    work = Path(tempfile.mkdtemp(prefix="annexa-watch-memory-"))
    root, cache = work / "Annex A", work / "cache"
    shutil.copytree(docs_root, root)
    rng = random.Random(args.seed)
    print(f"annexa watch on {args.docs:,} documents (a copy in {work}), native events, tmux")
    watch = Watch(root, spec, cache, args.project)
    try:
        documents = sorted(p for p in root.rglob("*") if p.suffix in (".pdf", ".docx"))
        took = settle(watch, cache, documents)
        first = watch.memory()
        print(line(f"first check ({took:.0f} s)", first, first))
        worst = 0.0
        for number in range(1, args.saves + 1):
            for path in documents:
                save(path, number)
            took = settle(watch, cache, documents)
            figures = watch.memory()
            worst = max(worst, figures[0] - first[0])
            print(line(f"every document saved, {number} ({took:.0f} s)", figures, first))
        print(
            f"four saves of every document: annexa grew {watch.memory()[0] - first[0]:+.1f} MB"
            f" (target: at most +40 MB)"
        )
        made = 0
        for round_number in range(1, args.rounds + 1):
            saved = rng.sample(documents, 60)
            for path in saved:
                save(path, 100 + round_number)
            for path in rng.sample([d for d in documents if d not in saved], 5):
                renamed = path.with_name(f"{path.stem} v{round_number}{path.suffix}")
                path.rename(renamed)
                documents[documents.index(path)] = renamed
            for path in rng.sample([d for d in documents if d not in saved], 5):
                path.unlink()
                documents.remove(path)
            for path in rng.sample(documents, 5):
                made += 1
                copy = path.with_name(f"{path.stem} copy {made}{path.suffix}")
                shutil.copyfile(path, copy)
                documents.append(copy)
                saved.append(copy)
            settle(watch, cache, [p for p in saved if p.exists()])
            figures = watch.memory()
            worst = max(worst, figures[0] - first[0])
            print(line(f"churn, {round_number * 5} minutes' worth", figures, first))
        print(
            f"largest growth of annexa after the first check: {worst:+.1f} MB"
            " (target: within 40 MB)"
        )
        screen = watch.screen()
        if "unreadable" in screen.split("Activity")[0].lower() and "! unreadable" in screen:
            print("note: an item is unreadable on screen:\n" + screen)
    finally:
        watch.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
