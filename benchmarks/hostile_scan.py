"""What each hostile file costs annexa, and what the whole hostile scan costs.

Run with ``.venv/bin/python benchmarks/hostile_scan.py`` (Linux: memory is
read from /proc). It builds the hostile corpus of the tests
(``tests/hostile.py``: bombs, loops, lies, passwords, entities, a
million-row list, links and a pipe) in a temporary folder, then:

1. reads each file alone, as ``annexa scan`` reads it (a reader process of
   the worker pool, with its 20 s time limit and 1024 MB memory limit, the
   file dated and hashed ahead), in a fresh reader process each time, and
   prints the time to read it, the peak resident memory of that reader
   (VmHWM: a fresh reader already holds the preloaded libraries, shown as
   "a fresh reader" in the first row) and the one-line reason annexa gives;
2. runs ``python -m annexa scan`` over the whole folder, as a user would
   (``--no-cache``, every format written outside ROOT), and prints its
   wall time and the peak of the memory of the process tree (annexa, the
   fork server, the readers), sampled every 20 ms: the sum of resident
   sizes (an upper bound: pages the readers share with the fork server
   count once per process) and the largest single process.

``--with-timeout`` adds a list whose title is the last of a gigabyte of
shared strings: every part is small, so no size check refuses it; it used
to take the whole 20 s time limit, and is now refused at once because its
headings sit after 2,000,000 other texts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from annexa.finding.walk import scan_tree  # noqa: E402
from annexa.formats import format_names  # noqa: E402
from annexa.model import FileEntry  # noqa: E402
from annexa.reading.pool import WorkerPoolExtractor  # noqa: E402
from annexa.reading.worker_job import read_ahead  # noqa: E402
from annexa.spec import load_spec  # noqa: E402
from tests.hostile import (  # noqa: E402
    AS_OF,
    CASES,
    Case,
    TreeMemory,
    build_corpus,
    pdf_document,
    status_kb,
    xlsx_shared_strings_bomb,
)

TIMEOUT_CASE = Case(
    "H37",
    "H37 List 7 shared strings bomb 2015-09-15.xlsx",
    "title cell the last of 1 GB of shared strings",
    "unreadable",
    ("timed out",),
    kind="list",
)
TIMEOUT_ITEM = (
    '\n[[item]]\nid = "H37"\ntitle = "Shared strings bomb"\npatterns = ["**/H37 *"]\n'
    'formats = ["xlsx"]\nsheet = "List 7"\ncolumns = ["Child Unique ID"]\n'
)


def read_one(
    root: Path,
    entry: FileEntry,
    options: tuple,  # type: ignore[type-arg]
    helpers: set[int],
    warm: Path,
    lists: tuple = (),  # type: ignore[type-arg]
) -> tuple[float, int, str]:
    """(seconds, peak KB of the reader, reason) for one file read alone by a fresh reader."""
    pool = WorkerPoolExtractor(workers=1, read=partial(read_ahead, options=options, lists=lists))
    try:
        pool.extract(warm, [FileEntry("warm-up.pdf", 1, 1)])  # the reader is started, not timed
        (reader,) = pool.pids
        with TreeMemory(interval=0.01) as memory:
            started = time.perf_counter()
            facts = pool.extract(root, [entry])[entry.path]
            seconds = time.perf_counter() - started
            memory.sample()
        peak = max(
            [status_kb(reader, b"VmHWM:"), memory.per_pid.get(reader, 0)]
            + [kb for pid, kb in memory.per_pid.items() if pid not in helpers and pid != reader]
        )
    finally:
        pool.close()
    return seconds, peak, facts.error or ""


def fresh_reader_kb(root: Path, options: tuple) -> int:  # type: ignore[type-arg]
    pool = WorkerPoolExtractor(workers=1, read=partial(read_ahead, options=options))
    try:
        pool.extract(root, [FileEntry("warm-up.pdf", 1, 1)])
        (reader,) = pool.pids
        return status_kb(reader, b"VmHWM:")
    finally:
        pool.close()


def whole_scan(root: Path, spec: Path, out: Path) -> tuple[float, int, int, int]:
    """(seconds, peak KB of the tree, largest KB of one process, exit code) of annexa scan."""
    formats = [f"--format={name}:{out / ('report.' + name)}" for name in format_names()]
    command = [
        sys.executable, "-m", "annexa", "scan", str(root), "--spec", str(spec),
        "--as-of", AS_OF.isoformat(), "--no-cache", *formats,
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=PROJECT, env={**os.environ, "CI": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    with TreeMemory(process.pid) as memory:
        _, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"annexa scan failed ({process.returncode}):\n{err.decode()}")
    return seconds, memory.peak_kb, memory.largest_kb, process.returncode


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB" if kb else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--with-timeout",
        action="store_true",
        help="add the shared-strings bomb (once stopped only by the time limit)",
    )
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        raise SystemExit("this benchmark reads memory from /proc (Linux)")
    with tempfile.TemporaryDirectory(prefix="annexa-hostile-") as temp:
        base = Path(temp)
        started = time.perf_counter()
        corpus = build_corpus(base / "corpus")
        cases = list(CASES)
        if args.with_timeout:
            (corpus.root / TIMEOUT_CASE.name).write_bytes(xlsx_shared_strings_bomb(1))
            corpus.spec.write_text(
                corpus.spec.read_text(encoding="utf-8") + TIMEOUT_ITEM, encoding="utf-8"
            )
            cases.append(TIMEOUT_CASE)
        built = time.perf_counter() - started
        warm = base / "warm"
        warm.mkdir()
        (warm / "warm-up.pdf").write_bytes(pdf_document(["warm up"]))
        spec = load_spec(corpus.spec)
        options = spec.dating_options()
        listed = scan_tree(corpus.root).files

        # Helper processes (the fork server, the resource tracker) are not readers.
        WorkerPoolExtractor(workers=1).extract(warm, [FileEntry("warm-up.pdf", 1, 1)])
        with TreeMemory() as helpers_seen:
            helpers_seen.sample()
        helpers = set(helpers_seen.per_pid)

        print(f"annexa hostile corpus: {len(cases)} files, built in {built:.1f} s\n")
        print("| file | what it is | time | reader peak | reason |")
        print("|---|---|---:|---:|---|")
        print(
            f"| (a fresh reader) | before it reads anything | | {mb(fresh_reader_kb(warm, options))} | |"
        )
        for case in cases:
            entry = listed.get(case.path)
            if entry is None:
                print(f"| {case.name} | {case.what} | — | — | not listed: never opened |")
                continue
            if entry.extension not in ("pdf", "docx", "docm", "xlsx", "xlsm", "csv"):
                continue
            seconds, peak, reason = read_one(
                corpus.root, entry, options, helpers, warm, spec.list_rules()
            )
            shown = reason or f"read ({case.expect})"
            print(f"| {case.name} | {case.what} | {seconds:.2f} s | {mb(peak)} | {shown} |")

        out = base / "reports"
        out.mkdir()
        seconds, tree_kb, largest_kb, code = whole_scan(corpus.root, corpus.spec, out)
        print()
        print(
            f"Whole scan (python -m annexa scan --no-cache, {len(format_names())} formats, "
            f"exit {code}): {seconds:.1f} s; peak memory of the process tree "
            f"{mb(tree_kb)} (sum of RSS), largest process {mb(largest_kb)}."
        )
        print(f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
