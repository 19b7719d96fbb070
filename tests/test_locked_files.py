"""A document open in Word on Windows is "in use", not damaged, and is read again.

Windows refuses to open a file another program holds with a sharing
violation (winerror 32) or a lock violation (33). Linux has no such locks,
so the operating system's answer is simulated: ``open_read_only`` raises
the OSError Windows raises, for as long as the test says the file is open.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import annexa.reading.files as files_module
from annexa.formats.text import render
from annexa.model import Status
from annexa.model.failures import FailureKind
from annexa.pipeline import Scanner
from annexa.reading.inline import InlineExtractor
from annexa.spec import load_spec
from tests.makedocs import make_docx

SPEC = """\
[spec]
name = "Test Annex A"

[[item]]
id = "A1"
title = "Self-evaluation"
patterns = ["**/*self*eval*"]
"""

AS_OF = dt.date(2015, 9, 16)
DOCUMENT = "Self evaluation 2015.docx"


class WordHoldsIt:
    """Stands in for Windows while Word has the document open: ``open_read_only`` fails."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, winerror: int = 32) -> None:
        self.open = True
        self.tries = 0
        self.winerror = winerror
        real = files_module.open_read_only

        def open_read_only(path):  # type: ignore[no-untyped-def]
            if Path(path).name == DOCUMENT:
                self.tries += 1
                if self.open:
                    error = PermissionError(13, "Permission denied", str(path))
                    error.winerror = self.winerror  # type: ignore[attr-defined]
                    raise error
            return real(path)

        monkeypatch.setattr(files_module, "open_read_only", open_read_only)
        monkeypatch.setattr(files_module, "LOCKED_WAITS", (0.0, 0.0))


@pytest.fixture
def scanner(tmp_path: Path) -> Scanner:
    root = tmp_path / "share"
    make_docx(root / DOCUMENT, ["Self-evaluation", "Date approved: 12 March 2015"])
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(SPEC, encoding="utf-8")
    return Scanner(root, load_spec(spec_file), extractor=InlineExtractor())


@pytest.mark.parametrize("winerror", [32, 33])
def test_a_locked_document_is_reported_in_use_not_damaged(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch, winerror: int
) -> None:
    word = WordHoldsIt(monkeypatch, winerror)
    scanner.full_scan()
    report = scanner.report(AS_OF)
    (item,) = report.items
    assert item.status is Status.UNREADABLE
    assert "is open in another program" in item.reason
    assert "Close it there" in item.action
    (error,) = report.errors
    assert error.kind is FailureKind.LOCKED
    assert error.error == "in use by another program (close it there)"
    text = render(report)
    assert "damaged" not in text and "Save a copy" not in text
    assert word.tries == 3  # tried, then twice more after a moment


def test_a_lock_let_go_within_a_moment_is_read_in_the_same_scan(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    word = WordHoldsIt(monkeypatch)
    real_sleep_calls: list[float] = []

    def word_closes_it(seconds: float) -> None:
        real_sleep_calls.append(seconds)
        word.open = False

    monkeypatch.setattr(files_module.time, "sleep", word_closes_it)
    scanner.full_scan()
    (item,) = scanner.report(AS_OF).items
    assert item.status is Status.OK
    assert (word.tries, len(real_sleep_calls)) == (2, 1)


def test_a_locked_document_is_read_again_at_the_next_look_though_unchanged(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    word = WordHoldsIt(monkeypatch)
    scanner.full_scan()
    assert scanner.report(AS_OF).items[0].status is Status.UNREADABLE
    word.open = False  # Word closed it: the file's size and time are as before
    scanner.full_scan()
    report = scanner.report(AS_OF)
    assert report.items[0].status is Status.OK
    assert report.errors == ()


def test_a_damaged_document_is_not_read_again_when_unchanged(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    (scanner.root / DOCUMENT).write_bytes(b"not a Word document")
    scanner.full_scan()
    assert scanner.report(AS_OF).items[0].status is Status.UNREADABLE
    reads: list[str] = []
    real = files_module.open_read_only
    monkeypatch.setattr(
        files_module, "open_read_only", lambda path: reads.append(str(path)) or real(path)
    )
    scanner.full_scan()
    assert reads == []
