"""Read an Excel workbook's sheets (their headings, and their rows when the spec
checks them) and its core properties.

A child-level data list can be a 50 MB workbook of a million rows. Each
worksheet's first 20 rows are streamed with lxml to find its heading row
and the list it holds (``annexa.reading.rows.find``); when the spec says
what that list's cells hold, the rest of the sheet is streamed through the
list's row checks (``annexa.reading.rows``), fast, in the reader process,
and only what the checks found leaves it. Shared strings are streamed only
as far as the rows use them.

Why not openpyxl's read-only mode, the obvious reader: opening a sheet, it
looks for the sheet's ``<dimension>`` record, and when there is none (files
written by openpyxl's own write-only mode and other scripted extracts) it
parses the whole sheet before giving back a single row, past the worker's
time limit for a million rows (benchmarks/big_workbook.py, docs/speed.md).
It also loads the shared strings whole, which
in a long list with a unique id per child are tens of megabytes. openpyxl's
small helpers (number formats, Excel dates) are still used.

The package is checked first (size, part count, DTDs) with the same rules as
Word files; the parts read whole (workbook, relationships, styles) are
size-checked, the streamed ones (worksheets, shared strings) are not.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any, BinaryIO

from lxml import etree

from annexa.model import Sheet, TextBlock
from annexa.model.failures import FailureKind
from annexa.reading.content import Content, Unreadable, clean, xml_trouble
from annexa.reading.ooxml import UNZIP_ERRORS, Package, parse_events
from annexa.reading.rows.checker import RowChecker
from annexa.reading.rows.find import Found, find_list
from annexa.reading.rows.run import checked_sheet, feed
from annexa.reading.rows.sheetxml import RowReader, SharedStrings, Unexpected, plain_root
from annexa.spec.headings import HEADING_ROWS
from annexa.spec.rules import ListRule

ROWS_READ = HEADING_ROWS
MAX_COLUMNS = 256
CELL_CHAR_LIMIT = 1000
MAX_SHEETS = 200

_REL_WORKSHEET = "/worksheet"
_REL_SHARED_STRINGS = "/sharedStrings"
SHARED_STRINGS_LIMIT = 2_000_000  # about 2 s of streaming; far past where headings sit
_REL_STYLES = "/styles"


def read_xlsx(
    stream: BinaryIO, lists: tuple[ListRule, ...] = (), names: tuple[str, ...] = ()
) -> Content:
    """The facts of one XLSX/XLSM, or Unreadable with a one-line reason.

    ``lists``: the spec's data lists, to find in each sheet and check row by
    row (none: sheet names only); ``names``: the file's name, which settles
    which list a sheet of only common headings is.
    """
    package = Package(stream, "an Excel workbook")
    try:
        workbook = package.main_part("xl/workbook.xml")
        if workbook is None:
            raise Unreadable("not an Excel workbook: no workbook part")
        package.check_sizes(_parts_read_whole(package))
        for info in _xml_parts(package):
            package.refuse_dtd(info)
        metadata, title, status = package.core_properties()
        sheets = _read_sheets(package, workbook.filename, lists, names)
    except UNZIP_ERRORS:
        raise package.damaged() from None
    finally:
        package.close()
    blocks = (TextBlock("title", None, clean(title)),) if title else ()
    return Content(blocks=blocks, metadata=tuple(metadata), sheets=sheets, content_status=status)


def _xml_parts(package: Package) -> list[zipfile.ZipInfo]:
    return [
        info
        for info in package.zip.infolist()
        if info.filename.lower().endswith((".xml", ".rels")) and not info.is_dir()
    ]


def _parts_read_whole(package: Package) -> list[zipfile.ZipInfo]:
    """The XML parts read whole; worksheets and shared strings are streamed and may be huge."""
    streamed = ("/worksheets/", "sharedstrings")
    return [
        info
        for info in _xml_parts(package)
        if not any(s in info.filename.lower().replace("\\", "/") for s in streamed)
    ]


def _read_sheets(
    package: Package, workbook: str, lists: tuple[ListRule, ...], names: tuple[str, ...]
) -> tuple[Sheet, ...]:
    try:
        return _sheets(package, workbook, lists, names)
    except (MemoryError, Unreadable):
        raise
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"damaged Excel workbook: {xml_trouble(exc)}") from None
    except UNZIP_ERRORS:
        raise package.damaged() from None
    except Exception:
        # Fixed words: an exception's own could quote a cell of a child's record,
        # and its type ("KeyError") tells a reader nothing.
        raise Unreadable("damaged Excel workbook: a part is not in the form Excel writes") from None


def _sheets(
    package: Package, workbook: str, lists: tuple[ListRule, ...], names: tuple[str, ...]
) -> tuple[Sheet, ...]:
    """Every worksheet's name, heading row and list, in the workbook's order; rows checked."""
    targets = _relationships(package, workbook)
    listed, epoch = _workbook_sheets(package, workbook)
    styles = _date_styles(package, _target(targets, _REL_STYLES, "xl/styles.xml"))
    strings = _strings(package, _target(targets, _REL_SHARED_STRINGS, "xl/sharedStrings.xml"))
    raw: list[tuple[str, zipfile.ZipInfo | None, list[list[Any]]]] = []
    for name, rel_id in listed[:MAX_SHEETS]:
        rel_type, target = targets.get(rel_id, ("", ""))
        if not rel_type.endswith(_REL_WORKSHEET):
            continue  # a chart sheet, or a sheet whose part is missing
        info = package.find(target)
        raw.append((name, info, _first_rows(package, info, styles, epoch) if info else []))
    wanted = [
        cell.index
        for _, _, rows in raw
        for row in rows
        for cell in row
        if isinstance(cell, _Shared)
    ]
    if max(wanted, default=-1) >= SHARED_STRINGS_LIMIT:
        # Excel stores a workbook's texts in order of first use, so headings
        # come early; a heading stored after millions of other texts would
        # cost the whole time limit to reach.
        raise Unreadable(
            f"too large to check: its headings are stored after {SHARED_STRINGS_LIMIT:,} other texts",
            FailureKind.TOO_LARGE,
        )
    sheets = []
    for name, info, rows in raw:
        texts = [
            tuple(_cell_text(strings.get(c.index)) if isinstance(c, _Shared) else c for c in row)
            for row in rows
        ]
        sheets.append(
            _sheet(
                package, info, clean(name), _trimmed(texts), lists, names, styles, epoch, strings
            )
        )
    return tuple(sheets)


def _sheet(
    package: Package,
    info: zipfile.ZipInfo | None,
    name: str,
    rows: list[tuple[str, ...]],
    lists: tuple[ListRule, ...],
    names: tuple[str, ...],
    styles: dict[int, str],
    epoch: dt.datetime,
    strings: SharedStrings,
) -> Sheet:
    """One sheet: its heading row and list, and, when the list asks, its rows checked."""
    found = find_list(rows, lists, (name, *names)) if lists else None
    if found is None or found.rule is None:
        return Sheet(name)
    rule = found.rule
    sheet = Sheet(
        name,
        heading_row=found.row,
        headings=found.headings,
        holds=found.ids,
        holds_name=rule.name,
    )
    if info is None or not rule.checks_rows:
        return sheet
    checker = _check_rows(package, info, rule, found, styles, epoch, strings)
    return checked_sheet(sheet, checker)


def _check_rows(
    package: Package,
    info: zipfile.ZipInfo,
    rule: ListRule,
    found: Found,
    styles: dict[int, str],
    epoch: dt.datetime,
    strings: SharedStrings,
) -> RowChecker:
    """Every row below the headings through a RowChecker: by pattern, else by lxml."""
    dates = {index for index, kind in styles.items() if kind == "date"}
    with package.open(info) as part:
        head = part.read(4096)
    if plain_root(head, b"worksheet"):
        width = max(found.columns.values(), default=-1) + 1
        reader = RowReader(strings, dates, width, epoch)
        checker = RowChecker(rule, found.columns, reader)
        try:
            with package.open(info) as part:
                feed(checker, reader.rows(part, found.row))
            return checker
        except Unexpected:
            pass  # a row in a shape the pattern does not know: read it all with lxml
    checker = RowChecker(rule, found.columns)
    dated = dict.fromkeys(dates, "date")  # a duration is a number to the checks, as above
    with package.open(info) as part:
        feed(checker, _all_rows(part, found.row, checker.width, dated, epoch, strings))
    return checker


def _all_rows(
    part: Any,
    after: int,
    width: int,
    styles: dict[int, str],
    epoch: dt.datetime,
    strings: SharedStrings,
) -> Iterator[tuple[int, list[Any]]]:
    """Rows below ``after``, read by lxml (the slow, general way), as cell values of
    the same types ``RowReader`` gives: the checks judge a cell alike either way."""
    from openpyxl.utils.escape import unescape

    def value(cell: Any) -> Any:
        if isinstance(cell, _Shared):
            return strings.get(cell.index)  # unescaped as it was read
        return clean(unescape(cell)) if isinstance(cell, str) else cell

    number = 0
    for element in _rows(part):
        number = _int(element.get("r"), number + 1)
        if number > after:
            cells = _cells(element, styles, epoch)[:width]
            yield number, [value(c) for c in cells]
        element.clear()
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def _strings(package: Package, part_name: str) -> SharedStrings:
    info = package.find(part_name)
    if info is None:
        return SharedStrings(None, lambda: iter(()))

    def opener() -> IO[bytes]:
        assert info is not None
        return package.open(info)

    def slow() -> Iterator[str]:
        with opener() as part:
            for _event, element in parse_events(part):
                if _local(element.tag) != "si":
                    continue
                yield _cell_text(_rich_text(element))
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]

    return SharedStrings(opener, slow)


class _Shared:
    """A cell that holds the shared string at ``index``, looked up once all sheets are read."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def _local(tag: object) -> str:
    """An element's name without its namespace: transitional and strict OOXML alike."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _relationships(package: Package, source: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name) of one part."""
    folder, base = posixpath.split(source)
    info = package.find(posixpath.join(folder, "_rels", base + ".rels"))
    if info is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    with package.open(info) as part:
        for _event, element in parse_events(part):
            if _local(element.tag) == "Relationship":
                target = (element.get("Target") or "").replace("\\", "/")
                if target and element.get("TargetMode", "").lower() != "external":
                    name = (
                        target.lstrip("/")
                        if target.startswith("/")
                        else posixpath.normpath(posixpath.join(folder, target))
                    )
                    found[element.get("Id") or ""] = (element.get("Type") or "", name)
    return found


