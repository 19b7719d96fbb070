"""Does a data list hold the sheet and the columns Ofsted's template asks for?

Ofsted's child-level workbook names its sheets ``List_1`` ... ``List_11`` and
puts a title in row 1 and the headers in row 2; other tools write headers in
row 1 or call the sheet "LIST 7". So sheet names compare ignoring case,
spaces and punctuation, but never by prefix ("List 1" is not "List 11"),
headers compare ignoring case and runs of white space, and the header row is
looked for in the first five rows.
"""

from __future__ import annotations

import re

from annexa.model import Facts, Sheet

HEADER_ROWS = 5


def sheet_key(name: str) -> str:
    """ "List_7", "List 7" and "LIST7" all become "list7"."""
    return re.sub(r"[\W_]+", "", name).casefold()


def header_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_sheet(facts: Facts, wanted: str | None) -> Sheet | None:
    """The sheet named ``wanted``, or the first sheet (a CSV's only one) when none is named."""
    if not facts.sheets:
        return None
    if wanted is None or facts.kind == "csv":
        return facts.sheets[0]
    key = sheet_key(wanted)
    for sheet in facts.sheets:
        if sheet_key(sheet.name) == key:
            return sheet
    return None


def missing_columns(sheet: Sheet, columns: tuple[str, ...]) -> list[str]:
    """The wanted columns absent from the best header row among the first five."""
    wanted = [(column, header_key(column)) for column in columns]
    best: list[str] | None = None
    for row in sheet.rows[:HEADER_ROWS]:
        present = {header_key(cell) for cell in row if cell}
        missing = [column for column, key in wanted if key not in present]
        if best is None or len(missing) < len(best):
            best = missing
    return best if best is not None else [column for column, _ in wanted]


def check_sheet(facts: Facts, sheet: str | None, columns: tuple[str, ...]) -> str | None:
    """None when the file has what the item asks for, else the reason in words."""
    if facts.kind not in ("xlsx", "xlsm", "csv"):
        return f"it is a {facts.kind.upper()} file, not a spreadsheet, so its columns cannot be checked"
    found = find_sheet(facts, sheet)
    if found is None:
        names = ", ".join(f"'{s.name}'" for s in facts.sheets) or "none"
        return f"the workbook has no sheet '{sheet}' (its sheets: {names})"
    if not columns:
        return None
    missing = missing_columns(found, columns)
    if not missing:
        return None
    name = sheet or found.name
    listed = ", ".join(f"'{column}'" for column in missing)
    noun = "column" if len(missing) == 1 else "columns"
    return f"{name} lacks the {noun} {listed}"
