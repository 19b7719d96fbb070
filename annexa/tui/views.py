"""Which items the live view shows, and in what order: pure functions of the Report.

A *view* is a tab (everything, needs action, coming up); a *filter*
narrows it to one status or one owner; the search box to the items whose
words contain what was typed; the *sort* orders what is left. Rows are
keyed by item id, and section headings by ``§`` and their name, so the
table can be updated in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from annexa.model import STATUS_ORDER, ItemResult, Report, Status
from annexa.words.phrases import NO_OWNER
from annexa.words.textsafe import printable

NO_SECTION = "Other items"


class View(str, Enum):
    EVERYTHING = "everything"
    NEEDS_ACTION = "action"
    COMING_UP = "coming"

    @property
    def label(self) -> str:
        return _VIEW_LABEL[self]


_VIEW_LABEL = {
    View.EVERYTHING: "Everything",
    View.NEEDS_ACTION: "Needs action",
    View.COMING_UP: "Coming up",
}


class Sort(str, Enum):
    SECTION = "section"
    URGENCY = "urgency"
    EXPIRES = "expires"

    @property
    def label(self) -> str:
        return _SORT_LABEL[self]

    def next(self) -> Sort:
        order = list(Sort)
        return order[(order.index(self) + 1) % len(order)]


_SORT_LABEL = {
    Sort.SECTION: "by section, most urgent first",
    Sort.URGENCY: "most urgent first",
    Sort.EXPIRES: "expires next",
}


@dataclass(frozen=True)
class Filter:
    """One status, one owner, both or neither."""

    status: Status | None = None
    owner: str | None = None

    def __bool__(self) -> bool:
        return self.status is not None or self.owner is not None

    def describe(self) -> str:
        """ "missing · owner Head of Service", or "" when nothing is filtered."""
        parts = []
        if self.status is not None:
            parts.append(self.status.label)
        if self.owner is not None:
            parts.append(f"owner {printable(self.owner)}")
        return " · ".join(parts)


def section_of(item: ItemResult) -> str:
    return item.section or NO_SECTION


def section_key(section: str) -> str:
    return f"§{section}"


def is_section(key: str) -> bool:
    return key.startswith("§")


def owner_of(item: ItemResult) -> str:
    return item.owner or NO_OWNER


def in_view(report: Report, view: View) -> list[ItemResult]:
    """The items of a tab, before filters and search."""
    if view is View.NEEDS_ACTION:
        return [item for item in report.items if item.needs_action]
    if view is View.COMING_UP:
        return list(report.coming_up())
    return list(report.items)


def matches(item: ItemResult, chosen: Filter, query: str) -> bool:
    """Whether an item passes the filter and the search box."""
    if chosen.status is not None and item.status is not chosen.status:
        return False
    if chosen.owner is not None and owner_of(item) != chosen.owner:
        return False
    if not query:
        return True
    needle = query.casefold()
    haystack = " ".join(
        filter(None, (item.id, item.title, item.section, item.file, item.owner, item.reason))
    )
    return needle in printable(haystack).casefold()


def visible(report: Report, view: View, chosen: Filter, query: str) -> list[ItemResult]:
    return [item for item in in_view(report, view) if matches(item, chosen, query)]


_RANK = {status: n for n, status in enumerate(STATUS_ORDER)}
_FAR = dt.date.max


def urgency(item: ItemResult) -> tuple[int, int, dt.date]:
    """Needs action first, then by status (missing first), then soonest expiry."""
    return (0 if item.needs_action else 1, _RANK[item.status], item.expires or _FAR)


def row_keys(items: Sequence[ItemResult], sort: Sort, view: View) -> list[str]:
    """The rows in order: item ids, with section headings when sorted by section.

    By section, the section holding the most urgent item comes first, and
    the items within it most urgent first; otherwise one list, most urgent
    first or soonest expiry first. "Coming up" is by date whatever the sort:
    it is a calendar.
    """
    position = {item.id: n for n, item in enumerate(items)}
    if view is View.COMING_UP or sort is Sort.EXPIRES:
        ordered = sorted(items, key=lambda i: (i.expires or _FAR, urgency(i), position[i.id]))
        return [item.id for item in ordered]
    if sort is Sort.URGENCY:
        ordered = sorted(items, key=lambda i: (urgency(i), position[i.id]))
        return [item.id for item in ordered]
    sections: dict[str, list[ItemResult]] = {}
    for item in items:
        sections.setdefault(section_of(item), []).append(item)
    keys: list[str] = []
    for name, members in sorted(
        sections.items(),
        key=lambda pair: (min(urgency(i) for i in pair[1]), position[pair[1][0].id]),
    ):
        keys.append(section_key(name))
        keys += [i.id for i in sorted(members, key=lambda i: (urgency(i), position[i.id]))]
    return keys


def keep_places(previous: Sequence[str], fresh: Sequence[str]) -> list[str]:
    """``fresh``'s rows in ``previous``'s order, so that rows stay where they are.

    Rows that are gone are dropped; a new row goes after the row it follows
    in ``fresh`` (or first), so a new item lands in its section.
    """
    wanted = set(fresh)
    kept = [key for key in previous if key in wanted]
    placed = set(kept)
    for n, key in enumerate(fresh):
        if key in placed:
            continue
        before = next((fresh[m] for m in range(n - 1, -1, -1) if fresh[m] in placed), None)
        kept.insert(kept.index(before) + 1 if before is not None else 0, key)
        placed.add(key)
    return kept


def owners(items: Iterable[ItemResult]) -> list[tuple[str, int]]:
    """Each owner with how many items they own, most items first."""
    counts: dict[str, int] = {}
    for item in items:
        counts[owner_of(item)] = counts.get(owner_of(item), 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].casefold()))


def status_counts(items: Iterable[ItemResult]) -> list[tuple[Status, int]]:
    """Each status present, most urgent first, with its count."""
    counts: dict[Status, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return [(status, counts[status]) for status in STATUS_ORDER if status in counts]


__all__ = [
    "NO_OWNER",
    "NO_SECTION",
    "Filter",
    "Sort",
    "View",
    "in_view",
    "is_section",
    "keep_places",
    "matches",
    "owners",
    "row_keys",
    "section_key",
    "section_of",
    "status_counts",
    "urgency",
    "visible",
]
