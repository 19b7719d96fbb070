"""The hostile corpus: files and names anyone could drop in a shared folder, made on the fly.

Nothing binary is committed: ``build_corpus(base)`` writes, under ``base``,
a ROOT folder ("Annex A") holding every kind of file the hardening issue
lists (truncated, empty, random and misnamed files; a PDF that inflates to
gigabytes, page trees that loop, objects nested 100,000 deep, broken xref
chains, encrypted PDFs; Word files that are not zips, lack a body, laugh a
billion times, point at a secret file, or inflate to gigabytes; zips of
thousands of parts; a list of a million rows) beside ordinary documents
that must still be judged as if the hostile ones were not there; a spec
with one item per file; a secret file outside ROOT that external entities
and links point at; and links that leave ROOT or loop.

``HOSTILE`` and ``GOOD`` say what each file is and what a scan must make of
it; tests and ``benchmarks/hostile_scan.py`` share them. ``build_names``
does the same for hostile file *names*. ``read_without_crypto`` is a read
function for the worker pool that behaves as if pypdf's optional crypto
package were not installed. ``TreeMemory`` samples the memory of a
process and everything it started (Linux /proc).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import random
import threading
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annexa.model import Facts, FileEntry
from annexa.spec.rules import DatingOptions, ListRule

AS_OF = dt.date(2015, 9, 16)
ROOT_NAME = "Annex A"
SECRET = "SECRET-3f9c1e7a-DIRECTORS-PAYROLL"
"""Written only outside ROOT; must never appear in any report of any format."""

GIGABYTES = 3
"""How far the bombs inflate: past every limit annexa sets, and past the machine's patience."""

MILLION = 1_000_000

LIST_COLUMNS = (
    "Child Unique ID",
    "Child Protection Plan Start Date",
    "Date of the Last Statutory Visit",
)


@dataclass(frozen=True)
class Case:
    """One file of the corpus and what a scan must make of it.

    ``expect`` is the status of its item: "unreadable" (then ``reason``
    holds fragments, one of which the one-line reason must contain),
    "ok", "incomplete" or "missing" (links annexa must not follow, pipes it
    must not list).
    """

    item: str
    name: str
    what: str
    expect: str
    reason: tuple[str, ...] = ()
    kind: str = "document"  # "list": an item with a sheet and columns

    @property
    def path(self) -> str:
        return self.name


