"""What any file in a share can be: empty, gone, a folder, a pipe, locked, or not a document."""

from __future__ import annotations

import io
import os
import pickle
import sys
from pathlib import Path

import docx
import pytest

from annexa.model import Facts, FileEntry
from annexa.model.codec import decode, encode
from annexa.model.failures import FailureKind
from annexa.model.files import EXTRACTOR_VERSION
from annexa.reading.inline import InlineExtractor
from annexa.reading.read import READABLE_FORMATS, read_facts


def entry(root: Path, name: str) -> FileEntry:
    stat = (root / name).stat()
    return FileEntry(name, stat.st_size, stat.st_mtime_ns)


def test_readable_formats_are_the_documented_ones():
    assert frozenset({"pdf", "docx", "docm", "xlsx", "xlsm", "csv"}) == READABLE_FORMATS


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "a.xlsx", "a.csv"])
def test_an_empty_file_is_reported_empty(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    facts = read_facts(tmp_path, entry(tmp_path, name))
    assert facts.error == "empty file"
    assert not facts.readable


@pytest.mark.parametrize(
    "name", ["Report 2015.doc", "notes.odt", "old list.xls", "readme.txt", "NOEXT"]
)
def test_other_formats_are_not_opened(tmp_path, name):
    # The file does not exist: opening it would report it vanished.
    facts = read_facts(tmp_path, FileEntry(f"Reports/{name}", 10, 1))
    assert facts.kind == "other"
    assert facts.error is None
    assert (facts.path, facts.size, facts.mtime_ns) == (f"Reports/{name}", 10, 1)
    assert facts.extractor_version == EXTRACTOR_VERSION


def test_a_file_that_vanished_says_so(tmp_path):
    facts = read_facts(tmp_path, FileEntry("Leadership/gone.pdf", 1234, 5678))
    assert facts.error == "file vanished before it could be read"
    assert facts.kind == "pdf"
    assert (facts.path, facts.size, facts.mtime_ns) == ("Leadership/gone.pdf", 1234, 5678)


def test_a_folder_with_a_document_name_is_not_a_file(tmp_path):
    (tmp_path / "Plans.docx").mkdir()
    facts = read_facts(tmp_path, FileEntry("Plans.docx", 0, 0))
    assert facts.error == "not a file: it is a folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_is_never_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.pdf")
    facts = read_facts(tmp_path, FileEntry("pipe.pdf", 0, 0))
    assert facts.error == "not a regular file (a pipe, socket or device)"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_file_without_read_permission_says_permission_denied(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: every file is readable, so permission cannot be denied")
    path = tmp_path / "locked.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    path.chmod(0)
    try:
        facts = read_facts(tmp_path, entry(tmp_path, "locked.pdf"))
    finally:
        path.chmod(0o600)
    assert facts.error == "permission denied"


def test_names_with_odd_characters_are_read(tmp_path):
    name = "Leadership/[draft] notes\u202e.docx"
    (tmp_path / "Leadership").mkdir()
    document = docx.Document()
    document.add_paragraph("Date approved: 12 March 2015")
    document.save(tmp_path / name)
    facts = read_facts(tmp_path, entry(tmp_path, name))
    assert facts.error is None and facts.path == name


def test_facts_survive_pickling_and_the_cache_round_trip(tmp_path):
    document = docx.Document()
    document.add_paragraph("Date approved: 12 March 2015")
    document.sections[0].header.paragraphs[0].text = "Review date: March 2016"
    document.core_properties.title = "Plan"
    out = io.BytesIO()
    document.save(out)
    (tmp_path / "plan.docx").write_bytes(out.getvalue())
    facts = read_facts(tmp_path, entry(tmp_path, "plan.docx"))
    assert facts.blocks and facts.metadata
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert decode(Facts, encode(facts)) == facts


def test_inline_extractor_reports_each_file_as_it_finishes(tmp_path):
    (tmp_path / "a.csv").write_text("Child Unique ID\nC1\n")
    entries = [entry(tmp_path, "a.csv"), FileEntry("b.doc", 1, 1), FileEntry("gone.pdf", 1, 1)]
    seen: list[str] = []
    results = InlineExtractor().extract(tmp_path, entries, on_done=lambda f: seen.append(f.path))
    assert sorted(results) == sorted(seen) == ["a.csv", "b.doc", "gone.pdf"]
    assert results["a.csv"].sheets[0].name == "a"
    assert results["gone.pdf"].error == "file vanished before it could be read"


def test_failures_of_the_moment_are_transient_and_the_files_own_are_not(tmp_path):
    """A vanished file may be there next time, so it is read again; a file that is
    not what its name says stays so until it changes, so its failure is kept."""
    (tmp_path / "fake.pdf").write_bytes(b"hello, not a pdf")
    (tmp_path / "folder.pdf").mkdir()
    gone = read_facts(tmp_path, FileEntry("gone.pdf", 1, 1))
    fake = read_facts(tmp_path, entry(tmp_path, "fake.pdf"))
    folder = read_facts(tmp_path, FileEntry("folder.pdf", 1, 1))
    assert (gone.error_kind, fake.error_kind, folder.error_kind) == (
        FailureKind.VANISHED,
        FailureKind.DAMAGED,
        FailureKind.UNSAFE,
    )
    assert gone.error_kind.transient
    assert not fake.error_kind.transient and not folder.error_kind.transient


@pytest.mark.parametrize(
    ("kind", "transient"),
    [
        (FailureKind.TIMED_OUT, True),
        (FailureKind.OUT_OF_MEMORY, True),
        (FailureKind.READER_FAILED, True),
        (FailureKind.VANISHED, True),
        (FailureKind.PERMISSION, True),
        (FailureKind.LOCKED, True),
        (FailureKind.UNREACHABLE, True),
        (FailureKind.ENCRYPTED, False),
        (FailureKind.DAMAGED, False),
        (FailureKind.TOO_LARGE, False),
        (FailureKind.UNSAFE, False),
    ],
)
def test_only_failures_of_the_moment_are_transient(kind, transient):
    assert kind.transient is transient


def test_a_library_message_reads_as_the_end_of_a_reason():
    from annexa.reading.content import short

    assert short("Invalid object in /Pages") == "invalid object in /Pages"
    assert short("Detected cyclic page references.") == "detected cyclic page references"
    assert short("EOF marker not found") == "EOF marker not found"  # an acronym keeps its case
    assert short("a\nb   c") == "a b c"