def _target(targets: dict[str, tuple[str, str]], rel_type: str, fallback: str) -> str:
    for kind, name in targets.values():
        if kind.endswith(rel_type):
            return name
    return fallback


def _workbook_sheets(package: Package, workbook: str) -> tuple[list[tuple[str, str]], dt.datetime]:
    """(sheet name, relationship id) in tab order, and the date system's epoch."""
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

    info = package.find(workbook)
    assert info is not None
    sheets: list[tuple[str, str]] = []
    epoch = WINDOWS_EPOCH
    with package.open(info) as part:
        for _event, element in parse_events(part):
            name = _local(element.tag)
            if name == "sheet":
                rel_id = next(
                    (
                        v
                        for k, v in element.attrib.items()
                        if k.startswith("{") and _local(k) == "id"
                    ),
                    "",
                )
                sheets.append((element.get("name") or "", rel_id))
            elif name == "workbookPr" and element.get("date1904", "").lower() in ("1", "true"):
                epoch = MAC_EPOCH
            elif name == "sheets":
                break  # nothing after the sheet list is needed
    return sheets, epoch


def _date_styles(package: Package, styles: str) -> dict[int, str]:
    """Cell style index -> "date" or "duration", for the styles whose number format says so."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    info = package.find(styles)
    if info is None:
        return {}
    custom: dict[int, str] = {}
    formats: list[int] = []
    with package.open(info) as part:
        in_cell_xfs = False
        for event, element in parse_events(part, ("start", "end")):
            name = _local(element.tag)
            if name == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and name == "numFmt":
                custom[_int(element.get("numFmtId"))] = element.get("formatCode") or ""
            elif event == "end" and name == "xf" and in_cell_xfs:
                formats.append(_int(element.get("numFmtId")))
    kinds = {}
    for index, number_format in enumerate(formats):
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
        if is_timedelta_format(code):
            kinds[index] = "duration"
        elif is_date_format(code):
            kinds[index] = "date"
    return kinds


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _first_rows(
    package: Package, info: zipfile.ZipInfo, styles: dict[int, str], epoch: dt.datetime
) -> list[list[Any]]:
    """The first HEADING_ROWS rows of one worksheet, each a list of cell texts (or _Shared)."""
    rows: list[list[Any]] = [[] for _ in range(ROWS_READ)]
    number = 0
    with package.open(info) as part:
        for element in _rows(part):
            number = _int(element.get("r"), number + 1)
            if number > ROWS_READ:
                break
            if number >= 1:
                rows[number - 1] = _texts(_cells(element, styles, epoch))
            element.clear()
    return rows


def _rows(part: Any) -> Iterator[etree._Element]:
    for _event, element in parse_events(part):
        if _local(element.tag) == "row":
            yield element


def _cells(row: etree._Element, styles: dict[int, str], epoch: dt.datetime) -> list[Any]:
    """One row's cell values by column (None for an empty cell)."""
    cells: list[Any] = []
    for cell in row:
        if _local(cell.tag) != "c":
            continue
        column = _column(cell.get("r"), len(cells) + 1)
        if column > MAX_COLUMNS:
            break
        cells.extend([None] * (column - 1 - len(cells)))
        if column == len(cells) + 1:
            cells.append(_value(cell, styles, epoch))
    return cells