# fmt: off
HOSTILE: tuple[Case, ...] = (
    Case("H01", "H01 truncated.pdf", "PDF cut in half", "unreadable", ("truncated",)),
    Case("H02", "H02 empty.pdf", "empty PDF", "unreadable", ("empty file",)),
    Case("H03", "H03 empty.docx", "empty DOCX", "unreadable", ("empty file",)),
    Case("H04", "H04 random.pdf", "64 KB of random bytes as .pdf", "unreadable", ("not a PDF",)),
    Case(
        "H05", "H05 random.docx", "64 KB of random bytes as .docx", "unreadable",
        ("not a Word document",),
    ),
    Case(
        "H06", "H06 random.xlsx", "64 KB of random bytes as .xlsx", "unreadable",
        ("not an Excel workbook",), kind="list",
    ),
    Case("H07", "H07 word saved as.pdf", "a DOCX named .pdf", "unreadable", ("not a PDF",)),
    Case(
        "H08", "H08 pdf saved as.docx", "a PDF named .docx", "unreadable",
        ("not a Word document",),
    ),
    Case(
        "H09", "H09 truncated.docx", "DOCX cut in half", "unreadable", ("not a Word document",)
    ),
    Case(
        "H10", "H10 flate bomb.pdf", f"content stream inflating to {GIGABYTES} GB",
        "unreadable", ("too large", "memory"),
    ),
    Case("H11", "H11 page tree loop.pdf", "/Pages whose /Kids is itself", "unreadable", ("damaged PDF",)),
    Case(
        "H12", "H12 page tree cycle.pdf", "two /Pages nodes that are each other's kid",
        "unreadable", ("damaged PDF",),
    ),
    Case(
        "H13", "H13 nested arrays.pdf",
        "a page holding arrays nested 100,000 deep (its text intact)", "ok",
    ),
    Case(
        "H14", "H14 nested dictionaries.pdf",
        "the catalogue holding dictionaries nested 100,000 deep (pages intact)", "ok",
    ),
    Case(
        "H15", "H15 xref loop.pdf", "an xref whose /Prev points at itself (contents intact)",
        "ok",
    ),
    Case(
        "H16", "H16 xref nowhere.pdf", "startxref past the end of the file (contents intact)",
        "ok",
    ),
    Case(
        "H17", "H17 xref garbage.pdf", "no usable xref, no usable objects", "unreadable",
        ("damaged PDF", "truncated", "not a PDF"),
    ),
    Case(
        "H18", "H18 user password.pdf", "RC4-128, a user password", "unreadable",
        ("encrypted PDF",),
    ),
    Case(
        "H19", "H19 aes password.pdf", "AES-256, a user password", "unreadable",
        ("encrypted PDF",),
    ),
    Case("H20", "H20 not a zip.docx", "a text file named .docx", "unreadable", ("not a zip",)),
    Case(
        "H21", "H21 no body.docx", "a zip without word/document.xml", "unreadable",
        ("no document body",),
    ),
    Case(
        "H22", "H22 billion laughs.docx", "entities nested ten deep, ten wide",
        "unreadable", ("refused as unsafe",),
    ),
    Case(
        "H23", "H23 external entity.docx", "an entity that names the secret file",
        "unreadable", ("refused as unsafe",),
    ),
    Case(
        "H24", "H24 hidden entity.docx",
        "entities naming the secret file behind a 40 KB comment, in every part",
        "unreadable", ("refused as unsafe",),
    ),
    Case(
        "H24b", "H24b hidden laughs.docx", "a billion laughs behind a 40 KB comment",
        "unreadable", ("refused as unsafe",),
    ),
    Case(
        "H24c", "H24c deep xml.docx",
        "its date inside content controls nested 100,000 deep", "ok",
    ),
    Case(
        "H25", "H25 zip bomb.docx", f"document.xml declared and inflating to {GIGABYTES} GB",
        "unreadable", ("too large",),
    ),
    Case(
        "H26", "H26 lying zip bomb.docx",
        f"document.xml declared 64 KB, inflating to {GIGABYTES} GB", "unreadable",
        ("not a Word document", "damaged"),
    ),
    Case(
        "H27", "H27 ten thousand parts.docx", "10,001 empty parts", "unreadable",
        ("too many parts",),
    ),
    Case("H28", "H28 nine thousand parts.docx", "9,000 tiny XML parts and a real body", "ok"),
    Case(
        "H29", "H29 List 7 a million rows 2015-09-15.xlsx", "List 7 with 1,000,000 rows",
        "ok", kind="list",
    ),
    Case(
        "H30", "H30 List 7 sheet bomb 2015-09-15.xlsx",
        f"a worksheet inflating to {GIGABYTES} GB of blanks", "unreadable",
        ("damaged Excel workbook", "too large", "memory"), kind="list",
    ),
    Case(
        "H31", "H31 List 7 hidden entity 2015-09-15.xlsx",
        "shared strings naming the secret file behind a 40 KB comment", "unreadable",
        ("refused as unsafe",), kind="list",
    ),
    Case(
        "H31b", "H31b List 7 hidden laughs 2015-09-15.xlsx",
        "shared strings laughing a billion times behind a 40 KB comment", "unreadable",
        ("refused as unsafe",), kind="list",
    ),
    Case(
        "H32", "H32 List 7 binary 2015-09-15.csv", "random bytes named .csv", "unreadable",
        ("not a CSV",), kind="list",
    ),
    Case(
        "H33", "H33 List 7 one endless line 2015-09-15.csv", "8 MB without a line break",
        "incomplete", kind="list",
    ),
    Case("H34", "H34 named pipe.pdf", "a FIFO named like a document", "missing"),
    Case("H35", "H35 link to secret.pdf", "a link to a PDF outside ROOT", "missing"),
    Case("H36", "Outside/H36 beyond.pdf", "a folder link out of ROOT", "missing"),
)

GOOD: tuple[Case, ...] = (
    Case("G1", "G1 Self evaluation.pdf", "ordinary PDF", "ok"),
    Case("G2", "G2 Structure chart.docx", "ordinary DOCX", "ok"),
    Case("G3", "G3 List 7 2015-09-15.xlsx", "ordinary data list", "ok", kind="list"),
    Case("G4", "G4 List 7 2015-09-14.csv", "ordinary CSV list", "ok", kind="list"),
    Case("G5", "G5 Old strategy.pdf", "ordinary PDF, out of date", "out_of_date"),
)

# fmt: on

CASES: tuple[Case, ...] = HOSTILE + GOOD


@dataclass(frozen=True)
class Corpus:
    base: Path
    root: Path
    spec: Path
    secret_file: Path
    cases: tuple[Case, ...] = CASES


# ---------------------------------------------------------------------------
# Building the corpus
# ---------------------------------------------------------------------------


def spec_text(cases: Iterable[Case] = CASES) -> str:
    """One item per file, matched by the file's id prefix; lists check List 7's columns."""
    lines = [
        "[spec]",
        'name = "Hostile corpus"',
        "",
        "[defaults]",
        'formats = ["pdf", "docx"]',
        'max_age = "12 months"',
        "",
    ]
    columns = ", ".join(f'"{c}"' for c in LIST_COLUMNS)
    for case in cases:
        lines += [
            "[[item]]",
            f'id = "{case.item}"',
            f'title = "{case.what}"',
            f'patterns = ["**/{case.item} *"]',
        ]
        if case.kind == "list":
            lines += [
                'formats = ["xlsx", "csv"]',
                'sheet = "List 7"',
                f"columns = [{columns}]",
                'max_age = "5 days"',
                'due_soon = "1 day"',
            ]
        lines.append("")
    return "\n".join(lines)


