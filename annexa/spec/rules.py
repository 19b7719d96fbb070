"""The validated, immutable form of a spec: what is required and how it is dated.

Defaults are already folded into every item, so the evaluator never has to
ask "is this set here or in [defaults]?".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from annexa.finding.globs import Matcher
from annexa.finding.matching import ItemMatcher
from annexa.model.durations import Duration

Period = Literal["financial-year", "academic-year", "calendar-year"]
PERIODS: tuple[str, ...] = ("financial-year", "academic-year", "calendar-year")
DATE_ORDERS: tuple[str, ...] = ("DMY", "MDY", "YMD")
YEAR_ENDS: tuple[str, ...] = ("march", "december")
SIX_MONTHS = Duration(6, "months")


@dataclass(frozen=True, slots=True)
class DatingOptions:
    """The spec settings that decide how a file's dates are read.

    Hashable, so that dating a file once per distinct set of options can be
    memoised: most specs use one set for every item.
    """

    date_sources: tuple[str, ...] = ("content", "filename", "metadata")
    date_order: str = "DMY"
    year_end: str = "march"
    draft_markers: tuple[str, ...] = ("draft",)


@dataclass(frozen=True, slots=True)
class ItemRule:
    """One required item of Annex A, with every default applied."""

    id: str
    title: str
    patterns: tuple[str, ...]
    matchers: tuple[Matcher, ...]
    formats: frozenset[str]
    max_age: Duration | None
    due_soon: Duration
    dating: DatingOptions
    section: str | None = None
    keywords: tuple[str, ...] = ()
    required: bool = True
    owner: str | None = None
    count: int = 1
    period: str | None = None
    grace: Duration = SIX_MONTHS
    sheet: str | None = None
    columns: tuple[str, ...] = ()
    line: int | None = None

    @property
    def is_data_list(self) -> bool:
        """A child-level data list (it names a sheet or columns): its content is checked,
        and it is an extract made afresh, never a document that is reviewed."""
        return bool(self.sheet or self.columns)

    def matches(self, path: str) -> bool:
        """Whether a ROOT-relative path is a candidate for this item.

        The extension check comes first: it is a set lookup and rules out
        most of a large share before any pattern is tried.
        """
        dot = path.rfind(".")
        slash = path.rfind("/")
        if dot <= slash + 1 or path[dot + 1 :].lower() not in self.formats:
            return False
        return any(m.match(path) for m in self.matchers)


@dataclass(frozen=True, slots=True)
class Waiver:
    """A known, accepted gap that expires by itself."""

    item: str
    reason: str
    until: dt.date
    approved_by: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    version: str | None
    source: str  # a bundled name ("ilacs") or the path as given
    items: tuple[ItemRule, ...]
    waivers: tuple[Waiver, ...] = ()
    matcher: ItemMatcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matcher", ItemMatcher(self.items))

    def items_matching(self, path: str) -> tuple[str, ...]:
        """The ids of the items whose patterns and formats a ROOT-relative path matches."""
        return self.matcher.match(path)

    def item(self, item_id: str) -> ItemRule:
        for rule in self.items:
            if rule.id == item_id:
                return rule
        raise KeyError(item_id)

    def waivers_for(self, item_id: str) -> tuple[Waiver, ...]:
        return tuple(w for w in self.waivers if w.item == item_id)

    def dating_options(self) -> tuple[DatingOptions, ...]:
        """Each different way its items date a document, once, in item order: what a
        reader dates every file under, ahead of knowing which items it matches."""
        return tuple(dict.fromkeys(rule.dating for rule in self.items))
