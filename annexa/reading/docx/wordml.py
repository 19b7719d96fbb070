"""Read a Word document's text from its XML: first pages, headers, footers.

python-docx's ``Paragraph.text`` misses what council templates put dates in:
content controls (date pickers), text boxes and tracked insertions. This
walker reads every ``w:t`` run of the body instead, in document order, and
stops at the end of page 3: a 300-page strategy costs what its first pages
cost. Pages are counted from hard page breaks, new-page section breaks and
the page breaks Word recorded when it last laid the document out.

Lines: a paragraph is a line; a table row is a line with its cells separated
by a tab, so "Date approved | 12 March 2015" in a document-control table
reads as one labelled date. Text a reader never sees is left out: deleted
and moved-away text, the fallback copy of every text box (``mc:Fallback``),
field codes, and the result of DATE and TIME fields, which show the day the
file was last opened, not a date anybody wrote.

Two drivers feed the same walker. The fast one (``_Tokens``) finds the few
tags the walker needs with one compiled regular expression over the raw XML
text, so the C regex engine skips the run properties, rsids and drawings that
are most of a Word body, instead of one Python call per lxml event
(docs/speed.md has the figures). It is no XML
parser: whatever it is not sure of (a comment, CDATA, a processing
instruction, a DTD, an entity other than XML's five, a character XML forbids,
another encoding, a namespace prefix bound twice, text with markup inside,
tags of the walker's that do not nest) makes it give up, and lxml reads the
part again with entities, DTDs and the network turned off. A part
that yields no text and does not end with its root's end tag (cut short) is
left to lxml too, so damaged XML keeps its one-line reason. What it does not
check is the rest of well-formedness: in a part damaged in the middle, lxml
stopped at the damage and the tokenizer reads on.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import IO, BinaryIO

from lxml import etree

from annexa.model import TextBlock
from annexa.reading.content import Content, Unreadable, clean, xml_trouble
from annexa.reading.ooxml import UNZIP_ERRORS, Package, natural_key, parse_events, prolog_dtd

PAGES_READ = 3
BODY_CHAR_LIMIT = 60_000
PART_CHAR_LIMIT = 10_000
CHUNK_BYTES = 64 * 1024  # the body is read in pieces, so page 3 ends the unzipping too

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_LOCAL_NAMES = (
    "p", "tc", "tr", "txbxContent", "t", "tab", "ptab", "br", "cr", "noBreakHyphen",
    "lastRenderedPageBreak", "pageBreakBefore", "sectPr", "type", "pPr",
    "moveFrom", "del", "fldSimple", "fldChar", "instrText", "pPrChange", "sectPrChange",
)  # fmt: skip
_LOCAL: dict[str, str] = {f"{{{ns}}}{name}": name for ns in _W_NAMESPACES for name in _LOCAL_NAMES}
_LOCAL[f"{{{_MC}}}Fallback"] = "Fallback"
_TAGS = tuple(_LOCAL)  # only these elements reach the walker; lxml skips the rest in C
# Text and properties nobody sees: Word's fallback copy of drawings, moved-away and
# deleted text, and the old properties kept by tracked changes.
_SKIPPED = {"Fallback", "moveFrom", "del", "pPrChange", "sectPrChange"}
_VOLATILE_FIELDS = {"DATE", "TIME"}
_SPACES = re.compile(r"[ \u00a0]+")
_HEADER_FOOTER_NAME = re.compile(r"(header|footer)[^/]*\.xml$", re.IGNORECASE)
_NO_ATTRIBUTES: Mapping[str, str] = {}


class _Stop(Exception):
    """Enough has been read (page limit or character limit)."""


class _Walker:
    """Turns WordprocessingML events into lines, page by page.

    A section break's kind (new page or continuous) is written in the *next*
    section's properties, further down the stream; so lines after a section
    break are kept on the current page and moved to the next one when that
    section turns out to start a new page (a section with no stated kind, the
    default, does). Word's own record of the new page, a rendered break right
    after the section break, settles it at once.

    Events carry the element's local name, its attributes (local name to
    value, WordprocessingML's or unqualified ones) and, at the end of ``t``
    and ``instrText``, its text: either driver can feed it.
    """

    def __init__(self, count_pages: bool, char_limit: int) -> None:
        self.count_pages = count_pages
        self.char_limit = char_limit
        self.page = 1
        self.lines: list[list] = []  # [page, text]
        self.chars = 0
        self.frames: list[tuple[str, list[str]]] = []
        self.skip = 0
        self.fields: list[list] = []  # [instruction, showing result]
        self.after_hard_break = False  # no text since a hard page break
        self.boundary: int | None = None  # index of the first line after an unsettled section break
        self.boundary_content = False
        self.section_type: str | None = None  # while inside a sectPr
        self.section_in_paragraph = False
        self.section_ends_here = False

    # -- output --------------------------------------------------------------

    def emit(self, text: str) -> None:
        for raw in text.split("\n"):
            if "  " in raw or "\u00a0" in raw:
                raw = _SPACES.sub(" ", raw)
            line = raw.strip()
            if not line:
                continue
            self.lines.append([self.page, line])
            self.chars += len(line) + 1
            if self.chars >= self.char_limit:
                raise _Stop

    def add_text(self, text: str) -> None:
        if self.frames and self.frames[-1][0] == "p":
            self.frames[-1][1].append(text)
            if text.strip():
                self.after_hard_break = False
                self.boundary_content = True

    def pages(self) -> dict[int, list[str]]:
        """The lines read, by page, once the last section break is settled."""
        if self.boundary is not None:
            self._shift(stop=False)  # a section of unknown kind: new page, Word's default
        by_page: dict[int, list[str]] = {}
        for page, line in self.lines:
            if page <= PAGES_READ or not self.count_pages:
                by_page.setdefault(page, []).append(line)
        return by_page

    def page_break(self, hard: bool) -> None:
        if not self.count_pages:
            return
        if not hard and self.after_hard_break:
            return  # Word's record of the hard break just taken
        if not hard and self.boundary is not None and not self.boundary_content:
            self.boundary = None  # Word's record of the section's new page
        # Text before the break in this paragraph belongs to the page it is on.
        if self.frames and self.frames[-1][0] == "p" and not self._in_table():
            self.emit("".join(self.frames[-1][1]))
            self.frames[-1][1].clear()
        self.page += 1
        self.after_hard_break = hard
        if self.page > PAGES_READ:
            raise _Stop

    def _section_end(self, kind: str) -> None:
        """A sectPr has been read: it settles the previous section break."""
        if self.boundary is not None:
            if kind not in ("continuous", "nextColumn"):
                self._shift(stop=True)
            self.boundary = None

    def _shift(self, stop: bool) -> None:
        assert self.boundary is not None
        for line in self.lines[self.boundary :]:
            line[0] += 1
        self.page += 1
        self.boundary = None
        if stop and self.page > PAGES_READ:
            raise _Stop

    def _in_table(self) -> bool:
        for kind, _ in reversed(self.frames[:-1]):
            if kind == "txbx":
                return False
            if kind in ("tc", "tr"):
                return True
        return False

    def _suppressed(self) -> bool:
        return any(
            showing and _field_name(instr) in _VOLATILE_FIELDS for instr, showing in self.fields
        )

    # -- events --------------------------------------------------------------

    def start(
        self, name: str, attributes: Mapping[str, str], in_paragraph_properties: bool
    ) -> None:
        if name in _SKIPPED:
            self.skip += 1
            return
        if self.skip:
            return
        if name == "p":
            self.frames.append(("p", []))
        elif name == "tc":
            self.frames.append(("tc", []))
        elif name == "tr":
            self.frames.append(("tr", []))
        elif name == "txbxContent":
            self.frames.append(("txbx", []))
        elif name == "fldSimple":
            self.fields.append([attributes.get("instr") or "", True])
        elif name == "sectPr" and self.count_pages:
            self.section_type = "nextPage"
            self.section_in_paragraph = in_paragraph_properties

    def end(self, name: str, attributes: Mapping[str, str], text: str | None) -> None:
        if name in _SKIPPED:
            self.skip -= 1
            return
        if self.skip:
            return
        if name == "t":
            if text and not self._suppressed():
                self.add_text(text)
        elif name in ("tab", "ptab"):
            self.add_text(" ")
        elif name == "noBreakHyphen":
            self.add_text("-")
        elif name == "cr":
            self.add_text("\n")
        elif name == "br":
            kind = attributes.get("type")
            if kind == "page":
                self.page_break(hard=True)
            else:
                self.add_text("\n" if kind != "column" else " ")
        elif name == "lastRenderedPageBreak":
            self.page_break(hard=False)
        elif name == "pageBreakBefore":
            if (attributes.get("val") or "true").lower() not in ("0", "false", "off"):
                self.page_break(hard=True)
        elif name == "type" and self.section_type is not None:
            self.section_type = attributes.get("val") or "nextPage"
        elif name == "sectPr" and self.section_type is not None:
            self._section_end(self.section_type)
            self.section_ends_here = self.section_in_paragraph
            self.section_type = None
        elif name == "instrText":
            if self.fields:
                self.fields[-1][0] += text or ""
        elif name == "fldChar":
            self._field_char(attributes.get("fldCharType"))
        elif name == "fldSimple":
            if self.fields:
                self.fields.pop()
        elif name == "p":
            self._end_paragraph()
        elif name == "tc":
            _, paragraphs = self.frames.pop()
            self._to_row(" ".join(p for p in paragraphs if p))
        elif name == "tr":
            _, cells = self.frames.pop()
            self._to_cell_or_line("\t".join(cells).strip())
        elif name == "txbxContent":
            self.frames.pop()

    def _end_paragraph(self) -> None:
        if not self.frames or self.frames[-1][0] != "p":
            return
        _, parts = self.frames.pop()
        self._to_cell_or_line("".join(parts).strip())
        if self.section_ends_here:
            self.section_ends_here = False
            self.boundary = len(self.lines)
            self.boundary_content = False

    def _to_cell_or_line(self, text: str) -> None:
        if self.frames and self.frames[-1][0] == "tc":
            if text:
                self.frames[-1][1].append(" ".join(text.split()))
        elif text:
            self.emit(text)

    def _to_row(self, text: str) -> None:
        if self.frames and self.frames[-1][0] == "tr":
            self.frames[-1][1].append(text)
        else:
            self._to_cell_or_line(text)

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            if len(self.fields) < 50:
                self.fields.append(["", False])
        elif kind == "separate":
            if self.fields:
                self.fields[-1][1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


# ---------------------------------------------------------------------------
# The lxml driver: a real XML parser, for whatever the fast one is unsure of
# ---------------------------------------------------------------------------


class _ElementAttributes(Mapping[str, str]):
    """An lxml element's attributes as the walker asks for them: by local name."""

    __slots__ = ("element",)

    def __init__(self, element: etree._Element) -> None:
        self.element = element

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        for ns in _W_NAMESPACES:
            value = self.element.get(f"{{{ns}}}{name}")
            if value is not None:
                return value
        value = self.element.get(name)
        return default if value is None else value

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(())

    def __len__(self) -> int:
        return 0


