"""Case-insensitive globs with ``**``, matched against ROOT-relative paths.

Council shares are written by hand in every case ("IRO Annual Report",
"iro annual report"), so matching ignores case. ``*`` and ``?`` stay inside
one folder name; ``**`` spans any number of folders, including none, so
``**/SEF*`` matches ``SEF 2015.pdf`` at the top as well as deeper down.

Ordinary patterns compile to one regular expression. Patterns a regular
expression would backtrack on for ever (hundreds of ``**``, or dozens of
``*`` in one name) are matched segment by segment with memoisation, which is
linear in the pattern times the path whatever the input.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol


class GlobError(ValueError):
    """A pattern that cannot be used, with the reason in plain words."""


class Matcher(Protocol):
    def match(self, path: str) -> object: ...


_FLAGS = re.IGNORECASE | re.DOTALL
_MAX_FAST_DOUBLE_STARS = 2
_MAX_FAST_STARS_PER_NAME = 6


def check_pattern(pattern: str) -> None:
    """Raise GlobError when a pattern is empty, absolute, climbs out of ROOT or is malformed."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise GlobError("a pattern cannot be empty")
    if pattern.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", pattern):
        raise GlobError(
            f"pattern {pattern!r} is absolute; patterns are relative to the folder scanned"
        )
    segments = re.split(r"[/\\]", pattern)
    if ".." in segments:
        raise GlobError(f"pattern {pattern!r} climbs out of the folder scanned with '..'")
    if "\\" in pattern:
        raise GlobError(f"pattern {pattern!r} uses '\\'; write folders with '/'")
    for segment in segments:
        _segment_regex(segment)  # raises on an unclosed [


def compile_glob(pattern: str) -> Matcher:
    """A matcher whose ``match(path)`` is truthy when the whole path matches."""
    check_pattern(pattern)
    segments = _normalise(pattern.split("/"))
    double = segments.count("**")
    stars = max((s.count("*") for s in segments if s != "**"), default=0)
    if double <= _MAX_FAST_DOUBLE_STARS and stars <= _MAX_FAST_STARS_PER_NAME:
        return re.compile(_to_regex(segments) + r"\Z", _FLAGS)
    return _SegmentMatcher(segments)


def _normalise(segments: list[str]) -> list[str]:
    """Drop empty and '.' segments, fold runs of '**' and of '*' into one."""
    out: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "**" and out and out[-1] == "**":
            continue
        out.append(segment if segment == "**" else re.sub(r"\*{2,}", "*", segment))
    return out or ["**"]


def _to_regex(segments: list[str]) -> str:
    parts: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append(".*" if last else "(?:[^/]*/)*")
        else:
            parts.append(_segment_regex(segment) + ("" if last else "/"))
    return "".join(parts)


def bracket_end(segment: str, start: int) -> int:
    """Where the set opened by the ``[`` at ``start`` closes (``len(segment)`` if never).

    A ``!`` or ``^`` right after ``[`` negates the set, and a ``]`` right
    after those is a member, not the end (``[]x]``, ``[!]x]``).
    """
    end, n = start + 1, len(segment)
    if end < n and segment[end] in "!^":
        end += 1
    if end < n and segment[end] == "]":
        end += 1
    while end < n and segment[end] != "]":
        end += 1
    return end


@functools.lru_cache(maxsize=4096)
def _segment_regex(segment: str) -> str:
    """Translate one folder or file name pattern to a regex that stays inside it."""
    out: list[str] = []
    i, n = 0, len(segment)
    while i < n:
        char = segment[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = bracket_end(segment, i)
            if end >= n:
                raise GlobError(f"pattern part {segment!r} has a '[' that is never closed")
            body = segment[i + 1 : end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


class _SegmentMatcher:
    """Matches folder by folder with a table: safe on pathological patterns."""

    def __init__(self, segments: list[str]) -> None:
        self._names = [None if s == "**" else _WildcardName(s) for s in segments]

    def match(self, path: str) -> bool:
        parts = path.split("/")
        names = self._names
        n_names, n_parts = len(names), len(parts)
        # ok[p][q]: pattern segments p.. match path parts q.. ; filled from the end.
        ok = [[False] * (n_parts + 1) for _ in range(n_names + 1)]
        ok[n_names][n_parts] = True
        for p in range(n_names - 1, -1, -1):
            name = names[p]
            for q in range(n_parts, -1, -1):
                if name is None and p == n_names - 1:
                    ok[p][q] = q < n_parts  # a trailing '**' takes the rest
                elif name is None:  # '**': no folder, or one folder more
                    ok[p][q] = ok[p + 1][q] or (q < n_parts - 1 and ok[p][q + 1])
                else:
                    ok[p][q] = q < n_parts and ok[p + 1][q + 1] and name.match(parts[q])
        return ok[0][0]


class _WildcardName:
    """``*``/``?``/``[...]`` matching of one name in O(len(name) x len(pattern))."""

    def __init__(self, segment: str) -> None:
        self._tokens: list[str | re.Pattern[str]] = []
        i, n = 0, len(segment)
        while i < n:
            char = segment[i]
            if char == "[":
                end = bracket_end(segment, i)
                self._tokens.append(re.compile(_segment_regex(segment[i : end + 1]), _FLAGS))
                i = end + 1
                continue
            self._tokens.append(char)
            i += 1

    def match(self, name: str) -> bool:
        tokens = self._tokens
        t, s = 0, 0
        star_t, star_s = -1, 0
        lowered = name.casefold()
        while s < len(name):
            token = tokens[t] if t < len(tokens) else None
            if token == "*":
                star_t, star_s = t, s
                t += 1
                continue
            if token is not None and (
                token == "?"
                or (isinstance(token, re.Pattern) and token.fullmatch(name[s]))
                or (isinstance(token, str) and token.casefold() == lowered[s])
            ):
                t += 1
                s += 1
                continue
            if star_t < 0:
                return False
            t = star_t + 1
            star_s += 1
            s = star_s
        while t < len(tokens) and tokens[t] == "*":
            t += 1
        return t == len(tokens)
