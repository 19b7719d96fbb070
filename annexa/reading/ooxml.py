"""The parts of an Office Open XML package (DOCX, XLSX), opened defensively.

Word and Excel files are zip archives of XML parts. A file dropped in a share
can be a zip bomb (a few KB that unzip to gigabytes), a zip of 100,000 parts,
a renamed old ``.doc``, or XML that declares entities to expand a billion
laughs or read ``file:///etc/passwd``. So: entry counts and declared sizes are
checked before anything is unzipped (zipfile never inflates a part beyond its
declared size), part names are looked up as OPC says (case-insensitively),
any part that declares a DTD is refused, and XML is parsed by lxml with
entities, DTDs and the network turned off.

Core properties are read here, from ``docProps/core.xml`` itself: python-docx
invents ``modified = now`` when that part is missing, which would date every
such file today. No part, no metadata.
"""

from __future__ import annotations

import io
import posixpath
import re
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, BinaryIO

from lxml import etree

from annexa.model.failures import FailureKind
from annexa.reading.content import Unreadable, clean, human_size, short

MAX_ENTRIES = 10_000
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
PROLOG_CHUNK_BYTES = 64 * 1024
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

REL_OFFICE_DOCUMENT = "/officeDocument"
REL_CORE_PROPERTIES = "/core-properties"
CORE_PARTS = ("docProps/core.xml",)

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_CORE_FIELDS = {
    f"{{{_DCTERMS}}}modified": "core:modified",
    f"{{{_DCTERMS}}}created": "core:created",
}
_CORE_TITLE = f"{{{_DC}}}title"
_CORE_STATUS = f"{{{_CP}}}contentStatus"


