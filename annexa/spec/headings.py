"""Which of a list's columns a row of headings has, and where.

Used twice with the same rules: by the reader, to find the heading row and
tell which list a tab holds, and by evaluation, to name what a list lacks.
A column is found by its name or one of its ``other_names``, compared by
``heading_key``; its own name wins over another column's other name.
"""

from __future__ import annotations

from collections.abc import Sequence

from annexa.spec.rules import ColumnRule
from annexa.words.headings import heading_key

HEADING_ROWS = 20
"""A list's heading row is looked for in this many rows from the top of its sheet:
readers read no further to find it, and evaluation says so when it is not there."""


def heading_keys(headings: Sequence[str]) -> dict[str, int]:
    """Heading key -> index of the first cell with that key (blank cells left out)."""
    found: dict[str, int] = {}
    for index, text in enumerate(headings):
        if text:
            key = heading_key(text)
            if key and key not in found:
                found[key] = index
    return found


def find_columns(keys: dict[str, int], columns: Sequence[ColumnRule]) -> dict[str, int]:
    """Column name -> index of the heading cell that is that column.

    Each cell stands for one column at most: official names are matched
    first, other names after, so "Disability" is List 11's column and
    only stands for "Does the Child have a Disability" where it is free.
    """
    found: dict[str, int] = {}
    used: set[int] = set()
    for rule in columns:
        index = keys.get(rule.keys[0])
        if index is not None and index not in used:
            found[rule.name] = index
            used.add(index)
    for rule in columns:
        if rule.name in found:
            continue
        for key in rule.keys[1:]:
            index = keys.get(key)
            if index is not None and index not in used:
                found[rule.name] = index
                used.add(index)
                break
    return found
