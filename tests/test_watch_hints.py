"""Events are hints: which paths they make dirty, and which they must not."""

from __future__ import annotations

import os

import pytest

from annexa.watch.hints import hint_for_event

ROOT = os.path.abspath("annex")


def at(*parts: str) -> str:
    return os.path.join(ROOT, *parts)


def test_word_save_dance_marks_the_real_document_dirty() -> None:
    hint = hint_for_event("moved", False, at("~WRL0001.tmp"), at("Report.docx"), ROOT)
    assert hint.paths == {"Report.docx"}


def test_both_ends_of_a_rename_are_dirty() -> None:
    hint = hint_for_event("moved", False, at("Old", "a.pdf"), at("New", "b.pdf"), ROOT)
    assert hint.paths == {"Old/a.pdf", "New/b.pdf"}


@pytest.mark.parametrize(
    "name", ["~$Report.docx", "~WRL0001.tmp", "x.crdownload", "Thumbs.db", ".~lock.a.odt#"]
)
def test_lock_and_temporary_files_wake_nothing(name: str) -> None:
    assert not hint_for_event("created", False, at(name), "", ROOT)
    assert not hint_for_event("deleted", False, at(name), "", ROOT)


@pytest.mark.parametrize("event_type", ["opened", "closed", "closed_no_write"])
def test_annexas_own_reads_wake_nothing(event_type: str) -> None:
    assert not hint_for_event(event_type, False, at("Report.docx"), "", ROOT)


def test_a_folder_created_moved_or_deleted_asks_for_a_full_walk() -> None:
    assert hint_for_event("created", True, at("Leadership"), "", ROOT).rescan
    assert hint_for_event("deleted", True, at("Leadership"), "", ROOT).rescan
    assert hint_for_event("moved", True, at("A"), at("B"), ROOT).rescan


def test_folder_modified_events_add_nothing() -> None:
    assert not hint_for_event("modified", True, at("Leadership"), "", ROOT)


def test_hidden_folders_are_not_watched() -> None:
    assert not hint_for_event("created", True, at(".git", "objects"), "", ROOT)
    assert not hint_for_event("modified", False, at(".git", "index"), "", ROOT)


def test_paths_outside_root_are_dropped() -> None:
    assert not hint_for_event("modified", False, os.path.abspath("elsewhere.pdf"), "", ROOT)


def test_bytes_paths_are_understood() -> None:
    hint = hint_for_event("modified", False, os.fsencode(at("Report.docx")), b"", ROOT)
    assert hint.paths == {"Report.docx"}
