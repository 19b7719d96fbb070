"""Does a file hold a data list as Ofsted's template has it: the list, on its tab, every column?

The reader has already found each sheet's heading row and the list those
headings are (``Sheet.holds``); this module decides, for one item, which
sheet is its list and what is wrong with it, in the words a person fixes
it by:

- a list is its columns, wherever they are: "List 1 - Contacts", "Sheet1"
  and a CSV file all hold List 1 when their headings are List 1's;
- a tab named for one list that holds another's is reported both ways:
  "the tab 'List 10' holds List 2's columns", and List 2 "is on the tab
  'List 10'";
- missing columns are named in the spec's order, with the heading found in
  their place when it is close: "found 'Age'; rename it to 'Age of Child
  (Years)'".

A spec item with a sheet but no columns is found by its tab's name alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from annexa.model import Facts, Sheet
from annexa.spec.headings import HEADING_ROWS, find_columns, heading_keys
from annexa.spec.rules import ColumnRule, ItemRule
from annexa.words.headings import heading_key, list_number

NAMES_SHOWN = 6
RENAME_SCORE = 0.6

REMAKE = "Produce the list again from Ofsted's template so that it has every sheet and column."
RENAME = "Rename the headings as shown, or produce the list again from Ofsted's template."
MOVE = "Put each list on the tab named for it (or rename the tabs), then save the workbook again."


@dataclass(frozen=True, slots=True)
class ListFound:
    """Where a file holds an item's list, and what stops it being taken as it is.

    ``sheet``: the sheet holding the list (None when none does); ``problem``:
    the reason in words, None when the list is as the item asks; ``action``:
    what to do about it.
    """

    sheet: Sheet | None
    problem: str | None = None
    action: str = REMAKE

    @property
    def has_list(self) -> bool:
        return self.sheet is not None


def sheet_key(name: str) -> str:
    """ "List_7", "List 7" and "LIST7" all become "list7"."""
    return re.sub(r"[\W_]+", "", name).casefold()


def find_list(rule: ItemRule, facts: Facts) -> ListFound:
    """The sheet of ``facts`` that is ``rule``'s list, and what is wrong with it."""
    if facts.kind not in ("xlsx", "csv"):
        return ListFound(
            None,
            f"it is a {facts.kind.upper()} file, not a spreadsheet, so its columns cannot be checked",
        )
    if not rule.columns:
        return _by_name_only(rule, facts)
    csv = facts.kind == "csv"
    holding = [s for s in facts.sheets if rule.id in s.holds]
    if holding:
        sheet = max(holding, key=lambda s: (_named_for(s.name, rule), len(_found(s, rule))))
        elsewhere = None if csv else _other_list(sheet.name, rule)
        if elsewhere is not None:
            return ListFound(
                sheet,
                f"{rule.list_name}'s columns are on the tab '{sheet.name}', "
                f"which is named for List {elsewhere}",
                MOVE,
            )
        return _columns(rule, sheet)
    named = [s for s in facts.sheets if csv or _named_for(s.name, rule)]
    where = "it" if csv else None
    for sheet in named:
        place = where or f"the tab '{sheet.name}'"
        if sheet.holds:
            return ListFound(
                None,
                f"{place} holds {sheet.holds_name}'s columns, not {rule.list_name}'s",
                MOVE if not csv else REMAKE,
            )
        return ListFound(
            None,
            f"{place} has no row of {rule.list_name}'s headings in its first {HEADING_ROWS} rows",
        )
    names = ", ".join(f"'{s.name}'" for s in facts.sheets) or "none"
    return ListFound(
        None, f"the workbook has no tab with {rule.list_name}'s columns (its tabs: {names})"
    )


def _by_name_only(rule: ItemRule, facts: Facts) -> ListFound:
    if rule.sheet is None or facts.kind == "csv":
        return ListFound(facts.sheets[0] if facts.sheets else None)
    key = sheet_key(rule.sheet)
    for sheet in facts.sheets:
        if sheet_key(sheet.name) == key:
            return ListFound(sheet)
    names = ", ".join(f"'{s.name}'" for s in facts.sheets) or "none"
    return ListFound(None, f"the workbook has no sheet '{rule.sheet}' (its sheets: {names})")


def _named_for(name: str, rule: ItemRule) -> bool:
    """Whether a tab's name names the item's list: its sheet name, or its list number."""
    if rule.sheet is None:
        return False
    if sheet_key(name) == sheet_key(rule.sheet):
        return True
    number = list_number(rule.sheet)
    return number is not None and list_number(name) == number


