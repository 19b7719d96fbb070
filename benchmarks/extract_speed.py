"""How fast extraction reads documents: 200 generated PDFs and 200 DOCX, 1 and 2 workers.

Run with ``.venv/bin/python benchmarks/extract_speed.py [COUNT]``. Documents are
generated in a temporary folder (a few pages each, with a document-control
table and a header, like a council policy), then read in-process and through
the worker pool, twice: the first run includes starting the workers (as a
one-off scan pays for it), the second shows the steady rate of `watch`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from annexa.model import FileEntry
from annexa.reading.inline import InlineExtractor
from annexa.reading.pool import WorkerPoolExtractor

LOREM = (
    "The local authority's children's services continue to improve; the partnership "
    "board reviewed this plan and agreed the actions set out below. "
)


def make_pdf(path: Path, number: int) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(f"Policy {number}")
    for page in range(4):
        y = 800
        if page == 0:
            pdf.drawString(72, y, f"Policy {number}   Date approved: 12 March 2015")
            y -= 20
        for _ in range(40):
            pdf.drawString(72, y, LOREM[:95])
            y -= 18
        pdf.showPage()
    pdf.save()


def make_docx(path: Path, number: int) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "OFFICIAL   Review date: March 2016"
    document.add_heading(f"Policy {number}", 0)
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in enumerate(
        [("Version", "3.1"), ("Date approved", "12 March 2015"), ("Owner", "Head of Service")]
    ):
        table.cell(row, 0).text = label
        table.cell(row, 1).text = value
    for page in range(4):
        for _ in range(12):
            document.add_paragraph(LOREM * 3)
        if page < 3:
            document.add_page_break()
    document.core_properties.title = f"Policy {number}"
    document.save(path)


def entries(root: Path, suffix: str) -> list[FileEntry]:
    return [
        FileEntry(p.name, p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.glob(f"*.{suffix}"))
    ]


def timed(extractor, root: Path, found: list[FileEntry]) -> tuple[float, float]:
    """(seconds for a first run, including starting workers; seconds for a second run)."""
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        results = extractor.extract(root, found)
        runs.append(time.perf_counter() - started)
        errors = [f.error for f in results.values() if f.error]
        assert not errors, errors[:3]
    extractor.close()
    return runs[0], runs[1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number in range(count):
            make_pdf(root / f"policy-{number:03}.pdf", number)
            make_docx(root / f"policy-{number:03}.docx", number)
        for suffix in ("pdf", "docx"):
            found = entries(root, suffix)
            runs = [("in-process", InlineExtractor())] + [
                (f"{n} worker{'s' if n > 1 else ''}", WorkerPoolExtractor(workers=n))
                for n in (1, 2)
            ]
            for label, extractor in runs:
                cold, warm = timed(extractor, root, found)
                print(
                    f"{count} {suffix.upper():4} {label:>10}: first run {cold:5.2f} s "
                    f"({count / cold:5.1f} docs/s), warm {warm:5.2f} s ({count / warm:5.1f} docs/s)"
                )


if __name__ == "__main__":
    main()
