"""Real documents made on the fly for tests: PDFs (reportlab) and DOCX (python-docx).

Tests that go through the whole pipeline need files the extractor really
opens, not stand-ins; these builders keep that to one line per document.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path


def _place(path: Path, mtime: dt.datetime | None) -> None:
    if mtime is not None:
        stamp = mtime.replace(tzinfo=dt.timezone.utc).timestamp()
        os.utime(path, (stamp, stamp))


def make_pdf(
    path: Path,
    lines: Sequence[str] = (),
    *,
    pages: Sequence[Sequence[str]] | None = None,
    title: str | None = None,
    modified: str | None = None,
    created: str | None = None,
    mtime: dt.datetime | None = None,
) -> Path:
    """A PDF with ``lines`` on page 1 (or ``pages``), and optional info-dictionary dates.

    ``modified``/``created`` are raw PDF date strings ("D:20150312101500Z").
    """
    from reportlab.pdfgen import canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = canvas.Canvas(str(path), invariant=1)
    if title:
        doc.setTitle(title)
    for page in pages if pages is not None else [lines]:
        y = 800
        for line in page:
            doc.drawString(72, y, line)
            y -= 18
        doc.showPage()
    doc.save()
    _set_pdf_dates(path, modified, created)  # reportlab's invariant mode dates everything 2000
    _place(path, mtime)
    return path


def _set_pdf_dates(path: Path, modified: str | None, created: str | None) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    meta = {
        k: v for k, v in (writer.metadata or {}).items() if k not in ("/ModDate", "/CreationDate")
    }
    if modified:
        meta["/ModDate"] = modified
    if created:
        meta["/CreationDate"] = created
    writer.metadata = meta
    with path.open("wb") as out:
        writer.write(out)


def make_docx(
    path: Path,
    paragraphs: Sequence[str] = (),
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    modified: dt.datetime | None = None,
    created: dt.datetime | None = None,
    status: str | None = None,
    mtime: dt.datetime | None = None,
) -> Path:
    """A Word document with body paragraphs, an optional header/footer and core properties."""
    import docx

    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    props = document.core_properties
    props.title = title or ""
    props.modified = modified or dt.datetime(2000, 1, 1)
    props.created = created or dt.datetime(2000, 1, 1)
    if status:
        props.content_status = status
    document.save(str(path))
    if modified is None and created is None and title is None and status is None:
        _drop_core_properties(path)  # no invented dates: like a file saved by many tools
    _place(path, mtime)
    return path


def _drop_core_properties(path: Path) -> None:
    """Remove docProps/core.xml and the references to it, leaving a valid package."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts.pop("docProps/core.xml", None)
    parts["_rels/.rels"] = re.sub(
        rb"<Relationship[^>]*core-properties[^>]*/>", b"", parts["_rels/.rels"]
    )
    parts["[Content_Types].xml"] = re.sub(
        rb"<Override[^>]*/docProps/core.xml[^>]*/>", b"", parts["[Content_Types].xml"]
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def make_scanned_pdf(path: Path, lines: Sequence[tuple[int, str]], *, dpi: int = 200) -> Path:
    """A PDF whose first page is only a picture of text, as a scanner makes it.

    The text (``(size, words)`` lines) is typeset by reportlab, rendered to a
    grey bitmap by PDFium, and that bitmap alone is placed on an A4 page:
    no text layer is left.
    """
    import io

    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    typeset = io.BytesIO()
    page = canvas.Canvas(typeset, pagesize=A4)
    y = 760.0
    for size, words in lines:
        page.setFont("Helvetica", size)
        page.drawString(72, y, words)
        y -= size * 2.2
    page.showPage()
    page.save()
    document = pypdfium2.PdfDocument(typeset.getvalue())
    try:
        picture = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    scan = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    scan.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    scan.showPage()
    scan.save()
    return path
