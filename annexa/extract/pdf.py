"""Read a PDF's metadata dates, title and first pages of text with pypdf.

PDFs are the most hostile input annexa meets: pypdf keeps fixing infinite
loops and memory blow-ups on crafted files, so this module reads as little
as it can (the info dictionary, the raw XMP bytes, the first three pages) and
runs inside a killable, memory-capped worker. Dates are handed on raw,
because real files carry malformed and timezone-less ``/ModDate`` strings
that only the dating module should judge.

Page text comes from PDFium (pypdfium2) where it is installed: pypdf's text
extraction is pure Python and was three quarters of a cold scan (about 12 ms
a document against 3 ms; see docs/speed.md). PDFium has no decompression
limit of its own (it inflated a 1 GB flate bomb to 2 GB where pypdf stopped
at its limit), so pypdf first decodes, under its limits, every stream PDFium
will read for those pages (contents, forms, fonts, Type 3 glyphs): a bomb is
refused with the same reason as before, and PDFium only ever sees what pypdf
already inflated safely. The worker's memory cap stays the last line. A file
PDFium cannot open is read with pypdf alone.

A small file needs no pypdf at all (``_read_small``): no stream in it can
inflate past the limit when its bytes after the first ``stream`` keyword,
times the worst ratio of the filters it names, stay under it. That proof
reads no stream and no object, only the raw bytes; a file it cannot make
(an escaped name, a filter it cannot see, object streams, encryption, XMP)
takes the guarded path. PDFium then gives the metadata, page count and text.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import threading
from typing import Any, BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, StreamObject

from annexa.extract.content import Content, Unreadable, clean, short
from annexa.model import TextBlock

# pypdf reports every oddity of a broken file as a log warning; a scan of a
# shared folder must not spray them on the user's terminal. A NullHandler
# keeps them off stderr while an application that configures logging still
# receives them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

PAGES_READ = 3
PAGE_TEXT_LIMIT = 20_000
HEAD_BYTES = 1024
TAIL_BYTES = 2048
XMP_LIMIT = 1_000_000
_INFO_DATES = (("/ModDate", "pdf:ModDate"), ("/CreationDate", "pdf:CreationDate"))
_INFO_KEYS = ("Title", "ModDate", "CreationDate")  # what PDFium is asked for
_XMP_KEYS = ("ModifyDate", "CreateDate", "MetadataDate")
_AES_REASON = "encrypted PDF: AES needs the 'cryptography' package"
_GUARD_DEPTH = 4  # forms inside forms inside ...: deeper ones are left to pypdf
IN_MEMORY_BYTES = 32 * 1024 * 1024  # files up to this size are read once, into memory

try:  # optional at import time, so a platform without a wheel still reads PDFs
    import pypdfium2 as _pdfium
    import pypdfium2.raw as _pdfium_c
except ImportError:  # pragma: no cover - depends on the platform
    _pdfium = None
    _pdfium_c = None

TEXT_ENGINE = "pdfium" if _pdfium is not None else "pypdf"
"""Which library extracts page text: "pdfium" or "pypdf" (tests set it)."""
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe


def read_pdf(stream: BinaryIO, size: int) -> Content:
    """The facts of one PDF, or Unreadable with a one-line reason."""
    head = stream.read(HEAD_BYTES)
    if not head:
        raise Unreadable("empty file")
    if b"%PDF-" not in head:
        raise Unreadable("not a PDF: no %PDF header")
    stream.seek(max(size - TAIL_BYTES, 0))
    has_eof = b"%%EOF" in stream.read(TAIL_BYTES)
    stream.seek(0)
    data: bytes | None = None
    if size <= IN_MEMORY_BYTES:
        # One read: pypdf parses from memory, PDFium reads the same buffer
        # without calling back into Python for every block.
        data = stream.read()
        stream = io.BytesIO(data)
    try:
        if data is not None and has_eof and TEXT_ENGINE == "pdfium":
            small = _read_small(data)
            if small is not None:
                return small
        return _read(stream, data)
    except Unreadable:
        raise
    except MemoryError:
        raise
    except LimitReachedError as exc:
        raise Unreadable(_limit_reason(exc)) from None
    except DependencyError as exc:
        if "crypt" in str(exc).lower() or "AES" in str(exc):
            raise Unreadable(_AES_REASON) from None
        raise Unreadable(f"unsupported PDF: {short(exc)}") from None
    except Exception as exc:  # pypdf raises far more than PyPdfError on broken files
        if not has_eof:
            raise Unreadable("truncated: no end-of-file marker") from None
        raise Unreadable(f"damaged PDF: {short(exc)}") from None


def _read(stream: BinaryIO, data: bytes | None = None) -> Content:
    reader = PdfReader(stream, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise Unreadable("encrypted PDF: password required")
    metadata: list[tuple[str, str]] = []
    blocks: list[TextBlock] = []
    info = _info(reader)
    for key, label in _INFO_DATES:
        value = _raw_string(info.get(key))
        if value:
            metadata.append((label, value[:100]))
    metadata.extend(_xmp_dates(reader))
    title = _raw_string(info.get("/Title"))
    if title:
        blocks.append(TextBlock("title", None, title[:1000]))
    read = (
        _pdfium_texts(reader, stream if data is None else data) if TEXT_ENGINE == "pdfium" else None
    )
    if read is None:
        pages = len(reader.pages)
        texts = [_page_text(reader, index) for index in range(min(pages, PAGES_READ))]
    else:
        pages, texts = read
    for index, text in enumerate(texts):
        if text:
            blocks.append(TextBlock("body", index + 1, text))
    return Content(blocks=tuple(blocks), metadata=tuple(metadata), pages=pages)


def _pdfium_texts(reader: PdfReader, source: BinaryIO | bytes) -> tuple[int, list[str]] | None:
    """(page count, text of the first pages) by PDFium, or None to use pypdf instead.

    Raises what pypdf raises on a stream too large to inflate, before PDFium
    opens the file. Only the first pages of the page tree are visited: pypdf
    would read every page object of a 300-page report to count them.
    """
    if _pdfium is None:
        return None
    first = _first_pages(reader, PAGES_READ)
    if first is None:
        return None  # a page tree annexa cannot walk: pypdf decides what can be read
    seen: set[int] = set()
    for page, inherited in first:
        _inflate_safely(page, seen, 0)
        if "/Resources" not in page:
            _inflate_resources(inherited, seen, 0)
    with _PDFIUM_LOCK:
        try:
            if isinstance(source, bytes):
                document = _pdfium.PdfDocument(source)
            else:
                document = _pdfium.PdfDocument(source, autoclose=False)
        except Exception:
            return None
        try:
            pages = len(document)
            count = min(pages, PAGES_READ)
            if count > len(first):
                return None  # PDFium sees pages the guard did not: let pypdf read them
            texts = [_pdfium_page_text(document, index) for index in range(count)]
        except Exception:
            return None
        finally:
            document.close()
    return pages, texts


def _first_pages(reader: PdfReader, count: int) -> list[tuple[DictionaryObject, Any]] | None:
    """The first ``count`` page dictionaries, in order, with the resources they inherit.

    None when the tree is broken or strange (a loop, a node that is neither
    pages nor page): pypdf's full reading then decides.
    """
    try:
        root = reader.trailer["/Root"].get_object()["/Pages"]
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


def _pdfium_page_text(document: Any, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = _bounded_text(page, textpage)
        finally:
            textpage.close()
    finally:
        page.close()
    # PDFium ends lines with CR LF and writes a hyphen that breaks a word at
    # the end of a line as U+0002 without the line break; pypdf keeps both.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-\n")
    return clean(text[:PAGE_TEXT_LIMIT]).strip()


def _bounded_text(page: Any, textpage: Any) -> str:
    """The page's text as ``get_text_bounded()`` gives it, in one call instead of two.

    pypdfium2 asks PDFium once for the length and once for the text, and
    each call walks every character of the page; a buffer sized from the
    character count (each may be preceded by a CR LF PDFium inserts) takes
    one. Too small a buffer (never seen) falls back to pypdfium2's way.
    """
    count = _pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    left, bottom, right, top = page.get_bbox()
    size = 3 * count + 16
    buffer = (ctypes.c_ushort * size)()
    written = _pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, size)
    if written >= size:
        return str(textpage.get_text_bounded(left, bottom, right, top))
    if written > 0 and buffer[written - 1] == 0:
        written -= 1  # the terminating NUL
    return ctypes.string_at(buffer, max(written, 0) * 2).decode("utf-16-le", "ignore")


def _read_small(data: bytes) -> Content | None:
    """A PDF read by PDFium alone when its bytes prove it holds no bomb; None otherwise.

    None also when PDFium cannot open or read it: the guarded path then
    decides, with pypdf's reasons for what is wrong.
    """
    if _pdfium is None or not _cannot_inflate_past_limit(data):
        return None
    with _PDFIUM_LOCK:
        try:
            document = _pdfium.PdfDocument(data)
        except Exception:
            return None
        try:
            info = {key: document.get_metadata_value(key) for key in _INFO_KEYS}
            pages = len(document)
            texts = [_pdfium_page_text(document, index) for index in range(min(pages, PAGES_READ))]
        except Exception:
            return None
        finally:
            document.close()
    metadata: list[tuple[str, str]] = []
    for key, label in _INFO_DATES:
        value = clean(str(info.get(key.lstrip("/")) or "")).strip()
        if value:
            metadata.append((label, value[:100]))
    blocks: list[TextBlock] = []
    title = clean(str(info.get("Title") or "")).strip()
    if title:
        blocks.append(TextBlock("title", None, title[:1000]))
    for index, text in enumerate(texts):
        if text:
            blocks.append(TextBlock("body", index + 1, text))
    return Content(blocks=tuple(blocks), metadata=tuple(metadata), pages=pages)


_WHITE = rb"[\x00\t\n\x0c\r ]*"  # PDF's white space (NUL included)
_DELIMITED = rb"[^\x00\t\n\x0c\r /\[\]<>(){}%]"  # a character that may be part of a name
_ESCAPED_NAME = re.compile(rb"/(" + _DELIMITED + rb"*#" + _DELIMITED + rb"*)")
_HIDDEN = {b"Filter", b"ObjStm", b"Encrypt", b"Metadata"}  # a name that must not hide
_FILTER_KEY = re.compile(rb"/Filter(?!" + _DELIMITED + rb")")
_FILTER_VALUE = re.compile(
    rb"/Filter(?!" + _DELIMITED + rb")" + _WHITE + rb"(?:/(" + _DELIMITED + rb"+)"
    rb"|\[((?:" + _WHITE + rb"/" + _DELIMITED + rb"+)*)" + _WHITE + rb"\])"
)
_NAME = re.compile(rb"/(" + _DELIMITED + rb"+)")
# What PDFium does not decode to read text: it hands image data to image decoders.
_IMAGE_FILTERS = {b"DCTDecode", b"DCT", b"JPXDecode", b"JBIG2Decode", b"CCITTFaxDecode", b"CCF"}


def _cannot_inflate_past_limit(data: bytes) -> bool:
    """Whether the raw bytes prove that no stream PDFium reads can inflate past the limit.

    A stream's data starts after a ``stream`` keyword and ends by the end of
    the file, whatever its /Length says, so no stream is longer than the
    bytes after the first such keyword; none can inflate by more than the
    worst chain of filters named in the file (ASCII85 first in a chain
    gains at most four bytes for each "z" in those bytes). Every
    ``/Filter`` must be a visible name or array of names, no escaped name
    (``/F#69lter``) may hide a key this relies on, and object streams,
    encryption and XMP are left to the guarded path.
    """
    if b"/Encrypt" in data or b"/ObjStm" in data or b"/Metadata" in data:
        return False
    first = data.find(b"stream")
    if first < 0:
        return True
    span = max(len(data) - first, 1)
    if span > _SAFE_OUTPUT or any(
        _unescape_name(m.group(1)) in _HIDDEN for m in _ESCAPED_NAME.finditer(data)
    ):
        return False
    # ASCII85 applied to the raw data: five characters make four bytes and only a
    # "z" makes four bytes of one, so the z's after the first stream bound its gain.
    ascii85_out = span + 4 * data.count(b"z", first)
    keys = 0
    for match in _FILTER_VALUE.finditer(data):
        keys += 1
        names = [match.group(1)] if match.group(1) else _NAME.findall(match.group(2))
        out = span
        for position, name in enumerate(names):
            if name in _IMAGE_FILTERS:
                if position != len(names) - 1:
                    return False
                break
            if position == 0 and name in (b"ASCII85Decode", b"A85"):
                out = ascii85_out
                continue
            factor = _MAX_RATIO.get("/" + name.decode("latin-1"))
            if factor is None:
                return False
            out *= factor
        if out > _SAFE_OUTPUT:
            return False
    return keys == len(_FILTER_KEY.findall(data))


def _unescape_name(name: bytes) -> bytes:
    """A name's ``#xx`` escapes decoded as PDFium decodes them (a non-hex digit counts 0)."""
    out = bytearray()
    index = 0
    while index < len(name):
        if name[index] == 0x23 and index + 2 < len(name):
            out.append(_hex(name[index + 1]) * 16 + _hex(name[index + 2]))
            index += 3
        else:
            out.append(name[index])
            index += 1
    return bytes(out)


def _hex(byte: int) -> int:
    char = chr(byte)
    return int(char, 16) if char in "0123456789abcdefABCDEF" else 0


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


# The most each filter can multiply a stream's size by: deflate's ceiling is
# 1032:1, LZW's (12-bit codes, strings one byte longer per code) stays under
# 4096:1, run-length 128:1; ASCII85 writes four zero bytes as one "z", hex
# only shrinks. Unknown filters are decoded to find out.
_MAX_RATIO = {
    "/FlateDecode": 1032, "/Fl": 1032,
    "/LZWDecode": 4096, "/LZW": 4096,
    "/RunLengthDecode": 128, "/RL": 128,
    "/ASCII85Decode": 4, "/A85": 4,
    "/ASCIIHexDecode": 1, "/AHx": 1,
}  # fmt: skip
_SAFE_OUTPUT = 50_000_000  # below pypdf's 75 MB limit


def _could_inflate_past_limit(stream: StreamObject) -> bool:
    """Whether a stream's filters could inflate it past what is safe, by arithmetic alone.

    Decoding every stream only to find none is a bomb cost more than PDFium's
    whole text extraction (pure-Python ASCII85 in reportlab files); a stream
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
        ratio = _MAX_RATIO.get(str(name))
        if ratio is None:
            return True
        bound *= ratio
        if bound > _SAFE_OUTPUT:
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
        node = reader.trailer["/Root"].get_object().get("/Metadata")
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


def _limit_reason(exc: LimitReachedError) -> str:
    """pypdf stops at a limit for bombs and for loops alike: say which it was."""
    message = str(exc).lower()
    if "decompress" in message or "exceeds" in message:
        return "damaged PDF: a part is too large when decompressed"
    if "loop" in message or "cycl" in message or "recursion" in message:
        return "damaged PDF: its objects refer to themselves in a loop"
    return f"damaged PDF: {short(exc)}"
