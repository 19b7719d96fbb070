"""Version-history tables: the newest row dates the document; a 0.x version is a draft.

Council templates keep a table near the front, and its newest row is when
the document last changed. How the table and its rows are found, and when a
0.x version is not a draft, are in docs/dating.md ("Version-history
tables"). Besides: rows follow within ``ROWS_WITHIN`` lines of the header;
decimal versions are read ("1.0", "v2.1", "1.2.3") and whole numbers ("1",
"2"); a line that opens with a date is a date first, so "12 March 2015" is
never version 12.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from annexa.dating.parse import ParsedDate, find_dates, match_date
from annexa.dating.textlayer import mend
from annexa.model import TextBlock

ROWS_WITHIN = 30  # lines after the header
GAP_LINES = 6  # lines without a version or a date that end the table
ROW_WORDS = 30  # a longer line is prose, not a row
HEADER_CHARS = 120  # a table's header row is no longer than this
CELL_CHARS = 40  # a header cell on a line of its own ("Version No.") is no longer than this

_VERSION_WORD = r"(?:version|ver|issue|revision|rev|v)"
_HEADER_LINE = re.compile(
    rf"(?i)^(?=.*(?<![^\W_]){_VERSION_WORD}\.?(?:\s*(?:no|number|#)\.?)?(?![^\W_]))"
    r"(?=.*(?<![^\W_])date(?![^\W_]))[^0-9]*$"
)
_VERSION_CELL = re.compile(rf"(?i)^\W*{_VERSION_WORD}\.?(?:\s*(?:no|number|#)\.?)?\W*$")
_DATE_CELL = re.compile(r"(?i)^\W*(?:date|issue date|date issued|version date|revision date)\W*$")
_VERSION_TOKEN = re.compile(
    r"(?i)\s*(?:v(?:ersion|er)?\.?\s*)?(?P<v>[0-9]{1,2}(?:\.[0-9]{1,3}){0,2})(?=[\s|:,;]|$)"
)
_NOT_DRAFT = re.compile(
    r"(?i)(?<![^\W_])status\s*[:\t|]?\s*(?:final|approved|published|live|current|ratified|agreed)"
    r"|(?<![^\W_])version(?:\s*(?:no|number)\.?)?\s*[:\t|]\s*v?(?:[1-9][0-9]*)(?:\.[0-9]+)*(?![0-9.])"
)


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One row of a version table: its version, its date, and where it was read."""

    version: tuple[int, ...]
    written: str  # the version as written: "1.1"
    date: ParsedDate
    text: str  # the row's words, for evidence
    block: TextBlock


def _version(m: re.Match[str]) -> tuple[int, ...]:
    return tuple(int(part) for part in m.group("v").split("."))


def _row(line: str, order: str) -> tuple[tuple[int, ...], str, ParsedDate | None] | None:
    """(version, as written, date or None) when a line starts a row; None otherwise."""
    if len(line.split()) > ROW_WORDS:
        return None
    lead = len(line) - len(line.lstrip())
    first = match_date(line, lead, order)
    if first is not None:  # "12/03/2015  1.0  J Smith"
        m = _VERSION_TOKEN.match(line, first.end)
        return (_version(m), m.group("v"), first) if m is not None else None
    m = _VERSION_TOKEN.match(line)
    if m is None:
        return None
    dates = find_dates(line[m.end() :], order)
    date = next((d for d in dates if d.precision != "year"), None)
    return _version(m), m.group("v"), date


def _header_at(lines: list[str], index: int) -> bool:
    """Whether a version table's header is at ``lines[index]``: one line, or one cell a line."""
    line = lines[index]
    if len(line) <= HEADER_CHARS and "date" in line.lower() and _HEADER_LINE.match(line):
        return len(line.split()) <= 12
    if len(line) <= CELL_CHARS and _VERSION_CELL.match(line):
        window = lines[index + 1 : index + 5]
        return any(_DATE_CELL.match(cell) for cell in window)
    return False


@functools.lru_cache(maxsize=16)
def version_rows(blocks: tuple[TextBlock, ...], order: str) -> tuple[VersionRow, ...]:
    """The rows of every version table in the body text, in document order (the last
    few documents' are remembered, as content dating's are)."""
    rows: list[VersionRow] = []
    for block in blocks:
        if block.where != "body":
            continue
        text = mend(block.text)
        if not _may_hold_table(text):
            continue
        lines = [line for line in text.splitlines() if line.strip()]
        index = 0
        for at in _may_be_header(lines):
            if at >= index and _header_at(lines, at):
                index = _read_rows(lines, at + 1, block, order, rows)
    return tuple(rows)


def _read_rows(
    lines: list[str], index: int, block: TextBlock, order: str, rows: list[VersionRow]
) -> int:
    """Read rows from ``lines[index]`` on; the index where the table ended."""
    end = min(len(lines), index + ROWS_WITHIN)
    pending: tuple[tuple[int, ...], str, str] | None = None  # a version alone, awaiting its date
    quiet = 0
    while index < end:
        line = lines[index]
        found = _row(line, order)
        if found is not None:
            version, written, date = found
            if date is not None:
                rows.append(VersionRow(version, written, date, " ".join(line.split()), block))
                pending = None
                quiet = 0
            elif line.strip() == _bare(line):
                pending = (version, written, line.strip())
                quiet = 0
            else:
                quiet += 1
        elif pending is not None:
            lead = len(line) - len(line.lstrip())
            date = match_date(line, lead, order)
            if date is not None:
                version, written, head = pending
                text = f"{head} {' '.join(line.split())}"
                rows.append(VersionRow(version, written, date, text, block))
                pending = None
                quiet = 0
            else:
                quiet += 1
        else:
            quiet += 1
        if quiet >= GAP_LINES:
            break
        index += 1
    return index


def _bare(line: str) -> str:
    """The version token of a line that holds nothing else, else ""."""
    m = _VERSION_TOKEN.fullmatch(line.strip())
    return m.group().strip() if m else ""


def _may_be_header(lines: list[str]) -> list[int]:
    """The lines short enough to be a header or a header's cell (most lines of prose are not)."""
    return [
        at
        for at, line in enumerate(lines)
        if len(line) <= CELL_CHARS or (len(line) <= HEADER_CHARS and "date" in line.lower())
    ]


def _may_hold_table(text: str) -> bool:
    lowered = text.lower()
    return "date" in lowered and (
        "version" in lowered or "issue" in lowered or "rev" in lowered or "ver" in lowered
    )


def newest_row(rows: tuple[VersionRow, ...]) -> VersionRow | None:
    """The row of the highest version; between equal versions, the later date."""
    if not rows:
        return None
    return max(rows, key=lambda row: (row.version, row.date.value))


def stated_final(blocks: tuple[TextBlock, ...]) -> bool:
    """Whether the text says the document is final or states a version from 1 up."""
    return any(_NOT_DRAFT.search(mend(block.text)) for block in blocks if block.where != "title")


_FINAL_WORDS = re.compile(
    r"(?i)(?<![^\W_])(?:final|approved|ratified|agreed|signed[\s-]*off|published|adopted|endorsed)"
    r"(?![^\W_])"
)


def row_says_final(row: VersionRow) -> bool:
    """Whether the newest row itself says the version was signed off ("0.9 ... Approved")."""
    return _FINAL_WORDS.search(row.text) is not None and "draft" not in row.text.lower()
