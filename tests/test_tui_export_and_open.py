"""Saving what is on screen, and opening files: the parts that touch the user's computer."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annexa.tui.export import (
    ExportRefused,
    default_export_path,
    documents_folder,
    report_of,
    write_export,
)
from annexa.tui.opener import open_with_viewer
from tests.watch_fakes import sample_report

AS_OF = dt.date(2015, 9, 16)


def test_documents_folder_follows_the_desktop_settings_on_linux(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "Dokumente").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text(
        '# written by xdg-user-dirs-update\nXDG_DOCUMENTS_DIR="$HOME/Dokumente"\n',
        encoding="utf-8",
    )
    assert documents_folder(home=home, platform="linux", environ={}) == home / "Dokumente"


def test_documents_folder_is_documents_else_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    assert documents_folder(home=home, platform="darwin", environ={}) == home
    (home / "Documents").mkdir()
    assert documents_folder(home=home, platform="darwin", environ={}) == home / "Documents"
    assert documents_folder(home=home, platform="linux", environ={}) == home / "Documents"


def test_default_path_never_inside_root(tmp_path: Path) -> None:
    root = tmp_path / "share"
    documents = root / "Documents"  # a Documents folder inside the checked folder
    documents.mkdir(parents=True)
    home = tmp_path / "home"
    path = default_export_path(root, "csv", AS_OF, documents=documents, home=home)
    assert path == home / "annexa-report-2015-09-16.csv"


def test_export_never_replaces_a_file_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("mine", encoding="utf-8")
    report = sample_report()
    with pytest.raises(ExportRefused, match="already exists"):
        write_export(report, "markdown", target, tmp_path / "share")
    assert target.read_text(encoding="utf-8") == "mine"
    write_export(report, "markdown", target, tmp_path / "share", replace=True)
    assert target.read_text(encoding="utf-8") != "mine"


def test_csv_export_starts_with_a_byte_order_mark_like_annexa_scan(tmp_path: Path) -> None:
    written = write_export(sample_report(), "csv", tmp_path / "r.csv", tmp_path / "share")
    data = written.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    html = write_export(sample_report(), "html", tmp_path / "r.html", tmp_path / "share")
    assert not html.read_bytes().startswith(b"\xef\xbb\xbf")


def test_report_of_the_view_keeps_only_the_items_shown() -> None:
    report = sample_report()
    shown = [item for item in report.items if item.needs_action]
    narrowed = report_of(report, shown)
    assert [item.id for item in narrowed.items] == ["A1", "A3", "A7", "A9", "A10"]
    assert narrowed.unmatched == report.unmatched and narrowed.errors == report.errors


@pytest.mark.skipif(sys.platform == "win32", reason="os.startfile leaves no child process")
def test_opening_a_file_leaves_no_defunct_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "Report.pdf"
    document.write_bytes(b"%PDF-1.4\n")
    children: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):  # type: ignore[no-untyped-def]
        child = real_popen(*args, **kwargs)
        children.append(child)
        return child

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    for _ in range(5):  # every `o` starts a launcher that exits at once, as xdg-open does
        assert open_with_viewer(document, launcher="true") is None
    assert len(children) == 5
    deadline = time.monotonic() + 10
    while any(child.returncode is None for child in children):
        assert time.monotonic() < deadline, "a launcher was never waited for"
        time.sleep(0.02)
    for child in children:
        assert not Path(f"/proc/{child.pid}").exists() or _state(child.pid) != "Z"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def test_opening_a_file_that_is_gone_says_so(tmp_path: Path) -> None:
    assert open_with_viewer(tmp_path / "gone.pdf") == "gone.pdf is no longer there."


def test_opening_without_a_launcher_installed_says_so(tmp_path: Path) -> None:
    document = tmp_path / "Report.pdf"
    document.write_bytes(b"x")
    problem = open_with_viewer(document, launcher=os.path.join(str(tmp_path), "no-such-program"))
    assert problem is not None and "No program to open files" in problem
