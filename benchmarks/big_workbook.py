"""How much a huge data list costs to check: time and memory to read its header rows.

Run with ``.venv/bin/python benchmarks/big_workbook.py [ROWS ...]`` (default
200000 and 1000000). For each size it writes, in a temporary folder, the same
List 7 of ROWS invented children (a title row, the headings, then the rows)
four ways:

- "Scripted": openpyxl's write-only mode, as extract scripts make lists:
  strings inline in the cells, and no <dimension> record;
- "Excel-like": as Excel saves it: a <dimension> record, and every string in
  the shared strings table, a unique id and worker name per child;
- "Title last": the same with the title the last string of the table (a
  title row inserted above data pasted earlier), the worst case for reading
  the table only as far as the first rows need;
- a CSV file;

then reads each once in this process (time; then peak Python memory, in a
second, untimed read) and once through the worker pool as ``annexa scan``
does (a new pool, started within the time shown). ``--no-memory`` skips the
traced read, which takes minutes for a million rows.

annexa needs only the first five rows of each sheet; the figures show whether
reading them stays cheap however long the list is.

Measured on the development machine (2 shared cores), time to read one file:

    rows        file          openpyxl read-only   streaming (now)
    200,000     Scripted      8.5 s                0.07 s
    200,000     Excel-like    4.6 s                0.01 s
    200,000     Title last    4.1 s                1.0 s
    1,000,000   Scripted      46 s (pool: timed    0.09 s
                              out after 20 s)
    1,000,000   Excel-like    21 s                 0.02 s
    1,000,000   Title last    19 s                 5.4 s
    1,000,000   CSV (119 MB)  0.01 s               0.01 s

Peak Python memory of a read is under 1 MB for every workbook (60 MB with
openpyxl for 200,000 rows of shared strings).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from annexa.model import FileEntry
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.read import read_facts

HEADINGS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Number of Previous Child Protection Plans",
    "Allocated Worker",
]


def row(number: int) -> list[object]:
    born = dt.date(2005, 1, 1) + dt.timedelta(days=number % 4000)
    return [
        f"BCC{number:08d}",
        ("a) Male", "b) Female")[number % 2],
        ("WBRI", "MWBC", "ASIN", "BAFR")[number % 4],
        born,
        number % 17,
        dt.date(2015, 3, 1),
        "Neglect",
        "Emotional abuse",
        dt.date(2015, 9, 1),
        ("Yes", "No")[number % 2],
        dt.date(2015, 8, 1),
        None,
        number % 3,
        f"Worker {number:07d}",
    ]


def write_workbook(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    front = book.create_sheet("Front_Sheet")
    front.append(["Annex A: child level data"])
    sheet = book.create_sheet("List_7")
    sheet.append(["List 7: Child protection"])
    sheet.append(HEADINGS)
    for number in range(rows):
        sheet.append(row(number))
    book.save(path)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def write_excel_like(path: Path, rows: int, *, title_last: bool = False) -> None:
    """The same list as Excel saves it: a <dimension> record, and every string
    in a shared strings table (a unique id and worker name per child).

    With ``title_last`` the sheet's title is the last string of the table, as
    when a title row is inserted above data pasted earlier: the worst case for
    a reader that streams the table only as far as the strings it needs.
    """
    book = Workbook()
    book.active.title = "Front_Sheet"
    book.active["A1"] = 0
    book.create_sheet("List_7")["A1"] = 0
    template = io.BytesIO()
    book.save(template)
    fixed = ["List 7: Child protection", *HEADINGS]
    constants = sorted({str(v) for n in range(8) for v in row(n) if isinstance(v, str)} - {""})
    constants = [c for c in constants if not c.startswith(("BCC", "Worker"))]
    table = fixed[1:] + constants if title_last else fixed + constants
    index = {text: number for number, text in enumerate(table)}
    unique = len(table)
    title = unique + 2 * rows if title_last else 0

    def cell(ref: str, value: object) -> str:
        nonlocal unique
        if isinstance(value, str):
            if value not in index:
                unique += 1
                return f'<c r="{ref}" t="s"><v>{unique - 1}</v></c>'
            return f'<c r="{ref}" t="s"><v>{index[value]}</v></c>'
        if isinstance(value, dt.date):
            value = (value - dt.date(1899, 12, 30)).days
        return "" if value is None else f'<c r="{ref}"><v>{value}</v></c>'

    letters = [chr(65 + n) for n in range(len(HEADINGS))]
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
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
            if name != "xl/worksheets/sheet2.xml":
                out.writestr(name, data)
                continue
            with out.open(name, "w", force_zip64=True) as part:
                part.write(
                    f'<worksheet xmlns="{MAIN}"><dimension ref="A1:N{rows + 2}"/><sheetData>'
                    f'<row r="1"><c r="A1" t="s"><v>{title}</v></c></row><row r="2">'.encode()
                )
                part.write(
                    "".join(
                        cell(f"{c}2", h) for c, h in zip(letters, HEADINGS, strict=True)
                    ).encode()
                )
                part.write(b"</row>")
                for number in range(rows):
                    r = number + 3
                    cells = "".join(
                        cell(f"{c}{r}", v) for c, v in zip(letters, row(number), strict=True)
                    )
                    part.write(f'<row r="{r}">{cells}</row>'.encode())
                part.write(b"</sheetData></worksheet>")
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{MAIN}">'.encode())
            part.write("".join(f"<si><t>{escape(t)}</t></si>" for t in table).encode())
            for number in range(rows):
                values = row(number)
                part.write(f"<si><t>{values[0]}</t></si><si><t>{values[-1]}</t></si>".encode())
            if title_last:
                part.write(f"<si><t>{escape(fixed[0])}</t></si>".encode())
            part.write(b"</sst>")


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(HEADINGS)
        for number in range(rows):
            writer.writerow(row(number))


def entry(root: Path, path: Path) -> FileEntry:
    stat = path.stat()
    return FileEntry(path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns)


def measure(root: Path, path: Path, *, memory: bool = True) -> str:
    started = time.perf_counter()
    facts = read_facts(root, entry(root, path))
    in_process = time.perf_counter() - started
    peak = ""
    if memory:
        tracemalloc.start()  # a second read: tracing slows Python down, so it is not timed
        read_facts(root, entry(root, path))
        peak = f", peak {tracemalloc.get_traced_memory()[1] / 1e6:5.1f} MB"
        tracemalloc.stop()
    pool = WorkerPoolExtractor(workers=1)
    try:
        started = time.perf_counter()
        pooled = pool.extract(root, [entry(root, path)])[entry(root, path).path]
        through_pool = time.perf_counter() - started
    finally:
        pool.close()
    rows = max((len(sheet.rows) for sheet in facts.sheets), default=0)
    outcome = facts.error or f"{len(facts.sheets)} sheet(s), at most {rows} rows kept"
    if pooled.error != facts.error:
        outcome += f"; in the pool: {pooled.error or 'read'}"
    return (
        f"{path.name:<24} {path.stat().st_size / 1e6:6.1f} MB   in-process {in_process:6.2f} s"
        f"{peak}   pool {through_pool:6.2f} s   {outcome}"
    )


def main(argv: list[str]) -> int:
    memory = "--no-memory" not in argv
    sizes = [int(arg) for arg in argv if arg != "--no-memory"] or [200_000, 1_000_000]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rows in sizes:
            started = time.perf_counter()
            scripted = root / f"Scripted {rows}.xlsx"
            write_workbook(scripted, rows)
            excel = root / f"Excel-like {rows}.xlsx"
            write_excel_like(excel, rows)
            worst = root / f"Title last {rows}.xlsx"
            write_excel_like(worst, rows, title_last=True)
            table = root / f"List 7 {rows}.csv"
            write_csv(table, rows)
            made = time.perf_counter() - started
            print(f"{rows:,} rows (files written in {made:.0f} s):")
            for path in (scripted, excel, worst, table):
                print("  " + measure(root, path, memory=memory))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {maxrss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
