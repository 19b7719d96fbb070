"""Walking ROOT: ignore rules, links, and faults recorded as data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annexa.finding.ignore import is_ignored_file
from annexa.finding.walk import RootMissingError, scan_tree, stat_entry


def touch(root: Path, rel: str, data: bytes = b"x") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name",
    [
        "~$Self evaluation.docx",  # Word's owner file beside an open document
        ".~lock.Structure chart.docx#",  # LibreOffice's lock
        "~WRL0001.tmp",  # Word's save dance
        "download.pdf.crdownload",
        "report.pdf.part",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        ".hidden.pdf",
    ],
)
def test_lock_temporary_hidden_and_system_files_are_ignored(tmp_path, name):
    touch(tmp_path, name)
    touch(tmp_path, "Real.pdf")
    assert is_ignored_file(name)
    assert list(scan_tree(tmp_path).files) == ["Real.pdf"]


def test_hidden_folders_are_not_walked(tmp_path):
    touch(tmp_path, ".git/objects/x.pdf")
    touch(tmp_path, "Docs/a.pdf")
    assert list(scan_tree(tmp_path).files) == ["Docs/a.pdf"]


def test_paths_are_relative_with_forward_slashes_and_carry_size_and_mtime(tmp_path):
    path = touch(tmp_path, "A/B/c.pdf", b"12345")
    os.utime(path, ns=(1_000_000_000, 1_500_000_000_000_000_000))
    entry = scan_tree(tmp_path).files["A/B/c.pdf"]
    assert (entry.size, entry.mtime_ns, entry.extension, entry.name) == (
        5,
        1_500_000_000_000_000_000,
        "pdf",
        "c.pdf",
    )


def test_links_out_of_root_are_never_followed(tmp_path):
    outside = tmp_path / "outside"
    touch(outside, "secret.pdf")
    root = tmp_path / "root"
    touch(root, "in.pdf")
    (root / "link-dir").symlink_to(outside, target_is_directory=True)
    (root / "link-file.pdf").symlink_to(outside / "secret.pdf")
    assert list(scan_tree(root).files) == ["in.pdf"]


def test_links_inside_root_are_followed_and_loops_survived(tmp_path):
    touch(tmp_path, "Docs/a.pdf")
    (tmp_path / "Docs" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "Alias").symlink_to(tmp_path / "Docs", target_is_directory=True)
    files = scan_tree(tmp_path).files
    assert "Docs/a.pdf" in files
    assert len(files) <= 2  # each folder is listed once, whatever the links say


def test_a_folder_that_cannot_be_listed_is_recorded_and_the_rest_is_listed(tmp_path, monkeypatch):
    touch(tmp_path, "Open/a.pdf")
    touch(tmp_path, "Locked/b.pdf")
    real_scandir = os.scandir

    def scandir(path):  # root may read anything, so refuse one folder the way a share would
        if str(path).endswith("Locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    inventory = scan_tree(tmp_path)
    assert list(inventory.files) == ["Open/a.pdf"]
    assert [(e.file, e.error) for e in inventory.errors] == [
        ("Locked", "folder cannot be listed: permission denied")
    ]


def test_missing_root_is_the_only_fatal_case(tmp_path):
    with pytest.raises(RootMissingError):
        scan_tree(tmp_path / "nope")
    touch(tmp_path, "file.pdf")
    with pytest.raises(RootMissingError):
        scan_tree(tmp_path / "file.pdf")


def test_stat_entry_sees_changes_and_disappearances(tmp_path):
    touch(tmp_path, "a.pdf", b"1")
    assert stat_entry(tmp_path, "a.pdf").size == 1
    touch(tmp_path, "a.pdf", b"123")
    assert stat_entry(tmp_path, "a.pdf").size == 3
    (tmp_path / "a.pdf").unlink()
    assert stat_entry(tmp_path, "a.pdf") is None
    touch(tmp_path, "~$a.docx")
    assert stat_entry(tmp_path, "~$a.docx") is None