def build_corpus(base: Path) -> Corpus:
    """Write the hostile corpus under ``base`` (ROOT is ``base / "Annex A"``)."""
    root = base / ROOT_NAME
    root.mkdir(parents=True)
    secret_file = base / "secret.txt"
    secret_file.write_text(f"{SECRET}\n", encoding="utf-8")
    outside = base / "outside"
    outside.mkdir()
    spec = base / "hostile.toml"
    spec.write_text(spec_text(), encoding="utf-8")
    rng = random.Random(8)

    good_pdf = pdf_document(["Self-evaluation", "Date approved: 12 March 2015"])
    good_docx = docx_document(["Children's services structure chart", "Date: 1 September 2015"])

    def put(name: str, data: bytes) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    # Ordinary files, judged as if nothing hostile were beside them.
    put("G1 Self evaluation.pdf", good_pdf)
    put("G2 Structure chart.docx", good_docx)
    put("G3 List 7 2015-09-15.xlsx", list_workbook(rows=20))
    put("G4 List 7 2015-09-14.csv", list_csv(rows=20))
    put("G5 Old strategy.pdf", pdf_document(["Strategy", "Date approved: 1 April 2013"]))

    # Files that are not what they say, or not whole.
    put("H01 truncated.pdf", good_pdf[: len(good_pdf) // 2])
    put("H02 empty.pdf", b"")
    put("H03 empty.docx", b"")
    put("H04 random.pdf", rng.randbytes(64 * 1024))
    put("H05 random.docx", rng.randbytes(64 * 1024))
    put("H06 random.xlsx", rng.randbytes(64 * 1024))
    put("H07 word saved as.pdf", good_docx)
    put("H08 pdf saved as.docx", good_pdf)
    put("H09 truncated.docx", good_docx[: len(good_docx) // 2])

    # Hostile PDFs.
    put("H10 flate bomb.pdf", pdf_flate_bomb(GIGABYTES))
    put("H11 page tree loop.pdf", pdf_page_tree_loop())
    put("H12 page tree cycle.pdf", pdf_page_tree_cycle())
    put("H13 nested arrays.pdf", pdf_nested("arrays"))
    put("H14 nested dictionaries.pdf", pdf_nested("dictionaries"))
    put("H15 xref loop.pdf", pdf_xref("loop"))
    put("H16 xref nowhere.pdf", pdf_xref("nowhere"))
    put("H17 xref garbage.pdf", pdf_xref("garbage"))
    put("H18 user password.pdf", pdf_encrypted("RC4-128", user_password="letmein"))
    put("H19 aes password.pdf", pdf_encrypted("AES-256", user_password="letmein"))

    # Hostile Word files.
    put("H20 not a zip.docx", b"This was never a Word document.\n" * 100)
    put("H21 no body.docx", zip_parts({"docProps/app.xml": "<Properties/>", "readme.txt": "hi"}))
    put("H22 billion laughs.docx", docx_billion_laughs())
    put("H23 external entity.docx", docx_external_entity(secret_file))
    put("H24 hidden entity.docx", docx_hidden_entities(secret_file))
    put("H24b hidden laughs.docx", docx_hidden_laughs())
    put("H24c deep xml.docx", docx_deep_xml(100_000))
    put("H25 zip bomb.docx", docx_zip_bomb(GIGABYTES, lie=False))
    put("H26 lying zip bomb.docx", docx_zip_bomb(GIGABYTES, lie=True))
    put("H27 ten thousand parts.docx", docx_many_parts(10_001, body=False))
    put("H28 nine thousand parts.docx", docx_many_parts(9_000, body=True))

    # Data lists.
    write_million_row_list(root / "H29 List 7 a million rows 2015-09-15.xlsx", MILLION)
    put("H30 List 7 sheet bomb 2015-09-15.xlsx", xlsx_sheet_bomb(GIGABYTES))
    put("H31 List 7 hidden entity 2015-09-15.xlsx", xlsx_hidden_entity(secret_file))
    put("H31b List 7 hidden laughs 2015-09-15.xlsx", xlsx_hidden_entity(None))
    put("H32 List 7 binary 2015-09-15.csv", rng.randbytes(64 * 1024))
    put("H33 List 7 one endless line 2015-09-15.csv", b"Child Unique ID," * 500_000)

    # Things that are not files, or not ROOT's.
    os.mkfifo(root / "H34 named pipe.pdf")
    (outside / "H35 secret.pdf").write_bytes(pdf_document([SECRET, "Date: 1 September 2015"]))
    (root / "H35 link to secret.pdf").symlink_to(outside / "H35 secret.pdf")
    (outside / "H36 beyond.pdf").write_bytes(pdf_document([SECRET, "Date: 1 September 2015"]))
    (root / "Outside").symlink_to(outside, target_is_directory=True)
    (root / "Loop").symlink_to(root, target_is_directory=True)  # a link back to ROOT itself
    (root / "Secret.txt").symlink_to(secret_file)
    return Corpus(base, root, spec, secret_file)


# ---------------------------------------------------------------------------
# PDFs
# ---------------------------------------------------------------------------


def pdf_objects(objects: Sequence[bytes], *, trailer: bytes = b"", xref: str = "good") -> bytes:
    """A PDF of numbered ``objects`` (1 is the catalogue) with a classic xref table.

    ``xref`` = "loop" gives the trailer a /Prev pointing at its own table,
    "nowhere" a startxref past the end of the file.
    """
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    extra = trailer + (b" /Prev %d" % table if xref == "loop" else b"")
    start = table if xref != "nowhere" else 10**9
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, extra, start)
    )
    return out.getvalue()


def _text_stream(lines: Sequence[str]) -> bytes:
    body = (
        b"BT /F1 12 Tf 72 720 Td 14 TL "
        + b" ".join(
            b"(%s) '" % line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)")
            for line in lines
        )
        + b" ET"
    )
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def _page(extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >>%s >>" % extra
    )


def pdf_document(lines: Sequence[str]) -> bytes:
    """A small, valid one-page PDF with ``lines`` of text."""
    return pdf_objects([_CATALOG, _PAGES, _page(), _text_stream(lines), _FONT])


def pdf_page_tree_loop() -> bytes:
    lines = ["Date approved: 12 March 2015"]
    pages = b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"
    return pdf_objects([_CATALOG, pages, _page(), _text_stream(lines), _FONT])


def pdf_page_tree_cycle() -> bytes:
    lines = ["Date approved: 12 March 2015"]
    pages = b"<< /Type /Pages /Kids [6 0 R 3 0 R] /Count 2 >>"
    other = b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"
    return pdf_objects([_CATALOG, pages, _page(), _text_stream(lines), _FONT, other])


def pdf_nested(what: str, depth: int = 100_000) -> bytes:
    lines = ["Date approved: 12 March 2015"]
    if what == "arrays":
        page = _page(b" /Deep " + b"[" * depth + b"]" * depth)
        return pdf_objects([_CATALOG, _PAGES, page, _text_stream(lines), _FONT])
    catalog = (
        b"<< /Type /Catalog /Pages 2 0 R /Deep "
        + b"<< /A " * depth
        + b"1"
        + b" >>" * depth
        + b" >>"
    )
    return pdf_objects([catalog, _PAGES, _page(), _text_stream(lines), _FONT])


def pdf_xref(how: str) -> bytes:
    lines = ["Annual report", "Date approved: 12 March 2015"]
    if how == "garbage":
        junk = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog /Pages 9 0 R\n" * 50
        return junk + b"trailer << /Root 1 0 R /Prev 7 >>\nstartxref\n3\n%%EOF\n"
    return pdf_objects([_CATALOG, _PAGES, _page(), _text_stream(lines), _FONT], xref=how)


def pdf_encrypted(algorithm: str, *, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_document(["Date: 1 September 2015"]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_flate_bomb(gigabytes: int) -> bytes:
    """A one-page PDF whose content stream is a few MB of deflate that inflate to ``gigabytes``."""
    head = b"BT /F1 12 Tf 72 720 Td (Date approved: 12 March 2015) Tj ET\n"
    packed = zlib_stream(head, b" ", gigabytes << 30)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
    return pdf_objects([_CATALOG, _PAGES, _page(), stream + packed + b"\nendstream", _FONT])


# ---------------------------------------------------------------------------
# Deflate bombs, made without deflating gigabytes
# ---------------------------------------------------------------------------


_MB = 1 << 20


def _deflate_blocks(head: bytes, fill: bytes, size: int, wbits: int) -> tuple[bytes, int]:
    """Deflate data for ``head`` then ``size`` bytes of ``fill`` repeated, and its length.

    A full flush resets the compressor, so every later megabyte of the same
    byte deflates to the same block: it is made once and repeated.
    """
    assert _MB % len(fill) == 0, "the fill must tile a megabyte"
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunk = fill * (_MB // len(fill))
    compressor.compress(chunk)
    compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "a flushed megabyte should always deflate alike"
    count = size // _MB
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    return first + block * count + end, len(head) + count * _MB


def zlib_stream(head: bytes, fill: bytes, size: int) -> bytes:
    """A valid zlib stream (header, deflate, Adler-32) inflating to head + ``size`` fill bytes."""
    deflated, total = _deflate_blocks(head, fill, size, -15)
    a, b = 1, 0
    for byte in head:
        a = (a + byte) % 65521
        b = (b + a) % 65521
    n, v = total - len(head), fill[0]
    # n more bytes of value v: a grows by v each time, b by each new a.
    b = (b + n * a + v * (n * (n + 1) // 2)) % 65521
    a = (a + n * v) % 65521
    return b"\x78\xda" + deflated + ((b << 16) | a).to_bytes(4, "big")


def raw_zip(members: Sequence[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, deflated data, crc, declared size, method) per member.

    zipfile cannot store data it did not compress itself, nor declare a size
    other than the true one; an attacker's zip can do both.
    """
    out = io.BytesIO()
    central = []
    for name, data, crc, size, method in members:
        offset = out.tell()
        encoded = name.encode()
        header = b"PK\x03\x04" + _le(20, 2) + _le(0, 2) + _le(method, 2) + _le(0, 4)
        header += _le(crc, 4) + _le(len(data), 4) + _le(size, 4) + _le(len(encoded), 2) + _le(0, 2)
        out.write(header + encoded + data)
        entry = b"PK\x01\x02" + _le(20, 2) + _le(20, 2) + _le(0, 2) + _le(method, 2) + _le(0, 4)
        entry += _le(crc, 4) + _le(len(data), 4) + _le(size, 4) + _le(len(encoded), 2)
        entry += _le(0, 2) * 3 + _le(0, 2) + _le(0, 4) + _le(offset, 4)
        central.append(entry + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        b"PK\x05\x06"
        + _le(0, 2) * 2
        + _le(len(central), 2) * 2
        + _le(len(directory), 4)
        + _le(start, 4)
        + _le(0, 2)
    )
    return out.getvalue()


def _le(value: int, size: int) -> bytes:
    return value.to_bytes(size, "little")


def _stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return (name, data, zlib.crc32(data), len(data), 0)


# ---------------------------------------------------------------------------
# Word documents
# ---------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/>'
    '<Relationship Id="rId2" Target="docProps/core.xml" Type="http://schemas.openxmlformats.org/'
    'package/2006/relationships/metadata/core-properties"/></Relationships>'
)


def paragraphs(lines: Sequence[str]) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)


def document_xml(inner: str, *, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body>{inner}</w:body></w:document>'
    )


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_document(lines: Sequence[str], **extra_parts: str) -> bytes:
    """A minimal, valid Word document (no core properties unless given)."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": document_xml(paragraphs(lines)),
    }
    parts.update({name.replace("__", "/"): value for name, value in extra_parts.items()})
    return zip_parts(parts)


def _laughs(depth: int = 10) -> str:
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(depth - 1)
    )
    return entities


def docx_billion_laughs() -> bytes:
    prolog = f"<!DOCTYPE w:document [{_laughs()}]>"
    return zip_parts(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": PACKAGE_RELS,
            "word/document.xml": document_xml(
                paragraphs(["&j;", "Date: 1 September 2015"]), prolog=prolog
            ),
        }
    )


def docx_external_entity(secret_file: Path) -> bytes:
    prolog = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>'
    return zip_parts(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": PACKAGE_RELS,
            "word/document.xml": document_xml(
                paragraphs(["Leaked: &x;", "Date: 1 September 2015"]), prolog=prolog
            ),
        }
    )


def _hidden_prolog(secret_file: Path | None, root_tag: str) -> str:
    """A DTD behind a comment longer than any quick look for one.

    With a secret file: an external DTD and an external entity, both naming
    it. Without: a billion laughs.
    """
    comment = f"<!--{'x' * 40_000}-->"
    if secret_file is None:
        return f"{comment}<!DOCTYPE {root_tag} [{_laughs()}]>"
    uri = secret_file.as_uri()
    return f'{comment}<!DOCTYPE {root_tag} SYSTEM "{uri}" [<!ENTITY x SYSTEM "{uri}">]>'


def _entities(secret_file: Path | None) -> str:
    return "&x;" if secret_file is not None else "&j;"


def docx_hidden_entities(secret_file: Path | None) -> bytes:
    """Entities in the body, a header, the core properties and the relationships.

    Every DTD sits behind a 40 KB comment, past any quick look for one. With
    a secret file they name it, and the body still has an honest date, so
    the file must read and date as usual, secret unread; without, they
    laugh a billion times.
    """
    use = _entities(secret_file)
    prolog = _hidden_prolog(secret_file, "w:document")
    header_rel = (
        '<Relationship Id="rId9" Target="header1.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/header"/>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + _hidden_prolog(secret_file, "cp:coreProperties")
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>Plan {use}</dc:title></cp:coreProperties>"
    )
    return zip_parts(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": PACKAGE_RELS.replace(
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<?xml version="1.0" encoding="UTF-8"?>'
                + _hidden_prolog(secret_file, "Relationships"),
            ),
            "word/_rels/document.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships">{header_rel}</Relationships>'
            ),
            "word/document.xml": document_xml(
                paragraphs([f"Leaked: {use}", "Date: 1 September 2015"]), prolog=prolog
            ),
            "word/header1.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                + _hidden_prolog(secret_file, "w:hdr")
                + f'<w:hdr xmlns:w="{W}">{paragraphs([f"Header {use}"])}</w:hdr>'
            ),
            "docProps/core.xml": core,
        }
    )


