"""Snapshots of the watch screen: what a user sees, fixed date and clock, no real folder needed.

Update them with ``pytest tests/test_tui_snapshots.py --snapshot-update`` after a
deliberate change of the screen, and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from annexa.tui.app import SessionMessage, WatchStateMessage
from annexa.watch.session import SpecInvalid
from annexa.watch.watcher import WatchState
from tests.tui_helpers import SIZE, first_report, make_app


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A relative ROOT, as a user types it, so the header is the same on every run."""
    monkeypatch.chdir(tmp_path)
    return Path("annex")


async def _ready(pilot) -> None:
    await first_report(pilot)


SIZES = [(80, 24), (120, 30), SIZE]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_main_screen(snap_compare, root: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(root), terminal_size=size, run_before=_ready)


@pytest.mark.parametrize("theme", ["annexa-light", "annexa-high-contrast"])
def test_themes(snap_compare, root: Path, theme: str) -> None:
    async def themed(pilot) -> None:
        await _ready(pilot)
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(make_app(root), terminal_size=(120, 30), run_before=themed)


def test_needs_action_at_80_columns(snap_compare, root: Path) -> None:
    assert snap_compare(make_app(root), terminal_size=(80, 24), run_before=_ready, press=["n"])


def test_full_list_at_80_columns(snap_compare, root: Path) -> None:
    assert snap_compare(make_app(root), terminal_size=(80, 24), run_before=_ready, press=["z"])


def test_detail_of_an_item_with_a_markup_like_file_name(snap_compare, root: Path) -> None:
    async def select_a3(pilot) -> None:
        await _ready(pilot)
        table = pilot.app.query_one("#items", DataTable)
        table.move_cursor(row=table.get_row_index("A3"))
        await pilot.pause()

    assert snap_compare(make_app(root), terminal_size=SIZE, run_before=select_a3)


def test_unreachable_folder_and_invalid_spec(snap_compare, root: Path) -> None:
    async def trouble(pilot) -> None:
        await _ready(pilot)
        pilot.app.post_message(
            WatchStateMessage(
                WatchState(
                    "unreachable",
                    "the folder cannot be reached: the folder is not there",
                    "the folder is not there",
                )
            )
        )
        pilot.app.post_message(
            SessionMessage(SpecInvalid(("annexa.toml:12: item 'A7': 'patern' is not a known key",)))
        )
        await pilot.pause()

    assert snap_compare(make_app(root), terminal_size=SIZE, run_before=trouble)


def test_help_screen(snap_compare, root: Path) -> None:
    assert snap_compare(
        make_app(root), terminal_size=SIZE, run_before=_ready, press=["question_mark"]
    )
