"""Read the first rows of a CSV file: Excel's "CSV UTF-8" or a Windows code page one.

Excel writes CSV either as UTF-8 with a byte-order mark or in the Windows
code page (cp1252 in England, where a "£" is byte 0xA3); a tab-separated
"Unicode Text" export renamed to .csv is UTF-16. Only the start of
the file is read: five rows are all a header check needs, and a data list
may be hundreds of megabytes.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import BinaryIO

from annexa.model import Sheet
from annexa.reading.content import Content, Unreadable, clean, short

ROWS_READ = 5
BYTES_READ = 1024 * 1024
MAX_COLUMNS = 256
CELL_CHAR_LIMIT = 1000
_DELIMITERS = (",", ";", "\t", "|")


def read_csv(stream: BinaryIO, sheet_name: str) -> Content:
    """One Sheet named after the file, with the first rows as strings."""
    data = stream.read(BYTES_READ + 1)
    if not data:
        raise Unreadable("empty file")
    truncated = len(data) > BYTES_READ
    text = _decode(data[:BYTES_READ], final=not truncated)
    if truncated and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # never hand on half a row
    if "\x00" in text[:4096]:
        raise Unreadable("not a CSV file: it holds binary data")
    delimiter = _delimiter(text)
    rows: list[tuple[str, ...]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells = [clean(cell.strip())[:CELL_CHAR_LIMIT] for cell in row[:MAX_COLUMNS]]
            while cells and not cells[-1]:
                cells.pop()
            rows.append(tuple(cells))
            if len(rows) >= ROWS_READ:
                break
    except csv.Error as exc:
        if not rows:
            raise Unreadable(f"damaged CSV: {short(exc)}") from None
    return Content(sheets=(Sheet(clean(sheet_name), tuple(rows)),))


def _decode(data: bytes, final: bool) -> str:
    """UTF-8 (with or without BOM) when it is valid, else Windows-1252.

    Excel's "Unicode Text" export is UTF-16 with a byte-order mark, and is
    sometimes renamed to .csv; its BOM says so.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return codecs.getincrementaldecoder("utf-16")(errors="replace").decode(data, final=final)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=final)
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The separator the header line uses most; a comma when in doubt."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","
