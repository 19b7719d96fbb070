"""Read a PDF's metadata dates, title and first pages of text.

PDFs are the most hostile input annexa meets, so this reads as little as it
can (the info dictionary, the raw XMP bytes, the first pages) and runs
inside a killable, memory-capped worker. It reads the first two pages, and
the third only when those two do not already give dating a labelled issue
date and a labelled expiry date (``first_page_texts``). Dates are handed on
raw, because real files carry malformed and timezone-less ``/ModDate``
strings that only the dating module should judge.

Page text comes from PDFium (pypdfium2) where it is installed: pypdf's text
extraction is pure Python and several times slower (docs/speed.md). PDFium
has no decompression limit of its own, so a file goes one of two ways:

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

import io
import re
from typing import BinaryIO

from annexa.reading.content import Content, Unreadable, clean
from annexa.reading.pdf import common
from annexa.reading.pdf.common import (
    INFO_DATES,
    MAX_RATIO,
    SAFE_OUTPUT,
    damaged_reason,
    pdf_content,
    pdfium_read,
)

HEAD_BYTES = 1024
TAIL_BYTES = 2048
_INFO_KEYS = ("Title", "ModDate", "CreationDate")  # what PDFium is asked for
IN_MEMORY_BYTES = 32 * 1024 * 1024  # files up to this size are read once, into memory


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
    if data is not None and has_eof and common.TEXT_ENGINE == "pdfium":
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


def _read_small(data: bytes) -> Content | None:
    """A PDF read by PDFium alone when its bytes prove it holds no bomb; None otherwise.

    None also when PDFium cannot open or read it: the guarded path then
    decides, with pypdf's reasons for what is wrong.
    """
    if common.PDFIUM is None or not _cannot_inflate_past_limit(data):
        return None
    read = pdfium_read(data, _INFO_KEYS)
    if read is None:
        return None
    info = read.info
    dates = [
        (label, clean(str(info.get(key.lstrip("/")) or "")).strip()) for key, label in INFO_DATES
    ]
    title = clean(str(info.get("Title") or "")).strip()
    return pdf_content(dates, title, read.texts, read.pages, scan=read.scan, ocr_text=read.ocr_text)


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
