"""Reading PDFs: first pages only, raw metadata dates, and a reason for every failure."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.errors import DependencyError
from reportlab.pdfgen import canvas

from annexa.model import FileEntry
from annexa.reading.read import read_facts
from tests.hostile import pdf_objects

XMP = b"""<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmp:CreateDate="2015-03-01T09:00:00Z">
<xmp:ModifyDate>2015-03-12T10:15:00+00:00</xmp:ModifyDate>
<xmp:MetadataDate>2015-03-13T08:00:00Z</xmp:MetadataDate>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def make_pdf(pages: list[str]) -> bytes:
    """A PDF with one line of text on each page (an empty string leaves the page blank)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    for text in pages:
        if text:
            pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def rewrite(
    data: bytes,
    *,
    metadata: dict | None = None,
    xmp: bytes | None = None,
    encrypt: dict | None = None,
) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    if metadata:
        writer.add_metadata(metadata)
    if xmp:
        writer.xmp_metadata = xmp
    if encrypt:
        writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    stat = path.stat()
    return read_facts(tmp_path, FileEntry(name, stat.st_size, stat.st_mtime_ns))


def test_only_the_first_three_pages_are_read(tmp_path):
    data = make_pdf(
        ["Date approved: 12 March 2015", "", "Page three words", "", "Review date: March 2016"]
    )
    facts = read(tmp_path, "plan.pdf", data)
    assert facts.error is None
    assert facts.kind == "pdf"
    assert facts.pages == 5
    bodies = {b.page: b.text for b in facts.blocks if b.where == "body"}
    assert bodies[1] == "Date approved: 12 March 2015"
    assert bodies[3] == "Page three words"
    assert "Review date" not in facts.text()


def test_info_dates_are_handed_on_raw_and_the_title_is_a_block(tmp_path):
    data = rewrite(
        make_pdf(["Body"]),
        metadata={
            "/ModDate": "D:20150312101500Z",
            "/CreationDate": "D:2015-bad",
            "/Title": "LADO annual report 2014-15",
        },
    )
    facts = read(tmp_path, "lado.pdf", data)
    assert ("pdf:ModDate", "D:20150312101500Z") in facts.metadata
    assert ("pdf:CreationDate", "D:2015-bad") in facts.metadata
    titles = [b for b in facts.blocks if b.where == "title"]
    assert [(t.page, t.text) for t in titles] == [(None, "LADO annual report 2014-15")]


def test_xmp_dates_are_found_in_elements_and_attributes(tmp_path):
    facts = read(tmp_path, "x.pdf", rewrite(make_pdf(["Body"]), xmp=XMP))
    found = dict(facts.metadata)
    assert found["xmp:ModifyDate"] == "2015-03-12T10:15:00+00:00"
    assert found["xmp:CreateDate"] == "2015-03-01T09:00:00Z"
    assert found["xmp:MetadataDate"] == "2015-03-13T08:00:00Z"


def test_a_long_page_is_capped(tmp_path):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    for line in range(700):
        pdf.drawString(10, 10 + (line % 80) * 9, "x" * 60)
    pdf.showPage()
    pdf.save()
    facts = read(tmp_path, "long.pdf", buffer.getvalue())
    assert facts.error is None
    assert 0 < len(facts.blocks[0].text) <= 20_000


def test_owner_password_only_pdf_is_readable(tmp_path):
    pytest.importorskip("cryptography", reason="AES needs the 'cryptography' package")
    data = rewrite(
        make_pdf(["Date approved: 12 March 2015"]),
        encrypt={"user_password": "", "owner_password": "secret", "algorithm": "AES-256"},
    )
    facts = read(tmp_path, "restricted.pdf", data)
    assert facts.error is None
    assert "Date approved: 12 March 2015" in facts.text()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128"])
def test_user_password_pdf_is_reported_as_encrypted(tmp_path, algorithm):
    if algorithm.startswith("AES"):
        pytest.importorskip("cryptography", reason="AES needs the 'cryptography' package")
    data = rewrite(make_pdf(["Secret"]), encrypt={"user_password": "pw", "algorithm": algorithm})
    facts = read(tmp_path, "locked.pdf", data)
    assert facts.error == "encrypted PDF: password required"
    assert facts.blocks == () and facts.metadata == ()


def test_aes_without_the_crypto_package_says_what_is_missing(tmp_path, monkeypatch):
    import annexa.reading.pdf.guarded as pdf_module

    pytest.importorskip("cryptography", reason="writing the AES file needs 'cryptography'")
    data = rewrite(
        make_pdf(["x"]),
        encrypt={"user_password": "", "owner_password": "secret", "algorithm": "AES-128"},
    )

    def no_crypto(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pdf_module, "PdfReader", no_crypto)  # as pypdf fails without it
    facts = read(tmp_path, "aes.pdf", data)
    assert facts.error == "encrypted PDF: AES needs the 'cryptography' package"


def test_a_file_without_pdf_header_is_not_a_pdf(tmp_path):
    facts = read(tmp_path, "fake.pdf", b"PK\x03\x04 this is a zip really" * 10)
    assert facts.error == "not a PDF: no %PDF header"


def test_random_bytes_named_pdf_are_not_a_pdf(tmp_path):
    facts = read(tmp_path, "noise.pdf", bytes(range(256)) * 40)
    assert facts.error == "not a PDF: no %PDF header"


def test_an_empty_pdf_is_reported_empty(tmp_path):
    assert read(tmp_path, "empty.pdf", b"").error == "empty file"


def test_a_truncated_pdf_says_it_has_no_end(tmp_path):
    data = make_pdf(["Some text"])
    facts = read(tmp_path, "cut.pdf", data[: len(data) // 3])
    assert facts.error == "truncated: no end-of-file marker"


def test_a_damaged_pdf_gives_a_one_line_reason(tmp_path):
    facts = read(
        tmp_path, "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF\n"
    )
    assert facts.error is not None
    assert facts.error.startswith("damaged PDF: ")
    assert "\n" not in facts.error


def flate_bomb_pdf(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is a few hundred KB that inflate to ``inflated_mb``."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n" + b" " * (inflated_mb * 1024 * 1024)
    packed = zlib.compress(content, 1)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_objects(objects)


def test_a_flate_bomb_is_refused_not_inflated(tmp_path):
    data = flate_bomb_pdf(100)
    assert len(data) < 1_000_000
    facts = read(tmp_path, "bomb.pdf", data)
    assert facts.error == "damaged PDF: a part is too large when decompressed"


# What content dating's code was when EXTRACTOR_VERSION took its value.
CONTENT_DATING_DIGEST = {
    8: "e139c380ef755f4c6985ce5c",
    9: "e139c380ef755f4c6985ce5c",
    10: "68a713718d8f77a927053fdb",
    11: "68a713718d8f77a927053fdb",
    12: "245cf64e3d55d99f0308aecf",
}


def _code_digest(module: str) -> tuple[str, list[str]]:
    """A digest of a module's code and of the annexa.dating modules it imports, comments
    and docstrings left out (they do not change what is read), and those modules' names."""
    import ast
    import hashlib
    import importlib

    seen: list[str] = []
    hasher = hashlib.blake2b(digest_size=12)
    pending = [module]
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.append(name)
        tree = ast.parse(Path(importlib.import_module(name).__file__).read_text("utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (
                isinstance(body, list)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                body[0] = ast.Pass()
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("annexa.dating"):
                pending.append(node.module)
        hasher.update(ast.dump(tree).encode())
    return hasher.hexdigest(), seen


def test_a_change_to_content_dating_raises_the_extractor_version():
    """Whether a PDF's third page is read is decided by content dating, so the facts
    cached for a PDF depend on that code: an annexa whose content dating differs must
    read PDFs again, which the cache does only when EXTRACTOR_VERSION changes."""
    from annexa.model.files import EXTRACTOR_VERSION

    digest, modules = _code_digest("annexa.dating.content")
    assert "annexa.dating.labels" in modules and "annexa.dating.parse" in modules
    assert CONTENT_DATING_DIGEST.get(EXTRACTOR_VERSION) == digest, (
        f"content dating ({', '.join(modules)}) changed: raise EXTRACTOR_VERSION in "
        f"annexa/model/files.py and record {digest!r} for it in CONTENT_DATING_DIGEST"
    )
