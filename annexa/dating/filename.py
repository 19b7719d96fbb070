"""Dates, spans and years in a file name: "2015-03-12 Structure chart.pdf".

A date in a file name is an issue date (label "file name"): ``2015-03-12``,
``12.03.2015``, ``12-03-2015``, ``20150312`` (only when it is a real,
plausible date), ``2015_03_12``, ``Sept 2015``, ``March 2015``,
``12 March 2015``. A span ("Annual report 2014-15") or a year alone
("IRO annual report 2014") is not an issue date: it is the period the file
covers, returned as a YearSpan. Spans are listed before single years, and a
year that is part of a date or a span is not listed again on its own.
"""

from __future__ import annotations

import re

from annexa.dating.parse import find_dates
from annexa.dating.spans import blank_out, find_single_years, find_spans
from annexa.model import FoundDate, YearSpan

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
FILENAME_LABEL = "file name"


def file_name(path: str) -> str:
    """The last part of a ROOT-relative path."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def stem(name: str) -> str:
    """The file name without its extension ("report 2014.pdf" -> "report 2014")."""
    return _EXTENSION.sub("", name) if not name.startswith(".") else name


def filename_facts(name: str, order: str) -> tuple[list[FoundDate], list[YearSpan]]:
    """Issue dates and year spans written in a file name, in reading order."""
    text = stem(name)
    dates: list[FoundDate] = []
    used: list[tuple[int, int]] = []
    for found in find_dates(text, order):
        used.append((found.start, found.end))
        dates.append(
            FoundDate(
                value=found.value,
                kind="issue",
                source="filename",
                precision=found.precision,
                label=FILENAME_LABEL,
                page=None,
                where="name",
                text=name,
            )
        )
    rest = blank_out(text, used)
    spans = find_spans(rest)
    years = find_single_years(blank_out(rest, [(s.start, s.end) for s in spans]))
    year_spans = [YearSpan(s.first, s.last, "filename", s.text) for s in spans + years]
    return dates, year_spans
