"""Read a PDF's metadata dates, title and first pages of text.

PDFs are the most hostile input annexa meets, so this reads as little as it
can (the info dictionary, the raw XMP bytes, the first pages) and runs
inside a killable, memory-capped worker. It reads the first two pages, and
the third only when those two do not already give dating a labelled issue
date and a labelled expiry date (``first_page_texts``). Dates are handed on
raw, because real files carry malformed and timezone-less ``/ModDate``
strings that only the dating module should judge.

Page text comes from PDFium (pypdfium2) where it is installed: pypdf's text
extraction is pure Python and was three quarters of a cold scan (about 12 ms
a document against 3 ms; see docs/speed.md). PDFium has no decompression
limit of its own (it inflated a 1 GB flate bomb to 2 GB where pypdf stopped
at its limit), so a file goes one of two ways:

- A small file needs no pypdf at all (``_read_small``, here): no stream in
  it can inflate past the limit when its bytes after the first ``stream``
  keyword, times the worst ratio of the filters it names, stay under it.
  That proof reads no stream and no object, only the raw bytes. PDFium then
  gives the metadata, page count and text.
- Any other file takes the guarded path (``annexa.reading.pdf.guarded``):
  pypdf first decodes, under its limits, every stream PDFium will read for
  those pages, so a bomb is refused and PDFium only ever sees what pypdf
  already inflated safely. pypdf is imported only when a file needs it: a
  reader process starts sooner, and a share of Word files and small PDFs
  never loads it.

The worker's memory cap stays the last line.
"""

from __future__ import annotations

import ctypes
import io
import re
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

from annexa.dating.content import content_dates
from annexa.model import TextBlock
from annexa.reading.content import Content, Unreadable, clean, short

PAGES_ALWAYS_READ = 2
PAGES_READ = 3  # at most
DECIDING_ORDER = "DMY"  # the spec's default date order; see first_page_texts
PAGE_TEXT_LIMIT = 20_000
HEAD_BYTES = 1024
TAIL_BYTES = 2048
INFO_DATES = (("/ModDate", "pdf:ModDate"), ("/CreationDate", "pdf:CreationDate"))
_INFO_KEYS = ("Title", "ModDate", "CreationDate")  # what PDFium is asked for
IN_MEMORY_BYTES = 32 * 1024 * 1024  # files up to this size are read once, into memory

try:  # optional at import time, so a platform without a wheel still reads PDFs
    import pypdfium2 as _pdfium
    import pypdfium2.raw as _pdfium_c
except ImportError:  # pragma: no cover - depends on the platform
    _pdfium = None
    _pdfium_c = None

TEXT_ENGINE = "pdfium" if _pdfium is not None else "pypdf"
"""Which library extracts page text: "pdfium" or "pypdf" (tests set it)."""
PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe


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
    if data is not None and has_eof and TEXT_ENGINE == "pdfium":
        try:
            small = _read_small(data)
        except MemoryError:
            raise
        except Exception as exc:
            raise Unreadable(damaged_reason(exc, has_eof)) from None
        if small is not None:
            return small
    from annexa.reading.pdf.guarded import read_guarded  # pypdf: imported when first needed

    return read_guarded(stream, data, has_eof)


def damaged_reason(exc: Exception, has_eof: bool) -> str:
    """The reason for a PDF a library choked on: cut short, or damaged in a way it names."""
    if not has_eof:
        return "truncated: no end-of-file marker"
    return f"damaged PDF: {short(exc)}"


def first_page_texts(pages: int, page_text: Callable[[int], str]) -> list[str]:
    """The text of the first pages dating needs, read in order by ``page_text``.

    Why not always three: the third page is a quarter of a cold scan's
    reading, and it earns that only in one layout, a document-control table
    after a cover and a contents page (or a cover and its blank back). So
    the first two pages are always read, as the naive script an
    administrator would write reads them, and the third only while the pages
    read so far hold no labelled issue date or no labelled expiry date.

    The check is content dating itself, with day-first numeric dates (the
    spec's default order), so the text kept for a file does not depend on
    the spec: a month-first spec at worst has a third page read that it did
    not need. Because the check runs dating code, the cached facts of a PDF
    depend on it, which is why a change to content dating raises
    ``EXTRACTOR_VERSION`` (``tests/test_extract_pdf.py`` holds the two together).
    """
    texts = [page_text(index) for index in range(min(pages, PAGES_ALWAYS_READ))]
    for index in range(PAGES_ALWAYS_READ, min(pages, PAGES_READ)):
        if _dated(texts):
            break
        texts.append(page_text(index))
    return texts