def _walk_lxml(part: IO[bytes], count_pages: bool, char_limit: int) -> dict[int, list[str]]:
    walker = _Walker(count_pages, char_limit)
    try:
        for event, element in parse_events(part, ("start", "end"), _TAGS):
            name = _LOCAL.get(element.tag) if isinstance(element.tag, str) else None
            if event == "start":
                if name is not None:
                    parent = element.getparent() if name == "sectPr" else None
                    walker.start(
                        name,
                        _ElementAttributes(element),
                        parent is not None and _LOCAL.get(parent.tag) == "pPr",
                    )
                continue
            if name is not None:
                walker.end(name, _ElementAttributes(element), element.text)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except _Stop:
        pass
    except etree.XMLSyntaxError as exc:
        if not walker.lines:
            raise Unreadable(f"not a Word document: {xml_trouble(exc)}") from None
    return walker.pages()


# ---------------------------------------------------------------------------
# The fast driver: a tokenizer over the raw XML text
# ---------------------------------------------------------------------------


class _Unsure(Exception):
    """The tokenizer met XML it does not handle; lxml reads the part instead."""


_W_SET = frozenset(_W_NAMESPACES)
# Elements that hold nothing the walker needs: their end tag follows at once.
_LEAVES = frozenset(
    ("t", "instrText", "tab", "ptab", "br", "cr", "noBreakHyphen", "lastRenderedPageBreak",
     "pageBreakBefore", "type", "fldChar")
)  # fmt: skip
_WITH_ATTRIBUTES = frozenset(("br", "pageBreakBefore", "type", "fldChar", "fldSimple"))
_NAME_ORDER = (  # the frequent first: the regex tries them in this order
    "p", "t", "tab", "br", "tc", "tr", "pPr", "lastRenderedPageBreak", "sectPr", "type",
    "txbxContent", "fldChar", "instrText", "fldSimple", "del", "moveFrom", "pPrChange",
    "sectPrChange", "ptab", "cr", "noBreakHyphen", "pageBreakBefore",
)  # fmt: skip
_ANY_ATTRIBUTES = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""  # a quoted ">" included
_OPEN_ATTRIBUTES = r"""[^>"'/]*(?:(?:/(?!>)|"[^"]*"|'[^']*')[^>"'/]*)*"""  # and not "/>"
_XMLNS = re.compile(r"""xmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROOT = re.compile(r"<([^\s/>!?]+)")
_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']*)["']""")
_XML_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x9, 0xA, 0xD))  # the rest: not XML
_BAD_AMPERSAND = re.compile(r"&(?!(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos);)")
_REFERENCE = re.compile(r"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));")
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_PATTERNS: dict[
    tuple[tuple[str, ...], tuple[str, ...]], tuple[re.Pattern[str], dict[str, str]]
] = {}


