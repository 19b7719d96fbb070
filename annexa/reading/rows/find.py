"""Find a sheet's heading row among its first rows, and the list those headings are.

Councils put banners ("OFFICIAL-SENSITIVE"), a title and notes above the
headings, and name their tabs as they please ("List 1 - Contacts",
"Contacts", "Sheet1"). So every one of the first ``HEADING_ROWS`` rows is
scored against every list of the spec (how many of the list's columns it
has), and the best row is the heading row. The list it scores best for is
the list the sheet holds; a tie (a sheet with only the child's details that
every list starts with) goes to the list its tab or file is named for, then
to the list whose columns it fills best.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annexa.spec.headings import HEADING_ROWS, find_columns, heading_keys
from annexa.spec.rules import ListRule
from annexa.words.headings import list_number

HEADING_CHARS = 200


@dataclass(frozen=True, slots=True)
class Found:
    """The heading row (1-based), its cells, and the list it is (None when no list fits).

    ``ids``: the items asking for that very list (the same columns and checks),
    the chosen one first.
    """

    row: int
    headings: tuple[str, ...]
    rule: ListRule | None
    columns: dict[str, int]
    ids: tuple[str, ...] = ()


def enough(rule: ListRule) -> int:
    """How many of a list's headings make a row its heading row: two, or all of a shorter list."""
    return min(2, len(rule.columns))


def find_list(
    rows: Sequence[Sequence[str]], lists: Sequence[ListRule], names: Sequence[str]
) -> Found | None:
    """The heading row among ``rows`` (the first rows of a sheet) and the list it holds.

    ``names``: the tab's name and the file's, which settle a tie.
    """
    best: tuple[int, int, list[ListRule]] | None = None  # score, row, lists with that score
    for number, row in enumerate(rows[:HEADING_ROWS], start=1):
        keys = heading_keys(row)
        if not keys:
            continue
        scores = [(len(find_columns(keys, rule.columns)), rule) for rule in lists]
        top = max((score for score, rule in scores if score >= enough(rule) > 0), default=0)
        if top and (best is None or top > best[0]):
            best = (top, number, [rule for score, rule in scores if score == top])
    if best is None:
        return None
    top, number, tied = best
    row = rows[number - 1]
    rule = _settle(tied, row, names)
    headings = tuple(cell[:HEADING_CHARS] for cell in row)
    same = [other.id for other in lists if other is not rule and _same_list(other, rule)]
    columns = find_columns(heading_keys(row), rule.columns)
    return Found(number, headings, rule, columns, (rule.id, *same))


def _same_list(one: ListRule, other: ListRule) -> bool:
    """Two items asking for the same list: same columns, checked the same way."""
    return (one.columns, one.window_start, one.window_end, one.unique, one.check_rows) == (
        other.columns,
        other.window_start,
        other.window_end,
        other.unique,
        other.check_rows,
    )


def _settle(tied: list[ListRule], row: Sequence[str], names: Sequence[str]) -> ListRule:
    if len(tied) == 1:
        return tied[0]
    for name in names:
        number = list_number(name)
        named = [rule for rule in tied if rule.number is not None and rule.number == number]
        if named:
            return named[0]
    keys = heading_keys(row)
    return max(tied, key=lambda rule: len(find_columns(keys, rule.columns)) / len(rule.columns))
