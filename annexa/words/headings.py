"""Column headings and tab names as councils write them, reduced to what they mean.

Exports from case-management systems and hand-made workbooks vary every
heading of Ofsted's template in small ways: case, spaces, a line break
typed with Alt+Enter, a non-breaking space, curly or straight quotes,
dashes, a question mark dropped or a full stop added, a format hint such
as "(dd/mm/yyyy)" or "(Y/N)", underscores from a database column name.
``heading_key`` removes exactly those differences and nothing else: it
never guesses that "Age" means "Age of Child (Years)" (a spec says so with
``other_names``). ``list_number`` finds the list a tab or file is named for
("List 1 - Contacts", "List_7", "list07.csv").
"""

from __future__ import annotations

import re
import unicodedata

# A trailing hint of how to write a value: "(dd/mm/yyyy)", "(DD-MM-YY)",
# "(yyyy-mm-dd)", "(Y/N)", "(Yes/No)". Only at the end of a heading.
_HINT = re.compile(
    r"\(\s*(?:(?:d{1,2}|m{1,3}|y{2,4})(?:\s*[/.\-]\s*(?:d{1,2}|m{1,3}|y{2,4})){2}"
    r"|y\s*/\s*n|yes\s*/\s*no)\s*\)\W*$"
)
_NOT_WORD = re.compile(r"[\W_]+")
_LIST = re.compile(r"(?<![a-z])list[\W_]*0*(\d{1,2})(?!\d)")


def heading_key(text: str) -> str:
    """What a heading means, for comparing: letters and digits only, case folded.

    "Date of Contact (dd/mm/yyyy)", "DATE OF\\nCONTACT", "Date_of_Contact"
    and "Date of Contact." all give "dateofcontact"; "Child’s Category of
    Need" and "Child's Category of Need" give the same key.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    while True:
        shorter = _HINT.sub("", folded).rstrip()
        if shorter == folded or not shorter:
            break
        folded = shorter
    return _NOT_WORD.sub("", folded)


def list_number(name: str) -> int | None:
    """The number of the list a tab or file is named for, or None.

    "List_7", "LIST 7", "List 1 - Contacts", "list07" name a list; "List 70"
    names List 70, never List 7; "Sheet7" and "Contacts" name none.
    """
    match = _LIST.search(unicodedata.normalize("NFKC", name).casefold())
    return int(match.group(1)) if match else None
