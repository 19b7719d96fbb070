"""Real documents nobody on this project wrote: dating never fails and agrees with pypdf.

The corpus lives outside the project (``../shared/corpus`` from the project
root) and is never copied in; without it these tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pypdf
import pytest

from annexa.dating import read_dates
from annexa.model import FileEntry
from annexa.reading.read import read_facts
from annexa.spec.rules import DatingOptions

CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"
pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="real-document corpus not found at ../shared/corpus"
)
ALL_SOURCES = DatingOptions(date_sources=("content", "filename", "metadata", "mtime"))


def corpus_files(pattern: str) -> list[Path]:
    return sorted(CORPUS.glob(pattern)) if CORPUS.is_dir() else []


def dates_of(path: Path, options: DatingOptions = ALL_SOURCES):
    rel = path.relative_to(CORPUS).as_posix()
    stat = path.stat()
    facts = read_facts(CORPUS, FileEntry(rel, stat.st_size, stat.st_mtime_ns))
    return read_dates(facts, rel, options, stat.st_mtime_ns)


@pytest.mark.parametrize("path", corpus_files("real-*/*.*"), ids=lambda p: p.name)
def test_every_real_document_is_dated_without_error_and_plausibly(path):
    found = dates_of(path)
    for date in (*found.issue, *found.expiry):
        assert 1990 <= date.value.year <= 2099
    assert found.draft is None  # nothing in the corpus is a draft


def _pypdf_mod_date(path: Path) -> dt.date | None:
    try:
        when = pypdf.PdfReader(path).metadata.modification_date
    except Exception:
        return None
    return when.date() if when else None


@pytest.mark.parametrize("path", corpus_files("real-pdf/*.pdf"), ids=lambda p: p.name)
def test_pdf_modified_date_is_the_date_pypdf_reads_as_written(path):
    expected = _pypdf_mod_date(path)
    found = [d for d in dates_of(path).issue if d.label == "modified (PDF properties)"]
    if expected is None or not 1990 <= expected.year <= 2099:
        assert found == []
    else:
        assert [d.value for d in found] == [expected]


@pytest.mark.parametrize("path", corpus_files("real-docx/*.docx"), ids=lambda p: p.name)
def test_word_modified_date_is_the_core_property(path):
    with zipfile.ZipFile(path) as package:
        try:
            core = package.read("docProps/core.xml").decode()
        except KeyError:
            core = ""
    m = re.search(r"<dcterms:modified[^>]*>(\d{4})-(\d{2})-(\d{2})", core)
    found = [d.value for d in dates_of(path).issue if d.label == "modified (Word properties)"]
    assert found == ([dt.date(int(m[1]), int(m[2]), int(m[3]))] if m else [])


def test_word_file_without_core_properties_has_no_invented_date():
    path = CORPUS / "real-docx" / "doc-no-coreprops.docx"
    found = dates_of(path, DatingOptions(date_sources=("content", "filename", "metadata")))
    assert found.issue == ()


def test_word_content_status_that_is_not_draft_does_not_mark_a_draft():
    assert dates_of(CORPUS / "real-docx" / "doc-coreprops.docx").draft is None


def test_encrypted_pdf_is_still_dated_by_its_mtime_when_asked():
    path = CORPUS / "real-pdf" / "005-libreoffice-writer-password_libreoffice-writer-password.pdf"
    assert [d.source for d in dates_of(path).issue] == ["mtime"]
