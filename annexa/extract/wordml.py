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
"""

from __future__ import annotations

import re
import zipfile
from typing import IO, BinaryIO

from lxml import etree

from annexa.extract.content import Content, Unreadable, clean
from annexa.extract.ooxml import Package, natural_key, parse_events
from annexa.model import TextBlock

PAGES_READ = 3
BODY_CHAR_LIMIT = 60_000
PART_CHAR_LIMIT = 10_000

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
            line = _SPACES.sub(" ", raw).strip()
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

    def start(self, name: str, element: etree._Element) -> None:
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
            self.fields.append([_attr(element, "instr") or "", True])
        elif name == "sectPr" and self.count_pages:
            parent = element.getparent()
            self.section_type = "nextPage"
            self.section_in_paragraph = parent is not None and _LOCAL.get(parent.tag) == "pPr"

    def end(self, name: str, element: etree._Element) -> None:
        if name in _SKIPPED:
            self.skip -= 1
            return
        if self.skip:
            return
        if name == "t":
            if element.text and not self._suppressed():
                self.add_text(element.text)
        elif name in ("tab", "ptab"):
            self.add_text(" ")
        elif name == "noBreakHyphen":
            self.add_text("-")
        elif name == "cr":
            self.add_text("\n")
        elif name == "br":
            kind = _attr(element, "type")
            if kind == "page":
                self.page_break(hard=True)
            else:
                self.add_text("\n" if kind != "column" else " ")
        elif name == "lastRenderedPageBreak":
            self.page_break(hard=False)
        elif name == "pageBreakBefore":
            if (_attr(element, "val") or "true").lower() not in ("0", "false", "off"):
                self.page_break(hard=True)
        elif name == "type" and self.section_type is not None:
            self.section_type = _attr(element, "val") or "nextPage"
        elif name == "sectPr" and self.section_type is not None:
            self._section_end(self.section_type)
            self.section_ends_here = self.section_in_paragraph
            self.section_type = None
        elif name == "instrText":
            if self.fields:
                self.fields[-1][0] += element.text or ""
        elif name == "fldChar":
            self._field_char(_attr(element, "fldCharType"))
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


def _attr(element: etree._Element, name: str) -> str | None:
    for ns in _W_NAMESPACES:
        value = element.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return element.get(name)


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


def walk(part: IO[bytes], count_pages: bool, char_limit: int) -> dict[int, list[str]]:
    """Lines of one WordprocessingML part, keyed by page (1 when pages are not counted)."""
    walker = _Walker(count_pages, char_limit)
    try:
        for event, element in parse_events(part, ("start", "end"), _TAGS):
            name = _LOCAL.get(element.tag) if isinstance(element.tag, str) else None
            if event == "start":
                if name is not None:
                    walker.start(name, element)
                continue
            if name is not None:
                walker.end(name, element)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except _Stop:
        pass
    except etree.XMLSyntaxError as exc:
        if not walker.lines:
            raise Unreadable(
                f"not a Word document: damaged XML ({exc.msg or 'syntax error'})"
            ) from None
    return walker.pages()


def read_docx(stream: BinaryIO) -> Content:
    """The facts of one DOCX/DOCM, or Unreadable with a one-line reason."""
    package = Package(stream, "a Word document")
    try:
        return _read(package)
    finally:
        package.close()


def _read(package: Package) -> Content:
    main = package.main_part("word/document.xml")
    if main is None:
        raise Unreadable("not a Word document: no document body")
    running = _header_footer_parts(package, main)
    package.check_sizes([main, *(info for _, info in running)])
    for info in (main, *(info for _, info in running)):
        package.refuse_dtd(info)
    metadata, title, status = package.core_properties()

    blocks: list[TextBlock] = []
    if title:
        blocks.append(TextBlock("title", None, clean(title)))
    with package.open(main) as part:
        pages = walk(part, count_pages=True, char_limit=BODY_CHAR_LIMIT)
    for page in sorted(pages):
        blocks.append(TextBlock("body", page, clean("\n".join(pages[page]))))
    for where, info in running:
        with package.open(info) as part:
            lines = [
                line
                for page_lines in walk(part, False, PART_CHAR_LIMIT).values()
                for line in page_lines
            ]
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
