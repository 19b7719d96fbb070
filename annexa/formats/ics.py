"""The calendar (iCalendar, RFC 5545): what falls due when, for Outlook and the rest.

One all-day event for each item that has an expiry or due date, on that
date (the last day it is in date, so acting on the day is never late), its
summary the item and what happens, its description what to do, the file and
the owner, and a reminder ``due_soon`` before, at 09:00. Staff import the
file or subscribe to it (docs/calendar-and-pack.md).

The file is the same, byte for byte, for the same folder, spec and as-of
date, so a scheduled run can publish it and a test can compare it:

- A UID names the item and what falls due (a document going out of date, a
  report falling due), never a date or the run: when a new version moves the
  date, a client that matches UIDs moves the event instead of adding one.
- DTSTAMP is midnight UTC on the as-of date, not the clock: a later check
  is a later revision of each event, which is how clients that follow RFC
  5546 (Outlook among them) choose between two copies of one UID.
- Lines end CRLF and are folded at 75 octets, never inside a UTF-8
  character; text escapes backslashes, semicolons, commas and newlines.
  Names are plain text (``printable()``): no HTML description is written,
  so nothing in a file name can become markup in a calendar client.

No reminder is attached to an event already past: importing a calendar must
not set off a reminder for every item that went out of date last year.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from annexa.formats._common import falls_due_words, flat, safe, todo_by_date, uk_date
from annexa.model import ItemResult, Report

CRLF = "\r\n"
MAX_OCTETS = 75
REMINDER_HOUR = 9  # the reminder goes off at 09:00 on its day
UID_DOMAIN = "annexa"


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
            limit = MAX_OCTETS - 1  # a continuation line starts with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def event_uid(spec_name: str, item_id: str, what: str) -> str:
    """The event's UID: the same for the same spec, item and kind of date, whatever the run."""
    key = "\x1f".join((spec_name, item_id, what)).encode("utf-8", "surrogatepass")
    return f"{hashlib.sha256(key).hexdigest()[:32]}@{UID_DOMAIN}"


def _uid_key(item: ItemResult) -> str:
    """What falls due, for the UID: a report ("due") or the end of a document's life."""
    return "due" if item.period is not None else "expires"


def _description(item: ItemResult, report: Report) -> str:
    assert item.expires is not None
    when = "Due by" if item.period is not None else "Last day in date:"
    lines = [
        f"{when} {uk_date(item.expires)}.",
        f"What to do: {todo_by_date(item)}",
        f"Now: {item.status.label}. {flat(item.reason)}",
        f"File: {safe(item.file)}" if item.file else "File: none found",
        f"Owner: {safe(item.owner)}" if item.owner else "Owner: not named in the spec",
        f"From annexa's check of {safe(report.root)} as of {uk_date(report.as_of)} "
        f"({safe(report.spec_name)}).",
    ]
    return "\n".join(lines)


def _reminder(item: ItemResult, as_of: dt.date) -> list[str]:
    """A VALARM at 09:00, ``due_soon`` before the event; none for an event already past."""
    assert item.expires is not None
    if item.due_soon is None or item.expires < as_of:
        return []
    days = (item.expires - item.due_soon.subtract(item.expires)).days
    if days <= 0:
        return []
    hours = 24 - REMINDER_HOUR  # the evening before's midnight, less these hours
    trigger = f"-P{days - 1}DT{hours}H" if days > 1 else f"-PT{hours}H"
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"TRIGGER:{trigger}",
        f"DESCRIPTION:{escape_text(_summary(item))}",
        "END:VALARM",
    ]


def _summary(item: ItemResult) -> str:
    optional = "" if item.required else " (optional)"
    return f"{safe(item.id)} {safe(item.title)}{optional} {falls_due_words(item)}"


def _event(item: ItemResult, report: Report, stamp: str) -> list[str]:
    assert item.expires is not None
    day = item.expires
    return [
        "BEGIN:VEVENT",
        f"UID:{event_uid(report.spec_name, item.id, _uid_key(item))}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(_summary(item))}",
        f"DESCRIPTION:{escape_text(_description(item, report))}",
        "CATEGORIES:Annex A",
        "TRANSP:TRANSPARENT",
        "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
        "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
        *_reminder(item, report.as_of),
        "END:VEVENT",
    ]


def dated_items(report: Report) -> list[ItemResult]:
    """The items that get an event: those with an expiry or due date, soonest first."""
    dated = [item for item in report.items if item.expires is not None]
    return sorted(dated, key=lambda item: item.expires or dt.date.min)


def render(report: Report, *, colour: bool = False) -> str:
    """The whole calendar, CRLF line endings. ``colour`` is ignored."""
    stamp = f"{report.as_of:%Y%m%d}T000000Z"
    name = f"Annex A: {safe(report.spec_name)}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//annexa//annexa {safe(report.tool_version)}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-CALDESC:"
        + escape_text(
            f"What falls due in {safe(report.root)}, as annexa found it on {uk_date(report.as_of)}."
        ),
        # How often a subscribed copy should be fetched again (Outlook reads the X- one).
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    for item in dated_items(report):
        lines += _event(item, report, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