def docx_hidden_laughs() -> bytes:
    return docx_hidden_entities(None)


def docx_deep_xml(depth: int) -> bytes:
    """A body that opens with elements nested ``depth`` deep, its date inside the deepest.

    A parser without limits recurses or balloons; lxml refuses past 256 levels.
    """
    inner = (
        "<w:sdt><w:sdtContent>" * depth
        + paragraphs(["Date: 1 September 2015"])
        + "</w:sdtContent></w:sdt>" * depth
    )
    return zip_parts(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": PACKAGE_RELS,
            "word/document.xml": document_xml(inner),
        }
    )


def docx_zip_bomb(gigabytes: int, *, lie: bool) -> bytes:
    """A Word document whose body inflates to ``gigabytes`` of blanks.

    ``lie``: the zip declares 64 KB (and that 64 KB's checksum), as a
    crafted file can; zipfile then stops at 64 KB and the XML is cut short.
    Otherwise the true size is declared (ZIP32 holds up to 4 GB).
    """
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    deflated, total = _deflate_blocks(head, b" ", gigabytes << 30, -15)
    if lie:
        declared = 64 * 1024
        crc = zlib.crc32(head + b" " * (declared - len(head)))
    else:
        declared, crc = total, 0  # refused on its declared size before any checksum
    members = [
        _stored("[Content_Types].xml", CONTENT_TYPES.encode()),
        _stored("_rels/.rels", PACKAGE_RELS.encode()),
        ("word/document.xml", deflated, crc, declared, 8),
    ]
    return raw_zip(members)