def _texts(cells: list[Any]) -> list[Any]:
    """A row's cells as the texts headings are looked for in; shared strings left for later."""
    texts = [c if isinstance(c, _Shared) else _cell_text(c) for c in cells]
    while texts and texts[-1] == "":
        texts.pop()
    return texts


def _column(reference: str | None, default: int) -> int:
    """ "C7" -> 3; the next column when the cell gives no reference."""
    if not reference:
        return default
    number = 0
    for char in reference.upper():
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    return number or default


def _value(cell: etree._Element, styles: dict[int, str], epoch: dt.datetime) -> Any:
    """One cell's value (text as written, bool, number, datetime), or _Shared for a
    shared string; None when it holds none."""
    kind = cell.get("t", "n")
    value = None
    inline = None
    for child in cell:
        name = _local(child.tag)
        if name == "v":
            value = child.text or ""
        elif name == "is":
            inline = _rich_text(child)
    if kind == "inlineStr":
        return inline
    if value is None:
        return None
    if kind == "s":
        return _Shared(_int(value, -1))
    if kind == "b":
        return value.strip() not in ("0", "", "false")
    if kind in ("str", "e"):
        return value
    if kind == "d":
        return _iso_date(value)
    return _number(value, styles.get(_int(cell.get("s"))), epoch)


def _number(text: str, style: str | None, epoch: dt.datetime) -> Any:
    from openpyxl.utils.datetime import from_excel

    try:
        number: float | int = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return text
    if style is None:
        return number
    try:
        return from_excel(number, epoch, timedelta=style == "duration")
    except (OverflowError, ValueError):
        return number


def _iso_date(text: str) -> Any:
    try:
        return dt.datetime.fromisoformat(text.strip().removesuffix("Z"))
    except ValueError:
        return text


def _rich_text(element: etree._Element) -> str:
    """The text of a string item: plain <t>, or the <t> of each run; never phonetic guides."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _trimmed(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _cell_text(value: Any) -> str:
    """A cell as the string a person would see, near enough to compare headers."""
    from openpyxl.utils.escape import unescape

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
    elif isinstance(value, str):
        text = unescape(value)  # Excel's _x000D_ escapes
    else:
        text = str(value)
    return clean(text.strip())[:CELL_CHAR_LIMIT]
