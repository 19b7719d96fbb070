"""The CSV report: one row per item, for Excel and for anyone's own tooling.

Columns: id, section, title, status, severity, date, expires, file, reason,
owner, action, save_as (where to save the file an item needs, when it needs
one). ``status`` and ``severity`` are the JSON report's values
(``out_of_date``, ``error``) so a filter or pivot table survives a change of
wording; dates are ISO (2015-03-12) so Excel sorts them as dates whatever the
PC's regional settings. Lines end ``\\r\\n`` as RFC 4180 and Excel expect.

The byte-order mark that makes Excel read the file as UTF-8 (and keep its £
signs and en dashes) is written by the CLI, which saves CSV files as
``utf-8-sig``; the text returned here has none, so a CSV piped to another
program does not start with a stray U+FEFF.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel and LibreOffice: a file named ``=HYPERLINK(...).docx``
would run. Such cells get a leading apostrophe (OWASP's advice), which Excel
shows as text and hides.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from annexa.formats._common import flat, iso_date, safe
from annexa.model import ItemResult, Report

COLUMNS: tuple[str, ...] = (
    "id",
    "section",
    "title",
    "status",
    "severity",
    "date",
    "expires",
    "file",
    "reason",
    "owner",
    "action",
    "save_as",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str | None) -> str:
    """A value Excel shows as text: displayable, and never a formula."""
    value = safe(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def cell_lines(texts: Sequence[str]) -> str:
    """Several values in one cell, a line each (Excel wraps them), never a formula."""
    value = "\n".join(safe(text) for text in texts)
    return "'" + value if value.startswith(_FORMULA_START) else value


def row(item: ItemResult) -> list[str]:
    """The CSV row of one item, in ``COLUMNS`` order."""
    return [
        cell(item.id),
        cell(item.section),
        cell(item.title),
        item.status.value,
        item.severity.value if item.severity else "",
        iso_date(item.date),
        iso_date(item.expires),
        cell(item.file),
        cell(flat(item.reason)),
        cell(item.owner),
        cell(flat(item.action)),
        cell(item.suggestion.path if item.suggestion else ""),
    ]


def render(report: Report, *, colour: bool = False) -> str:
    """The header and one row per item. ``colour`` is ignored."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in report.items:
        writer.writerow(row(item))
    return buffer.getvalue()
