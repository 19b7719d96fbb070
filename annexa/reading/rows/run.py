"""Run a sheet's rows through its RowChecker, within a bound, and keep what it found."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from annexa.model import Sheet
from annexa.reading.rows.checker import RowChecker

MAX_ROWS_CHECKED = 500_000
"""Rows checked in one sheet: a longer list is judged on these first rows, inside
the reader's time limit, and the report says where checking stopped."""


def feed(
    checker: RowChecker,
    rows: Iterable[tuple[int, Sequence[object]]],
    budget: int = MAX_ROWS_CHECKED,
) -> None:
    """Hand each (row number, cells) to the checker, stopping after ``budget`` rows."""
    for seen, (number, cells) in enumerate(rows, start=1):
        checker.add(number, cells)
        if seen >= budget:
            checker.cut_short = True
            return


def checked_sheet(sheet: Sheet, checker: RowChecker) -> Sheet:
    """The sheet with what its rows' check found: nothing from a cell."""
    window, window_more = checker.window()
    return dataclasses.replace(
        sheet,
        data_rows=checker.data_rows,
        checked=True,
        checked_to=checker.last_row if checker.cut_short else None,
        problems=checker.problems(),
        window=window,
        window_more=window_more,
        events=checker.events(),
    )
