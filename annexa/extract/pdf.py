"""Read a PDF's metadata dates, title and first pages of text with pypdf.

PDFs are the most hostile input annexa meets: pypdf keeps fixing infinite
loops and memory blow-ups on crafted files, so this module reads as little
as it can (the info dictionary, the raw XMP bytes, the first three pages) and
runs inside a killable, memory-capped worker. Dates are handed on raw,
because real files carry malformed and timezone-less ``/ModDate`` strings
that only the dating module should judge.
"""

from __future__ import annotations

import logging
import re
from typing import Any, BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import ByteStringObject, StreamObject

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
_XMP_KEYS = ("ModifyDate", "CreateDate", "MetadataDate")
_AES_REASON = "encrypted PDF: AES needs the 'cryptography' package"


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
    try:
        return _read(stream)
    except Unreadable:
        raise
    except MemoryError:
        raise
    except LimitReachedError:
        raise Unreadable("damaged PDF: a part is too large when decompressed") from None
    except DependencyError as exc:
        if "crypt" in str(exc).lower() or "AES" in str(exc):
            raise Unreadable(_AES_REASON) from None
        raise Unreadable(f"unsupported PDF: {short(exc)}") from None
    except Exception as exc:  # pypdf raises far more than PyPdfError on broken files
        if not has_eof:
            raise Unreadable("truncated: no end-of-file marker") from None
        raise Unreadable(f"damaged PDF: {short(exc)}") from None


def _read(stream: BinaryIO) -> Content:
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
    pages = len(reader.pages)
    for index in range(min(pages, PAGES_READ)):
        text = _page_text(reader, index)
        if text:
            blocks.append(TextBlock("body", index + 1, text))
    return Content(blocks=tuple(blocks), metadata=tuple(metadata), pages=pages)


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
