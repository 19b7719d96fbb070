"""How long matching and evaluation take on a big share: 500 items, 50,000 files.

Run with ``.venv/bin/python benchmarks/evaluate_speed.py [ITEMS] [FILES]``.
Everything is generated in memory (a spec of ITEMS items, FILES paths of
which about 10% match an item, Facts with a realistic first page for every
matched file), so this times only the pure code ``annexa watch`` runs again
and again:

- matching every path against every item, once, on a cold inventory;
- the first ``evaluate`` (every matched file dated once, then memoised);
- ``evaluate`` again, as watch does after a change (target: well under 100 ms);
- ``Scanner.refresh`` of one saved file plus the report, the whole watch step
  apart from reading the file (facts served by a dictionary "cache").
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from annexa.judging.items import evaluate
from annexa.judging.memo import JudgingMemo
from annexa.model import Facts, FileEntry, TextBlock
from annexa.pipeline import Scanner
from annexa.spec import load_spec
from annexa.spec.rules import Spec

AS_OF = dt.date(2015, 9, 16)
WORDS = [
    "strategy",
    "plan",
    "report",
    "review",
    "policy",
    "protocol",
    "audit",
    "chart",
    "assessment",
    "statement",
    "framework",
    "minutes",
    "procedure",
    "charter",
    "guidance",
    "analysis",
    "profile",
    "register",
    "dataset",
    "tracker",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def make_spec(items: int, folder: Path) -> Spec:
    """ITEMS items, each with two patterns of a distinct keyword, some with periods."""
    lines = ['[spec]\nname = "Benchmark spec"\n']
    for number in range(items):
        word = WORDS[number % len(WORDS)]
        period = '\nperiod = "financial-year"' if number % 7 == 0 else ""
        lines.append(
            f'[[item]]\nid = "I{number:03}"\ntitle = "Item {number} {word}"\n'
            f'patterns = ["**/*{word}*k{number:03}*", "**/K{number:03} *"]{period}\n'
        )
    path = folder / "spec.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return load_spec(path)


def make_files(items: int, count: int, seed: int = 7) -> dict[str, FileEntry]:
    """COUNT paths in folders, about 10% of them named after an item."""
    rng = random.Random(seed)
    files: dict[str, FileEntry] = {}
    extensions = ["pdf", "docx", "xlsx", "txt", "jpg", "msg", "pptx", "doc"]
    number = 0
    while len(files) < count:
        folder = f"Area {rng.randrange(40):02}/Sub {rng.randrange(12):02}"
        if rng.random() < 0.1:
            item = rng.randrange(items)
            word = WORDS[item % len(WORDS)]
            name = f"{word.title()} k{item:03} v{number} {2010 + rng.randrange(6)}.{rng.choice(['pdf', 'docx'])}"
        else:
            name = f"Note {number} {rng.choice(WORDS)}.{rng.choice(extensions)}"
        path = f"{folder}/{name}"
        files[path] = FileEntry(path, 1000 + number, 1_420_000_000_000_000_000 + number * 10**9)
        number += 1
    return dict(sorted(files.items()))  # the inventory lists folder by folder in name order


def make_facts(entry: FileEntry, rng: random.Random) -> Facts:
    day, month, year = rng.randrange(1, 28), rng.choice(MONTHS), 2012 + rng.randrange(4)
    first = (
        "Children's Services\nDocument control\nVersion 2.1\nStatus Final\n"
        f"Date approved: {day} {month} {year}\nNext review: {month} {year + 1}\n"
        + "The partnership agreed the actions set out below for the coming year. "
        * 30
    )
    blocks = (
        TextBlock("body", 1, first),
        TextBlock("body", 2, "Progress against the plan is reported every quarter. " * 40),
        TextBlock("header", None, "OFFICIAL"),
    )
    kind = entry.extension if entry.extension in ("pdf", "docx") else "other"
    return Facts(entry.path, entry.size, entry.mtime_ns, kind, blocks=blocks, extractor_version=1)


def timed(function: Callable[[], object], repeat: int = 1) -> float:
    """Median seconds over ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


class DictCache:
    """Facts served from memory, so a Scanner reads nothing."""

    def __init__(self, facts: dict[str, Facts]) -> None:
        self.facts = facts

    def get_many(self, root: Path, entries: Sequence[FileEntry]) -> dict[str, Facts]:
        out = {}
        for entry in entries:
            found = self.facts.get(entry.path)
            if found is not None:
                out[entry.path] = Facts(
                    entry.path, entry.size, entry.mtime_ns, found.kind, blocks=found.blocks
                )
        return out

    def put_many(
        self, root: Path, facts: Sequence[Facts], digests: Mapping[str, bytes] | None = None
    ) -> None:
        pass

    def holds_root(self, root: Path) -> bool:
        return True

    def get_dates(self, root: Path, wanted: Sequence[object]) -> dict[object, object]:
        return {}

    def put_dates(self, root: Path, found: Sequence[object]) -> None:
        pass

    def close(self) -> None:
        pass


def run(items: int = 500, count: int = 50_000) -> list[tuple[str, float]]:
    """The figures, as (label, milliseconds)."""
    with tempfile.TemporaryDirectory() as folder:
        spec = make_spec(items, Path(folder))
    files = make_files(items, count)
    matches: dict[str, tuple[str, ...]] = {}

    def match_all() -> None:
        matches.clear()
        for path in files:
            matches[path] = spec.items_matching(path)

    match_ms = timed(match_all) * 1000
    matched = [path for path, ids in matches.items() if ids]
    rng = random.Random(11)
    facts = {path: make_facts(files[path], rng) for path in matched}

    memo = JudgingMemo()  # what a Scanner keeps between evaluations

    def evaluate_all() -> object:
        return evaluate(spec, files, facts, AS_OF, matches=matches, memo=memo)

    first_ms = timed(evaluate_all) * 1000
    again_ms = timed(evaluate_all, repeat=5) * 1000

    scanner = Scanner(Path("/nonexistent"), spec, cache=DictCache(facts))
    scanner._apply(files, ())  # the inventory, as full_scan would have listed it
    scanner._read(None)
    scanner.report(AS_OF)
    changed = matched[len(matched) // 2]

    def watch_step() -> None:
        entry = files[changed]
        new = FileEntry(entry.path, entry.size, entry.mtime_ns + 10**9)
        files[changed] = new
        facts[changed] = make_facts(new, rng)
        scanner._apply({changed: new}, ())
        scanner._read(None)
        scanner.report(AS_OF)

    watch_ms = timed(watch_step, repeat=5) * 1000
    return [
        (f"match {count:,} paths against {items} items (cold inventory)", match_ms),
        (f"evaluate, first time ({len(matched):,} matched files dated)", first_ms),
        ("evaluate again (dates memoised), as watch does", again_ms),
        ("watch step: one file changed, matched, re-read from cache, report", watch_ms),
    ]


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    for label, ms in run(items, count):
        print(f"{label:<72} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
