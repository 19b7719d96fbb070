"""Real documents nobody on this project wrote: every one is read, or refused with a reason.

The corpus lives outside the project (``../shared/corpus``, read-only); these
tests skip when it is absent. Expectations come from python-docx and pypdf
opening the same files, never from hard-coded guesses.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from annexa.model import Facts, FileEntry
from annexa.reading.pool import WorkerPoolExtractor

CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"
FOLDERS = ("real-pdf", "real-docx")

pytestmark = pytest.mark.skipif(
    not all((CORPUS / folder).is_dir() for folder in FOLDERS),
    reason="the shared document corpus (../shared/corpus) is not present",
)


def corpus_entries() -> list[FileEntry]:
    """The corpus's documents; none where it is absent (the tests then skip, see above).

    Called while pytest collects the parametrized tests, before any skip
    applies: it must not fail on a contributor's machine without the corpus.
    """
    found = []
    for folder in FOLDERS:
        if not (CORPUS / folder).is_dir():
            return []
        for path in sorted((CORPUS / folder).iterdir()):
            if path.suffix.lower() in (".pdf", ".docx"):
                stat = path.stat()
                found.append(FileEntry(f"{folder}/{path.name}", stat.st_size, stat.st_mtime_ns))
    return found


@pytest.fixture(scope="module")
def extracted() -> tuple[dict[str, Facts], float]:
    pool = WorkerPoolExtractor(workers=2)
    try:
        started = time.perf_counter()
        results = pool.extract(CORPUS, corpus_entries())
        return results, time.perf_counter() - started
    finally:
        pool.close()


def facts_of(extracted, name: str) -> Facts:
    results, _ = extracted
    (match,) = [f for path, f in results.items() if path.endswith("/" + name)]
    return match


def test_every_document_is_read_or_refused_with_a_one_line_reason(extracted):
    results, _ = extracted
    assert sorted(results) == sorted(e.path for e in corpus_entries())
    for path, facts in results.items():
        assert facts.kind in ("pdf", "docx"), path
        if facts.error is not None:
            assert "\n" not in facts.error and 0 < len(facts.error) <= 200, path


def test_the_whole_corpus_extracts_well_under_a_minute(extracted):
    _, seconds = extracted
    assert seconds < 60


def test_the_password_protected_pdf_asks_for_its_password(extracted):
    facts = facts_of(extracted, "005-libreoffice-writer-password_libreoffice-writer-password.pdf")
    assert facts.error == "encrypted PDF: password required"


def _first_page_text(reader: PdfReader, path: Path) -> str:
    """Page 1's text as the engine annexa uses reads it (PDFium where installed, else pypdf)."""
    from annexa.reading.pdf import common as pdf_common

    if pdf_common.TEXT_ENGINE == "pdfium":
        import pypdfium2

        document = pypdfium2.PdfDocument(path)
        try:
            text = document[0].get_textpage().get_text_bounded()
        finally:
            document.close()
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-\n").strip()
    return (reader.pages[0].extract_text() or "").strip()


def _pdf_expectations(path: Path) -> tuple[str, dict[str, str]] | None:
    """(first-page text, raw info dates) as the libraries read them, or None if pypdf cannot."""
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            return None
        text = _first_page_text(reader, path)
        info = reader.metadata or {}
        dates = {
            f"pdf:{key[1:]}": str(info[key]).strip()
            for key in ("/ModDate", "/CreationDate")
            if key in info and str(info[key]).strip()
        }
        return text, dates
    except Exception:
        return None


@pytest.mark.parametrize(
    "entry", [e for e in corpus_entries() if e.path.endswith(".pdf")], ids=lambda e: e.name
)
def test_pdf_first_page_text_and_metadata_dates_are_read(extracted, entry):
    expected = _pdf_expectations(CORPUS / entry.path)
    facts = extracted[0][entry.path]
    if expected is None:
        assert facts.error is not None
        return
    text, dates = expected
    assert facts.error is None
    if text:
        page_one = [b.text for b in facts.blocks if b.where == "body" and b.page == 1]
        assert page_one and page_one[0] == text[:20_000].strip()
    for label, value in dates.items():
        assert (label, value) in facts.metadata


@pytest.mark.parametrize(
    "entry", [e for e in corpus_entries() if e.path.endswith(".docx")], ids=lambda e: e.name
)
def test_docx_first_text_and_core_dates_are_read(extracted, entry):
    path = CORPUS / entry.path
    facts = extracted[0][entry.path]
    assert facts.error is None
    document = docx.Document(str(path))
    first = next((p.text.strip() for p in document.paragraphs if p.text.strip()), None)
    if first:
        assert " ".join(first.split()) in " ".join(facts.text().split())
    with zipfile.ZipFile(path) as archive:
        has_core = "docProps/core.xml" in archive.namelist()
    labels = [label for label, _ in facts.metadata]
    if has_core and document.core_properties.modified is not None:
        assert "core:modified" in labels
    if not has_core:
        assert facts.metadata == ()


def test_a_docx_without_core_properties_has_no_metadata(extracted):
    assert facts_of(extracted, "doc-no-coreprops.docx").metadata == ()


def test_core_properties_are_read_as_python_docx_reads_them(extracted):
    props = docx.Document(str(CORPUS / "real-docx" / "doc-coreprops.docx")).core_properties
    facts = facts_of(extracted, "doc-coreprops.docx")
    assert dict(facts.metadata) == {
        "core:modified": props.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "core:created": props.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert facts.content_status == props.content_status
    assert [b.text for b in facts.blocks if b.where == "title"] == [props.title]


def _running_heads(path: Path) -> tuple[set[str], set[str]]:
    """Every header and footer line python-docx sees, in every section and kind."""
    document = docx.Document(str(path))
    headers: set[str] = set()
    footers: set[str] = set()
    for section in document.sections:
        for found, parts in (
            (headers, (section.header, section.first_page_header, section.even_page_header)),
            (footers, (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            for part in parts:
                if part.is_linked_to_previous:
                    continue
                found.update(p.text.strip() for p in part.paragraphs if p.text.strip())
    return headers, footers


@pytest.mark.parametrize(
    "name", ["hdr-header-footer.docx", "doc-odd-even-hdrs.docx", "sct-first-page-hdrftr.docx"]
)
def test_header_and_footer_text_is_read(extracted, name):
    headers, footers = _running_heads(CORPUS / "real-docx" / name)
    assert headers or footers
    facts = facts_of(extracted, name)
    header_lines = {
        line for b in facts.blocks if b.where == "header" for line in b.text.splitlines()
    }
    footer_lines = {
        line for b in facts.blocks if b.where == "footer" for line in b.text.splitlines()
    }
    assert headers <= header_lines
    assert footers <= footer_lines
