"""How annexa dated every document in a folder: counts by source, and the scan time.

    .venv/bin/python benchmarks/date_sources.py [FOLDER ...]

With no folder: the demo authority and, when present, ../shared/corpus. Each
folder is scanned cold (no cache) with a catch-all spec (every PDF, Word,
Excel and CSV file is an item of its own), so every file's verdict shows.
"""

from __future__ import annotations

import collections
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from annexa.finding.walk import scan_tree
from annexa.pipeline import scan
from annexa.spec import load_spec

PROJECT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2015, 9, 16)


def catch_all_spec(root: Path, folder: Path):  # type: ignore[no-untyped-def]
    files = [
        p
        for p in scan_tree(root).files
        if p.rsplit(".", 1)[-1].lower() in {"pdf", "docx", "xlsx", "xlsm", "csv"}
    ]
    lines = [
        '[spec]\nname = "every document"\n[defaults]\nformats = ["pdf", "docx", "xlsx", "xlsm", "csv"]\n'
    ]
    for n, path in enumerate(files):
        escaped = (
            "".join(f"[{c}]" if c in "*?[]" else c for c in path)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
        )
        lines.append(f'[[item]]\nid = "F{n}"\ntitle = "F{n}"\npatterns = ["{escaped}"]\n')
    spec_file = folder / "every.toml"
    spec_file.write_text("\n".join(lines), encoding="utf-8")
    return load_spec(spec_file)


def main(folders: list[Path]) -> None:
    for root in folders:
        with tempfile.TemporaryDirectory() as temp:
            spec = catch_all_spec(root, Path(temp))
            start = time.perf_counter()
            report = scan(root, spec, AS_OF)
            seconds = time.perf_counter() - start
        sources = collections.Counter(item.date_source or "none" for item in report.items)
        statuses = collections.Counter(item.status.value for item in report.items)
        print(f"{root}: {len(report.items)} documents scanned cold in {seconds:.2f} s")
        print("  dated by: " + ", ".join(f"{k} {v}" for k, v in sources.most_common()))
        print(
            "  statuses on 16 September 2015: "
            + ", ".join(f"{k} {v}" for k, v in statuses.most_common())
        )
        for error in report.errors:
            print(f"  unreadable: {error.file}: {error.error}")


if __name__ == "__main__":
    given = [Path(a) for a in sys.argv[1:]]
    if not given:
        given = [PROJECT / "fixtures" / "demo-authority"]
        corpus = PROJECT.parent / "shared" / "corpus"
        if corpus.is_dir():
            given.append(corpus)
    main(given)