def docx_many_parts(count: int, *, body: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        if body:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            archive.writestr("_rels/.rels", PACKAGE_RELS)
            archive.writestr(
                "word/document.xml",
                document_xml(paragraphs(["Improvement plan", "Date: 1 September 2015"])),
            )
        for number in range(count):
            archive.writestr(f"customXml/item{number}.xml", b"<x/>")
    return out.getvalue()


# ---------------------------------------------------------------------------
# Data lists
# ---------------------------------------------------------------------------

SS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SS}" xmlns:r="{R}">'
    '<sheets><sheet name="List 7" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def _data_row(number: int) -> str:
    return (
        f"<row>{_inline(f'CH{number:07d}')}{_inline(f'2015-0{1 + number % 9}-01')}"
        f"{_inline(f'2015-09-0{1 + number % 9}')}</row>"
    )


def _sheet_head() -> str:
    title = f"<row>{_inline('List 7: child protection')}</row>"
    headings = "<row>" + "".join(_inline(c) for c in LIST_COLUMNS) + "</row>"
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SS}"><sheetData>{title}{headings}'


_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook_parts(sheet: str | bytes | None = None) -> dict[str, str | bytes]:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": XLSX_TYPES,
        "_rels/.rels": XLSX_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
    }
    if sheet is not None:
        parts["xl/worksheets/sheet1.xml"] = sheet
    return parts


