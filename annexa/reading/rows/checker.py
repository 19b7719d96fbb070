"""Check the rows of one list, keeping row numbers and column names only.

The reader hands each row of a sheet, below its headings, to a
``RowChecker`` built for the list the headings are; it checks them a batch
at a time, column by column. What the checker keeps
is safe to cache and to put in a report: for each problem the column, its
kind, how many rows have it and the first of them; for each row the one
date that places it in the list's window; and the newest dates of each
event-date column. Cells themselves, identifiers, dates of birth and any
text never leave it. What depends on the as-of date (the window, "after
the list was made") is judged later, from those dates.

Memory stays bounded by the rows' count, not their contents: a hash per
row (repeated rows), a hash per child (repeated children), for rows with
both an age and a date of birth five numbers, so that the age can be
checked once the list's newest date is known, and per column the meaning
of at most ``MEANINGS_REMEMBERED`` distinct values. All of it lives in the
reader process for one sheet and is dropped with the checker.
"""

from __future__ import annotations

import datetime as dt
import operator
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from annexa.model.files import ROWS_KEPT, ColumnDates, DateCount, RowGroup
from annexa.reading.rows.values import (
    INVALID_CODE,
    NOT_A_POSTCODE,
    CodeMatcher,
    date_value,
    is_postcode,
    whole_number,
)
from annexa.spec.rules import ColumnRule, ListRule

BLANK = "blank"
DUPLICATE_ROW = "duplicate_row"
DUPLICATE_CHILD = "duplicate_child"
AGE_MISMATCH = "age_mismatch"
END_BEFORE_START = "end_before_start"

BATCH = 4096  # rows checked together, column by column
NEWEST_KEPT = 30  # distinct dates kept per event column, newest first
WINDOW_KEPT = 1000  # distinct window dates kept, oldest first
AGE_SLACK = 1  # years: an age may be counted on the list's date or on the row's own

_TEXT, _DATE, _NUMBER, _CODE, _POSTCODE = range(5)
_KINDS = {"date": _DATE, "whole number": _NUMBER, "code": _CODE, "postcode": _POSTCODE}
_OK = True
MEANINGS_REMEMBERED = 20_000  # distinct values per column whose meaning is kept


class Reader(Protocol):
    """How a checker reads the cells it is handed (``RowReader`` hands raw tokens)."""

    def decode(self, token: object) -> object: ...

    def text_blanks(self, tokens: Sequence[object]) -> list[bool]: ...


class Values:
    """Cells handed as values already (CSV): nothing to decode."""

    def decode(self, token: object) -> object:
        return token

    def text_blanks(self, tokens: Sequence[object]) -> list[bool]:
        return [t is None or (t.__class__ is str and not t.strip()) for t in tokens]


class _Column:
    """One column of the list as the checker reads it, and what each value in it means.

    ``meaning(value)`` is BLANK, a problem's kind (a str), a date's ordinal or
    a count (an int), or True (fine). A column holds few distinct values
    (codes, dates, teams), so meanings are remembered per value.
    """

    __slots__ = (
        "at",
        "codes",
        "decode",
        "events",
        "kind",
        "meanings",
        "name",
        "required",
        "text_blanks",
    )

    def __init__(self, rule: ColumnRule, at: int, reader: Reader) -> None:
        self.decode = reader.decode
        self.text_blanks = reader.text_blanks
        self.at = at
        self.name = rule.name
        self.kind = _KINDS.get(rule.type or "text", _TEXT)
        self.required = rule.required
        self.codes = CodeMatcher(rule.codes) if self.kind == _CODE else None
        self.events: dict[int, list[int]] | None = (
            {} if self.kind == _DATE and not rule.personal else None
        )
        self.meanings: dict[object, object] = {None: BLANK, "": BLANK}

    def meaning(self, token: object) -> object:
        """What a cell means; ``token`` is its value, or its raw markup to decode first."""
        found = self._value(self.decode(token))
        if len(self.meanings) < MEANINGS_REMEMBERED:
            self.meanings[token] = found
        return found

    def _value(self, value: object) -> object:
        """What a decoded cell means."""
        if value is None or (value.__class__ is str and not value.strip()):
            return BLANK
        if self.kind == _DATE:
            return date_value(value)
        if self.kind == _NUMBER:
            return whole_number(value)
        if self.kind == _CODE:
            assert self.codes is not None
            return _OK if self.codes(value) else INVALID_CODE
        if self.kind == _POSTCODE:
            return _OK if is_postcode(value) else NOT_A_POSTCODE
        return _OK