def _unescape(text: str) -> str:
    """XML's five entities and character references; anything else is a reason to stop."""
    if _BAD_AMPERSAND.search(text):
        raise _Unsure
    return _REFERENCE.sub(_reference, text)


def _reference(match: re.Match[str]) -> str:
    if match.group(3):
        return _PREDEFINED[match.group(3)]
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if not (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        raise _Unsure  # lxml refuses it: so does this reader, through lxml
    return chr(code)


def _pattern(w: tuple[str, ...], mc: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The regex for these prefixes, and qualified name -> local name."""
    key = (w, mc)
    found = _PATTERNS.get(key)
    if found is None:
        if len(_PATTERNS) > 16:
            _PATTERNS.clear()  # odd prefixes in many files: keep the memory small
        qualified = {f"{p}:{n}": n for n in _NAME_ORDER for p in w}
        qualified.update({f"{p}:Fallback": "Fallback" for p in mc})
        names = "|".join(re.escape(q) for q in qualified) or "(?!)"
        prefixes = "|".join(re.escape(p) for p in w) or "(?!)"
        found = (
            re.compile(
                # <w:t ...>text</w:t> and <w:instrText ...>text</w:instrText> in one match
                rf"<(?:({prefixes}):(t|instrText)(?:\s{_OPEN_ATTRIBUTES})?>([^<]*)</\1:\2\s*>"
                # any other tag the walker needs: (/)(qualified name)(attributes)
                rf"|(/?)({names})(?=[\s/>])({_ANY_ATTRIBUTES})>)"
            ),
            qualified,
        )
        _PATTERNS[key] = found
    return found


class _Tokens:
    """Feeds a walker from XML text, piece by piece, or raises _Unsure."""

    def __init__(self, walker: _Walker) -> None:
        self.walker = walker
        self.bindings: dict[str, str] = {}
        self.w: tuple[str, ...] = ()
        self.mc: tuple[str, ...] = ()
        self.attribute_w: dict[str, int] = {}  # prefix -> rank (transitional before strict)
        self.pattern: re.Pattern[str] | None = None
        self.names: dict[str, str] = {}
        self.open: list[str] = []  # the walker's elements still open
        self.leaf: tuple[str, Mapping[str, str]] | None = None  # <w:br ...> waiting for </w:br>
        self.first = True
        self.root: str | None = None  # the qualified name of the root element
        self.tail = ""  # the end of the text seen so far

    def feed(self, data: bytes) -> None:
        if self.first:
            data = self._declaration(data)
            self.first = False
        if data.translate(None, _XML_BYTES) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
            raise _Unsure  # characters XML forbids: lxml says so
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unsure from None
        if "<!" in text or "<?" in text:
            raise _Unsure  # comments, CDATA, DTDs, processing instructions
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._bind(text)
        assert self.pattern is not None
        walker, names, opened = self.walker, self.names, self.open
        for match in self.pattern.finditer(text):
            prefix, element, inner, slash, qualified, attributes = match.groups()
            if prefix is not None:  # a whole t or instrText
                if self.leaf is not None:
                    raise _Unsure
                if "&" in inner:
                    inner = _unescape(inner)
                if element != "t" or walker.skip or walker.fields:
                    walker.end(element, _NO_ATTRIBUTES, inner)
                elif inner:  # plain text, as walker.end("t") takes it, inline
                    walker.add_text(inner)
                continue
            name = names[qualified]
            if name == "p" and self.leaf is None:  # the most frequent by far: inline
                if slash:
                    if not opened or opened[-1] != "p":
                        raise _Unsure
                    opened.pop()
                    if not walker.skip:
                        walker._end_paragraph()
                    continue
                if not attributes.endswith("/"):
                    opened.append("p")
                    if not walker.skip:
                        walker.frames.append(("p", []))
                    continue
            if slash:
                self._close(name)
            else:
                self._start(name, attributes)
        if self.root is None:
            found = _ROOT.search(text)
            self.root = found.group(1) if found else ""
        self.tail = (self.tail + text)[-256:]

    def _start(self, name: str, raw: str) -> None:
        if self.leaf is not None:
            raise _Unsure  # an element inside <w:br> or <w:t>: not Word's XML
        empty = raw.endswith("/")
        attributes = self._attributes(raw) if name in _WITH_ATTRIBUTES else _NO_ATTRIBUTES
        if name in _LEAVES:
            if name in ("t", "instrText") and not empty:
                raise _Unsure  # text with markup inside: lxml knows what it means
            if empty:
                self.walker.end(name, attributes, None)
            else:
                self.leaf = (name, attributes)
            return
        self.walker.start(name, attributes, bool(self.open) and self.open[-1] == "pPr")
        if empty:
            self.walker.end(name, attributes, None)
        else:
            self.open.append(name)

    def _close(self, name: str) -> None:
        leaf = self.leaf
        if leaf is not None:
            if leaf[0] != name:
                raise _Unsure
            self.leaf = None
            self.walker.end(name, leaf[1], None)
            return
        if not self.open or self.open[-1] != name:
            raise _Unsure  # tags that do not nest: damaged XML, lxml says how
        self.open.pop()
        self.walker.end(name, _NO_ATTRIBUTES, None)

    def _attributes(self, raw: str) -> dict[str, str]:
        """Local name -> value, WordprocessingML's first, unqualified ones last (as lxml is read)."""
        found: dict[str, tuple[int, str]] = {}
        for match in _ATTRIBUTE.finditer(raw):
            name = match.group(1)
            value = match.group(2) if match.group(2) is not None else match.group(3)
            prefix, _, local = name.rpartition(":")
            if not prefix:
                if name == "xmlns":
                    continue
                rank = 9
            else:
                rank = self.attribute_w.get(prefix, -1)
                if rank < 0:
                    continue
            if "<" in value:
                raise _Unsure
            value = value.replace("\t", " ").replace("\n", " ")
            if "&" in value:
                value = _unescape(value)
            if local not in found or rank < found[local][0]:
                found[local] = (rank, value)
        return {local: value for local, (_, value) in found.items()}

    def _declaration(self, data: bytes) -> bytes:
        """Drop a UTF-8 byte order mark and the XML declaration; other encodings go to lxml."""
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        elif data.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00")):
            raise _Unsure  # UTF-16 or UTF-32
        if data.startswith(b"<?xml"):
            end = data.find(b"?>")
            if end < 0:
                raise _Unsure
            declaration = data[: end + 2].decode("ascii", "replace")
            encoding = _ENCODING.search(declaration)
            if encoding and encoding.group(1).lower() not in ("utf-8", "utf8"):
                raise _Unsure
            return data[end + 2 :]
        return data

    def _bind(self, text: str) -> None:
        """Learn the namespace prefixes declared in this piece; a prefix bound twice goes to lxml."""
        changed = self.pattern is None
        if not changed and "xmlns" not in text:
            return
        for match in _XMLNS.finditer(text):
            prefix = match.group(1)
            uri = match.group(2) if match.group(2) is not None else match.group(3)
            if prefix is None:
                if uri in _W_SET or uri == _MC:
                    raise _Unsure  # WordprocessingML as the default namespace: rare, lxml's job
                continue
            known = self.bindings.get(prefix)
            if known is None:
                self.bindings[prefix] = uri
                changed = changed or uri in _W_SET or uri == _MC
            elif known != uri:
                raise _Unsure
        if changed:
            self.w = tuple(p for p, uri in self.bindings.items() if uri in _W_SET)
            self.mc = tuple(p for p, uri in self.bindings.items() if uri == _MC)
            self.attribute_w = {
                p: _W_NAMESPACES.index(uri) for p, uri in self.bindings.items() if uri in _W_SET
            }
            self.pattern, self.names = _pattern(self.w, self.mc)

    def finish(self) -> None:
        """At the end of the part: a part that said nothing must at least be whole."""
        if not self.w or self.leaf is not None:
            raise _Unsure
        if not self.walker.lines and not self._whole():
            raise _Unsure

    def _whole(self) -> bool:
        """Whether the part ends with the end of its root element (it was not cut short)."""
        if not self.root or self.open:
            return False
        return re.search(rf"</{re.escape(self.root)}\s*>\s*$", self.tail) is not None


def _safe_end(data: bytearray, start: int) -> tuple[int, int]:
    """Where XML can be cut between two pieces, and where to look next time.

    The cut is after the last whole end tag at or after ``start`` (-1: none
    yet). Nothing the tokenizer matches in one go (a ``w:t`` with its text)
    holds an end tag, and a ``<`` outside a tag is not XML, so this never
    splits one. Only bytes not searched before are searched: a part with no
    end tag for megabytes costs one pass, not one per piece read.
    """
    last = data.rfind(b"</", start)
    if last < 0:
        return -1, max(len(data) - 1, 0)
    end = data.find(b">", last)
    if end >= 0:
        return end + 1, end + 1
    before = data.rfind(b"</", start, last)  # the last end tag is cut short
    if before >= 0:
        end = data.find(b">", before, last)
        if end >= 0:
            return end + 1, last
    return -1, last


def _walk_fast(head: bytes, rest: IO[bytes] | None, walker: _Walker) -> None:
    """Tokenize ``head`` and then what ``rest`` holds; raises _Unsure or _Stop."""
    tokens = _Tokens(walker)
    buffer = bytearray(head)
    searched = 0
    while rest is not None:
        more = rest.read(CHUNK_BYTES)
        if not more:
            break
        buffer += more
        cut, searched = _safe_end(buffer, searched)
        if cut > 0:
            tokens.feed(bytes(buffer[:cut]))
            del buffer[:cut]
            searched -= cut
    tokens.feed(bytes(buffer))
    tokens.finish()


def walk_bytes(
    data: bytes, count_pages: bool, char_limit: int, rest: IO[bytes] | None = None
) -> dict[int, list[str]] | None:
    """Lines of a part that starts with ``data`` (and goes on in ``rest``), or None when unsure."""
    walker = _Walker(count_pages, char_limit)
    try:
        _walk_fast(data, rest, walker)
    except _Stop:
        pass
    except (_Unsure, RecursionError):
        return None
    return walker.pages()


def walk(
    part: IO[bytes], count_pages: bool, char_limit: int, head: bytes | None = None
) -> dict[int, list[str]]:
    """Lines of one WordprocessingML part, keyed by page (1 when pages are not counted).

    The tokenizer reads it; a part it is unsure of is read again from the
    start by lxml. ``head``: the first CHUNK_BYTES, when the caller has
    already read them (to look for a DTD).
    """
    if head is None:
        head = part.read(CHUNK_BYTES)
    pages = walk_bytes(head, count_pages, char_limit, part)
    if pages is not None:
        return pages
    part.seek(0)
    return _walk_lxml(part, count_pages, char_limit)


# ---------------------------------------------------------------------------
# The package
# ---------------------------------------------------------------------------


def read_docx(stream: BinaryIO) -> Content:
    """The facts of one DOCX/DOCM, or Unreadable with a one-line reason."""
    package = Package(stream, "a Word document")
    try:
        return _read(package)
    except UNZIP_ERRORS:
        raise package.damaged() from None
    finally:
        package.close()


def _read(package: Package) -> Content:
    main = package.main_part("word/document.xml")
    if main is None:
        raise Unreadable("not a Word document: no document body")
    running = _header_footer_parts(package, main)
    package.check_sizes([main, *(info for _, info in running)])
    body = package.open(main)
    try:
        head = body.read(CHUNK_BYTES)
        dtd = prolog_dtd([head])
        if dtd is None:  # the prolog runs past the first chunk: read on to its end
            package.refuse_dtd(main)
        elif dtd:
            raise package.unsafe()
        running_data = [(where, package.read_checked(info)) for where, info in running]
        metadata, title, status = package.core_properties()

        blocks: list[TextBlock] = []
        if title:
            blocks.append(TextBlock("title", None, clean(title)))
        pages = walk(body, True, BODY_CHAR_LIMIT, head)
    finally:
        body.close()
    for page in sorted(pages):
        blocks.append(TextBlock("body", page, clean("\n".join(pages[page]))))
    for where, data in running_data:
        found = walk(io.BytesIO(data), False, PART_CHAR_LIMIT)
        lines = [line for page_lines in found.values() for line in page_lines]
        if lines:
            blocks.append(TextBlock(where, None, clean("\n".join(lines))))  # type: ignore[arg-type]
    return Content(blocks=tuple(blocks), metadata=tuple(metadata), content_status=status)


def _header_footer_parts(
    package: Package, main: zipfile.ZipInfo
) -> list[tuple[str, zipfile.ZipInfo]]:
    """Every header and footer part: first-page, even-page and default ones alike.

    Found through the main part's relationships and, for packages with broken
    relationships, by name beside the main part; headers first, in name order.
    """
    found: dict[str, tuple[str, zipfile.ZipInfo]] = {}
    for rel_type, target in package.relationships(main.filename):
        kind = rel_type.rsplit("/", 1)[-1]
        info = package.find(target)
        if kind in ("header", "footer") and info is not None:
            found[info.filename] = (kind, info)
    folder = main.filename.rsplit("/", 1)[0] + "/" if "/" in main.filename else ""
    for name in package.names():
        rest = name[len(folder) :] if name.startswith(folder) else None
        if rest is not None and "/" not in rest and name not in found:
            match = _HEADER_FOOTER_NAME.fullmatch(rest)
            if match:
                info = package.find(name)
                if info is not None:
                    found[name] = (match.group(1).lower(), info)
    return sorted(
        found.values(), key=lambda item: (item[0] != "header", natural_key(item[1].filename))
    )