def list_workbook(rows: int) -> bytes:
    """A small Ofsted-style List 7: a title row, the headings, then ``rows`` children."""
    sheet = _sheet_head() + "".join(_data_row(n) for n in range(rows)) + _SHEET_TAIL
    return zip_parts(_workbook_parts(sheet))


def list_csv(rows: int) -> bytes:
    lines = [",".join(LIST_COLUMNS)]
    lines += [f"CH{n:07d},2015-01-01,2015-09-0{1 + n % 9}" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def write_million_row_list(path: Path, rows: int) -> None:
    """List 7 with ``rows`` children, streamed into the zip (about 12 MB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in _workbook_parts().items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_sheet_head().encode())
            batch = 20_000
            for start in range(0, rows, batch):
                sheet.write(
                    "".join(_data_row(n) for n in range(start, min(rows, start + batch))).encode()
                )
            sheet.write(_SHEET_TAIL.encode())


def xlsx_sheet_bomb(gigabytes: int) -> bytes:
    """A list whose worksheet inflates to ``gigabytes`` of blanks before its first row."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SS}"><sheetData>'.encode()
    deflated, total = _deflate_blocks(head, b" ", gigabytes << 30, -15)
    members = [
        _stored(name, data.encode() if isinstance(data, str) else data)
        for name, data in _workbook_parts().items()
    ]
    members.append(("xl/worksheets/sheet1.xml", deflated, 0, total, 8))
    return raw_zip(members)


def xlsx_hidden_entity(secret_file: Path | None) -> bytes:
    """A good list whose shared strings declare entities behind a 40 KB comment.

    With a secret file they name it; without, they laugh a billion times.
    """
    strings = [*LIST_COLUMNS, f"Leaked: {_entities(secret_file)}"]
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + _hidden_prolog(secret_file, "sst")
        + f'<sst xmlns="{SS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    title = '<row><c t="s"><v>3</v></c></row>'
    headings = "<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(3)) + "</row>"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SS}"><sheetData>'
        f"{title}{headings}{_data_row(1)}{_SHEET_TAIL}"
    )
    parts = _workbook_parts(sheet)
    parts["xl/sharedStrings.xml"] = shared
    return zip_parts(parts)


