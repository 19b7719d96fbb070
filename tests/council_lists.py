"""Annex A lists made the way councils make them, for tests and benchmarks.

Rows are invented (no real child is described) but valid under the
bundled ``ilacs-lists`` spec: every required cell filled, dates inside each
list's window and in order (an end after its start), ages that agree with
dates of birth, codes from each column's list. On top of that the ways
councils' files vary are switches: heading variants (other names, case,
line breaks, non-breaking spaces, curly quotes, format hints), descriptive
tab names, banner rows above the headings, dates as text, one CSV per
list; and the ways they go wrong: a missing tab, two tabs swapped, a thin
list, planted row errors with the row and column each must be reported at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from annexa.spec import load_spec
from annexa.spec.rules import ColumnRule, ItemRule

SPEC = load_spec("ilacs-lists")
AS_OF = dt.date(2015, 9, 21)  # Monday, the first day of the inspection
MADE = dt.date(2015, 9, 17)  # the Thursday before: in date on the first day
LIST_IDS = tuple(f"L{n}" for n in range(1, 12))
DESCRIPTIVE = {
    "L1": "Contacts",
    "L2": "Early help",
    "L3": "Referrals",
    "L4": "Assessments",
    "L5": "S47 and ICPC",
    "L6": "Children in need",
    "L7": "Child protection",
    "L8": "Children looked after",
    "L9": "Care leavers",
    "L10": "Adoption",
    "L11": "Adopters",
}

Row = dict[str, object]


def rule(list_id: str) -> ItemRule:
    return SPEC.item(list_id)


@dataclass(frozen=True)
class Planted:
    """A row error put into a list, and where a report must name it."""

    list_id: str
    index: int  # the data row, 0-based
    column: str  # the spec's name of the column ("" for the whole row)
    kind: str


@dataclass
class Lists:
    """The rows of every list, as column name -> value, and what was planted in them."""

    rows: dict[str, list[Row]]
    planted: list[Planted] = field(default_factory=list)


# -- valid rows ---------------------------------------------------------------------


def _years(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def make_rows(list_id: str, count: int, rng: random.Random, *, spelling: bool = True) -> list[Row]:
    """``count`` valid rows of one list. ``spelling``: codes written in any of their ways."""
    item = rule(list_id)
    rows = []
    for number in range(count):
        rows.append(_row(item, number, rng, spelling))
    return rows


def _row(item: ItemRule, number: int, rng: random.Random, spelling: bool) -> Row:
    columns = item.column_rules
    born = MADE - dt.timedelta(days=rng.randint(2 * 365, 17 * 365))
    dated = [c for c in columns if c.type == "date" and not c.personal]
    first = MADE - dt.timedelta(days=rng.randint(20, 150))
    days = sorted(first + dt.timedelta(days=rng.randint(0, (MADE - first).days)) for _ in dated)
    days[0] = first
    when = dict(zip((c.name for c in dated), days, strict=True))
    open_ended = rng.random() < 0.5
    row: Row = {}
    for column in columns:
        row[column.name] = _value(item, column, number, rng, born, when, spelling)
    if item.window_end and open_ended:
        row[item.window_end] = None
    return row


def _value(
    item: ItemRule,
    column: ColumnRule,
    number: int,
    rng: random.Random,
    born: dt.date,
    when: dict[str, dt.date],
    spelling: bool,
) -> object:
    name = column.name
    if column.type == "id":
        prefix = "FAM" if "family" in name.lower() else f"BCC{item.id}"
        return f"{prefix}{number:05d}"
    if column.type == "date":
        return born if column.personal else when[name]
    if column.type == "whole number":
        return _years(born, MADE) if column.age_of else rng.randint(0, 4)
    if column.type == "code":
        spellings = rng.choice(column.codes)
        return rng.choice(spellings) if spelling else spellings[0]
    if column.type == "postcode":
        return rng.choice(["BS1 4DJ", "TA1 1AB", "EX4 3SR", "BA1 1LT"])
    if "worker" in name.lower() or "advisor" in name.lower():
        return f"Worker {rng.randint(1, 40):02d}"
    if "team" in name.lower():
        return rng.choice(
            ["Assessment Team North", "Child Protection Team", "Children in Care Team"]
        )
    if "urn" in name.lower():
        return f"SC{rng.randint(100000, 999999)}"
    return rng.choice(["School", "Health visiting", "Family support", "Yes", "No"])


def all_lists(count: int = 12, *, seed: int = 15, spelling: bool = True) -> Lists:
    rng = random.Random(seed)
    return Lists({i: make_rows(i, count, rng, spelling=spelling) for i in LIST_IDS})


# -- planted errors -------------------------------------------------------------------


def _set(column: str, value: object) -> Callable[[Row], None]:
    def change(row: Row) -> None:
        row[column] = value

    return change


def plant(
    lists: Lists, list_id: str, index: int, column: str, kind: str, change: Callable[[Row], None]
) -> None:
    change(lists.rows[list_id][index])
    lists.planted.append(Planted(list_id, index, column, kind))


def plant_27(lists: Lists) -> Lists:
    """Twenty-seven row errors in six lists (1, 3, 6, 7, 8, 11); the other five stay clean."""
    rows = lists.rows
    p = lambda *a: plant(lists, *a)  # noqa: E731
    # List 1: contacts
    p("L1", 1, "Child Unique ID", "blank", _set("Child Unique ID", None))
    p("L1", 2, "Date of Contact", "impossible_date", _set("Date of Contact", "31/02/2015"))
    p("L1", 3, "Date of Contact", "us_date", _set("Date of Contact", "08/25/2015"))
    p("L1", 4, "Date of Contact", "outside_window", _set("Date of Contact", dt.date(2012, 8, 3)))
    p("L1", 5, "Date of Contact", "after_produced", _set("Date of Contact", dt.date(2015, 9, 19)))
    p("L1", 6, "Gender", "invalid_code", _set("Gender", "Z"))
    p("L1", 7, "Contact Source", "invalid_code", _set("Contact Source", "99: Other"))
    # List 3: referrals
    p(
        "L3",
        0,
        "Number of Referrals in Last 12 Months",
        "negative",
        _set("Number of Referrals in Last 12 Months", -1),
    )
    p(
        "L3",
        2,
        "Number of Referrals in Last 12 Months",
        "not_whole",
        _set("Number of Referrals in Last 12 Months", 2.5),
    )
    p("L3", 4, "Date of referral", "not_a_date", _set("Date of referral", "pending"))
    p("L3", 6, "Allocated Worker", "blank", _set("Allocated Worker", " "))
    p("L3", 8, "Referral NFA?", "invalid_code", _set("Referral NFA?", "Maybe"))

    # List 6: children in need
    def closed_before_opened(row: Row) -> None:
        row["CIN Closure Date"] = row["CIN Start Date"] - dt.timedelta(days=10)  # type: ignore[operator]

    p("L6", 3, "CIN Closure Date", "end_before_start", closed_before_opened)
    p("L6", 5, "Primary Need Code", "invalid_code", _set("Primary Need Code", "N12"))
    p("L6", 7, "Age of Child (Years)", "age_mismatch", _set("Age of Child (Years)", 40))
    # List 7: child protection
    copy = dict(rows["L7"][2])
    p("L7", 9, "", "duplicate_row", lambda row: row.update(copy))
    p(
        "L7",
        4,
        "Number of Previous Child Protection Plans",
        "not_a_number",
        _set("Number of Previous Child Protection Plans", "several"),
    )
    p(
        "L7",
        6,
        "Child Protection Plan Start Date",
        "blank",
        _set("Child Protection Plan Start Date", None),
    )
    # List 8: children in care (one row per child)
    same = rows["L8"][1]["Child Unique ID"]
    p("L8", 6, "Child Unique ID", "duplicate_child", _set("Child Unique ID", same))
    p("L8", 3, "Placement postcode", "not_a_postcode", _set("Placement postcode", "Not known"))
    p(
        "L8",
        4,
        "Date of Last Dental Check",
        "impossible_date",
        _set("Date of Last Dental Check", "30/02/2015"),
    )
    p(
        "L8",
        8,
        "Number of Placements in the Last 12 months",
        "negative",
        _set("Number of Placements in the Last 12 months", -2),
    )
    p("L8", 10, "Date of Birth", "not_a_date", _set("Date of Birth", "unknown"))
    # List 11: adopters (each has left the process: a closed episode can fall outside the window)
    for row in rows["L11"]:
        row["Date of leaving adoption process"] = row["Date Stage 2 ended"]

    def long_ago(row: Row) -> None:
        for name, value in row.items():
            if isinstance(value, dt.date) and name != "Date of Birth":
                row[name] = value - dt.timedelta(days=900)

    def stage_ended_first(row: Row) -> None:
        row["Date Stage 1 ended"] = row["Date Stage 1 started"] - dt.timedelta(days=3)  # type: ignore[operator]

    p("L11", 2, "Date Stage 1 ended", "end_before_start", stage_ended_first)
    p("L11", 5, "Disability", "blank", _set("Disability", None))
    p("L11", 7, "No. of children placed", "not_whole", _set("No. of children placed", 1.5))
    p("L11", 9, "Date enquiry received", "outside_window", long_ago)
    assert len(lists.planted) == 27
    return lists


# -- how headings are written ---------------------------------------------------------


def heading_variant(column: ColumnRule, rng: random.Random) -> str:
    """The heading as a council's system might write it: another name, or the name changed
    in case, spaces, line breaks, quotes, punctuation or with a format hint."""
    name = rng.choice([column.name, *column.other_names])
    style = rng.randrange(7)
    if style == 0:
        name = name.upper()
    elif style == 1:
        name = name.lower()
    elif style == 2 and " " in name:
        words = name.split(" ")
        half = len(words) // 2 or 1
        name = " ".join(words[:half]) + "\n" + " ".join(words[half:])
    elif style == 3:
        name = name.replace(" ", "\u00a0", 1).replace("'", "\u2019")
    elif style == 4:
        name = "  " + name.rstrip("?") + " "
    elif style == 5 and column.type == "date":
        name = f"{name} (dd/mm/yyyy)"
    elif style == 6:
        name = name.replace("'", "\u2018", 1).replace("'", "\u2019") + ":"
    return name


def headings(
    list_id: str, *, variants: bool, rng: random.Random, keep: int | None = None
) -> list[str]:
    columns = rule(list_id).column_rules[:keep]
    if not variants:
        return [c.name for c in columns]
    return [heading_variant(c, rng) for c in columns]


# -- writing ------------------------------------------------------------------------


@dataclass
class Layout:
    """How a council lays its lists out."""

    tab_names: str = (
        "template"  # "template" (List_1), "descriptive" (List 1 - Contacts), "words" (Contacts)
    )
    above: str = "title"  # "title" (Ofsted's: a title row), "banner" (banner, title, notes), "none"
    variants: bool = False  # heading variants
    dates_as_text: bool = False  # dd/mm/yyyy text instead of Excel dates
    thin: dict[str, int] = field(default_factory=dict)  # list id -> columns kept
    drop: tuple[str, ...] = ()  # lists left out
    swap: tuple[str, str] | None = None  # two lists whose tabs trade names
    seed: int = 7

    def rows_above(self, list_id: str) -> list[list[object]]:
        title = rule(list_id).title
        if self.above == "title":
            return [[title]]
        if self.above == "banner":
            return [
                ["OFFICIAL-SENSITIVE"],
                [f"Borsetshire County Council - {title}"],
                [],
                ["Produced from the case-management system"],
                [],
            ]
        return []

    def tab(self, list_id: str) -> str:
        number = list_id[1:]
        if self.tab_names == "descriptive":
            return f"List {number} - {DESCRIPTIVE[list_id]}"
        if self.tab_names == "words":
            return DESCRIPTIVE[list_id]
        return f"List_{number}"


def _cell(value: object, as_text: bool) -> object:
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}" if as_text else dt.datetime(value.year, value.month, value.day)
    return value


def sheet_rows(
    lists: Lists, list_id: str, layout: Layout, rng: random.Random
) -> list[list[object]]:
    keep = layout.thin.get(list_id)
    names = [c.name for c in rule(list_id).column_rules[:keep]]
    out = layout.rows_above(list_id)
    out.append(headings(list_id, variants=layout.variants, rng=rng, keep=keep))
    for row in lists.rows[list_id]:
        out.append([_cell(row[name], layout.dates_as_text) for name in names])
    return out


def heading_row(layout: Layout) -> int:
    return len(layout.rows_above("L1")) + 1


def workbook_bytes(lists: Lists, layout: Layout) -> bytes:
    rng = random.Random(layout.seed)
    book = openpyxl.Workbook()
    front = book.active
    front.title = "Front_Sheet"
    front.append(["Annex A: child level data"])
    front.append(["Local authority", "Borsetshire"])
    tabs = {i: layout.tab(i) for i in LIST_IDS}
    if layout.swap:
        a, b = layout.swap
        tabs[a], tabs[b] = tabs[b], tabs[a]
    for list_id in LIST_IDS:
        if list_id in layout.drop:
            continue
        sheet = book.create_sheet(tabs[list_id])
        for values in sheet_rows(lists, list_id, layout, rng):
            sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_workbook(folder: Path, name: str, lists: Lists, layout: Layout | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(lists, layout or Layout()))
    return path


def write_csvs(
    folder: Path, lists: Lists, layout: Layout | None = None, *, made: dt.date = MADE
) -> list[Path]:
    """One CSV per list, named "List N <what> <date>.csv", headings in row 1, dates as text."""
    layout = layout or Layout(above="none")
    rng = random.Random(layout.seed)
    paths = []
    for list_id in LIST_IDS:
        if list_id in layout.drop:
            continue
        path = folder / f"List {list_id[1:]} {DESCRIPTIVE[list_id]} {made:%Y-%m-%d}.csv"
        text_layout = Layout(**{**layout.__dict__, "dates_as_text": True})
        with path.open("w", newline="", encoding="utf-8-sig") as out:
            csv.writer(out).writerows(sheet_rows(lists, list_id, text_layout, rng))
        paths.append(path)
    return paths


def expected_rows(lists: Lists, layout: Layout) -> set[tuple[str, int, str, str]]:
    """(list id, sheet row, column, kind) of every planted error, as a report must name it."""
    first = heading_row(layout) + 1
    return {(p.list_id, first + p.index, p.column, p.kind) for p in lists.planted}


def repeated_row(planted: Iterable[Planted]) -> Sequence[Planted]:
    return [p for p in planted if p.kind in ("duplicate_row", "duplicate_child")]