def _dated(texts: list[str]) -> bool:
    """Whether these pages hold both a labelled issue date and a labelled expiry date."""
    blocks = tuple(TextBlock("body", index + 1, text) for index, text in enumerate(texts) if text)
    issue, expiry = content_dates(blocks, DECIDING_ORDER)
    return bool(issue) and bool(expiry)


def pdfium_page_text(document: Any, index: int) -> str:
    """One page's text from PDFium, capped, written as pypdf writes it (both paths use it)."""
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
    read = pdfium_read(data, _INFO_KEYS)
    if read is None:
        return None
    info, pages, texts = read
    dates = [
        (label, clean(str(info.get(key.lstrip("/")) or "")).strip()) for key, label in INFO_DATES
    ]
    return pdf_content(dates, clean(str(info.get("Title") or "")).strip(), texts, pages)


def pdfium_read(
    source: bytes | BinaryIO, info_keys: tuple[str, ...] = (), guarded_pages: int | None = None
) -> tuple[dict[str, Any], int, list[str]] | None:
    """(info values, page count, text of the first pages) by PDFium; None when it cannot.

    ``guarded_pages``: how many pages pypdf's guard visited; a file in which
    PDFium sees more of the pages to read gets None, for pypdf to read.
    Both reading paths use it, under the one lock PDFium needs.
    """
    with PDFIUM_LOCK:
        try:
            document = _pdfium.PdfDocument(source)
        except Exception:
            return None
        try:
            info = {key: document.get_metadata_value(key) for key in info_keys}
            pages = len(document)
            if guarded_pages is not None and min(pages, PAGES_READ) > guarded_pages:
                return None
            texts = first_page_texts(pages, lambda index: pdfium_page_text(document, index))
        except Exception:
            return None
        finally:
            document.close()
    return info, pages, texts


def pdf_content(
    dates: list[tuple[str, str]],
    title: str,
    texts: list[str],
    pages: int,
    more_dates: list[tuple[str, str]] | None = None,
) -> Content:
    """A PDF's Content, however it was read: each (label, raw date) kept to 100
    characters (``more_dates``, from XMP, as they are), the title to 1,000, and a
    body block for each page with text."""
    metadata = [(label, value[:100]) for label, value in dates if value]
    metadata += more_dates or []
    blocks = [TextBlock("title", None, title[:1000])] if title else []
    blocks += [TextBlock("body", index + 1, text) for index, text in enumerate(texts) if text]
    return Content(blocks=tuple(blocks), metadata=tuple(metadata), pages=pages)


# The most each filter can multiply a stream's size by: deflate's ceiling is
# 1032:1, LZW's (12-bit codes, strings one byte longer per code) stays under
# 4096:1, run-length 128:1; ASCII85 writes four zero bytes as one "z", hex
# only shrinks. Unknown filters are decoded to find out (the guarded path).
MAX_RATIO = {
    "/FlateDecode": 1032, "/Fl": 1032,
    "/LZWDecode": 4096, "/LZW": 4096,
    "/RunLengthDecode": 128, "/RL": 128,
    "/ASCII85Decode": 4, "/A85": 4,
    "/ASCIIHexDecode": 1, "/AHx": 1,
}  # fmt: skip
SAFE_OUTPUT = 50_000_000  # below pypdf's 75 MB limit

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
    if span > SAFE_OUTPUT or any(
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
            factor = MAX_RATIO.get("/" + name.decode("latin-1"))
            if factor is None:
                return False
            out *= factor
        if out > SAFE_OUTPUT:
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
