"""The validated, immutable form of a spec: what is required and how it is dated.

Defaults are already folded into every item, so the evaluator never has to
ask "is this set here or in [defaults]?".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from typing import Literal

from annexa.finding.globs import Matcher
from annexa.finding.matching import ItemMatcher
from annexa.model.durations import Duration
from annexa.words.headings import heading_key, list_number

Period = Literal["financial-year", "academic-year", "calendar-year"]
PERIODS: tuple[str, ...] = ("financial-year", "academic-year", "calendar-year")
DATE_ORDERS: tuple[str, ...] = ("DMY", "MDY", "YMD")
YEAR_ENDS: tuple[str, ...] = ("march", "december")
SIX_MONTHS = Duration(6, "months")
COLUMN_TYPES: tuple[str, ...] = ("text", "id", "date", "whole number", "code", "postcode")
TEMPLATES: tuple[str, ...] = ("current", "previous")


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """One column of a data list: its heading, the names it also goes by, what its cells hold.

    ``type`` None means a heading only: the column must be there, its cells
    are not looked at. ``codes`` lists each allowed code as its spellings,
    the first the one shown. ``age_of`` (a whole-number column) names the
    date column of birth this age is counted from; ``after`` (a date
    column) the date it may not come before in the same row (an end and
    its start). ``personal`` marks a date about a person (a birth), which is
    checked inside the reader and never kept.
    """

    name: str
    type: str | None = None
    required: bool = False
    other_names: tuple[str, ...] = ()
    codes: tuple[tuple[str, ...], ...] = ()
    age_of: str | None = None
    after: str | None = None
    personal: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The heading keys (``heading_key``) this column is found by: its name first."""
        return _keys(self.name, self.other_names)

    @property
    def checked(self) -> bool:
        """Whether its cells are checked at all."""
        return self.type is not None and (self.required or self.type not in ("text", "id"))


@dataclass(frozen=True, slots=True)
class ListRule:
    """What a reader needs to know of one data list to recognise it and check its rows.

    Built from an item; it holds nothing that depends on the as-of date, so
    what a reader finds with it can be cached and judged on any day.
    ``name`` is how messages name the list ("List 2"); ``number`` the
    number its tab or file is named by, if any.
    """

    id: str
    name: str
    number: int | None
    columns: tuple[ColumnRule, ...]
    window_start: str | None = None
    window_end: str | None = None
    unique: str | None = None
    check_rows: bool = True

    @property
    def checks_rows(self) -> bool:
        """Whether a reader reads its rows at all: checks are on and something is declared."""
        if not self.check_rows:
            return False
        return bool(self.unique or self.window_start) or any(c.checked for c in self.columns)


@functools.lru_cache(maxsize=4096)
def _keys(name: str, other_names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(heading_key(n) for n in (name, *other_names)))


def lists_key(lists: tuple[ListRule, ...]) -> str | None:
    """A short, stable digest of the lists a reader read a file with (None: no lists).

    Facts read under other lists (an edited spec) are read again, not reused.
    """
    if not lists:
        return None
    return hashlib.blake2b(repr(lists).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


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
    column_rules: tuple[ColumnRule, ...] = ()
    previous_columns: tuple[str, ...] = ()
    template: str = "current"
    window: Duration | None = None
    window_start: str | None = None
    window_end: str | None = None
    unique: str | None = None
    check_rows: bool = True
    fresh_within: Duration | None = None

    @property
    def is_data_list(self) -> bool:
        """A child-level data list (it names a sheet or columns): its content is checked,
        and it is an extract made afresh, never a document that is reviewed."""
        return bool(self.sheet or self.columns)

    @property
    def list_name(self) -> str:
        """How messages name the list: its sheet ("List 7"), else its title."""
        return self.sheet or self.title

    @property
    def list_rule(self) -> ListRule:
        """What a reader needs of this item to find and check its list."""
        rules = self.column_rules or tuple(ColumnRule(name) for name in self.columns)
        number = list_number(self.sheet) if self.sheet else None
        return ListRule(
            id=self.id,
            name=self.list_name,
            number=number,
            columns=rules,
            window_start=self.window_start,
            window_end=self.window_end,
            unique=self.unique,
            check_rows=self.check_rows,
        )

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

    def list_rules(self) -> tuple[ListRule, ...]:
        """The data lists of the spec, as a reader needs them, in item order."""
        return tuple(rule.list_rule for rule in self.items if rule.is_data_list)

    def dating_options(self) -> tuple[DatingOptions, ...]:
        """Each different way its items date a document, once, in item order: what a
        reader dates every file under, ahead of knowing which items it matches."""
        return tuple(dict.fromkeys(rule.dating for rule in self.items))