def xlsx_shared_strings_bomb(gigabytes: int) -> bytes:
    """A list whose title cell is the last of ``gigabytes`` of shared strings.

    Every part is small or streamed, so no size check refuses it; reading
    the title means streaming the shared strings to their end, which takes
    minutes. Only the time limit per file stops it.
    """
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{SS}">'
        + "".join(f"<si><t>{c}</t></si>" for c in LIST_COLUMNS)
    ).encode()
    empty = b"<si><t></t></si>"  # 16 bytes: tiles a megabyte
    deflated, total = _deflate_blocks(head, empty, gigabytes << 30, -15)
    last = len(LIST_COLUMNS) + (total - len(head)) // len(empty) - 1
    title = f'<row><c t="s"><v>{last}</v></c></row>'
    headings = "<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(3)) + "</row>"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SS}"><sheetData>'
        f"{title}{headings}{_SHEET_TAIL}"
    )
    members = [
        _stored(name, data.encode() if isinstance(data, str) else data)
        for name, data in _workbook_parts(sheet).items()
    ]
    members.append(("xl/sharedStrings.xml", deflated, 0, total, 8))
    return raw_zip(members)


# ---------------------------------------------------------------------------
# Reading without pypdf's optional crypto package (in the worker)
# ---------------------------------------------------------------------------


_AES_NAMES = (
    "CryptAES",
    "aes_cbc_decrypt",
    "aes_cbc_encrypt",
    "aes_ecb_decrypt",
    "aes_ecb_encrypt",
)


def drop_crypto() -> None:
    """Make pypdf, in this process, behave as if neither cryptography nor pycryptodome were installed.

    pypdf picks its AES provider once, at import; its fallback raises
    DependencyError for AES. Swapping the fallback's functions in is what
    an install without the optional package amounts to.
    """
    import pypdf._encryption as encryption
    from pypdf._crypt_providers import _fallback

    for name in _AES_NAMES:
        setattr(encryption, name, getattr(_fallback, name))


def read_without_crypto(
    root: Path,
    entry: FileEntry,
    options: tuple[DatingOptions, ...] = (),
    lists: tuple[ListRule, ...] = (),
) -> Facts:
    """The reader processes' read function (read_ahead), without AES support."""
    from annexa.reading.worker_job import read_ahead

    drop_crypto()
    return read_ahead(root, entry, options, lists=lists)


