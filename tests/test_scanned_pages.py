"""Scanned first pages: named plainly as scans, and read by OCR where the extra is installed.

The scans are made here: text typeset by reportlab, rendered to a grey bitmap
by PDFium, and the bitmap alone put on a page (``tests.makedocs.make_scanned_pdf``).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from annexa.cache.store import open_cache
from annexa.dating import read_dates
from annexa.judging.items import evaluate
from annexa.model import Facts, FileEntry, Status
from annexa.pipeline import scan
from annexa.reading.pdf import ocr
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.read import read_facts
from annexa.spec import load_spec
from annexa.spec.rules import DatingOptions
from tests.makedocs import make_pdf, make_scanned_pdf
from tests.test_cache import CountingExtractor

COVER = ((24, "Anyshire Fostering Service"), (20, "Statement of Purpose"), (16, "December 2008"))
AS_OF = dt.date(2015, 9, 16)
SPEC = """\
[spec]
name = "scans"
[defaults]
formats = ["pdf"]
date_sources = ["content"]
[[item]]
id = "S1"
title = "Statement of purpose"
patterns = ["**/*"]
max_age = "12 months"
"""
needs_ocr = pytest.mark.skipif(
    not ocr.available(),
    reason="the OCR extra is not installed (pip install 'annexa[ocr]'): scans cannot be read",
)


@pytest.fixture
def without_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)


def _facts(path: Path) -> Facts:
    stat = path.stat()
    return read_facts(path.parent, FileEntry(path.name, stat.st_size, stat.st_mtime_ns))


def _judged(tmp_path: Path, path: Path, facts: Facts):  # type: ignore[no-untyped-def]
    (tmp_path / "spec.toml").write_text(textwrap.dedent(SPEC), encoding="utf-8")
    spec = load_spec(tmp_path / "spec.toml")
    entry = FileEntry(path.name, facts.size, facts.mtime_ns)
    (item,) = evaluate(spec, {entry.path: entry}, {entry.path: facts}, AS_OF).items
    return item


def test_a_scanned_first_page_is_named_as_a_scan_not_as_undated_text(tmp_path, without_ocr):
    path = make_scanned_pdf(tmp_path / "docs" / "Statement of purpose.pdf", COVER)
    facts = _facts(path)
    assert (facts.error, facts.scan) == (None, "image")
    assert [b for b in facts.blocks if b.where == "body"] == []
    item = _judged(tmp_path, path, facts)
    assert item.status is Status.UNDATED
    assert item.reason == (
        "Statement of purpose.pdf is a scanned image with no text: annexa cannot read its "
        "date; put the date in its file name."
    )
    assert "no date was found in its text" not in item.reason


def test_a_scanned_cover_before_pages_of_text_is_named_too(tmp_path, without_ocr):
    cover = make_scanned_pdf(tmp_path / "cover.pdf", COVER)
    from pypdf import PdfReader, PdfWriter

    text = make_pdf(tmp_path / "text.pdf", ["1. Introduction", "The service approves carers."])
    writer = PdfWriter()
    for page in [*PdfReader(cover).pages, *PdfReader(text).pages]:
        writer.add_page(page)
    path = tmp_path / "docs" / "Statement of purpose.pdf"
    path.parent.mkdir()
    with path.open("wb") as out:
        writer.write(out)
    facts = _facts(path)
    assert facts.scan == "image"
    item = _judged(tmp_path, path, facts)
    assert item.status is Status.UNDATED
    assert item.reason.startswith("The first page of Statement of purpose.pdf is a scanned image")


def test_a_blank_first_page_is_no_scan(tmp_path, without_ocr):
    path = make_pdf(tmp_path / "blank.pdf", pages=[[], ["Statement of Purpose", "December 2008"]])
    assert _facts(path).scan is None


def test_a_page_with_text_is_no_scan(tmp_path):
    path = make_pdf(tmp_path / "typed.pdf", ["Statement of Purpose", "December 2008"])
    facts = _facts(path)
    assert facts.scan is None and not any(b.ocr for b in facts.blocks)


def test_scan_state_and_ocr_marks_survive_the_codec_of_the_pipe_and_the_cache():
    import json

    from annexa.model import TextBlock
    from annexa.model.codec import decode, encode

    marked = Facts(
        "a.pdf", 1, 2, "pdf", scan="ocr", blocks=(TextBlock("body", 1, "December 2008", ocr=True),)
    )
    plain = Facts("a.pdf", 1, 2, "pdf", blocks=(TextBlock("body", 1, "December 2008"),))
    for facts in (marked, plain):
        assert decode(Facts, json.loads(json.dumps(encode(facts)))) == facts


@needs_ocr
def test_with_the_ocr_extra_a_scanned_cover_is_read_and_dated(tmp_path):
    path = make_scanned_pdf(tmp_path / "docs" / "Statement of purpose.pdf", COVER)
    facts = _facts(path)
    assert facts.scan == "ocr"
    (block,) = [b for b in facts.blocks if b.where == "body"]
    assert block.ocr and block.page == 1 and "December 2008" in block.text
    dates = read_dates(facts, path.name, DatingOptions(date_sources=("content",)), 0)
    (found,) = dates.issue
    assert (found.value, found.precision, found.where) == (
        dt.date(2008, 12, 31),
        "month",
        "scan (OCR)",
    )
    item = _judged(tmp_path, path, facts)
    assert (item.status, item.date, item.expires) == (
        Status.OUT_OF_DATE,
        dt.date(2008, 12, 31),
        dt.date(2009, 12, 31),
    )
    assert item.evidence is not None and item.evidence.where == "scan (OCR)"


@needs_ocr
def test_ocr_runs_inside_the_reader_worker_under_its_memory_cap(tmp_path):
    path = make_scanned_pdf(tmp_path / "Statement of purpose.pdf", COVER)
    stat = path.stat()
    entry = FileEntry(path.name, stat.st_size, stat.st_mtime_ns)
    pool = WorkerPoolExtractor(timeout=60.0)
    try:
        facts = pool.extract(tmp_path, [entry])[entry.path]
    finally:
        pool.close()
    assert (facts.error, facts.scan) == (None, "ocr")
    assert any(b.ocr and "December 2008" in b.text for b in facts.blocks)


@needs_ocr
def test_an_ocr_failure_leaves_the_plain_scan_message(tmp_path, monkeypatch):
    def broken(pixels: object) -> str:
        raise RuntimeError("bad_alloc")

    monkeypatch.setattr(ocr, "read_pixels", broken)
    path = make_scanned_pdf(tmp_path / "docs" / "Statement of purpose.pdf", COVER)
    facts = _facts(path)
    assert facts.scan == "ocr-failed"
    assert "is a scanned image with no text" in _judged(tmp_path, path, facts).reason


def test_a_scan_cached_before_the_extra_was_installed_is_read_again(tmp_path, monkeypatch):
    pytest.importorskip("numpy", reason="PDFium hands a rendered page over as a numpy array")
    root = tmp_path / "share"
    make_scanned_pdf(root / "Statement of purpose.pdf", COVER)
    (tmp_path / "spec.toml").write_text(textwrap.dedent(SPEC), encoding="utf-8")
    spec = load_spec(tmp_path / "spec.toml")

    def run() -> tuple[list[str], Status]:
        reading = CountingExtractor()
        report = scan(root, spec, AS_OF, extractor=reading, cache=open_cache(tmp_path / "cache"))
        return reading.read, report.items[0].status

    monkeypatch.setattr(ocr, "available", lambda: False)
    assert run() == (["Statement of purpose.pdf"], Status.UNDATED)
    assert run() == ([], Status.UNDATED)  # cached: nothing read
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "read_pixels", lambda pixels: "Statement of Purpose\nDecember 2008")
    assert run() == (["Statement of purpose.pdf"], Status.OUT_OF_DATE)
    assert run() == ([], Status.OUT_OF_DATE)  # the OCR text is cached like any other facts


@needs_ocr
def test_ocr_loads_its_models_without_the_network(tmp_path, monkeypatch):
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    ocr._engine.cache_clear()  # build the engine, and so load the models, under the patch
    try:
        path = make_scanned_pdf(tmp_path / "Statement of purpose.pdf", COVER)
        assert _facts(path).scan == "ocr"
    finally:
        ocr._engine.cache_clear()
