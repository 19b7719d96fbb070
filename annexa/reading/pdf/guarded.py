"""The guarded path of PDF reading: pypdf first, so PDFium never meets a bomb.

For every PDF that ``annexa.reading.pdf.reader`` cannot prove harmless from its
bytes: pypdf reads the info dictionary and the raw XMP bytes, visits the
first three pages (all the text reading may need) and decodes, under its
own limits, every stream PDFium will read for them (contents, forms, font maps and programs, Type 3
glyphs). A stream too large to inflate gets pypdf's reason and PDFium never
opens the file; otherwise PDFium extracts the text. A file PDFium cannot
open is read with pypdf alone. Imported on first need (pypdf is the largest
import of a reader process).
"""

from __future__ import annotations

import logging
import re
from typing import Any, BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, StreamObject

from annexa.model.failures import FailureKind
from annexa.model.files import ScanState
from annexa.reading.content import Content, Unreadable, clean, short
from annexa.reading.pdf import common
from annexa.reading.pdf.common import (
    INFO_DATES,
    MAX_RATIO,
    PAGE_TEXT_LIMIT,
    PAGES_READ,
    SAFE_OUTPUT,
    PdfiumRead,
    damaged_reason,
    first_page_texts,
    pdf_content,
    pdfium_read,
)

# pypdf reports every oddity of a broken file as a log warning; a scan of a
# shared folder must not spray them on the user's terminal. A NullHandler
# keeps them off stderr while an application that configures logging still
# receives them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

XMP_LIMIT = 1_000_000
_XMP_KEYS = ("ModifyDate", "CreateDate", "MetadataDate")
_AES_REASON = "encrypted PDF: AES needs the 'cryptography' package"
_GUARD_DEPTH = 4  # forms inside forms inside ...: deeper ones are left to pypdf


def read_guarded(stream: BinaryIO, data: bytes | None, has_eof: bool) -> Content:
    """The facts of a PDF read through pypdf's guard, or Unreadable with a one-line reason."""
    try:
        return _read(stream, data)
    except Unreadable:
        raise
    except MemoryError:
        raise
    except LimitReachedError as exc:
        raise Unreadable(*_limit_reason(exc)) from None
    except DependencyError as exc:
        if "crypt" in str(exc).lower() or "AES" in str(exc):
            raise Unreadable(_AES_REASON, FailureKind.UNSUPPORTED) from None
        raise Unreadable(f"unsupported PDF: {short(exc)}", FailureKind.UNSUPPORTED) from None
    except Exception as exc:  # pypdf raises far more than PyPdfError on broken files
        raise Unreadable(damaged_reason(exc, has_eof)) from None


