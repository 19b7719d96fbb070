"""Read the first rows of a CSV file: Excel's "CSV UTF-8" or a Windows code page one.

Excel writes CSV either as UTF-8 with a byte-order mark or in the Windows
code page (cp1252 in England, where a "£" is byte 0xA3); a tab-separated
"Unicode Text" export renamed to .csv is UTF-16. The start of the file
tells which: the first megabyte is read for it and for the heading row, and
the rest is streamed only when the list's rows are checked.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from annexa.model import Sheet
from annexa.reading.content import Content, Unreadable, clean, short
from annexa.reading.rows.checker import RowChecker
from annexa.reading.rows.find import find_list
from annexa.reading.rows.run import checked_sheet, feed
from annexa.spec.headings import HEADING_ROWS
from annexa.spec.rules import ListRule

ROWS_READ = HEADING_ROWS
BYTES_READ = 1024 * 1024
MAX_COLUMNS = 256
CELL_CHAR_LIMIT = 1000
_DELIMITERS = (",", ";", "\t", "|")


def read_csv(stream: BinaryIO, sheet_name: str, lists: tuple[ListRule, ...] = ()) -> Content:
    """One Sheet named after the file: its heading row and list, and its rows checked.

    The first megabyte is enough to tell the encoding, the separator and
    the heading row; only a file whose list asks for its rows to be checked
    is read to the end, as a stream.
    """
    data = stream.read(BYTES_READ + 1)
    if not data:
        raise Unreadable("empty file")
    truncated = len(data) > BYTES_READ
    text, codec = _decode(data[:BYTES_READ], final=not truncated)
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
    name = clean(sheet_name)
    found = find_list(rows, lists, (name,)) if lists else None
    if found is None or found.rule is None:
        return Content(sheets=(Sheet(name),))
    rule = found.rule
    sheet = Sheet(
        name, heading_row=found.row, headings=found.headings, holds=found.ids, holds_name=rule.name
    )
    if not rule.checks_rows:
        return Content(sheets=(sheet,))
    checker = RowChecker(rule, found.columns)
    stream.seek(0)
    feed(checker, _rows_after(stream, codec, delimiter, found.row, checker.width))
    return Content(sheets=(checked_sheet(sheet, checker),))


def _rows_after(
    stream: BinaryIO, codec: str, delimiter: str, after: int, width: int
) -> Iterator[tuple[int, list[str]]]:
    """Every record after the heading row, numbered as Excel would show it, streamed
    in the codec the first megabyte was read in."""
    wrapped = io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="")
    try:
        number = 0
        reader = csv.reader(wrapped, delimiter=delimiter)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise Unreadable(f"damaged CSV: row {number + 1} cannot be read") from None
            number += 1
            if number > after:
                yield number, row[:width]
    finally:
        wrapped.detach()


def _decode(data: bytes, final: bool) -> tuple[str, str]:
    """The text, and its codec: UTF-8 (with or without BOM) when it is valid, else
    Windows-1252; the rest of the file is read in the same codec.

    Excel's "Unicode Text" export is UTF-16 with a byte-order mark, and is
    sometimes renamed to .csv; its BOM says so.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        return decoder.decode(data, final=final), "utf-16"
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=final), "utf-8-sig"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    """The separator most of the first lines use; a comma when in doubt.

    Most lines, not the first: a banner or a title ("OFFICIAL-SENSITIVE")
    may come before the headings, and a cell of free text may hold another
    separator many times over.
    """
    lines = [line for line in text.split("\n", ROWS_READ)[:ROWS_READ] if line.strip()]
    score = {
        d: (sum(1 for line in lines if d in line), sum(line.count(d) for line in lines))
        for d in _DELIMITERS
    }
    best = max(_DELIMITERS, key=lambda d: (*score[d], d == ","))
    return best if score[best][0] else ","