class RowChecker:
    """The checks of one list over the rows of one sheet.

    ``found`` maps each of the list's column names to its cell index in the
    row (from the heading row); columns the sheet lacks are not checked.
    Rows are checked a batch at a time, column by column: the meaning of
    each distinct value is looked up in C (``map``), and only the cells that
    are wrong, or dates still being counted, cost Python code of their own.
    """

    def __init__(self, rule: ListRule, found: dict[str, int], reader: Reader | None = None) -> None:
        rules = {c.name: c for c in rule.columns}
        reader = reader or Values()
        self.columns = [
            _Column(rules[name], at, reader)
            for name, at in sorted(found.items(), key=lambda item: item[1])
            if name in rules
        ]
        self.width = max((c.at for c in self.columns), default=-1) + 1
        self._ats = [c.at for c in self.columns]
        self._select: Callable[[Sequence[object]], tuple[object, ...]] = (
            operator.itemgetter(*self._ats)
            if len(self._ats) > 1
            else lambda cells: tuple(cells[at] for at in self._ats)
        )
        positions = {c.name: n for n, c in enumerate(self.columns)}
        self._start = positions.get(rule.window_start or "")
        self._end = positions.get(rule.window_end or "")
        self._unique = positions.get(rule.unique or "")
        self._pairs = [
            (positions[r.name], positions[r.after])
            for r in rule.columns
            if r.after and r.name in positions and r.after in positions
        ]
        self._age = [
            (positions[r.name], positions[r.age_of])
            for r in rule.columns
            if r.age_of and r.name in positions and r.age_of in positions
        ]
        self.data_rows = 0
        self.last_row = 0
        self.cut_short = False
        self._batch: list[tuple[object, ...]] = []
        self._numbers: list[int] = []
        self._problems: dict[tuple[str, str], list[list[int]]] = {}
        self._window: dict[int, list[int]] = {}
        self._rows: dict[int, int] = {}
        self._children: dict[object, int] = {}
        self._ages = array("q")  # row, which age column, age, birth ordinal, row's newest event
        self._newest = array("i")  # each row's newest event date, for the list's own

    def add(self, number: int, cells: Sequence[object]) -> None:
        """Take one row (``number``: the sheet's row number; ``cells`` by column index)."""
        if len(cells) < self.width:
            cells = [*cells, *([None] * (self.width - len(cells)))]
        values = self._select(cells)
        if values.count(None) + values.count("") == len(values):
            return  # an empty row between or after the data is no row of the list
        self.data_rows += 1
        self.last_row = number
        self._batch.append(values)
        self._numbers.append(number)
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        batch, numbers = self._batch, self._numbers
        if not batch:
            return
        self._batch, self._numbers = [], []
        by_column = list(zip(*batch, strict=True))
        means: list[list[object] | None] = []
        for position, column in enumerate(self.columns):
            means.append(self._column(column, by_column[position], numbers))
        newest = self._newest_per_row(means, len(batch))
        for end, start in self._pairs:
            ends, starts = means[end], means[start]
            assert ends is not None and starts is not None
            for i, (e, s) in enumerate(zip(ends, starts, strict=True)):
                if e.__class__ is int and s.__class__ is int and e < s:
                    self._problem(self.columns[end].name, END_BEFORE_START, numbers[i])
        if self._start is not None:
            _tally(self._window, self._window_days(means), numbers)
        self._newest.extend(day for day in newest if day)
        for pair, (age_at, birth_at) in enumerate(self._age):
            ages, births = means[age_at], means[birth_at]
            assert ages is not None and births is not None
            for record in [
                (number, pair, age, birth, day)
                for number, age, birth, day in zip(numbers, ages, births, newest, strict=True)
                if age.__class__ is int and birth.__class__ is int
            ]:
                self._ages.extend(record)
        self._repeats(batch, numbers)

    def _column(
        self, column: _Column, values: Sequence[object], numbers: list[int]
    ) -> list[object] | None:
        """One column of a batch: its problems recorded, its meanings (None: not looked at)."""
        if column.kind == _TEXT:
            if column.required:
                for i, blank in enumerate(column.text_blanks(values)):
                    if blank:
                        self._problem(column.name, BLANK, numbers[i])
            return None
        means = list(map(column.meanings.get, values))
        if None in means:
            meanings, meaning = column.meanings, column.meaning
            means = [
                m if m is not None else (meanings[v] if v in meanings else meaning(v))
                for m, v in zip(means, values, strict=True)
            ]
        if column.kind in (_DATE, _NUMBER):
            bad = [i for i, m in enumerate(means) if m.__class__ is not int]
        else:
            bad = [i for i, m in enumerate(means) if m is not _OK]
        for i in bad:
            found = means[i]
            if found is BLANK and not column.required:
                continue
            self._problem(column.name, found, numbers[i])  # type: ignore[arg-type]
        if column.events is not None:
            _tally(column.events, [m if m.__class__ is int else 0 for m in means], numbers)
        return means

    def _newest_per_row(self, means: list[list[object] | None], count: int) -> list[int]:
        days = [
            [m if m.__class__ is int else 0 for m in found]
            for column, found in zip(self.columns, means, strict=True)
            if column.events is not None and found is not None
        ]
        if not days:
            return [0] * count
        if len(days) == 1:
            return days[0]
        return list(map(max, *days))

    def _window_days(self, means: list[list[object] | None]) -> list[int]:
        """Each row's window date: its end (or start); 0 when open or not a date."""
        assert self._start is not None
        starts = means[self._start]
        assert starts is not None
        if self._end is None:
            return [m if m.__class__ is int else 0 for m in starts]
        ends = means[self._end]
        assert ends is not None
        return [
            0
            if e is BLANK or e.__class__ is not int  # open, or an end that is no date
            else (s if s.__class__ is int and s > e else e)
            for s, e in zip(starts, ends, strict=True)
        ]

    def _repeats(self, batch: list[tuple[object, ...]], numbers: list[int]) -> None:
        seen = self._rows
        unique = self._unique
        children = self._children
        keys = list(map(hash, batch))
        if unique is None and len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):
            seen.update(zip(keys, numbers, strict=True))  # no repeat in the batch: in C
            return
        name = self.columns[unique].name if unique is not None else ""
        for values, key, number in zip(batch, keys, numbers, strict=True):
            first = seen.setdefault(key, number)
            if first != number:
                self._problem("", DUPLICATE_ROW, number, first)
                continue
            if unique is None:
                continue
            child = values[unique]
            if child is None or (child.__class__ is str and not child.strip()):
                continue
            first = children.setdefault(hash(_plain(child)), number)
            if first != number:
                self._problem(name, DUPLICATE_CHILD, number, first)

    def _problem(self, column: str, kind: str, number: int, earlier: int = 0) -> None:
        found = self._problems.get((column, kind))
        if found is None:
            found = self._problems[(column, kind)] = [[0], [], []]
        found[0][0] += 1
        if len(found[1]) < ROWS_KEPT:
            found[1].append(number)
            if earlier:
                found[2].append(earlier)

    # -- the end of the sheet -----------------------------------------------

    def problems(self) -> tuple[RowGroup, ...]:
        self._flush()
        self._check_ages()
        self._rows.clear()
        self._children.clear()
        groups = [
            RowGroup(column, kind, found[0][0], tuple(found[1]), tuple(found[2]))
            for (column, kind), found in self._problems.items()
        ]
        return tuple(sorted(groups, key=lambda g: (g.rows[:1], g.column, g.kind)))

    def window(self) -> tuple[tuple[DateCount, ...], int]:
        """The oldest window dates with their rows, and how many rows are later than those."""
        self._flush()
        days = sorted(self._window)
        kept = days[:WINDOW_KEPT]
        more = sum(self._window[d][0] for d in days[WINDOW_KEPT:])
        return tuple(_date_count(d, self._window[d]) for d in kept), more

    def events(self) -> tuple[ColumnDates, ...]:
        self._flush()
        found = []
        for column in self.columns:
            if column.events:
                days = sorted(column.events, reverse=True)
                more = sum(column.events[d][0] for d in days[NEWEST_KEPT:])
                newest = tuple(_date_count(d, column.events[d]) for d in days[:NEWEST_KEPT])
                found.append(ColumnDates(column.name, newest, more))
        return tuple(found)

    def _check_ages(self) -> None:
        """Ages against dates of birth, counted on the row's newest date or the list's.

        The list's date is taken as the newest date most of its rows reach
        (the 99th centile of each row's newest event), so that a few rows
        dated in error do not move it. An age one year either side counts:
        lists count ages on the day they are made, or on the event's day.
        """
        if not self._ages or not self._age:
            return
        ordered = sorted(self._newest)
        listed = ordered[min(len(ordered) - 1, len(ordered) * 99 // 100)] if ordered else 0
        names = [self.columns[age_at].name for age_at, _ in self._age]
        ages = self._ages
        on_list = dt.date.fromordinal(listed) if listed else None
        for start in range(0, len(ages), 5):
            number, pair, age, birth, newest = ages[start : start + 5]
            refs = [r for r in (newest, listed) if r and r >= birth]
            if not refs:
                continue
            # A whole year either side of the counted age needs no calendar:
            # 366 days more or less than the age in days cannot be a birthday off.
            lo, hi = min(refs) - birth, max(refs) - birth
            if (age - AGE_SLACK + 1) * 366 <= lo and hi < (age + AGE_SLACK) * 365:
                continue
            born = dt.date.fromordinal(birth)
            counted = [
                _years(born, on_list if r == listed and on_list else dt.date.fromordinal(r))
                for r in refs
            ]
            if not min(counted) - AGE_SLACK <= age <= max(counted) + AGE_SLACK:
                self._problem(names[pair], AGE_MISMATCH, number)
        self._ages = array("q")


def _years(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _tally(counts: dict[int, list[int]], days: list[int], numbers: list[int]) -> None:
    """Count each row's date (0: none) and keep the first rows of each date."""
    for day, count in Counter(days).items():
        if not day:
            continue
        found = counts.get(day)
        if found is None:
            counts[day] = [count]
        else:
            found[0] += count
    filling = {day for day in set(days) if day and len(counts[day]) <= ROWS_KEPT}
    if not filling:
        return
    for i, day in enumerate(days):
        if day in filling:
            found = counts[day]
            found.append(numbers[i])
            if len(found) > ROWS_KEPT:
                filling.discard(day)
                if not filling:
                    return


def _date_count(day: int, found: list[int]) -> DateCount:
    return DateCount(dt.date.fromordinal(day), found[0], tuple(found[1:]))


def _plain(value: object) -> object:
    """A cell as compared for repeats: text folded, a whole float as its integer."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
