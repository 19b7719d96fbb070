"""The raw form of a spec while it is read: values with the line each came from.

A spec may extend another, so one item can mix keys from two files; each
value keeps its ``Origin`` (file, table, key line) so that a problem found
later still names the right ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annexa.model.failures import RunStopped
from annexa.spec.lines import LineMap
from annexa.words.textsafe import printable


@dataclass(frozen=True, slots=True)
class SpecProblem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        # One problem, one line: a key or value quoted in the message may hold
        # a newline or an escape sequence ("\\n" = 1 is valid TOML).
        return f"{printable(self.file)}:{self.line or 1}: {printable(self.message)}"


class SpecError(RunStopped):
    """A spec that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Origin:
    """Where a raw value came from, so a merged spec still names the right line."""

    file: str
    lines: LineMap
    table: str
    index: int

    def line(self, key: str | None = None) -> int | None:
        if key is None:
            return self.lines.table(self.table, self.index)
        return self.lines.key(self.table, self.index, key)


def as_text_dates(value: Any) -> Any:
    """TOML dates and times as their ISO text, as an editor's schema checker sees them.

    JSON Schema has no date type, so the spec schema (and Taplo) sees
    ``until = 2015-10-31`` as the text "2015-10-31". Reading dates the same
    way keeps ``annexa spec check`` and the editor in agreement on every value.
    """
    if isinstance(value, (dt.date, dt.time)):  # dt.datetime is a dt.date
        return value.isoformat()
    if isinstance(value, list):
        return [as_text_dates(item) for item in value]
    return value


@dataclass
class RawTable:
    """One table's values with the origin of each key (a merge may mix files)."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    origin: Origin | None = None

    def update(self, values: Mapping[str, Any], origin: Origin) -> None:
        for key, value in values.items():
            self.values[key] = as_text_dates(value)
            self.origins[key] = origin
        if self.origin is None:
            self.origin = origin


@dataclass
class RawSpec:
    file: str
    spec: RawTable
    defaults: RawTable
    items: list[RawTable]
    waivers: list[RawTable]
    columns: list[RawTable] = field(default_factory=list)


class Problems:
    def __init__(self) -> None:
        self.items: list[SpecProblem] = []

    def add(self, origin: Origin | None, key: str | None, message: str) -> None:
        line = origin.line(key) if origin else None
        self.items.append(SpecProblem(origin.file if origin else "", line, message))


def unknown_key(key: str, known: tuple[str, ...], where: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"'{key}' is not a known key {where}{hint}"
