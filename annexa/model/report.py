"""The Report every face renders, and the statuses it speaks in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from annexa.model.durations import Duration
from annexa.model.failures import FailureKind


class Status(str, Enum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OUT_OF_DATE = "out_of_date"
    MISSING = "missing"
    UNDATED = "undated"
    DRAFT = "draft"
    UNREADABLE = "unreadable"
    INCOMPLETE = "incomplete"
    WAIVED = "waived"

    @property
    def severity(self) -> Severity | None:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        """The status in words for people ("out of date")."""
        return _LABEL[self]

    @property
    def symbol(self) -> str:
        """A symbol that survives a monochrome terminal or a printout."""
        return _SYMBOL[self]


class Severity(str, Enum):
    WARNING = "warning"
    ERROR = "error"


_SEVERITY: dict[Status, Severity | None] = {
    Status.OK: None,
    Status.DUE_SOON: Severity.WARNING,
    Status.OUT_OF_DATE: Severity.ERROR,
    Status.MISSING: Severity.ERROR,
    Status.UNDATED: Severity.WARNING,
    Status.DRAFT: Severity.WARNING,
    Status.UNREADABLE: Severity.ERROR,
    Status.INCOMPLETE: Severity.ERROR,
    Status.WAIVED: None,
}

_LABEL: dict[Status, str] = {
    Status.OK: "in date",
    Status.DUE_SOON: "due soon",
    Status.OUT_OF_DATE: "out of date",
    Status.MISSING: "missing",
    Status.UNDATED: "undated",
    Status.DRAFT: "draft",
    Status.UNREADABLE: "unreadable",
    Status.INCOMPLETE: "incomplete",
    Status.WAIVED: "waived",
}

_SYMBOL: dict[Status, str] = {
    Status.OK: "✓",
    Status.DUE_SOON: "◔",
    Status.OUT_OF_DATE: "✗",
    Status.MISSING: "∅",
    Status.UNDATED: "?",
    Status.DRAFT: "✎",
    Status.UNREADABLE: "!",
    Status.INCOMPLETE: "◧",
    Status.WAIVED: "~",
}

# The order in which items needing action are listed: worst first.
STATUS_ORDER: tuple[Status, ...] = (
    Status.MISSING,
    Status.OUT_OF_DATE,
    Status.UNREADABLE,
    Status.INCOMPLETE,
    Status.DUE_SOON,
    Status.DRAFT,
    Status.UNDATED,
    Status.WAIVED,
    Status.OK,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which words in which file gave the date that decided an item."""

    source: str
    label: str | None
    page: int | None
    text: str
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "label": self.label,
            "page": self.page,
            "text": self.text,
            "where": self.where,
        }


