"""What the live view lists and in what order, and how its columns share the width: pure rules."""

from __future__ import annotations

import pytest
from textual.color import Color

from annexa.model import Status
from annexa.tui import columns
from annexa.tui.palette import contrast
from annexa.tui.views import Filter, Sort, View, keep_places, row_keys, visible
from tests.watch_fakes import sample_report


def test_rows_keep_their_places_and_a_new_row_lands_after_its_neighbour() -> None:
    before = ["§A", "a1", "a2", "§B", "b1"]
    fresh = ["§B", "b1", "b2", "§A", "a2", "a1"]  # B is now more urgent, b2 is new
    assert keep_places(before, fresh) == ["§A", "a1", "a2", "§B", "b1", "b2"]


def test_rows_that_go_are_dropped_and_a_new_first_row_goes_first() -> None:
    assert keep_places(["x", "y", "z"], ["new", "z", "x"]) == ["new", "x", "z"]


def test_needs_action_view_holds_exactly_the_items_that_need_action() -> None:
    report = sample_report()
    shown = visible(report, View.NEEDS_ACTION, Filter(), "")
    assert [item.id for item in shown] == [i.id for i in report.items if i.needs_action]
    assert {item.status for item in shown} == {
        Status.OUT_OF_DATE, Status.DUE_SOON, Status.MISSING, Status.UNREADABLE, Status.DRAFT
    }  # fmt: skip


def test_filters_combine_state_and_owner() -> None:
    report = sample_report()
    assert [
        i.id for i in visible(report, View.EVERYTHING, Filter(owner="IRO service manager"), "")
    ] == ["A7"]
    assert visible(report, View.EVERYTHING, Filter(Status.OK, "IRO service manager"), "") == []


def test_coming_up_is_by_date_whatever_the_sort() -> None:
    report = sample_report()
    items = visible(report, View.COMING_UP, Filter(), "")
    assert row_keys(items, Sort.SECTION, View.COMING_UP) == ["A3", "A2"]


@pytest.mark.parametrize("width", [80, 100, 120, 160, 200])
def test_columns_fill_the_width_and_no_more(width: int) -> None:
    laid = columns.layout(width)
    used = sum(c.width + 2 * columns.CELL_PADDING for c in laid) + 2
    assert used == width
    by_key = {c.key: c for c in laid}
    assert by_key["title"].width >= columns.TITLE_MIN
    assert by_key["file"].width >= columns.FILE_MIN
    assert ("date" in by_key) == (width >= columns.DATED_FROM)


def test_titles_grow_with_the_window() -> None:
    widths = [next(c.width for c in columns.layout(w) if c.key == "title") for w in (80, 120, 200)]
    assert widths == sorted(widths) and widths[-1] >= 60


def test_contrast_is_wcag_contrast() -> None:
    assert round(contrast(Color(0, 0, 0), Color(255, 255, 255)), 1) == 21.0
    assert contrast(Color(119, 119, 119), Color(255, 255, 255)) == pytest.approx(4.48, abs=0.01)
