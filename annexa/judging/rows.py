"""A data list's row problems, in words, as they stand on the as-of date.

The reader found what does not depend on the day (blank cells, dates that
are not dates, codes that are not codes, repeats, ages); what does is
settled here, from the dates it kept: which rows fall before the list's
window on the as-of date, which carry a date after the list was made, and
whether the list's newest date is far older than the list itself. Every
message names columns and row numbers, never what a cell holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annexa.model import ColumnDates, DateCount, RowProblem, Sheet
from annexa.model.files import ROWS_KEPT
from annexa.spec.rules import ItemRule
from annexa.words.phrases import uk_date

OUTSIDE_WINDOW = "outside_window"
AFTER_MADE = "after_produced"
ROW_PROBLEMS_SHOWN = 100  # in a report's row_problems; the total is given beside them
GROUPS_IN_REASON = 4
ROWS_IN_REASON = 3
FRESH_ROWS = 10  # fewer dated rows than this say nothing about the list's age

_WORDS = {
    "blank": "'{column}' is blank",
    "not_a_date": "'{column}' is not a date",
    "us_date": "'{column}' is a date written month first (American style)",
    "impossible_date": "'{column}' is a date that does not exist",
    "not_a_number": "'{column}' is not a number",
    "negative": "'{column}' is a negative number",
    "not_whole": "'{column}' is not a whole number",
    "invalid_code": "'{column}' is not one of its codes",
    "not_a_postcode": "'{column}' is not a postcode",
    "duplicate_row": "the row repeats {earlier}",
    "duplicate_child": "'{column}' repeats {earlier}'s, in a list of one row per child",
    "age_mismatch": "'{column}' does not agree with '{other}'",
    "end_before_start": "'{column}' is before '{other}'",
}


@dataclass(frozen=True, slots=True)
class ProblemRows:
    """Rows of one sheet sharing one problem in one column, with the words for it."""

    sheet: str
    column: str
    kind: str
    count: int
    rows: tuple[int, ...]
    earlier: tuple[int, ...]
    message: str

    def per_row(self) -> list[RowProblem]:
        """One RowProblem for each row kept, its message naming the row it repeats."""
        found = []
        for at, row in enumerate(self.rows):
            message = self.message
            if at < len(self.earlier) and self.kind in _WORDS:
                earlier = f"row {self.earlier[at]}"
                message = _WORDS[self.kind].format(column=self.column, earlier=earlier)
            found.append(RowProblem(self.sheet, row, self.column, self.kind, message))
        return found

    def phrase(self) -> str:
        """ "14 rows: 'Date of Contact' is not a date (rows 7, 19, 20, …)"."""
        shown = ", ".join(str(r) for r in self.rows[:ROWS_IN_REASON])
        more = ", …" if self.count > ROWS_IN_REASON else ""
        noun = "row" if self.count == 1 else "rows"
        where = "row" if len(self.rows) == 1 and self.count == 1 else "rows"
        return f"{self.count} {noun}: {self.message} ({where} {shown}{more})"


def row_problems(
    rule: ItemRule, sheet: Sheet, as_of: dt.date, made: dt.date | None
) -> tuple[ProblemRows, ...]:
    """Every problem of a checked sheet on ``as_of``, for a list made on ``made``."""
    if not sheet.checked:
        return ()
    others = {
        c.name: (c.age_of if c.type == "whole number" else c.after) or "" for c in rule.column_rules
    }
    found = [
        ProblemRows(
            sheet.name,
            group.column,
            group.kind,
            group.count,
            group.rows,
            group.earlier,
            _WORDS.get(group.kind, "'{column}' is wrong").format(
                column=group.column, other=others.get(group.column, ""), earlier="an earlier row"
            ),
        )
        for group in sheet.problems
    ]
    if rule.window is not None and rule.window_start and sheet.window:
        start = rule.window.subtract(as_of)
        count, rows = _before(sheet.window, start)
        if count:
            both = (
                f"'{rule.window_start}' and '{rule.window_end}' are both"
                if rule.window_end
                else f"'{rule.window_start}' is"
            )
            found.append(
                ProblemRows(
                    sheet.name,
                    rule.window_start,
                    OUTSIDE_WINDOW,
                    count,
                    rows,
                    (),
                    f"{both} before the list's window "
                    f"({rule.window} before {uk_date(as_of)}: from {uk_date(start)})",
                )
            )
    if made is not None:
        for column in sheet.events:
            count, rows = _after(column.newest, made)
            if count:
                found.append(
                    ProblemRows(
                        sheet.name,
                        column.column,
                        AFTER_MADE,
                        count,
                        rows,
                        (),
                        f"'{column.column}' is after the list was made ({uk_date(made)})",
                    )
                )
    return tuple(sorted(found, key=lambda p: (p.rows[:1], p.column, p.kind)))


def _first_rows(entries: Iterable[DateCount]) -> tuple[int, ...]:
    return tuple(sorted(row for entry in entries for row in entry.rows)[:ROWS_KEPT])


def _before(window: Sequence[DateCount], start: dt.date) -> tuple[int, tuple[int, ...]]:
    early = [entry for entry in window if entry.day < start]
    return sum(e.count for e in early), _first_rows(early)


def _after(newest: Sequence[DateCount], made: dt.date) -> tuple[int, tuple[int, ...]]:
    late = [entry for entry in newest if entry.day > made]
    return sum(e.count for e in late), _first_rows(late)


def stale(rule: ItemRule, sheet: Sheet, made: dt.date | None) -> str | None:
    """Words for a list whose newest date is far older than its own, else None.

    An extract from months ago saved under a new name carries a new date
    in its name but old rows: its date cannot be trusted.
    """
    if made is None or rule.fresh_within is None or not sheet.checked:
        return None
    newest = _newest(sheet.events, made)
    dated = max((_rows_with_dates(c) for c in sheet.events), default=0)
    if newest is None or dated < FRESH_ROWS:
        return None
    if newest >= rule.fresh_within.subtract(made):
        return None
    return f"the newest date in its rows is {_gap(made - newest)} older than the list"


def _newest(columns: Sequence[ColumnDates], made: dt.date) -> dt.date | None:
    days = [e.day for c in columns for e in c.newest if e.day <= made]
    return max(days) if days else None


def _rows_with_dates(column: ColumnDates) -> int:
    return sum(e.count for e in column.newest) + column.more


def _gap(delta: dt.timedelta) -> str:
    days = delta.days
    if days >= 60:
        return f"about {round(days / 30.4)} months"
    return f"about {round(days / 7)} weeks"


def reason(rule: ItemRule, groups: Sequence[ProblemRows], where: str, sheet: Sheet) -> str:
    """ "List 1 has 14 problems in its rows (Annex A.xlsx, tab 'List 1'): 14 rows: ..."."""
    total = sum(g.count for g in groups)
    shown = [g.phrase() for g in groups[:GROUPS_IN_REASON]]
    if len(groups) > GROUPS_IN_REASON:
        rest = len(groups) - GROUPS_IN_REASON
        shown.append(f"and {rest} more kind{'s' if rest > 1 else ''} of problem")
    noun = "problem" if total == 1 else "problems"
    text = f"{rule.list_name} has {total} {noun} in its rows ({where}): " + "; ".join(shown)
    if sheet.checked_to is not None:
        text += f"; rows after row {sheet.checked_to} were not checked (the list is too long)"
    return text + "."


def for_report(groups: Sequence[ProblemRows]) -> tuple[tuple[RowProblem, ...], int]:
    """The problems a report lists, and how many there are in all.

    The first rows of each kind of problem (up to ``ROWS_KEPT``), fewer of
    each when there are many kinds, so that at most ``ROW_PROBLEMS_SHOWN``
    are listed and every kind is among them; in row order.
    """
    each = ROWS_KEPT
    if groups and sum(min(len(g.rows), each) for g in groups) > ROW_PROBLEMS_SHOWN:
        each = max(1, ROW_PROBLEMS_SHOWN // len(groups))
    rows = sorted(
        (p for g in groups for p in g.per_row()[:each]), key=lambda p: (p.row, p.column, p.kind)
    )
    return tuple(rows[:ROW_PROBLEMS_SHOWN]), sum(g.count for g in groups)