@dataclass(frozen=True, slots=True)
class WaiverState:
    """A waiver as it stands on the as-of date."""

    reason: str
    until: dt.date
    approved_by: str | None
    active: bool  # until >= as_of
    applied: bool  # active and the item would otherwise have failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "until": self.until.isoformat(),
            "approved_by": self.approved_by,
            "active": self.active,
            "applied": self.applied,
            "expired": not self.active,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Where to save the file an item needs, under a name annexa will recognise.

    ``folder`` is ROOT-relative with ``/`` separators ("" is ROOT itself),
    chosen from where the item's own or its section's files are kept;
    ``name`` matches the item's patterns and carries the period or month the
    file should cover, so that annexa can date it from its name.
    """

    folder: str
    name: str

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name

    def to_dict(self) -> dict[str, str]:
        return {"folder": self.folder, "name": self.name, "path": self.path}


@dataclass(frozen=True, slots=True)
class NearestItem:
    """A file that matches no item, and the item its name suggests it is.

    ``name`` is a name under which annexa would count the file for the item;
    None when the name already fits the item but the file's text lacks the
    words the item asks for. ``advice`` says it in a sentence.
    """

    file: str
    item: str
    title: str
    name: str | None
    advice: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "item": self.item,
            "title": self.title,
            "suggested_name": self.name,
            "advice": self.advice,
        }


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem in one row of a data list: where it is and what kind, never the cell.

    ``row`` is the sheet's own row number (1-based, as Excel shows it);
    ``column`` the column's name in the spec ("" for the whole row).
    """

    sheet: str
    row: int
    column: str
    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "kind": self.kind,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The verdict on one required item, with the words to explain it.

    ``reason`` says what annexa found ("dated 12 March 2013 (content, 'Date
    approved'); more than 12 months before 16 September 2015"); ``action``
    says what a person should do about it ("Upload the 2014-15 LADO annual
    report; it is expected by 30 September 2015"), or "" when nothing is due.
    ``severity`` is None for items that are fine, waived or not required.
    """

    id: str
    title: str
    section: str | None
    status: Status
    severity: Severity | None
    reason: str
    action: str = ""
    file: str | None = None
    date: dt.date | None = None
    date_source: str | None = None
    expires: dt.date | None = None
    evidence: Evidence | None = None
    superseded: tuple[str, ...] = ()
    waiver: WaiverState | None = None
    owner: str | None = None
    required: bool = True
    files: tuple[str, ...] = ()  # every file that matched, newest first
    period: str | None = None  # the period covered, for period items ("2014-15")
    # How long before ``expires`` the item counts as due soon (the spec's
    # ``due_soon``), for faces that warn ahead, such as the calendar's reminder.
    # Not in the JSON report: it is the spec's setting, not a finding.
    due_soon: Duration | None = None
    # A data list's row problems (the first of each kind), and how many there are
    # in all; None for an item that is not a data list.
    row_problems: tuple[RowProblem, ...] | None = None
    row_problems_total: int = 0
    suggestion: Suggestion | None = None  # where to save the file it needs, when it needs one

    @property
    def needs_action(self) -> bool:
        """Someone must do something about it: the one definition every face uses.

        Every status with a severity (missing, out of date, unreadable,
        incomplete, due soon, draft, undated) of a required item, and not
        while a waiver covers it.
        """
        return self.severity is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "section": self.section,
            "status": self.status.value,
            "severity": self.severity.value if self.severity else None,
            "reason": self.reason,
            "action": self.action,
            "file": self.file,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "expires": self.expires.isoformat() if self.expires else None,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "superseded": list(self.superseded),
            "waiver": self.waiver.to_dict() if self.waiver else None,
            "owner": self.owner,
            "required": self.required,
            "files": list(self.files),
            "period": self.period,
            "suggestion": self.suggestion.to_dict() if self.suggestion else None,
            **(
                {
                    "row_problems": [p.to_dict() for p in self.row_problems],
                    "row_problems_total": self.row_problems_total,
                }
                if self.row_problems is not None
                else {}
            ),
        }


@dataclass(frozen=True, slots=True)
class FileError:
    """A file or folder that could not be read, and why, in one line.

    ``folder`` marks a folder that could not be listed: the items whose files
    would be in it are unknown, not missing.
    """

    file: str
    error: str
    kind: FailureKind = FailureKind.UNEXPECTED
    folder: bool = False

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "error": self.error}


COMING_UP_DAYS = 90
"""How far ahead "Coming up" looks, in every face that shows it."""

SUMMARY_KEYS: tuple[str, ...] = (*(s.value for s in Status), "unmatched_files")


@dataclass(frozen=True, slots=True)
class Report:
    """The one truth every face renders. Built only by ``evaluate``."""

    root: str
    spec_name: str
    spec_source: str
    as_of: dt.date
    items: tuple[ItemResult, ...]
    unmatched: tuple[str, ...] = ()
    errors: tuple[FileError, ...] = ()
    notices: tuple[str, ...] = field(default=())  # e.g. "Waiver for A7 expired on 31 October 2015"
    tool_version: str = ""
    nearest: tuple[NearestItem, ...] = ()  # unmatched files that look like an item

    def nearest_for(self, path: str) -> NearestItem | None:
        """The item an unmatched file looks like, if its name suggests one."""
        return next((hint for hint in self.nearest if hint.file == path), None)

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(SUMMARY_KEYS, 0)
        for item in self.items:
            counts[item.status.value] += 1
        counts["unmatched_files"] = len(self.unmatched)
        return counts

    def coming_up(self, days: int = COMING_UP_DAYS) -> tuple[ItemResult, ...]:
        """The items that go out of date or fall due within ``days`` after the as-of
        date (their expiry date on or before it, but not yet past), soonest first."""
        horizon = self.as_of + dt.timedelta(days=days)
        found = [
            item
            for item in self.items
            if item.expires is not None and self.as_of <= item.expires <= horizon
        ]
        return tuple(sorted(found, key=lambda item: (item.expires, item.id)))

    def worst(self) -> Severity | None:
        severities = {item.severity for item in self.items}
        if Severity.ERROR in severities:
            return Severity.ERROR
        if Severity.WARNING in severities:
            return Severity.WARNING
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "annexa-report/1",
            "tool": {"name": "annexa", "version": self.tool_version},
            "root": self.root,
            "spec": {"name": self.spec_name, "source": self.spec_source},
            "as_of": self.as_of.isoformat(),
            "summary": self.summary,
            "items": [item.to_dict() for item in self.items],
            "unmatched": list(self.unmatched),
            "errors": [e.to_dict() for e in self.errors],
            "notices": list(self.notices),
            "nearest_items": [hint.to_dict() for hint in self.nearest],
        }