def _other_list(name: str, rule: ItemRule) -> int | None:
    """The number of another list the tab is named for, if it is."""
    own = list_number(rule.sheet) if rule.sheet else None
    number = list_number(name)
    if own is None or number is None or number == own:
        return None
    return number


def _found(sheet: Sheet, rule: ItemRule) -> dict[str, int]:
    return find_columns(heading_keys(sheet.headings), _rules(rule))


def _rules(rule: ItemRule) -> tuple[ColumnRule, ...]:
    return rule.column_rules or tuple(ColumnRule(name) for name in rule.columns)


def _columns(rule: ItemRule, sheet: Sheet) -> ListFound:
    """The list as it is, or what columns it lacks and which headings to rename."""
    columns = _rules(rule)
    found = _found(sheet, rule)
    missing = [c for c in columns if c.name not in found]
    if not missing:
        return ListFound(sheet)
    used = set(found.values())
    spare = [
        (index, text)
        for index, text in enumerate(sheet.headings)
        if text.strip() and index not in used and not _known_elsewhere(text, columns)
    ]
    renames = _renames(columns, found, missing, spare)
    noun = "column" if len(missing) == 1 else "columns"
    shown = [f"'{c.name}'" for c in missing[:NAMES_SHOWN]]
    if len(missing) > NAMES_SHOWN:
        listed = (
            f"{len(missing)} of its {len(columns)} columns: {', '.join(shown)} "
            f"and {len(missing) - NAMES_SHOWN} more"
        )
    else:
        listed = f"the {noun} {', '.join(shown)}"
    problem = f"{rule.list_name} lacks {listed}"
    if renames:
        problem += ": " + "; ".join(
            f"found '{heading}'; rename it to '{name}'" for name, heading in renames
        )
        return ListFound(sheet, problem, RENAME)
    if rule.template == "current" and rule.previous_columns:
        newer = {heading_key(n) for n in rule.columns} - {
            heading_key(n) for n in rule.previous_columns
        }
        if newer and {heading_key(c.name) for c in missing} == newer:
            problem += (
                " (the columns Ofsted's 2023 template added: it looks like the previous "
                'template\'s list; set template = "previous" in the spec to check it as such)'
            )
    return ListFound(sheet, problem)


def _known_elsewhere(text: str, columns: Sequence[ColumnRule]) -> bool:
    key = heading_key(text)
    return any(key in c.keys for c in columns)


def _renames(
    columns: Sequence[ColumnRule],
    found: dict[str, int],
    missing: Sequence[ColumnRule],
    spare: Sequence[tuple[int, str]],
) -> list[tuple[str, str]]:
    """(column, heading to rename) pairs: a spare heading close to a missing column.

    Close in words (a similarity of ``RENAME_SCORE``), or in place: the only
    spare heading between the columns found either side of where the
    template puts it.
    """
    order = [c.name for c in columns]
    scored: list[tuple[float, str, int, str]] = []
    for column in missing:
        place = _place(order, column.name, found)
        for index, text in spare:
            score = _likeness(column, text)
            if place is not None and place[0] < index < place[1]:
                score += 0.3
            if score >= RENAME_SCORE:
                scored.append((score, column.name, index, text))
    renames: dict[str, str] = {}
    taken: set[int] = set()
    for _score, name, index, text in sorted(scored, key=lambda s: (-s[0], order.index(s[1]))):
        if name not in renames and index not in taken:
            renames[name] = text
            taken.add(index)
    return [(name, renames[name]) for name in order if name in renames]


def _place(order: list[str], name: str, found: dict[str, int]) -> tuple[int, int] | None:
    """The cell indexes of the found columns before and after ``name`` in the template."""
    at = order.index(name)
    before = [found[n] for n in order[:at] if n in found]
    after = [found[n] for n in order[at + 1 :] if n in found]
    if not before and not after:
        return None
    return (before[-1] if before else -1, after[0] if after else 1 << 30)


_WORD = re.compile(r"[a-z0-9]+")
_SMALL = {"of", "the", "a", "an", "in", "to", "for", "and", "or", "is", "was", "be", "has", "have"}


def _likeness(column: ColumnRule, text: str) -> float:
    """How alike a heading is to a column's names: letters, and words shared."""
    best = 0.0
    words = set(_WORD.findall(text.casefold())) - _SMALL
    for name in (column.name, *column.other_names):
        ratio = difflib.SequenceMatcher(None, heading_key(name), heading_key(text)).ratio()
        theirs = set(_WORD.findall(name.casefold())) - _SMALL
        shared = len(words & theirs) / len(words | theirs) if words and theirs else 0.0
        best = max(best, ratio, shared)
    return best
