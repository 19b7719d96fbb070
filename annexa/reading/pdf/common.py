"""What both PDF reading paths share: PDFium's text of the first pages, the page rule, the limits.

``annexa.reading.pdf.reader`` (PDFium alone, for a file proved harmless) and
``annexa.reading.pdf.guarded`` (pypdf's guard first) both build their result
here, so neither imports the other's internals.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from annexa.dating.content import content_dates
from annexa.model import TextBlock
from annexa.model.files import ScanState
from annexa.reading.content import Content, clean, short
from annexa.reading.pdf import ocr

PAGES_ALWAYS_READ = 2
PAGES_READ = 3  # at most
DECIDING_ORDER = "DMY"  # the spec's default date order; see first_page_texts
PAGE_TEXT_LIMIT = 20_000
INFO_DATES = (("/ModDate", "pdf:ModDate"), ("/CreationDate", "pdf:CreationDate"))

try:  # optional at import time, so a platform without a wheel still reads PDFs
    import pypdfium2 as PDFIUM
    import pypdfium2.raw as PDFIUM_C
except ImportError:  # pragma: no cover - depends on the platform
    PDFIUM = None  # type: ignore[assignment, unused-ignore]
    PDFIUM_C = None  # type: ignore[assignment, unused-ignore]

TEXT_ENGINE = "pdfium" if PDFIUM is not None else "pypdf"
"""Which library extracts page text: "pdfium" or "pypdf" (tests set it)."""
PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe

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
    count = PDFIUM_C.FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    left, bottom, right, top = page.get_bbox()
    size = 3 * count + 16
    buffer = (ctypes.c_ushort * size)()
    written = PDFIUM_C.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, size)
    if written >= size:
        return str(textpage.get_text_bounded(left, bottom, right, top))
    if written > 0 and buffer[written - 1] == 0:
        written -= 1  # the terminating NUL
    return ctypes.string_at(buffer, max(written, 0) * 2).decode("utf-16-le", "ignore")


@dataclass(frozen=True, slots=True)
class PdfiumRead:
    """What PDFium read of a PDF: its info values, page count, first pages' text, and,
    when page 1 is a scanned image, that (``scan``) and what OCR read of it."""

    info: dict[str, Any]
    pages: int
    texts: list[str]
    scan: ScanState | None = None
    ocr_text: str = ""


def pdfium_read(
    source: bytes | BinaryIO, info_keys: tuple[str, ...] = (), guarded_pages: int | None = None
) -> PdfiumRead | None:
    """What PDFium reads of a PDF (``PdfiumRead``); None when it cannot.

    ``guarded_pages``: how many pages pypdf's guard visited; a file in which
    PDFium sees more of the pages to read gets None, for pypdf to read.
    Both reading paths use it, under the one lock PDFium needs. A first page
    without text but with an image is a scan: with the OCR extra it is
    rendered here and read by OCR after the lock is released.
    """
    pixels = None
    scan: ScanState | None = None
    with PDFIUM_LOCK:
        try:
            document = PDFIUM.PdfDocument(source)
        except Exception:
            return None
        try:
            info = {key: document.get_metadata_value(key) for key in info_keys}
            pages = len(document)
            if guarded_pages is not None and min(pages, PAGES_READ) > guarded_pages:
                return None
            texts = first_page_texts(pages, lambda index: pdfium_page_text(document, index))
            if pages and not (texts[0] if texts else ""):
                scan, pixels = _scanned_page(document)
        except MemoryError:
            raise
        except Exception:
            return None
        finally:
            document.close()
    ocr_text = ""
    if pixels is not None:
        ocr_text = _ocr(pixels)
        scan = "ocr" if ocr_text else "ocr-failed"
    return PdfiumRead(info, pages, texts, scan, ocr_text)


def _scanned_page(document: Any) -> tuple[ScanState | None, Any]:
    """Whether page 1 is an image ("image", or None for a blank page), and its pixels
    for OCR when the extra is installed and its images are of a size to decode."""
    page = document[0]
    try:
        images = list(page.get_objects(filter=[PDFIUM_C.FPDF_PAGEOBJ_IMAGE], max_depth=4))
        if not images:
            return None, None
        if not ocr.available():
            return "image", None
        pixels = 0
        for image in images:
            width, height = image.get_px_size()
            pixels += width * height
        if pixels > ocr.MAX_IMAGE_PIXELS:
            return "image", None
        width, height = page.get_size()
        bitmap = page.render(scale=ocr.render_scale(width, height), grayscale=True)
        try:
            return "image", bitmap.to_numpy().copy()
        finally:
            bitmap.close()
    finally:
        page.close()


def _ocr(pixels: Any) -> str:
    """What OCR reads in page 1's pixels, cleaned; "" when it reads nothing or fails."""
    try:
        return clean(ocr.read_pixels(pixels))[:PAGE_TEXT_LIMIT].strip()
    except MemoryError:
        return ""
    except Exception:  # an OCR failure leaves the file a scan, said plainly
        return ""


def pdf_content(
    dates: list[tuple[str, str]],
    title: str,
    texts: list[str],
    pages: int,
    more_dates: list[tuple[str, str]] | None = None,
    scan: ScanState | None = None,
    ocr_text: str = "",
) -> Content:
    """A PDF's Content, however it was read: each (label, raw date) kept to 100
    characters (``more_dates``, from XMP, as they are), the title to 1,000, a
    body block for each page with text, and page 1's OCR text, marked as such."""
    metadata = [(label, value[:100]) for label, value in dates if value]
    metadata += more_dates or []
    blocks = [TextBlock("title", None, title[:1000])] if title else []
    if ocr_text:
        blocks.append(TextBlock("body", 1, ocr_text, ocr=True))
    blocks += [TextBlock("body", index + 1, text) for index, text in enumerate(texts) if text]
    return Content(blocks=tuple(blocks), metadata=tuple(metadata), pages=pages, scan=scan)