def _read(stream: BinaryIO, data: bytes | None = None) -> Content:
    reader = PdfReader(stream, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise Unreadable("encrypted PDF: password required", FailureKind.ENCRYPTED)
    info = _info(reader)
    dates = [(label, _raw_string(info.get(key))) for key, label in INFO_DATES]
    xmp = _xmp_dates(reader)
    title = _raw_string(info.get("/Title"))
    read = (
        _pdfium_texts(reader, stream if data is None else data)
        if common.TEXT_ENGINE == "pdfium"
        else None
    )
    if read is None:
        pages = len(reader.pages)
        texts = first_page_texts(pages, lambda index: _page_text(reader, index))
        # pypdf cannot render: a first page without text is taken for a scan.
        scan: ScanState | None = "image" if pages and not (texts and texts[0]) else None
        return pdf_content(dates, title, texts, pages, xmp, scan=scan)
    return pdf_content(
        dates, title, read.texts, read.pages, xmp, scan=read.scan, ocr_text=read.ocr_text
    )


def _pdfium_texts(reader: PdfReader, source: BinaryIO | bytes) -> PdfiumRead | None:
    """What PDFium reads of the first pages (``PdfiumRead``), or None to use pypdf instead.

    Raises what pypdf raises on a stream too large to inflate, before PDFium
    opens the file. Only the first pages of the page tree are visited: pypdf
    would read every page object of a 300-page report to count them.
    """
    if common.PDFIUM is None:
        return None
    first = _first_pages(reader, PAGES_READ)
    if first is None:
        return None  # a page tree annexa cannot walk: pypdf decides what can be read
    seen: set[int] = set()
    for page, inherited in first:
        _inflate_safely(page, seen, 0)
        if "/Resources" not in page:
            _inflate_resources(inherited, seen, 0)
    return pdfium_read(source, guarded_pages=len(first))


def _first_pages(reader: PdfReader, count: int) -> list[tuple[DictionaryObject, Any]] | None:
    """The first ``count`` page dictionaries, in order, with the resources they inherit.

    None when the tree is broken or strange (a loop, a node that is neither
    pages nor page): pypdf's full reading then decides.
    """
    try:
        root = reader.trailer["/Root"].get_object()["/Pages"]  # type: ignore[index]
        found: list[tuple[DictionaryObject, Any]] = []
        stack: list[tuple[Any, Any]] = [(root, None)]
        visited: set[int] = set()
        while stack and len(found) < count:
            reference, inherited = stack.pop()
            node = reference.get_object()
            if not isinstance(node, DictionaryObject) or id(node) in visited:
                return None
            visited.add(id(node))
            if len(visited) > 10_000:
                return None
            kind = node.get("/Type")
            kids = node.get("/Kids")
            resources = node.get("/Resources", inherited)
            if kids is not None and kind != "/Page":
                kids = kids.get_object()
                if not isinstance(kids, ArrayObject):
                    return None
                stack.extend((kid, resources) for kid in reversed(kids))
            elif kind in ("/Page", None):
                found.append((node, inherited))
            else:
                return None
        return found
    except (MemoryError, DependencyError, LimitReachedError):
        raise
    except Exception:
        return None


def _inflate_safely(node: Any, seen: set[int], depth: int) -> None:
    """Decode with pypdf's limits every stream PDFium reads to extract a page's text.

    Contents, form XObjects (recursively), fonts' ToUnicode maps and font
    programs, Type 3 glyph procedures. A stream over pypdf's limits raises
    LimitReachedError; other damage is left for the readers to report.
    """
    try:
        node = node.get_object()
    except (MemoryError, DependencyError, LimitReachedError):
        raise
    except Exception:
        return
    if id(node) in seen or depth > _GUARD_DEPTH:
        return
    seen.add(id(node))
    try:
        if isinstance(node, StreamObject) and _could_inflate_past_limit(node):
            node.get_data()  # under pypdf's limits: a bomb raises LimitReachedError
        if not isinstance(node, DictionaryObject):
            if isinstance(node, ArrayObject):
                for item in node:
                    _inflate_safely(item, seen, depth)
            return
        contents = node.get("/Contents")
        if contents is not None:
            _inflate_safely(contents, seen, depth)
        _inflate_resources(node.get("/Resources"), seen, depth)
    except (MemoryError, DependencyError, LimitReachedError):
        raise
    except Exception:
        return


def _inflate_resources(resources: Any, seen: set[int], depth: int) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    if not isinstance(resources, DictionaryObject):
        return
    for font in _values(resources.get("/Font")):
        _inflate_font(font, seen, depth)
    for xobject in _values(resources.get("/XObject")):
        xobject = xobject.get_object()
        if isinstance(xobject, StreamObject) and xobject.get("/Subtype") == "/Form":
            _inflate_safely(xobject, seen, depth + 1)


def _could_inflate_past_limit(stream: StreamObject) -> bool:
    """Whether a stream's filters could inflate it past what is safe, by arithmetic alone.

    Decoding every stream only to find none is a bomb can cost more than
    PDFium's whole text extraction (pure-Python ASCII85 in reportlab files); a stream
    whose raw size times its filters' ceilings stays small cannot be one.
    """
    raw = getattr(stream, "_data", None)
    if not isinstance(raw, bytes):
        return True
    filters = stream.get("/Filter")
    if filters is None:
        return False
    names = list(filters) if isinstance(filters, ArrayObject) else [filters]
    bound = max(len(raw), 1)
    for name in names:
        ratio = MAX_RATIO.get(str(name))
        if ratio is None:
            return True
        bound *= ratio
        if bound > SAFE_OUTPUT:
            return True
    return False


def _inflate_font(font: Any, seen: set[int], depth: int) -> None:
    font = font.get_object()
    if not isinstance(font, DictionaryObject) or id(font) in seen:
        return
    seen.add(id(font))
    if "/ToUnicode" in font:
        _inflate_safely(font["/ToUnicode"], seen, depth)
    for descendant in _values(font.get("/DescendantFonts")):
        _inflate_font(descendant, seen, depth)
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None:
        descriptor = descriptor.get_object()
        if isinstance(descriptor, DictionaryObject):
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    _inflate_safely(descriptor[key], seen, depth)
    if depth < _GUARD_DEPTH:
        for proc in _values(font.get("/CharProcs")):  # Type 3 glyphs are content streams
            _inflate_safely(proc, seen, depth + 1)
        _inflate_resources(font.get("/Resources"), seen, depth + 1)


def _values(node: Any) -> list[Any]:
    """The values of a dictionary, or the items of an array, resolved; [] otherwise."""
    if node is None:
        return []
    node = node.get_object()
    if isinstance(node, DictionaryObject):
        return list(node.values())
    if isinstance(node, ArrayObject):
        return list(node)
    return []


def _info(reader: PdfReader) -> dict[str, Any]:
    """The document information dictionary, or {} when absent or broken."""
    try:
        info = reader.metadata
    except DependencyError:
        raise
    except Exception:
        return {}
    return dict(info) if info else {}


def _raw_string(value: Any) -> str:
    """A metadata value as text, untouched except for surrounding space."""
    try:
        if value is not None and hasattr(value, "get_object"):
            value = value.get_object()
    except DependencyError:
        raise
    except Exception:
        return ""
    if isinstance(value, ByteStringObject):
        text = bytes(value).decode("latin-1")
    elif isinstance(value, str):
        text = str(value)
    else:
        return ""
    return clean(text).strip()


def _xmp_dates(reader: PdfReader) -> list[tuple[str, str]]:
    """``xmp:ModifyDate`` and friends, found with a regex in the raw XMP bytes.

    No XML parser ever sees the XMP packet: it is untrusted input that the
    info dictionary already covers, and a regex cannot be made to fetch an
    external entity or expand a billion laughs.
    """
    try:
        node = reader.trailer["/Root"].get_object().get("/Metadata")  # type: ignore[union-attr]
        stream = node.get_object() if node is not None else None
        if not isinstance(stream, StreamObject):
            return []
        data = stream.get_data()[:XMP_LIMIT]
    except DependencyError:
        raise
    except Exception:
        return []
    text = _decode_xmp(data)
    found: list[tuple[str, str]] = []
    for key in _XMP_KEYS:
        match = re.search(
            rf"<(?:xmp|xap):{key}>\s*([^<]{{1,64}}?)\s*</(?:xmp|xap):{key}>"
            rf"|(?:xmp|xap):{key}\s*=\s*[\"']([^\"'<]{{1,64}})[\"']",
            text,
        )
        if match:
            value = clean(match.group(1) or match.group(2) or "").strip()
            if value:
                found.append((f"xmp:{key}", value))
    return found


def _decode_xmp(data: bytes) -> str:
    if data.startswith((b"\xfe\xff", b"\xff\xfe")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _page_text(reader: PdfReader, index: int) -> str:
    """The text of one page, capped; "" when the page has no extractable text.

    A page whose text cannot be extracted (odd fonts, broken content stream)
    does not make the whole file unreadable: its metadata and other pages
    still date it. A decompression bomb does: it is an attack, not a page.
    """
    try:
        text = reader.pages[index].extract_text() or ""
    except (MemoryError, DependencyError, LimitReachedError):
        raise
    except Exception:
        return ""
    return clean(text[:PAGE_TEXT_LIMIT]).strip()


def _limit_reason(exc: LimitReachedError) -> tuple[str, FailureKind]:
    """pypdf stops at a limit for bombs and for loops alike: say which it was."""
    message = str(exc).lower()
    if "decompress" in message or "exceeds" in message:
        return "damaged PDF: a part is too large when decompressed", FailureKind.TOO_LARGE
    if "loop" in message or "cycl" in message or "recursion" in message:
        return "damaged PDF: its objects refer to themselves in a loop", FailureKind.DAMAGED
    return f"damaged PDF: {short(exc)}", FailureKind.DAMAGED
