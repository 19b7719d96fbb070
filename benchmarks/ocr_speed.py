"""How long OCR of a scanned first page takes: ``python benchmarks/ocr_speed.py [PAGES]``.

Needs the OCR extra (``pip install 'annexa[ocr]'``). Builds scanned first
pages (text typeset by reportlab, rendered to a grey bitmap at 200 dpi, the
bitmap alone put on an A4 page, as a scanner makes it), reads them as a
reader worker does (``read_facts``: PDFium renders page 1, rapidocr reads it)
and prints the one-off start of the OCR engine in a process, then seconds
per page and whether each page's date was read back.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from annexa.dating import read_dates  # noqa: E402
from annexa.model import FileEntry  # noqa: E402
from annexa.reading.pdf import ocr  # noqa: E402
from annexa.reading.read import read_facts  # noqa: E402
from annexa.spec.rules import DatingOptions  # noqa: E402
from tests.makedocs import make_scanned_pdf  # noqa: E402

MONTHS = ("January", "March", "May", "July", "September", "November")


def page(number: int) -> tuple[tuple[int, str], ...]:
    month = MONTHS[number % len(MONTHS)]
    year = 2008 + number % 10
    return (
        (22, "Anyshire County Council"),
        (18, "Missing Children Protocol"),
        (14, f"{month} {year}"),
        (10, "A joint protocol of the council, the police and health partners."),
        (10, f"Document owner: Head of Safeguarding   Next review: {month} {year + 2}"),
    )


def main() -> None:
    if not ocr.available():
        print("The OCR extra is not installed: pip install 'annexa[ocr]'")
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    options = DatingOptions(date_sources=("content",))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = [make_scanned_pdf(root / f"scan {n}.pdf", page(n)) for n in range(count)]
        start = time.perf_counter()
        ocr._engine()
        print(f"OCR engine start (once per reader process): {time.perf_counter() - start:.2f} s")
        seconds = []
        dated = 0
        for path in paths:
            stat = path.stat()
            start = time.perf_counter()
            facts = read_facts(root, FileEntry(path.name, stat.st_size, stat.st_mtime_ns))
            seconds.append(time.perf_counter() - start)
            found = read_dates(facts, path.name, options, 0)
            dated += bool(found.issue) and bool(found.expiry)
        print(
            f"OCR of a scanned A4 first page: {sum(seconds) / count:.2f} s a page on average, "
            f"{min(seconds):.2f} s at best, over {count} pages; dates read back on {dated}"
        )


if __name__ == "__main__":
    main()
