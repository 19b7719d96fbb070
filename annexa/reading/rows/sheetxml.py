"""Stream every row of a worksheet part, and the shared strings it uses, fast and bounded.

A large council's lists run to millions of cells, and lxml's iterparse
builds an element and a Python object for each cell and its value: far too
slow for a list that must be checked in seconds (docs/speed.md). Excel, and
every library that writes XLSX, writes a worksheet's cells in one plain
shape (``<c r="B7" s="3" t="s"><v>12</v></c>``), which a compiled regular
expression reads in C, in a fraction of the time. So the part is unzipped in
chunks of a megabyte, cut at the last complete row, and each row's cells
are matched by pattern; the pattern reads no more than the bytes it is
given, and never backtracks across a row.

What the pattern does not expect is handed to lxml instead, as before: a
part whose elements carry a namespace prefix (``<x:row>``), one not in
UTF-8, and any row whose cells it cannot all account for (it counts the
``<c`` of each row against its matches). The shared strings are read the
same way, lazily: only as far as the highest string a row has asked for,
so a table padded with millions of strings after those used costs nothing.
Entities are never expanded beyond XML's own five and character
references; a part that declares a DTD was refused before this point.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from annexa.reading.content import Unreadable, clean

CHUNK = 1 << 20
MAX_ROW_BYTES = 16 << 20  # one row larger than this is no data list's
TEXTS_REMEMBERED = 50_000

_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
# A cell as every writer lays it out: reference, style, type (each optional,
# in this order), any other attributes, then a plain value, a plain inline
# string, or anything else (a formula, rich text, an empty cell).
_CELL = re.compile(
    rb'<c(?: r="([A-Z]{1,3})\d*")?(?: s="(\d+)")?(?: t="(\w+)")?(\s[^>]*?)?'
    rb"(?:/>|><v>([^<]*)</v></c>|><is><t>([^<]*)</t></is></c>|>(.*?)</c>)",
    re.S,
)
# A cell with its reference first (as every writer puts it), as a token: the rest of
# its markup after the reference, or "" for an empty cell (<c r="B7" s="3"/>).
_TOKEN = re.compile(rb'<c r="([A-Z]{1,3})\d*"(?:[^>]*?/>|(.*?</c>))', re.S)
_LETTERS = [
    bytes(name, "ascii")
    for name in [chr(65 + n) for n in range(26)]
    + [chr(65 + a) + chr(65 + b) for a in range(26) for b in range(26)]
]
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})\d*"')
_TYPE = re.compile(rb'\st="(\w+)"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
# A string item: plain text (its one <t>), else anything (rich text runs), else empty.
_SI = re.compile(rb"<si><t(?:\s[^>]*)?>([^<]*)</t></si>|<si>(.*?)</si>|<si\s*/>", re.S)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# A cell's start tag, and not rich text's <color>, <charset> or <condense>.
_CELL_TAG = re.compile(rb"<c[\s/>]")


def plain_root(head: bytes, name: bytes) -> bool:
    """Whether a part starts (after its prolog) with ``<name`` unprefixed, in UTF-8 or ASCII."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]:
        return False
    at = 0
    while True:
        at = head.find(b"<", at)
        if at < 0 or at + 1 >= len(head):
            return False
        if head[at + 1 : at + 2] in (b"?", b"!"):
            at += 2
            continue
        return head[at + 1 : at + 1 + len(name)] == name and head[
            at + 1 + len(name) : at + 2 + len(name)
        ] in (b" ", b">", b"\t", b"\r", b"\n", b"/")


def column_number(letters: bytes) -> int:
    """ "A" -> 1, "AA" -> 27."""
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def parse_number(raw: bytes) -> int | float | None:
    """A cell's number as Excel wrote it ("42", "3.5", "1E-3"); None when it is not one."""
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return None


def text_of(raw: bytes) -> str:
    """XML character data as text: entities expanded, Excel's _xHHHH_ escapes undone."""
    text = raw.decode("utf-8", "replace")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return clean(text)


def rich_text(inner: bytes) -> str:
    """The text of a string item: its <t>, or the <t> of each run; never phonetic guides."""
    if b"<rPh" in inner:
        inner = _PHONETIC.sub(b"", inner)
    return text_of(b"".join(_TEXT.findall(inner)))


