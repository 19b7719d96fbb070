"""Where each table and key of a TOML file sits, so errors can name a line.

``tomllib`` reports the line of a syntax error but gives no positions for a
valid document, and a spec error that cannot say "line 42" sends a business
support officer hunting through a long file. This scanner walks the text
once, skipping strings and multi-line arrays, and records the line of every
table header and every key. It never raises: on text it does not understand
it simply records less, and callers fall back to the table's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


@dataclass
class LineMap:
    """Lines of tables and keys. A table is ("item", 3) for the fourth [[item]]."""

    tables: dict[tuple[str, int], int] = field(default_factory=dict)
    keys: dict[tuple[str, int, str], int] = field(default_factory=dict)

    def table(self, name: str, index: int = 0) -> int | None:
        return self.tables.get((name, index))

    def key(self, table: str, index: int, key: str) -> int | None:
        """The line of ``key`` in a table, else the table's own line."""
        return self.keys.get((table, index, key)) or self.table(table, index)


def _unquote(part: str) -> str:
    part = part.strip()
    if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
        return part[1:-1]
    return part


def _split_dotted(key: str) -> list[str]:
    return [_unquote(p) for p in re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", key)]


def map_lines(text: str) -> LineMap:
    """Scan TOML text and return where its tables and keys are."""
    result = LineMap()
    counts: dict[str, int] = {}
    table, index = "", 0
    depth = 0  # open brackets of a value spanning lines
    in_multiline: str | None = None  # the closing quotes we wait for
    # TOML ends a line at LF (or CR LF) only; str.splitlines() would also break
    # at form feeds, NEL and U+2028 inside strings and push every later line out.
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        if in_multiline:
            if in_multiline in line:
                in_multiline = None
                depth += _bracket_delta(line.split(in_multiline, 1)[-1])
            continue
        if depth > 0:
            depth = max(0, depth + _bracket_delta(line))
            continue
        array = _ARRAY_TABLE.match(line)
        plain = None if array else _TABLE.match(line)
        if array or plain:
            name = ".".join(_split_dotted((array or plain).group(1)))  # type: ignore[union-attr]
            if array:
                index = counts.get(name, 0)
                counts[name] = index + 1
            else:
                index = 0
            table = name
            result.tables.setdefault((table, index), number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        dotted = _split_dotted(key.group(1))
        full_table = ".".join([table, *dotted[:-1]]) if table else ".".join(dotted[:-1])
        result.keys.setdefault((full_table or table, index, dotted[-1]), number)
        value = line[key.end() :]
        for quotes in ('"""', "'''"):
            if value.count(quotes) % 2 == 1:
                in_multiline = quotes
                break
        if not in_multiline:
            depth = max(0, _bracket_delta(value))
    return result


def _bracket_delta(value: str) -> int:
    """Open minus closed brackets outside strings and comments."""
    delta = 0
    quote: str | None = None
    escaped = False
    for char in value:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
            continue
        if char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            delta += 1
        elif char in "]}":
            delta -= 1
    return delta
