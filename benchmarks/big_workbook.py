"""How much the data lists of a large council cost to check, row by row: time and memory.

Run with ``.venv/bin/python benchmarks/big_workbook.py`` (Linux: memory is
read from /proc). Two parts:

1. **All eleven lists of a large council**, ROWS rows in all (``--rows``,
   default 200,000; most of them contacts), invented and valid under the
   bundled ``ilacs-lists`` spec (tests/council_lists.py), written three ways:

   - "Scripted": one workbook from openpyxl's write-only mode, as extract
     scripts make lists: strings inline in the cells, no <dimension>;
   - "Excel-like": one workbook as Excel saves it, every string in the
     shared strings table (a unique id and worker per child), dates as
     date-formatted numbers;
   - "CSV": one CSV file per list, dates as dd/mm/yyyy text.

   Each is read once in this process, as a reader process reads it (wall
   and CPU time), then checked by ``python -m annexa scan --no-cache`` as a
   user runs it: its wall time, the peak memory of its process tree (the
   sum of resident sizes, sampled every 20 ms) and of its largest process.

2. **One long list** (``--long ROWS ...``, default none): the same List 7
   of ROWS children in the four ways the heading search was measured on
   (scripted, Excel-like, its title the last shared string, CSV), read in
   this process with its rows checked and with headings only.

Targets (issue 15): all eleven lists, 200,000 rows, checked in under 5 s
and 300 MB. Figures are in docs/speed.md and docs/lists.md.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from openpyxl import Workbook  # noqa: E402

from annexa.model import Facts, FileEntry  # noqa: E402
from annexa.reading.read import read_facts  # noqa: E402
from annexa.spec import load_spec  # noqa: E402
from tests.council_lists import AS_OF, DESCRIPTIVE, LIST_IDS, MADE, make_rows, rule  # noqa: E402
from tests.hostile import TreeMemory  # noqa: E402

SPEC = load_spec("ilacs-lists")
HEADINGS_ONLY = tuple(dataclasses.replace(r, check_rows=False) for r in SPEC.list_rules())
# A large council's lists, as shares of all their rows: contacts are most of them.
SHARES = {
    "L1": 0.4725,
    "L2": 0.10,
    "L3": 0.125,
    "L4": 0.125,
    "L5": 0.05,
    "L6": 0.075,
    "L7": 0.015,
    "L8": 0.0225,
    "L9": 0.0125,
    "L10": 0.0015,
    "L11": 0.001,
}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
EPOCH = dt.date(1899, 12, 30)


def council_rows(total: int) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Each list's headings and rows, ``total`` rows in all."""
    rng = random.Random(15)
    lists = {}
    for list_id in LIST_IDS:
        columns = list(rule(list_id).columns)
        count = max(1, round(total * SHARES[list_id]))
        rows = [[row[c] for c in columns] for row in make_rows(list_id, count, rng)]
        lists[list_id] = (columns, rows)
    return lists


def write_scripted(path: Path, lists: dict[str, tuple[list[str], list[list[object]]]]) -> None:
    book = Workbook(write_only=True)
    for list_id, (columns, rows) in lists.items():
        sheet = book.create_sheet(f"List_{list_id[1:]}")
        sheet.append([rule(list_id).title])
        sheet.append(columns)
        for values in rows:
            sheet.append(
                [
                    dt.datetime(v.year, v.month, v.day) if isinstance(v, dt.date) else v
                    for v in values
                ]
            )
    book.save(path)


def write_excel_like(path: Path, lists: dict[str, tuple[list[str], list[list[object]]]]) -> None:
    """The workbook as Excel saves it: shared strings, a <dimension>, dates as styled numbers."""
    template = Workbook()
    template.remove(template.active)
    for list_id in lists:
        template.create_sheet(f"List_{list_id[1:]}")["A1"] = dt.datetime(2015, 1, 1)
    buffer = io.BytesIO()
    template.save(buffer)
    strings: dict[str, int] = {}

    def index(text: str) -> int:
        return strings.setdefault(text, len(strings))

    def cell(ref: str, value: object) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return f'<c r="{ref}" t="s"><v>{index(value)}</v></c>'
        if isinstance(value, dt.date):
            return f'<c r="{ref}" s="1"><v>{(value - EPOCH).days}</v></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    def letters(number: int) -> str:
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        return name

    parts: dict[str, bytes] = {}
    for sheet_number, (list_id, (columns, rows)) in enumerate(lists.items(), start=1):
        refs = [letters(n) for n in range(1, len(columns) + 1)]
        out = [
            f'<worksheet xmlns="{MAIN}"><dimension ref="A1:{refs[-1]}{len(rows) + 2}"/><sheetData>',
            f'<row r="1">{cell("A1", rule(list_id).title)}</row>',
            '<row r="2">'
            + "".join(cell(f"{r}2", h) for r, h in zip(refs, columns, strict=True))
            + "</row>",
        ]
        for number, values in enumerate(rows, start=3):
            cells = "".join(cell(f"{r}{number}", v) for r, v in zip(refs, values, strict=True))
            out.append(f'<row r="{number}">{cells}</row>')
        out.append("</sheetData></worksheet>")
        parts[f"xl/worksheets/sheet{sheet_number}.xml"] = "".join(out).encode()
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'.encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdS" Type="{SST_TYPE}" Target="sharedStrings.xml"/>'
                    "</Relationships>".encode(),
                )
            elif name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CONTENT}"/>'
                    "</Types>".encode(),
                )
            out.writestr(name, parts.pop(name, data))
        for name, data in parts.items():
            out.writestr(name, data)


