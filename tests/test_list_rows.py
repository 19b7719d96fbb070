"""The lists as councils make them, judged end to end: layouts, missing and swapped tabs, row errors.

Workbooks and CSV files are generated (tests/council_lists.py) the way
councils' systems and staff produce them, then scanned by the real
pipeline under the bundled ``ilacs-lists`` spec on the first day of an
inspection. Clean lists must be in date with no row problems however they
are laid out; planted errors must be named at their rows, and only there.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from annexa.formats import get_formatter
from annexa.model import ItemResult, Report, Status
from annexa.pipeline import Scanner, read_function, scan
from annexa.reading.inline import InlineExtractor
from annexa.reading.pool import WorkerPoolExtractor
from annexa.schemas import load_schema
from annexa.spec import load_spec
from tests.council_lists import (
    AS_OF,
    LIST_IDS,
    MADE,
    SPEC,
    Layout,
    Lists,
    all_lists,
    expected_rows,
    make_rows,
    plant_27,
    rule,
    write_csvs,
    write_workbook,
)

WORKBOOK = f"Annex A {MADE:%Y-%m-%d}.xlsx"


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPoolExtractor]:
    extractor = WorkerPoolExtractor(workers=1, read=read_function(SPEC))
    yield extractor
    extractor.close()


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "Annex A lists"
    folder.mkdir()
    return folder


def run(folder: Path, pool: WorkerPoolExtractor, as_of: dt.date = AS_OF) -> dict[str, ItemResult]:
    return {item.id: item for item in scan(folder, SPEC, as_of, extractor=pool).items}


def found_rows(results: dict[str, ItemResult]) -> set[tuple[str, int, str, str]]:
    return {
        (item.id, problem.row, problem.column, problem.kind)
        for item in results.values()
        for problem in item.row_problems or ()
    }


LAYOUTS = {
    "Ofsted's template": Layout(),
    "heading variants": Layout(variants=True, seed=1),
    "other heading variants": Layout(variants=True, seed=2),
    "descriptive tab names": Layout(tab_names="descriptive"),
    "tabs named in words": Layout(tab_names="words", above="none"),
    "a banner above the headings": Layout(above="banner"),
    "dates written as text": Layout(dates_as_text=True),
    "all of them": Layout(tab_names="words", above="banner", variants=True, dates_as_text=True),
}


# -- clean lists ----------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_clean_lists_however_laid_out_are_in_date_with_no_row_problems(share, pool, layout):
    write_workbook(share, WORKBOOK, all_lists(15, seed=4), layout)
    results = run(share, pool)
    assert {i: r.status for i, r in results.items()} == dict.fromkeys(LIST_IDS, Status.OK), {
        i: r.reason for i, r in results.items() if r.status is not Status.OK
    }
    assert all(r.row_problems == () and r.row_problems_total == 0 for r in results.values())


def test_headings_with_line_breaks_in_every_cell_are_found(share, pool):
    lists = all_lists(10)
    path = write_workbook(share, WORKBOOK, lists)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets[1:]:
        for cell in sheet[2]:
            if isinstance(cell.value, str) and " " in cell.value:
                cell.value = cell.value.replace(" ", "\n", 1).replace(" ", "\u00a0", 1)
    book.save(path)
    assert {r.status for r in run(share, pool).values()} == {Status.OK}


def test_one_csv_per_list_is_in_date_with_no_row_problems(share, pool):
    write_csvs(share, all_lists(12, seed=5), Layout(above="none", variants=True))
    results = run(share, pool)
    assert {i: r.status for i, r in results.items()} == dict.fromkeys(LIST_IDS, Status.OK)
    assert results["L1"].file == f"List 1 Contacts {MADE:%Y-%m-%d}.csv"
    assert found_rows(results) == set()


# -- tabs and columns -------------------------------------------------------------------


def test_a_missing_tab_is_flagged_and_the_other_lists_are_not(share, pool):
    write_workbook(share, WORKBOOK, all_lists(8), Layout(drop=("L5",)))
    results = run(share, pool)
    assert results["L5"].status is Status.INCOMPLETE
    assert results["L5"].reason.startswith(
        "The workbook has no tab with List 5's columns (its tabs: "
    )
    assert {r.status for i, r in results.items() if i != "L5"} == {Status.OK}


def test_swapped_tabs_are_flagged_both_ways(share, pool):
    write_workbook(share, WORKBOOK, all_lists(8), Layout(swap=("L2", "L10")))
    results = run(share, pool)
    assert results["L2"].status is results["L10"].status is Status.INCOMPLETE
    assert results["L2"].reason == (
        f"List 2's columns are on the tab 'List_10', which is named for List 10 ({WORKBOOK})."
    )
    assert results["L10"].reason == (
        f"List 10's columns are on the tab 'List_2', which is named for List 2 ({WORKBOOK})."
    )
    assert results["L2"].action.startswith("Put each list on the tab named for it")
    assert {r.status for i, r in results.items() if i not in ("L2", "L10")} == {Status.OK}


def test_a_tab_named_for_a_list_holding_another_says_whose_columns_it_holds(share, pool):
    layout = Layout(drop=("L10",))
    path = write_workbook(share, WORKBOOK, all_lists(6), layout)
    book = openpyxl.load_workbook(path)
    book["List_2"].title = "List 10"
    book.save(path)
    results = run(share, pool)
    assert (
        results["L10"].reason
        == f"The tab 'List 10' holds List 2's columns, not List 10's ({WORKBOOK})."
    )
    assert results["L2"].reason.startswith("List 2's columns are on the tab 'List 10'")


@pytest.mark.parametrize("list_id", ["L2", "L4", "L6", "L8", "L9", "L11"])
def test_a_thin_list_of_seven_of_its_columns_is_flagged(share, pool, list_id):
    write_workbook(share, WORKBOOK, all_lists(8), Layout(thin={list_id: 7}))
    results = run(share, pool)
    item = results[list_id]
    total = len(rule(list_id).columns)
    assert item.status is Status.INCOMPLETE
    missing = total - 7
    start = f"List {list_id[1:]} lacks "
    assert item.reason.startswith(
        start + (f"{missing} of its {total} columns: " if missing > 6 else "the column")
    )
    assert {r.status for i, r in results.items() if i != list_id} == {Status.OK}


def test_the_2020_list_9_under_the_current_template_says_which_columns_2023_added(
    share, pool, tmp_path
):
    lists = all_lists(8)
    current = rule("L9")
    previous = [c for c in current.columns if c in current.previous_columns]
    path = write_workbook(share, WORKBOOK, lists)
    book = openpyxl.load_workbook(path)
    sheet = book["List_9"]
    for index in sorted(
        (i for i, c in enumerate(current.columns) if c not in previous), reverse=True
    ):
        sheet.delete_cols(index + 1)
    book.save(path)
    item = run(share, pool)["L9"]
    assert item.status is Status.INCOMPLETE
    assert "the columns Ofsted's 2023 template added" in item.reason
    assert 'set template = "previous"' in item.reason
    spec_path = tmp_path / "previous.toml"
    spec_path.write_text('[spec]\nextends = "ilacs-lists"\n[defaults]\ntemplate = "previous"\n')
    previous_spec = load_spec(spec_path)
    reader = InlineExtractor(read_function(previous_spec))
    report = scan(share, previous_spec, AS_OF, extractor=reader)
    assert {i.id: i.status for i in report.items}["L9"] is Status.OK


# -- row errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [Layout(), Layout(tab_names="words", above="banner", variants=True, dates_as_text=True)],
    ids=["template", "councils' own layout"],
)
def test_27_planted_row_errors_are_named_at_their_rows_and_clean_lists_are_not(share, pool, layout):
    lists = plant_27(all_lists(12))
    write_workbook(share, WORKBOOK, lists, layout)
    results = run(share, pool)
    assert found_rows(results) == expected_rows(lists, layout)
    flagged = {p.list_id for p in lists.planted}
    assert flagged == {"L1", "L3", "L6", "L7", "L8", "L11"}
    assert {i: r.status for i, r in results.items()} == {
        i: Status.INCOMPLETE if i in flagged else Status.OK for i in LIST_IDS
    }
    assert sum(r.row_problems_total for r in results.values()) == 27


def test_27_planted_row_errors_in_one_csv_per_list_are_named_at_their_rows(share, pool):
    lists = plant_27(all_lists(12))
    layout = Layout(above="none")
    write_csvs(share, lists, layout)
    assert found_rows(run(share, pool)) == expected_rows(lists, layout)


def test_a_list_with_row_problems_gives_a_count_and_the_first_rows_in_words(share, pool):
    lists = all_lists(30)
    for index in (4, 16, 17, 20, 25):
        lists.rows["L1"][index]["Date of Contact"] = "not known"
    write_workbook(share, WORKBOOK, lists)
    item = run(share, pool)["L1"]
    assert item.status is Status.INCOMPLETE
    assert item.reason == (
        f"List 1 has 5 problems in its rows ({WORKBOOK}, tab 'List_1'): "
        "5 rows: 'Date of Contact' is not a date (rows 7, 19, 20, …)."
    )
    assert item.action.startswith("Correct the rows named where the list is made")
    assert [(p.sheet, p.row, p.column, p.kind) for p in item.row_problems] == [
        ("List_1", row, "Date of Contact", "not_a_date") for row in (7, 19, 20, 23, 28)
    ]


def test_the_report_lists_at_most_ten_rows_of_each_kind_with_the_total_beside_them(share, pool):
    lists = all_lists(300)
    for row in lists.rows["L3"]:
        row["Referral NFA?"] = "Perhaps"
    for row in lists.rows["L3"][::3]:
        row["Allocated Team"] = None
    write_workbook(share, WORKBOOK, lists)
    item = run(share, pool)["L3"]
    assert item.row_problems_total == 400
    kinds = [(p.column, p.kind) for p in item.row_problems]
    assert kinds.count(("Referral NFA?", "invalid_code")) == 10
    assert kinds.count(("Allocated Team", "blank")) == 10
    data = json.loads(get_formatter("json")(Report("/x", "s", "s", AS_OF, (item,))))
    (listed,) = data["items"]
    assert listed["row_problems_total"] == 400 and len(listed["row_problems"]) == 20
    assert listed["row_problems"][0] == {
        "sheet": "List_3",
        "row": 3,
        "column": "Allocated Team",
        "kind": "blank",
        "message": "'Allocated Team' is blank",
    }
    Draft202012Validator(load_schema("report")).validate(data)


def test_a_repeated_child_is_flagged_only_where_a_list_holds_one_row_per_child(share, pool):
    lists = all_lists(8)
    for list_id in ("L1", "L8"):
        lists.rows[list_id][5]["Child Unique ID"] = lists.rows[list_id][2]["Child Unique ID"]
    write_workbook(share, WORKBOOK, lists)
    results = run(share, pool)
    assert results["L1"].status is Status.OK  # a child may have several contacts
    (problem,) = results["L8"].row_problems
    assert (problem.row, problem.kind, problem.message) == (
        8,
        "duplicate_child",
        "'Child Unique ID' repeats row 5's, in a list of one row per child",
    )


def test_a_date_that_reads_either_way_is_read_day_first(share, pool):
    lists = all_lists(8)
    lists.rows["L1"][0]["Date of Contact"] = "03/09/2015"  # 3 September, not 9 March
    lists.rows["L1"][1]["Date of Contact"] = "2015-09-03"
    lists.rows["L1"][2]["Date of Contact"] = "3 Sep 2015"
    write_workbook(share, WORKBOOK, lists)
    assert run(share, pool)["L1"].status is Status.OK


# -- what depends on the day ------------------------------------------------------------


def test_the_window_moves_with_the_as_of_date_without_reading_the_list_again(share, pool):
    lists = all_lists(10)
    lists.rows["L1"][3]["Date of Contact"] = dt.date(2015, 4, 1)  # in the window on 21 September
    write_workbook(share, WORKBOOK, lists)
    scanner = Scanner(share, SPEC, extractor=pool)
    scanner.full_scan()
    on_day_one = {i.id: i for i in scanner.report(AS_OF).items}["L1"]
    assert on_day_one.status is Status.OK
    later = {i.id: i for i in scanner.report(dt.date(2015, 10, 19)).items}["L1"]
    (problem,) = [p for p in later.row_problems if p.kind == "outside_window"]
    assert (problem.row, problem.column) == (6, "Date of Contact")
    assert problem.message == (
        "'Date of Contact' is before the list's window "
        "(6 months before 19 October 2015: from 19 April 2015)"
    )


def test_a_date_after_the_list_was_made_is_judged_against_the_lists_own_date(share, pool):
    lists = all_lists(10)
    lists.rows["L3"][0]["Date of referral"] = dt.date(2015, 9, 18)
    write_workbook(share, WORKBOOK, lists)
    item = run(share, pool)["L3"]
    (problem,) = item.row_problems
    assert (problem.row, problem.kind) == (3, "after_produced")
    assert problem.message == "'Date of referral' is after the list was made (17 September 2015)"
    (share / WORKBOOK).rename(share / "Annex A 2015-09-18.xlsx")
    assert run(share, pool)["L3"].status is Status.OK


def test_a_list_whose_rows_end_months_before_its_date_is_in_doubt(share, pool):
    lists = Lists({"L1": make_rows("L1", 40, random.Random(2))})
    for number, row in enumerate(lists.rows["L1"]):
        row["Date of Contact"] = MADE - dt.timedelta(days=110 + number % 60)
    write_workbook(share, WORKBOOK, lists, Layout(drop=tuple(i for i in LIST_IDS if i != "L1")))
    item = run(share, pool, as_of=dt.date(2015, 9, 18))["L1"]
    assert item.status is Status.UNDATED
    assert item.reason.startswith(
        "Its date is in doubt: dated 17 September 2015 in its file name, but the newest date "
        "in its rows is about "
    )
    assert item.reason.endswith(" months older than the list.")


# -- the spec's lists change ------------------------------------------------------------


def _renamed_age(share: Path) -> None:
    lists = all_lists(6)
    path = write_workbook(share, WORKBOOK, lists)
    book = openpyxl.load_workbook(path)
    sheet = book["List_1"]
    for cell in sheet[2]:
        if cell.value == "Age of Child (Years)":
            cell.value = "Age at contact"
    book.save(path)


def _with_other_name(tmp_path: Path):
    path = tmp_path / "annexa.toml"
    path.write_text(
        '[spec]\nextends = "ilacs-lists"\n\n[[column]]\nname = "Age of Child (Years)"\n'
        'other_names = ["Age", "Age at contact"]\n',
        encoding="utf-8",
    )
    return load_spec(path)


def test_an_edited_spec_reads_the_lists_again_with_its_own_columns(share, tmp_path):
    """annexa watch, the spec saved with another name for a heading: the workbook is
    read again under the new lists, and the list is in date."""
    _renamed_age(share)
    scanner = Scanner(share, SPEC, extractor=InlineExtractor(read_function(SPEC)))
    scanner.full_scan()
    before = {i.id: i for i in scanner.report(AS_OF).items}["L1"]
    assert before.status is Status.INCOMPLETE
    assert "found 'Age at contact'; rename it to 'Age of Child (Years)'" in before.reason
    edited = _with_other_name(tmp_path)
    scanner._extractor = InlineExtractor(read_function(edited))
    scanner.set_spec(edited)
    scanner.refresh(())
    assert {i.id: i for i in scanner.report(AS_OF).items}["L1"].status is Status.OK


def test_facts_cached_under_other_lists_are_read_again(share, tmp_path):
    from annexa.cache.store import open_cache

    _renamed_age(share)
    edited = _with_other_name(tmp_path)
    read: list[str] = []

    def counted(spec):
        inner = read_function(spec)

        def reading(root, entry):
            read.append(entry.path)
            return inner(root, entry)

        return InlineExtractor(reading)

    statuses = []
    for spec in (SPEC, edited, edited):
        report = scan(share, spec, AS_OF, extractor=counted(spec), cache=open_cache(tmp_path / "c"))
        statuses.append({i.id: i for i in report.items}["L1"].status)
    assert statuses == [Status.INCOMPLETE, Status.OK, Status.OK]
    assert read == [WORKBOOK, WORKBOOK]  # read again under the edited lists, then cached
