"""PDFium reads page text faster than pypdf, and must change nothing a user sees.

Page text comes from PDFium where pypdfium2 is installed. These tests hold
it to pypdf's answers (same dates on every real PDF), and hold its guard to
pypdf's limits: a decompression bomb anywhere PDFium would read it is
refused with pypdf's reason before PDFium opens the file.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from annexa.dating import read_dates
from annexa.finding.walk import scan_tree
from annexa.model import FileEntry
from annexa.reading.pdf import common as pdf_common
from annexa.reading.pdf import reader as pdf_reader
from annexa.reading.read import read_facts
from annexa.spec.rules import DatingOptions
from tests.hostile import pdf_objects
from tests.makedocs import make_pdf

pypdfium2 = pytest.importorskip("pypdfium2", reason="PDFium (pypdfium2) is not installed")

CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"
BOMB_REASON = "damaged PDF: a part is too large when decompressed"


def read(root: Path, name: str):  # type: ignore[no-untyped-def]
    st = (root / name).stat()
    return read_facts(root, FileEntry(name, st.st_size, st.st_mtime_ns))


@pytest.fixture
def engine(monkeypatch):  # type: ignore[no-untyped-def]
    """Set the text engine for one test."""

    def use(name: str) -> None:
        monkeypatch.setattr(pdf_common, "TEXT_ENGINE", name)

    return use


@pytest.fixture
def pdfium_calls(monkeypatch):  # type: ignore[no-untyped-def]
    """Counts the documents PDFium is asked to open."""
    calls: list[object] = []
    real = pypdfium2.PdfDocument

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_common.PDFIUM, "PdfDocument", counting)
    return calls


def test_pdfium_is_the_engine_when_it_is_installed():
    assert pdf_common.TEXT_ENGINE == "pdfium"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is absent")
def test_both_engines_find_the_same_dates_in_every_real_pdf(engine):
    inventory = scan_tree(CORPUS)
    options = DatingOptions()
    pdfs = [e for e in inventory.files.values() if e.extension == "pdf"]
    assert len(pdfs) > 20
    for entry in pdfs:
        found = {}
        for name in ("pypdf", "pdfium"):
            engine(name)
            facts = read_facts(CORPUS, entry)
            dates = read_dates(facts, entry.path, options, entry.mtime_ns)
            found[name] = (facts.error, facts.metadata, dates)
        assert found["pdfium"] == found["pypdf"], entry.path


def test_a_word_broken_at_the_end_of_a_line_reads_as_pypdf_reads_it(tmp_path, engine):
    make_pdf(
        tmp_path / "a.pdf",
        ["The annual self-", "evaluation was approved.", "Date approved: 12 March 2015"],
    )
    texts = {}
    for name in ("pypdf", "pdfium"):
        engine(name)
        texts[name] = read(tmp_path, "a.pdf").blocks[-1].text
    assert texts["pdfium"] == texts["pypdf"]
    assert "self-\nevaluation" in texts["pdfium"]


def test_a_file_pdfium_cannot_open_is_read_with_pypdf(tmp_path, monkeypatch):
    make_pdf(tmp_path / "a.pdf", ["Date approved: 12 March 2015"])

    def refuses(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise pypdfium2.PdfiumError("Failed to load document")

    monkeypatch.setattr(pdf_common.PDFIUM, "PdfDocument", refuses)
    facts = read(tmp_path, "a.pdf")
    assert facts.error is None
    assert "Date approved: 12 March 2015" in facts.text()


# -- bombs: pypdf's limits guard what PDFium would inflate ------------------------------------


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 1)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + (
        packed + b"\nendstream"
    )


_BOMB = b" " * (100 * 1024 * 1024)  # inflates to 100 MB, beyond pypdf's 75 MB limit
_TEXT = b"BT /F1 12 Tf 72 720 Td (Date approved: 12 March 2015) Tj ET\n"
_CATALOG = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def bomb_in_a_font_map() -> bytes:
    return pdf_objects(
        [
            *_CATALOG,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_TEXT),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            _stream(_BOMB),
        ]
    )


def bomb_in_a_form() -> bytes:
    return pdf_objects(
        [
            *_CATALOG,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /XObject << /Fm1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
            _stream(b"q /Fm1 Do Q\n" + _TEXT),
            _stream(_BOMB, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def bomb_in_a_font_program() -> bytes:
    return pdf_objects(
        [
            *_CATALOG,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_TEXT),
            b"<< /Type /Font /Subtype /TrueType /BaseFont /Fake /FontDescriptor 6 0 R >>",
            b"<< /Type /FontDescriptor /FontName /Fake /Flags 32 /FontFile2 7 0 R >>",
            _stream(_BOMB),
        ]
    )


@pytest.mark.parametrize(
    "build", [bomb_in_a_font_map, bomb_in_a_form, bomb_in_a_font_program], ids=lambda f: f.__name__
)
def test_a_bomb_pdfium_would_inflate_is_refused_before_pdfium_opens_the_file(
    tmp_path, build, pdfium_calls
):
    (tmp_path / "bomb.pdf").write_bytes(build())
    facts = read(tmp_path, "bomb.pdf")
    assert facts.error == BOMB_REASON
    assert pdfium_calls == []


def test_a_page_without_a_bomb_goes_to_pdfium(tmp_path, pdfium_calls):
    (tmp_path / "fine.pdf").write_bytes(
        pdf_objects(
            [
                *_CATALOG,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                b" /Resources << /Font << /F1 5 0 R >> >> >>",
                _stream(_TEXT),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            ]
        )
    )
    facts = read(tmp_path, "fine.pdf")
    assert facts.error is None
    assert len(pdfium_calls) == 1
    assert "Date approved: 12 March 2015" in facts.text()


# -- small files: PDFium alone when the bytes prove there is no bomb ---------------------------


def _page_with_content(content: bytes) -> bytes:
    return pdf_objects(
        [
            *_CATALOG,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def _double_deflate(data: bytes, filter_entry: bytes) -> bytes:
    packed = zlib.compress(zlib.compress(data, 9), 9)
    return b"<< /Length %d %s >>\nstream\n" % (len(packed), filter_entry) + packed + b"\nendstream"


def test_a_small_pdf_is_read_by_pdfium_alone_with_the_facts_pypdf_would_give(tmp_path, monkeypatch):
    make_pdf(tmp_path / "a.pdf", ["Date approved: 12 March 2015"], title="LADO annual report")
    assert pdf_reader._cannot_inflate_past_limit((tmp_path / "a.pdf").read_bytes())
    with monkeypatch.context() as guard_only:
        guard_only.setattr(pdf_reader, "_read_small", lambda data: None)
        guarded = read(tmp_path, "a.pdf")

    def no_pypdf(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("pypdf was asked to parse a file PDFium reads alone")

    from annexa.reading.pdf import guarded as pdf_guarded

    monkeypatch.setattr(pdf_guarded, "PdfReader", no_pypdf)
    alone = read(tmp_path, "a.pdf")
    assert alone.error is None
    assert alone == guarded


def test_a_small_file_whose_filters_chain_to_a_bomb_is_refused_before_pdfium_opens_it(
    tmp_path, pdfium_calls
):
    content = _double_deflate(_TEXT + _BOMB, b"/Filter [/FlateDecode /FlateDecode]")
    data = _page_with_content(content)
    assert len(data) < 50_000  # small enough for PDFium alone, but for its filters
    (tmp_path / "chain.pdf").write_bytes(data)
    assert read(tmp_path, "chain.pdf").error == BOMB_REASON
    assert pdfium_calls == []


@pytest.mark.parametrize(
    "filter_entry",
    [
        b"/F#69lter [/FlateDecode /FlateDecode]",  # the key hidden by an escaped name
        b"/Filter 6 0 R",  # the filters in another object
    ],
    ids=["escaped-name", "indirect"],
)
def test_filters_the_bytes_do_not_show_leave_the_file_to_the_guard(
    tmp_path, pdfium_calls, filter_entry
):
    objects = [
        *_CATALOG,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _double_deflate(_TEXT + _BOMB, filter_entry),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"[/FlateDecode /FlateDecode]",
    ]
    data = pdf_objects(objects)
    assert not pdf_reader._cannot_inflate_past_limit(data)
    (tmp_path / "hidden.pdf").write_bytes(data)
    assert read(tmp_path, "hidden.pdf").error == BOMB_REASON
    assert pdfium_calls == []


def test_ascii85_counts_four_bytes_for_each_z():
    # "z" is four zero bytes: ASCII85 then deflate can reach 4 x 1032 the raw size.
    def file_with(data: bytes) -> bytes:
        return _page_with_content(
            b"<< /Length %d /Filter [/ASCII85Decode /FlateDecode] >>\nstream\n" % len(data)
            + data
            + b"\nendstream"
        )

    zeros = file_with(b"z" * 20_000)
    assert not pdf_reader._cannot_inflate_past_limit(zeros)
    assert pdf_reader._cannot_inflate_past_limit(zeros.replace(b"/ASCII85Decode ", b""))
    assert pdf_reader._cannot_inflate_past_limit(file_with(b"!u" * 10_000))


def test_encrypted_files_object_streams_and_xmp_take_the_guarded_path():
    plain = _page_with_content(_stream(_TEXT))
    assert pdf_reader._cannot_inflate_past_limit(plain)
    for marker in (b"/Encrypt", b"/ObjStm", b"/Metadata", b"/Obj#53tm"):
        assert not pdf_reader._cannot_inflate_past_limit(plain.replace(b"/Helvetica", marker))


def test_pypdf_is_loaded_only_by_a_pdf_that_needs_the_guard(tmp_path):
    # A reader process starts with the readers preloaded but not pypdf, its
    # largest import: a share of Word files and small PDFs never pays for it.
    import subprocess
    import sys
    import textwrap

    make_pdf(tmp_path / "small.pdf", ["Date approved: 12 March 2015"])
    # "/Metadata" (XMP) is one of the things only the guarded path reads.
    (tmp_path / "guarded.pdf").write_bytes(pdf_objects([b"<< /Type /Catalog /Metadata 9 0 R >>"]))
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from annexa.reading.read import READER_MODULES, read_facts
        from annexa.finding.walk import stat_entry
        for name in READER_MODULES:
            __import__(name)
        import annexa.reading.worker_job
        root = Path(sys.argv[1])
        loaded = ["pypdf" in sys.modules]
        small = read_facts(root, stat_entry(root, "small.pdf"))
        loaded.append("pypdf" in sys.modules)
        read_facts(root, stat_entry(root, "guarded.pdf"))
        loaded.append("pypdf" in sys.modules)
        print(small.error, loaded)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["None", "[False,", "False,", "True]"]


def _read_by(path: str, root: Path, name: str, engine, monkeypatch):  # type: ignore[no-untyped-def]
    """Read one PDF the way ``path`` says: PDFium alone, the guard then PDFium, or pypdf."""
    if path == "pypdf":
        engine("pypdf")
    elif path == "guarded":
        monkeypatch.setattr(pdf_reader, "_read_small", lambda data: None)
    return read(root, name)


READING_PATHS = ["pdfium alone", "guarded", "pypdf"]


@pytest.mark.parametrize("path", READING_PATHS)
def test_the_third_page_is_skipped_when_the_first_two_hold_both_dates(
    tmp_path, engine, monkeypatch, path
):
    make_pdf(
        tmp_path / "plan.pdf",
        pages=[
            ["Date approved: 12 March 2015"],
            ["Next review: March 2016"],
            ["Page three"],
            ["4"],
        ],
    )
    facts = _read_by(path, tmp_path, "plan.pdf", engine, monkeypatch)
    assert facts.pages == 4
    assert [b.page for b in facts.blocks if b.where == "body"] == [1, 2]


@pytest.mark.parametrize("path", READING_PATHS)
def test_a_control_table_after_a_cover_and_a_contents_page_dates_the_document(
    tmp_path, engine, monkeypatch, path
):
    make_pdf(
        tmp_path / "fostering.pdf",
        pages=[
            ["Fostering Service", "Annual Report"],
            ["Contents", "1 Introduction    4", "2 Recruitment    6"],
            ["Document control", "Date approved: 12 March 2015", "Next review: March 2016"],
            ["1 Introduction"],
        ],
    )
    facts = _read_by(path, tmp_path, "fostering.pdf", engine, monkeypatch)
    assert [b.page for b in facts.blocks if b.where == "body"] == [1, 2, 3]
    dates = read_dates(facts, "fostering.pdf", DatingOptions(), 0)
    found = [(d.kind, d.value.isoformat(), d.page) for d in dates.issue + dates.expiry]
    assert ("issue", "2015-03-12", 3) in found
    assert ("expiry", "2016-03-31", 3) in found


@pytest.mark.parametrize("path", READING_PATHS)
def test_the_third_page_is_read_when_the_first_two_hold_only_an_issue_date(
    tmp_path, engine, monkeypatch, path
):
    make_pdf(
        tmp_path / "plan.pdf",
        pages=[["Date approved: 12 March 2015"], ["Summary"], ["Review date: March 2016"], ["4"]],
    )
    facts = _read_by(path, tmp_path, "plan.pdf", engine, monkeypatch)
    dates = read_dates(facts, "plan.pdf", DatingOptions(), 0)
    expiry = [(d.value.isoformat(), d.page) for d in dates.expiry]
    assert expiry == [("2016-03-31", 3)]