def write_csvs(folder: Path, lists: dict[str, tuple[list[str], list[list[object]]]]) -> None:
    folder.mkdir()
    for list_id, (columns, rows) in lists.items():
        path = folder / f"List {list_id[1:]} {DESCRIPTIVE[list_id]} {MADE:%Y-%m-%d}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            for values in rows:
                writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else v for v in values])


def entry(root: Path, path: Path) -> FileEntry:
    stat = path.stat()
    return FileEntry(path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns)


def read_all(
    root: Path, paths: Sequence[Path], lists: tuple = ()
) -> tuple[float, float, list[Facts]]:  # type: ignore[type-arg]
    """(wall s, CPU s, facts) of reading these files in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    facts = [read_facts(root, entry(root, path), lists) for path in paths]
    return time.perf_counter() - wall, time.process_time() - cpu, facts


def scan_cli(root: Path) -> tuple[float, int, int, str]:
    """(seconds, peak KB of the tree, largest KB of one process, summary line) of annexa scan."""
    command = [
        sys.executable, "-m", "annexa", "scan", str(root), "--spec", "ilacs-lists",
        "--as-of", AS_OF.isoformat(), "--no-cache", "--format", "text", "--format", "json:" + os.devnull,
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"annexa scan failed ({process.returncode}):\n{err.decode()}")
    summary = next((line for line in out.decode().splitlines() if " in date" in line), "")
    return seconds, memory.peak_kb, memory.largest_kb, summary.strip()


def rows_checked(facts: Iterable[Facts]) -> str:
    sheets = [s for f in facts for s in f.sheets if s.checked]
    errors = [f.error for f in facts if f.error]
    total = sum(s.data_rows for s in sheets)
    problems = sum(g.count for s in sheets for g in s.problems)
    return f"{total:,} rows checked in {len(sheets)} lists, {problems} problems" + (
        f"; {errors[0]}" if errors else ""
    )


def all_lists(total: int) -> None:
    with tempfile.TemporaryDirectory(prefix="annexa-lists-") as temp:
        base = Path(temp)
        started = time.perf_counter()
        lists = council_rows(total)
        ways = {}
        for name in ("Scripted", "Excel-like", "CSV"):
            root = base / name
            root.mkdir()
            if name == "Scripted":
                write_scripted(root / f"Annex A {MADE:%Y-%m-%d}.xlsx", lists)
            elif name == "Excel-like":
                write_excel_like(root / f"Annex A {MADE:%Y-%m-%d}.xlsx", lists)
            else:
                write_csvs(root / "Lists", lists)
            ways[name] = root
        made = time.perf_counter() - started
        counts = ", ".join(f"{i} {len(lists[i][1]):,}" for i in LIST_IDS)
        print(f"All eleven lists, {total:,} rows ({counts}); files written in {made:.0f} s\n")
        print(
            "| way | size | read in this process (wall / CPU) | annexa scan --no-cache | tree peak | largest process | outcome |"
        )
        print("|---|---:|---:|---:|---:|---:|---|")
        for name, root in ways.items():
            paths = sorted(p for p in root.rglob("*") if p.is_file())
            size = sum(p.stat().st_size for p in paths) / 1e6
            wall, cpu, facts = read_all(root, paths, SPEC.list_rules())
            seconds, tree, largest, summary = scan_cli(root)
            print(
                f"| {name} | {size:.1f} MB | {wall:.2f} s / {cpu:.2f} s | {seconds:.2f} s | "
                f"{tree / 1024:.0f} MB | {largest / 1024:.0f} MB | {rows_checked(facts)}; {summary} |"
            )


def long_list(rows: int) -> None:
    """One List 7 of ``rows`` children, rows checked, and headings only."""
    with tempfile.TemporaryDirectory(prefix="annexa-long-") as temp:
        root = Path(temp)
        lists = {"L7": council_rows_one("L7", rows)}
        scripted, excel = root / "Scripted.xlsx", root / "Excel-like.xlsx"
        write_scripted(scripted, lists)
        write_excel_like(excel, lists)
        write_csvs(root / "CSV", lists)
        table = next((root / "CSV").iterdir())
        print(f"\nOne List 7 of {rows:,} rows:\n")
        print("| way | size | rows checked (wall / CPU) | headings only (wall) | outcome |")
        print("|---|---:|---:|---:|---|")
        for path in (scripted, excel, table):
            wall, cpu, facts = read_all(root, [path], SPEC.list_rules())
            heads, _, _ = read_all(root, [path], HEADINGS_ONLY)
            print(
                f"| {path.stem} | {path.stat().st_size / 1e6:.1f} MB | {wall:.2f} s / {cpu:.2f} s | "
                f"{heads:.2f} s | {rows_checked(facts)} |"
            )


def council_rows_one(list_id: str, count: int) -> tuple[list[str], list[list[object]]]:
    columns = list(rule(list_id).columns)
    rows = make_rows(list_id, count, random.Random(7))
    return columns, [[row[c] for c in columns] for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows in all eleven lists")
    parser.add_argument("--long", type=int, nargs="*", default=[], help="rows of one long list")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        raise SystemExit("this benchmark reads memory from /proc (Linux)")
    all_lists(args.rows)
    for rows in args.long:
        long_list(rows)
    print(f"\nMachine: {os.cpu_count()} cores; Python {sys.version.split()[0]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
