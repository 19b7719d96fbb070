"""The words annexa uses for dates and evidence, in one place.

Business support staff read these sentences, so they follow UK usage
("12 March 2015", "March 2015" for a date known only to the month) and name
evidence the way a person would look for it ("'Date approved' on page 1").
"""

from __future__ import annotations

import datetime as dt

from annexa.model import FoundDate, Report, Status
from annexa.model.dates import OCR_WHERE
from annexa.model.durations import Duration


def uk_date(day: dt.date) -> str:
    """12 March 2015."""
    return f"{day.day} {day:%B %Y}"


SOURCE_WORDS = {
    "content": "in the document",
    "filename": "from the file name",
    "metadata": "from the document properties",
    "mtime": "when the file was last saved",
}
"""Where a date came from, as a person would say it."""


_WHERE_WORDS = {
    "header": "in the header",
    "footer": "in the footer",
    "cover": "on the cover",
    "title": "in the title",
    OCR_WHERE: "read by OCR from a scanned page",
}


def where_words(where: str | None) -> str:
    """Where on its page a date was read, as a person says it ("in the footer"); "" for
    the body of the text, the file name and the properties: the source says enough."""
    if not where or where in ("body", "name", "properties"):
        return ""
    return _WHERE_WORDS.get(where, f"in the {where}")


def source_words(source: str) -> str:
    """ "in the document" for "content", and so on; an unknown source as it is."""
    return SOURCE_WORDS.get(source, source)


def uk_short_date(day: dt.date) -> str:
    """12 Mar 2015: for tables and bars, where the month's full name will not fit."""
    return f"{day.day} {day:%b %Y}"


def uk_found(found: FoundDate) -> str:
    """A found date as precisely as it was written: "March 2015" or "12 March 2015"."""
    if found.precision == "month":
        return f"{found.value:%B %Y}"
    if found.precision == "year":
        return str(found.value.year)
    return uk_date(found.value)


def days_phrase(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


_VERBS = (
    ("approv", "approved"),
    ("ratif", "ratified"),
    ("agreed", "agreed"),
    ("signed", "signed off"),
    ("adopt", "adopted"),
    ("endors", "endorsed"),
    ("publi", "published"),
    ("issue", "issued"),
    ("review", "last reviewed"),
    ("updat", "last updated"),
    ("produc", "produced"),
    ("effective", "effective from"),
)


def dated_phrase(found: FoundDate) -> str:
    """ "approved 1 August 2014", "dated March 2015 in its file name", ..."""
    when = uk_found(found)
    if found.source == "filename":
        return f"dated {when} in its file name"
    if found.source == "metadata":
        saved = "created" if found.label and "creat" in found.label.lower() else "last saved"
        return f"{saved} {when} according to its document properties"
    if found.source == "mtime":
        return f"file last modified {when}"
    label = (found.label or "").lower()
    for stem, verb in _VERBS:
        if stem in label:
            return f"{verb} {when}"
    return f"dated {when}"


def evidence_phrase(found: FoundDate) -> str:
    """Where a person can see the date: "'Date approved' on page 1", "the footer"."""
    parts = []
    if found.label:
        parts.append(f"'{found.label}'")
    if found.where in ("header", "footer"):
        parts.append(where_words(found.where))
    elif found.page:
        parts.append(f"on page {found.page}")
    return " ".join(parts)


def every_phrase(duration: Duration) -> str:
    """ "reviewed every 12 months"."""
    return f"reviewed every {duration}"


NO_ITEMS = "no items in the spec"
# The group of items the spec names no owner for, in the reports and the live view alike.
NO_OWNER = "No owner named in the spec"


def status_counts(report: Report) -> list[tuple[Status, int]]:
    """Each status that occurs, with how many items have it, in the order every report
    counts them (the JSON summary's order, "in date" first)."""
    summary = report.summary
    return [(status, summary[status.value]) for status in Status if summary[status.value]]


def summary_line(report: Report) -> str:
    """Counts per status in words, in date first: "31 in date · 3 due soon · 2 missing"."""
    parts = [f"{count} {status.label}" for status, count in status_counts(report)]
    return " · ".join(parts) if parts else NO_ITEMS
