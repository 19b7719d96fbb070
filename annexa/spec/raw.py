"""The raw form of a spec while it is read: values with the line each came from.

A spec may extend another, so one item can mix keys from two files; each
value keeps its ``Origin`` (file, table, key line) so that a problem found
later still names the right ``file:line``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


class SpecError(Exception):
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


@dataclass
class RawTable:
    """One table's values with the origin of each key (a merge may mix files)."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    origin: Origin | None = None

    def update(self, values: Mapping[str, Any], origin: Origin) -> None:
        for key, value in values.items():
            self.values[key] = value
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