# ---------------------------------------------------------------------------
# Hostile names
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A hostile file name: the relative path on disk (bytes), and what it is."""

    raw: bytes
    what: str

    @property
    def path(self) -> str:
        """The relative path as annexa sees it (bytes not UTF-8 as lone surrogates)."""
        return os.fsdecode(self.raw)


LONG = "L" * 243
HOSTILE_NAMES: tuple[Name, ...] = (
    Name(b"bell\x07 and backspace\x08 and tab\t", "control characters"),
    Name(b"\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b[2J", "ANSI colour, title and clear"),
    Name(b"line one\nline two\r", "a newline and a carriage return"),
    Name(b"caf\xe9 \xff\xfe report", "bytes that are not UTF-8"),
    Name(LONG.encode(), "250 characters"),
    Name(b"[bold]bold[/bold] [red]x", "Rich markup (a folder and a file)"),
    Name(b"[@click=app.quit]click me", "Textual action markup"),
    Name(b"notes[/]", "a closing tag that crashes Rich (a folder and a file)"),
    Name(b"<script>alert(1)</script>", "HTML script (a folder and a file)"),
    Name(b'=HYPERLINK("x","y")', "a spreadsheet formula"),
    Name(b"+cmd", "a formula starting with +"),
    Name(b"-2+3", "a formula starting with -"),
    Name(b"@SUM(A1)", "a formula starting with @"),
    Name(b"a|b `code` *em* #1 <b>", "Markdown table and emphasis"),
    Name(b"\xe2\x80\xaefdp.exe", "a right-to-left override"),
)


def names_spec_text(names: Sequence[Name] = HOSTILE_NAMES) -> str:
    """Item N<i> matches "<name> N<i>.pdf" and "<name> N<i> x.pdf", wherever they are."""
    return '[spec]\nname = "Hostile names"\n\n' + names_items_text(names)


def names_items_text(names: Sequence[Name] = HOSTILE_NAMES) -> str:
    """The [[item]] tables of the names spec, to add to another spec."""
    lines = []
    for number, _ in enumerate(names, 1):
        lines += [
            "[[item]]",
            f'id = "N{number}"',
            f'title = "Item {number}"',
            f'patterns = ["**/* N{number}.pdf", "**/* N{number} x.pdf"]',
            "",
        ]
    return "\n".join(lines)


def names_of(number: int, name: Name) -> tuple[bytes, bytes, bytes]:
    """The three files a hostile name is given: readable, unreadable, unmatched."""
    return (
        name.raw + f" N{number}.pdf".encode(),
        name.raw + f" N{number} x.pdf".encode(),
        b"Other/" + name.raw + b".txt",
    )


def build_names(base: Path, names: Sequence[Name] = HOSTILE_NAMES) -> tuple[Path, Path]:
    """ROOT with each hostile name three times, and the spec; returns (root, spec).

    "<name> N<i>.pdf", at the top of ROOT (in a folder when the name holds a
    "/"), is a readable PDF dated long ago: item N<i> is out of date, and its
    reason, action and file name it. "<name> N<i> x.pdf" beside it is random
    bytes, older: listed among the files that cannot be read, and superseded.
    "Other/<name>.txt" matches no item.
    """
    root = base / "names-root"
    root.mkdir(parents=True)
    spec = base / "names.toml"
    spec.write_text(names_spec_text(names), encoding="utf-8")
    old = pdf_document(["Annual report", "Date approved: 1 April 2013"])
    rng = random.Random(3)
    long_ago = dt.datetime(2010, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    for number, name in enumerate(names, 1):
        readable, unreadable, unmatched = names_of(number, name)
        _write_bytes_path(root, readable, old)
        _write_bytes_path(root, unreadable, rng.randbytes(512), mtime=long_ago)
        _write_bytes_path(root, unmatched, b"not matched")
    return root, spec


def _write_bytes_path(root: Path, relative: bytes, data: bytes, mtime: float | None = None) -> None:
    """Create a file from a bytes path, as a share holding a non-UTF-8 name has it."""
    target = os.fsencode(root) + b"/" + relative
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    if mtime is not None:
        os.utime(target, (mtime, mtime))


# ---------------------------------------------------------------------------
# Watching a folder for changes: every byte and every mtime
# ---------------------------------------------------------------------------


Fingerprint = dict[bytes, tuple[object, ...]]


def fingerprint(root: Path) -> Fingerprint:
    """Everything about everything under ROOT that a write, move or chmod would change.

    Keyed by bytes path (names need not be UTF-8): the kind, mode, owner,
    inode, link count, size, mtime and ctime (which any change of data or
    metadata moves), and the SHA-256 of a file's bytes or a link's target.
    Walks without following links and never opens anything but regular
    files, so a FIFO is not waited on. Access times are left out: reading
    is allowed.
    """
    import hashlib
    import stat

    found: Fingerprint = {}
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base, followlinks=False):
        for name in [b".", *dirs, *files] if folder == base else [*dirs, *files]:
            path = os.path.normpath(os.path.join(folder, name))
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                content: bytes = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    for chunk in iter(lambda: handle.read(_MB), b""):
                        digest.update(chunk)
                content = digest.digest()
            else:
                content = b""
            found[os.path.relpath(path, base)] = (
                stat.S_IFMT(info.st_mode),
                stat.S_IMODE(info.st_mode),
                info.st_uid,
                info.st_gid,
                info.st_ino,
                info.st_nlink,
                info.st_size,
                info.st_mtime_ns,
                info.st_ctime_ns,
                content,
            )
    return found


# ---------------------------------------------------------------------------
# Memory of a process tree
# ---------------------------------------------------------------------------


def children_by_parent() -> dict[int, list[int]]:
    """Every process's children, by parent pid, from /proc (Linux)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def status_kb(pid: int, key: bytes) -> int:
    """One KB figure of /proc/PID/status ("VmRSS:", "VmHWM:"); 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and all its descendants until stopped.

    ``peak_kb``: the largest sum of RSS over the tree at one moment (an
    overestimate: pages the reader processes share with the fork server
    count once per process). ``largest_kb``: the largest peak RSS (VmHWM)
    of one process. ``per_pid``: each descendant's VmHWM, last seen.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid or os.getpid()
        self.interval = interval
        self.peak_kb = 0
        self.largest_kb = 0
        self.per_pid: dict[int, int] = {}
        self._stop_event = threading.Event()
        self.available = Path("/proc/self/status").exists()

    def sample(self) -> None:
        tree = children_by_parent()
        todo, total = [self.pid], 0
        while todo:
            pid = todo.pop()
            total += status_kb(pid, b"VmRSS:")
            high = status_kb(pid, b"VmHWM:")
            if pid != self.pid and high:
                self.per_pid[pid] = max(self.per_pid.get(pid, 0), high)
            self.largest_kb = max(self.largest_kb, high)
            todo.extend(tree.get(pid, ()))
        self.peak_kb = max(self.peak_kb, total)

    def run(self) -> None:
        while self.available and not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_event.set()
        self.join()