class SharedStrings:
    """The workbook's shared strings, read from the part only as far as they are asked for.

    ``blank``: the indexes of strings that are empty or only spaces, so a
    cell's blankness is known from its index without its text.
    """

    def __init__(
        self, opener: Callable[[], IO[bytes]] | None, slow: Callable[[], Iterator[str]]
    ) -> None:
        self._opener = opener
        self._slow = slow
        self.loaded: list[str] = []  # the strings read so far, in order
        self.blank: set[int] = set()
        self._source: Iterator[list[str]] | None = None
        self._done = opener is None

    def get(self, index: int) -> str:
        loaded = self.loaded
        while index >= len(loaded) and not self._done:
            if self._source is None:
                self._source = self._open()
            try:
                batch = next(self._source)
            except StopIteration:
                self._done = True
                break
            start = len(loaded)
            loaded.extend(batch)
            self.blank.update(
                i for i, text in enumerate(batch, start=start) if not text or text.isspace()
            )
        return loaded[index] if 0 <= index < len(loaded) else ""

    def _open(self) -> Iterator[list[str]]:
        assert self._opener is not None
        part = self._opener()
        head = part.read(4096)
        part.close()
        if not plain_root(head, b"sst"):
            return _batches(self._slow())
        return self._fast()

    def _fast(self) -> Iterator[list[str]]:
        assert self._opener is not None
        with self._opener() as part:
            buffer = b""
            for chunk in iter(lambda: part.read(CHUNK), b""):
                buffer += chunk
                end = max(buffer.rfind(b"</si>") + 5, buffer.rfind(b"<si/>") + 5)
                if end < 5:
                    if len(buffer) > MAX_ROW_BYTES:
                        raise Unreadable("damaged Excel workbook: a shared text is too large")
                    continue
                yield _strings(buffer, end)
                buffer = buffer[end:]
            yield _strings(buffer, len(buffer))


def _strings(buffer: bytes, end: int) -> list[str]:
    """The string items in ``buffer[:end]``: plain ones by pattern, rich ones run by run."""
    return [
        text_of(plain) if plain else (rich_text(rich) if rich else "")
        for plain, rich in _SI.findall(buffer, 0, end)
    ]


def _all_found(count: int, inner: bytes) -> bool:
    """Whether ``count`` matches are every cell of a row's markup. Its ``<c`` are counted,
    and only when they differ, its cell tags alone: rich text's ``<color>`` is no cell."""
    return count == inner.count(b"<c") or count == len(_CELL_TAG.findall(inner))


def _batches(strings: Iterator[str], size: int = 1000) -> Iterator[list[str]]:
    batch: list[str] = []
    for text in strings:
        batch.append(text)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


Cell = Callable[[bytes | None, bytes | None, bytes | None], Any]