# What every parser of a package part is told: never resolve entities, load a
# DTD or touch the network, and leave out comments and processing instructions.
_SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def parse_events(
    source: IO[bytes], events: tuple[str, ...] = ("end",), tags: Sequence[str] | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """lxml iterparse that never resolves entities, loads DTDs or touches the network.

    ``tags`` (Clark names) limits the events to those elements, in C: most of
    a Word body is run properties that no reader looks at.
    """
    return etree.iterparse(source, events=events, tag=tags, **_SAFE)


SMALL_PART_BYTES = 1024 * 1024  # larger parts are streamed, never built as a whole tree
_PARSERS = threading.local()


def _parser() -> etree.XMLParser:
    """A parser with parse_events' settings, one per thread (lxml's are not thread-safe)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(**_SAFE)
    return parser


def small_part_events(data: bytes) -> Iterator[tuple[str, etree._Element]]:
    """``parse_events`` over a small part already in memory, parsed in one go.

    A relationships or properties part is a few hundred bytes: setting up an
    incremental parser for it costs more than parsing it (docs/speed.md). A
    whole, well-formed part is parsed at once and walked in the same order; a
    damaged one is left to ``parse_events``, which yields what comes before
    the damage and then raises.
    """
    if len(data) > SMALL_PART_BYTES:
        return parse_events(io.BytesIO(data))  # streamed: each element cleared as it is read
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return parse_events(io.BytesIO(data))
    return etree.iterwalk(root, events=("end",))


_PROLOG_SPACE = b" \t\r\n\xef\xbb\xbf\xfe\xff"  # white space, and the bytes of byte-order marks
_DTD_STARTS = (b"<!DOCTYPE", b"<!ENTITY")


def prolog_dtd(chunks: Iterable[bytes]) -> bool | None:
    """Read a part's prolog (before its first element): True if it declares a DTD.

    False once the first element starts; None when the data ends first. A
    DTD can only come before the first element, but after any number of
    comments and processing instructions, however long: they are skipped,
    not measured, so a DTD hidden behind a 40 KB comment is still found.
    NUL bytes are dropped so a UTF-16 part reads as its ASCII markup.
    """
    waiting: bytes | None = None  # the end of a comment or instruction
    buffer = b""
    for chunk in chunks:
        buffer += chunk.replace(b"\x00", b"")
        while buffer:
            if waiting is not None:
                end = buffer.find(waiting)
                if end < 0:
                    buffer = buffer[1 - len(waiting) :]
                    break
                buffer = buffer[end + len(waiting) :]
                waiting = None
                continue
            buffer = buffer.lstrip(_PROLOG_SPACE)
            if len(buffer) < len(_DTD_STARTS[0]):
                break
            if buffer.startswith(b"<?"):
                waiting, buffer = b"?>", buffer[2:]
            elif buffer.startswith(b"<!--"):
                waiting, buffer = b"-->", buffer[4:]
            else:
                return buffer.startswith(_DTD_STARTS)
    buffer = buffer.lstrip(_PROLOG_SPACE)
    if waiting is None and buffer:
        return buffer.startswith(_DTD_STARTS)
    return None


UNZIP_ERRORS = (zlib.error, zipfile.BadZipFile, EOFError)
"""What a part that will not unzip raises, as it is read: see ``Package.damaged``."""


class Package:
    """An opened OOXML zip whose size and shape have been checked.

    ``what`` names the kind of document in error messages ("a Word document",
    "an Excel workbook"), so a reason reads "not a Word document: not a zip
    file" rather than a zipfile exception.
    """

    def __init__(self, stream: BinaryIO, what: str) -> None:
        self.what = what
        head = stream.read(8)
        stream.seek(0)
        if not head:
            raise Unreadable("empty file")
        if head.startswith(CFB_MAGIC):
            raise Unreadable(
                f"not {what}: a password-protected or old-format (.doc/.xls) Office file",
                FailureKind.UNSUPPORTED,
            )
        try:
            self.zip = zipfile.ZipFile(stream)
        except zipfile.BadZipFile:
            raise Unreadable(f"not {what}: not a zip file") from None
        except (MemoryError, Unreadable):
            raise
        except Exception as exc:
            raise Unreadable(f"not {what}: damaged zip ({short(exc)})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Unreadable(f"too many parts in the zip ({len(infos):,})", FailureKind.TOO_LARGE)
        self._by_name = {
            info.filename.replace("\\", "/").lstrip("/").lower(): info for info in infos
        }
        self._relationships: dict[str, list[tuple[str, str]]] = {}

    # -- finding parts -----------------------------------------------------

    def names(self) -> list[str]:
        return [info.filename for info in self.zip.infolist()]

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The part called ``name`` (no leading slash), ignoring case as OPC does."""
        return self._by_name.get(name.lstrip("/").lower())

    def relationships(self, source: str = "") -> list[tuple[str, str]]:
        """(type, target part name) of the relationships of ``source`` ("" for the package).

        Read once per package: the package's own are asked for by the main
        part and again by the core properties.
        """
        found = self._relationships.get(source)
        if found is None:
            found = self._relationships[source] = self._read_relationships(source)
        return list(found)

    def _read_relationships(self, source: str) -> list[tuple[str, str]]:
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if source else "_rels/.rels"
        info = self.find(rels_name)
        if info is None:
            return []
        data = self.read_checked(info)
        found: list[tuple[str, str]] = []
        try:
            for _event, element in small_part_events(data):
                if element.tag.endswith("}Relationship") or element.tag == "Relationship":
                    if element.get("TargetMode", "").lower() == "external":
                        continue
                    target = element.get("Target") or ""
                    if target:
                        found.append((element.get("Type") or "", _resolve(folder, target)))
                element.clear()
        except etree.XMLSyntaxError:
            return found
        return found

    def main_part(self, fallback: str) -> zipfile.ZipInfo | None:
        """The officeDocument part named by ``_rels/.rels``, else ``fallback``."""
        for rel_type, target in self.relationships():
            if rel_type.endswith(REL_OFFICE_DOCUMENT):
                info = self.find(target)
                if info is not None:
                    return info
        return self.find(fallback)

    # -- reading parts -----------------------------------------------------

    def check_sizes(self, parts: list[zipfile.ZipInfo]) -> None:
        """Refuse before unzipping when the parts to read would be too large."""
        total = 0
        for info in parts:
            if info.file_size > MAX_PART_BYTES:
                raise Unreadable(
                    f"too large when unzipped ({human_size(info.file_size)})", FailureKind.TOO_LARGE
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise Unreadable(
                f"too large when unzipped ({human_size(total)})", FailureKind.TOO_LARGE
            )

    def refuse_dtd(self, info: zipfile.ZipInfo) -> None:
        """Office never writes a DTD; a part that declares one is an attack, not a document."""
        with self.open(info) as part:
            if prolog_dtd(iter(lambda: part.read(PROLOG_CHUNK_BYTES), b"")):
                raise self.unsafe()

    def damaged(self) -> Unreadable:
        """The reason given for a part that will not unzip (a copy cut short, or bytes
        damaged on the way): zlib's own words ("error -3 while decompressing") mean
        nothing to the person who has to fetch a good copy."""
        kind = self.what.split(" ", 1)[-1]  # "an Excel workbook" -> "Excel workbook"
        return Unreadable(
            f"damaged {kind}: a part will not unzip (the copy is cut short or damaged)"
        )

    def unsafe(self) -> Unreadable:
        """The reason given for a part that declares a DTD."""
        return Unreadable(
            f"not {self.what}: refused as unsafe (its XML declares a DTD, which Office never writes)",
            FailureKind.UNSAFE,
        )

    def read_checked(self, info: zipfile.ZipInfo) -> bytes:
        """A whole part, its size checked first, refused if it declares a DTD.

        For the small parts (relationships, properties, headers): one unzip
        serves both the check and the reading.
        """
        self.check_sizes([info])
        with self.open(info) as part:
            data = part.read()
        if prolog_dtd([data]) is True:
            raise self.unsafe()
        return data

    def open(self, info: zipfile.ZipInfo) -> IO[bytes]:
        try:
            return self.zip.open(info)
        except (MemoryError, Unreadable):
            raise
        except Exception as exc:
            raise Unreadable(f"not {self.what}: damaged zip ({short(exc)})") from None

    def core_properties(self) -> tuple[list[tuple[str, str]], str | None, str | None]:
        """(raw date metadata, title, content status) from the core properties part.

        A package without the part yields nothing: never a date invented from
        the clock, as python-docx does.
        """
        info = None
        for rel_type, target in self.relationships():
            if rel_type.endswith(REL_CORE_PROPERTIES):
                info = self.find(target)
                break
        if info is None:
            info = self.find(CORE_PARTS[0])
        if info is None:
            return [], None, None
        data = self.read_checked(info)
        values: dict[str, str] = {}
        try:
            for _event, element in small_part_events(data):
                tag = element.tag
                if isinstance(tag, str) and (
                    tag in _CORE_FIELDS or tag in (_CORE_TITLE, _CORE_STATUS)
                ):
                    text = clean("".join(element.itertext())).strip()
                    if text and tag not in values:
                        values[tag] = text[:1000]
        except etree.XMLSyntaxError:
            pass  # a damaged core part only loses its dates; the body may still date the file
        dates = [(label, values[tag][:100]) for tag, label in _CORE_FIELDS.items() if tag in values]
        return dates, values.get(_CORE_TITLE), values.get(_CORE_STATUS)

    def close(self) -> None:
        self.zip.close()


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a part name: absolute ("/word/x.xml") or relative to ``folder``."""
    target = target.replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path).lstrip("/")


_NATURAL = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[object, ...]:
    """header2.xml before header10.xml."""
    return tuple(int(p) if p.isdigit() else p for p in _NATURAL.split(name.lower()))
