"""Read the first rows of every worksheet of an Excel workbook, and its core properties.

A child-level data list can be a 50 MB workbook of a million rows; only the
first five rows of each sheet are needed to find the header row Ofsted's
template asks for. openpyxl in read-only mode streams each sheet and stops
after row five, so a large workbook costs what a small one does. The package
is checked first (size, part count, DTDs) with the same rules as Word files,
because openpyxl reads shared strings and styles whole.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from typing import Any, BinaryIO

import openpyxl

from annexa.extract.content import Content, Unreadable, clean, short
from annexa.extract.ooxml import Package
from annexa.model import Sheet, TextBlock

ROWS_READ = 5
MAX_COLUMNS = 256
CELL_CHAR_LIMIT = 1000
MAX_SHEETS = 200


def read_xlsx(stream: BinaryIO) -> Content:
    """The facts of one XLSX/XLSM, or Unreadable with a one-line reason."""
    package = Package(stream, "an Excel workbook")
    try:
        if package.main_part("xl/workbook.xml") is None:
            raise Unreadable("not an Excel workbook: no workbook part")
        package.check_sizes(_parts_read_whole(package))
        for info in _xml_parts(package):
            package.refuse_dtd(info)
        metadata, title, status = package.core_properties()
    finally:
        package.close()
    stream.seek(0)
    sheets = _sheets(stream)
    blocks = (TextBlock("title", None, clean(title)),) if title else ()
    return Content(blocks=blocks, metadata=tuple(metadata), sheets=sheets, content_status=status)


def _xml_parts(package: Package) -> list[zipfile.ZipInfo]:
    return [
        info
        for info in package.zip.infolist()
        if info.filename.lower().endswith((".xml", ".rels")) and not info.is_dir()
    ]


def _parts_read_whole(package: Package) -> list[zipfile.ZipInfo]:
    """The XML parts openpyxl loads whole; worksheets are streamed and may be huge."""
    return [
        info
        for info in _xml_parts(package)
        if "/worksheets/" not in info.filename.lower().replace("\\", "/")
    ]


def _sheets(stream: BinaryIO) -> tuple[Sheet, ...]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style", unsupported extensions
            workbook = openpyxl.load_workbook(
                stream, read_only=True, data_only=True, keep_links=False
            )
    except (MemoryError, Unreadable):
        raise
    except Exception as exc:
        raise Unreadable(f"damaged Excel workbook: {short(exc)}") from None
    try:
        sheets = []
        for worksheet in workbook.worksheets[:MAX_SHEETS]:
            rows = []
            for row in worksheet.iter_rows(
                min_row=1, max_row=ROWS_READ, max_col=MAX_COLUMNS, values_only=True
            ):
                cells = [_cell_text(value) for value in row]
                while cells and not cells[-1]:
                    cells.pop()
                rows.append(tuple(cells))
            while rows and not rows[-1]:
                rows.pop()
            sheets.append(Sheet(clean(str(worksheet.title)), tuple(rows)))
        return tuple(sheets)
    except (MemoryError, Unreadable):
        raise
    except Exception as exc:
        raise Unreadable(f"damaged Excel workbook: {short(exc)}") from None
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A cell as the string a person would see, near enough to compare headers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    return clean(text.strip())[:CELL_CHAR_LIMIT]