class RowReader:
    """Each row of a worksheet part as (row number, values of the wanted columns).

    ``wanted`` are 1-based column numbers; ``dates`` the style indexes whose
    number format is a date. Values are str, int, float, bool or
    datetime, or None for an empty cell.
    """

    def __init__(
        self, strings: SharedStrings, dates: set[int], width: int, epoch: dt.datetime
    ) -> None:
        self.strings = strings
        self.dates = dates
        self.width = width
        self.epoch = epoch
        self._columns: dict[bytes, int] = {}
        self._texts: dict[bytes, str] = {}
        self._numbers: dict[bytes, Any] = {}
        self._days: dict[bytes, Any] = {}

    def rows(self, part: IO[bytes], after: int) -> Iterator[tuple[int, list[Any]]]:
        """Rows numbered above ``after``, from a part whose root is unprefixed."""
        buffer = b""
        number = 0
        ended = False
        for chunk in iter(lambda: part.read(CHUNK), b""):
            buffer += chunk
            end = buffer.rfind(b"</row>")
            if end < 0:
                if len(buffer) > MAX_ROW_BYTES:
                    if buffer.strip():
                        raise Unreadable("damaged Excel workbook: a row is too large to read")
                    buffer = b""
                continue
            end += 6
            for found in self._rows(buffer, end, number, after):
                number = found[0]
                yield found
            buffer = buffer[end:]
            if b"</sheetData>" in buffer:
                ended = True
                break
        ended = ended or b"</sheetData>" in buffer or b"<sheetData/>" in buffer
        for found in self._rows(buffer, len(buffer), number, after):
            yield found
        if not ended:
            raise Unreadable("damaged Excel workbook: damaged XML (a part is cut short or garbled)")

    def _rows(
        self, buffer: bytes, end: int, number: int, after: int
    ) -> Iterator[tuple[int, list[Any]]]:
        """The rows in ``buffer[:end]``, found by searching (memchr), not by pattern."""
        at = 0
        while True:
            start = buffer.find(b"<row", at, end)
            if start < 0:
                return
            close = buffer.find(b">", start, end)
            if close < 0:
                return
            attrs = buffer[start + 4 : close]
            given = _ROW_NUMBER.search(attrs) if attrs else None
            number = int(given.group(1)) if given else number + 1
            if attrs.endswith(b"/"):
                at = close + 1
                continue  # <row r="7"/>: an empty row
            stop = buffer.find(b"</row>", close, end)
            if stop < 0:
                return
            at = stop + 6
            if number > after and stop > close + 1:
                yield number, self._tokens(buffer[close + 1 : stop])

    def _tokens(self, inner: bytes) -> list[Any]:
        """One row's cells by column, each left as its raw markup (a token) to decode later.

        A list's columns repeat their values (codes, dates, teams), so the
        checker decodes each distinct token once (``decode``) and remembers
        what it means; a row whose cells all have their reference is cut
        into tokens by one pattern, and laid out by column without a loop
        when its cells run A, B, C ... without a gap.
        """
        found = _TOKEN.findall(inner)
        count = len(found)
        if not _all_found(count, inner):
            return self._cells(inner)  # a cell without its reference, or another shape
        if count and count <= len(_LETTERS) and found[-1][0] == _LETTERS[count - 1]:
            return [token or None for _, token in found]
        values: list[Any] = [None] * self.width
        columns = self._columns
        width = self.width
        for letters, token in found:
            column = columns.get(letters) or self._column(letters)
            if column <= width:
                values[column - 1] = token or None
        return values

    def text_blanks(self, tokens: Sequence[Any]) -> list[bool]:
        """Whether each of a column's text cells is blank, told in bulk.

        A text column (identifiers, names) has a different value in every
        row, so nothing is remembered per value; a shared string's index
        says whether it is blank without its text, and so does a plain
        inline string's markup.
        """
        indexes = [
            int(t[10:-8])
            if t.__class__ is bytes and t[:10] == b' t="s"><v>' and t[10:-8].isdigit()
            else -1
            for t in tokens
        ]
        if indexes and max(indexes) >= 0:
            self.strings.get(max(indexes))
        blank = self.strings.blank
        return [
            index in blank
            if index >= 0
            else (
                not token[22:-13].strip()
                if token.__class__ is bytes
                and token[:22] == b' t="inlineStr"><is><t>'
                and token[-13:] == b"</t></is></c>"
                and b"<" not in token[22:-13]
                and b"&" not in token[22:-13]
                else self._blank(token)
            )
            for index, token in zip(indexes, tokens, strict=True)
        ]

    def _blank(self, token: Any) -> bool:
        """Whether a cell of neither usual shape is blank: decoded, as any other."""
        value = self.decode(token)
        return value is None or (isinstance(value, str) and not value.strip())

    def decode(self, token: Any) -> Any:
        """A cell's value from its token (`` s="1" t="s"><v>12</v></c>``); others as they are."""
        if token.__class__ is not bytes:
            return token
        close = token.find(b">")
        attrs, content = token[:close], token[close + 1 : -4]
        kind = _TYPE.search(attrs)
        style = _STYLE.search(attrs)
        if not content:
            return None
        return self._value(
            kind.group(1) if kind else b"n", int(style.group(1)) if style else 0, content
        )

    def _cells(self, inner: bytes) -> list[Any]:
        """One row's cells by column: the pattern takes the usual shapes apart in C."""
        values: list[Any] = [None] * self.width
        found = _CELL.findall(inner)
        if not _all_found(len(found), inner):
            raise Unexpected
        width = self.width
        columns = self._columns
        strings = self.strings
        loaded = strings.loaded
        dates = self.dates
        numbers = self._numbers
        texts = self._texts
        days = self._days
        column = 0
        for letters, style, kind, extra, value, text, other in found:
            if extra:
                letters, style, kind = self._attributes(letters, style, kind, extra)
            if letters:
                column = columns.get(letters) or self._column(letters)
            else:
                column += 1
            if column > width:
                continue
            if value:
                if kind == b"s":
                    index = int(value) if value.isdigit() else -1
                    values[column - 1] = (
                        loaded[index] if 0 <= index < len(loaded) else strings.get(index)
                    )
                elif kind == b"" or kind == b"n":
                    if style and int(style) in dates:
                        day = days.get(value)
                        values[column - 1] = self._date(value) if day is None else day
                    else:
                        number = numbers.get(value)
                        values[column - 1] = self._number(value) if number is None else number
                else:
                    values[column - 1] = self._value(
                        kind or b"n", int(style or 0), b"<v>" + value + b"</v>"
                    )
            elif text:
                found_text = texts.get(text)
                values[column - 1] = self._text(text) if found_text is None else found_text
            elif other:
                values[column - 1] = self._value(kind or b"n", int(style or 0), other)
        return values

    def _attributes(
        self, letters: bytes, style: bytes, kind: bytes, extra: bytes
    ) -> tuple[bytes, bytes, bytes]:
        """A cell whose attributes come in another order, or with others beside them."""
        if not letters:
            ref = _CELL_REF.search(extra)
            letters = ref.group(1) if ref else b""
        if not style:
            found = _STYLE.search(extra)
            style = found.group(1) if found else b""
        if not kind:
            found = _TYPE.search(extra)
            kind = found.group(1) if found else b""
        return letters, style, kind

    def _column(self, letters: bytes) -> int:
        number = self._columns[letters] = column_number(letters)
        return number

    def _number(self, raw: bytes) -> Any:
        number = parse_number(raw)
        if number is None:
            return self._text(raw)
        if len(self._numbers) < TEXTS_REMEMBERED:
            self._numbers[raw] = number
        return number

    def _date(self, raw: bytes) -> Any:
        day = self._days.get(raw)
        if day is None:
            number = self._number(raw)
            try:
                day = self.epoch + dt.timedelta(days=number)
            except (OverflowError, TypeError):
                return number
            if len(self._days) < TEXTS_REMEMBERED:
                self._days[raw] = day
        return day

    def _value(self, kind: bytes, style: int, content: bytes) -> Any:
        if kind == b"inlineStr":
            if (
                content[:7] == b"<is><t>"
                and content[-9:] == b"</t></is>"
                and b"<" not in content[7:-9]
            ):
                return self._text(content[7:-9])
            return rich_text(content)
        if content[:3] == b"<v>" and content[-4:] == b"</v>":
            raw = content[3:-4]
        else:
            match = _VALUE.search(content)
            if match is None:
                return rich_text(content) if b"<t" in content else None
            raw = match.group(1)
        if kind == b"n":
            number = parse_number(raw)
            if number is None:
                return self._text(raw)
            if style and style in self.dates:
                try:
                    return self.epoch + dt.timedelta(days=number)
                except OverflowError:
                    return number
            return number
        if kind == b"s":
            try:
                return self.strings.get(int(raw))
            except ValueError:
                return None
        if kind == b"b":
            return raw.strip() not in (b"0", b"", b"false")
        return self._text(raw)  # "str" (a formula's text), "e" (an error), "d" (ISO date text)

    def _text(self, raw: bytes) -> str:
        """``text_of``, remembered for the texts a list repeats (codes, teams)."""
        text = self._texts.get(raw)
        if text is None:
            text = text_of(raw)
            if len(self._texts) < TEXTS_REMEMBERED:
                self._texts[raw] = text
        return text


class Unexpected(Exception):
    """A row the pattern cannot read: the part is read again with lxml."""
