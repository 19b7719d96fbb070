"""Dates from a file's properties (PDF info and XMP, Office core properties) and its mtime.

These strings come from whatever program wrote the file and are often
malformed (``D:2015031210``, ``D:20150312101500Z00'00'``, missing ``D:``,
2-digit-year bugs, garbage). Each is parsed tolerantly and never raises. The
date is the date as written, the document's local date: the time zone is
ignored, so a file saved at 00:30 on 1 April BST is dated 1 April. Years
outside 1990-2099 are rejected: they are the zero dates of file systems and
programs (1601, 1970, 1980) or typing accidents (2999). A property given
only to the year is too weak to date a document and is skipped; one given
to the month ("2015-03") counts as the month's last day.

Modified dates come before created dates: a document's last save is nearer
to its current version than its first.
"""

from __future__ import annotations

import datetime as dt
import re

from annexa.dating.months import MONTH_PATTERN, month_number
from annexa.dating.parse import Precision, make_date, plausible
from annexa.model import FoundDate
from annexa.words.textsafe import one_line

_ISO_RE = re.compile(r"\s*(?P<y>[0-9]{4})-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?(?![0-9])")
_PDF_RE = re.compile(r"\s*(?:D\s*:\s*)?(?P<y>[0-9]{4})(?P<m>[0-9]{2})?(?P<d>[0-9]{2})?")
# "Thu Mar 12 10:15:00 2015", as a few PDF producers write it.
_ASCTIME_RE = re.compile(
    rf"\s*[A-Za-z]{{3}},?\s+(?P<mon>{MONTH_PATTERN})\s+(?P<d>[0-9]{{1,2}})\s+[0-9:]+\s+"
    r"(?:[A-Z]{3,4}\s+)?(?P<y>[0-9]{4})",
    re.IGNORECASE,
)

_PLACE = {
    "pdf": "PDF properties",
    "xmp": "PDF XMP properties",
}
_OFFICE_PLACE = {
    "docx": "Word properties",
    "docm": "Word properties",
    "xlsx": "Excel properties",
    "xlsm": "Excel properties",
    "pptx": "PowerPoint properties",
}
_WHAT = {
    "moddate": ("modified", 0),
    "modifydate": ("modified", 0),
    "modified": ("modified", 0),
    "metadatadate": ("properties changed", 1),
    "creationdate": ("created", 2),
    "createdate": ("created", 2),
    "created": ("created", 2),
}


def _checked(year: str, month: str | None, day: str | None) -> tuple[dt.date, Precision] | None:
    if month is None:
        return None
    value = make_date(int(year), int(month), int(day) if day else None)
    if value is None:
        return None
    return value, "day" if day else "month"


def parse_property_date(raw: str) -> tuple[dt.date, Precision] | None:
    """The date in a PDF date string, an ISO 8601/W3CDTF string or an asctime string."""
    if not isinstance(raw, str):
        return None
    m = _ISO_RE.match(raw)
    if m:
        return _checked(m.group("y"), m.group("m"), m.group("d"))
    m = _PDF_RE.match(raw)
    if m:
        return _checked(m.group("y"), m.group("m"), m.group("d"))
    m = _ASCTIME_RE.match(raw)
    if m:
        year = int(m.group("y"))
        value = make_date(year, month_number(m.group("mon")), int(m.group("d")))
        return (value, "day") if value else None
    return None


def _describe(key: str, kind: str) -> tuple[str, int]:
    """A label a person understands for a property key, and its place in the order."""
    prefix, _, name = key.partition(":")
    if not name:
        prefix, name = "", prefix
    what, rank = _WHAT.get(name.lower(), (name, 1))
    if prefix == "core":
        place = _OFFICE_PLACE.get(kind, "document properties")
    else:
        place = _PLACE.get(prefix.lower(), "document properties")
    return f"{what} ({place})", rank


def metadata_dates(metadata: tuple[tuple[str, str], ...], kind: str) -> list[FoundDate]:
    """Issue-date candidates from a file's properties: modified first, then created."""
    ranked: list[tuple[int, FoundDate]] = []
    for key, raw in metadata:
        parsed = parse_property_date(raw)
        if parsed is None:
            continue
        label, rank = _describe(key, kind)
        found = FoundDate(
            value=parsed[0],
            kind="issue",
            source="metadata",
            precision=parsed[1],
            label=label,
            page=None,
            where="properties",
            text=one_line(f"{key} {raw}", 120),
        )
        ranked.append((rank, found))
    ranked.sort(key=lambda pair: pair[0])
    return [found for _, found in ranked]


_EPOCH = dt.datetime(1970, 1, 1)


def mtime_date(mtime_ns: int) -> FoundDate | None:
    """The file's modification time as an issue-date candidate (its UTC date)."""
    try:
        when = _EPOCH + dt.timedelta(microseconds=mtime_ns // 1000)
    except (OverflowError, TypeError):
        return None
    if not plausible(when.year):
        return None
    return FoundDate(
        value=when.date(),
        kind="issue",
        source="mtime",
        precision="day",
        label="file modified",
        page=None,
        where=None,
        text=f"file last modified {when:%Y-%m-%d %H:%M} UTC",
    )
