"""Helpers for the Textual tests of ``annexa watch``: a fixed clock and waiting without sleeping blind."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from annexa.model import Report
from annexa.tui.app import WatchApp
from tests.watch_fakes import AS_OF, ReportScanner, sample_report

NOON = dt.datetime(2015, 9, 16, 12, 0)
SIZE = (160, 45)


def make_app(root: Path, make: Callable[[dt.date], Report] = sample_report, **options) -> WatchApp:
    root.mkdir(parents=True, exist_ok=True)
    scanner = options.pop("scanner", None) or ReportScanner(root, make)
    settings = {
        "spec_label": "Ofsted ILACS Annex A documents",
        "as_of": AS_OF,
        "watch": False,
        "clock": lambda: NOON,
    }
    settings.update(options)
    return WatchApp(root, scanner, **settings)


async def until(
    pilot, predicate: Callable[[], object], timeout: float = 15.0, what: str = ""
) -> None:
    """Let the app run until ``predicate()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.02)


def cursor_placed(app: WatchApp) -> bool:
    """The first report is drawn and the cursor sits on the selected row."""
    from textual.widgets import DataTable

    if app.report is None or app._placing:
        return False
    table = app.query_one("#items", DataTable)
    if not table.row_count:
        return True
    row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    # rows added and sorted, widths and heights settled (DataTable does this
    # when idle), and the table shown from its top
    return row == app.selected and not table._require_update_dimensions and table.scroll_y == 0


async def first_report(pilot) -> None:
    await until(pilot, lambda: cursor_placed(pilot.app), what="the first report")
    await pilot.pause()


def sync(test):
    """Run an async Textual test without an async pytest plugin (none is installed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper
