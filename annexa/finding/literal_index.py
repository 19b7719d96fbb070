"""Which items a path can match, found without trying every pattern on it.

A share of tens of thousands of files against a spec of hundreds of items
would otherwise run every item's glob on every document-like path, millions
of regular expression calls (docs/speed.md). Nearly every pattern carries a literal that
any match must contain ("**/*IRO*annual*" needs "annual" somewhere in the
path), so each pattern is filed under one three-letter piece (trigram) of
its literals, and a path only tries the patterns filed under the trigrams it
contains, after a quick substring check. Patterns with no literal of three
letters are always tried. The answer is the same as trying every pattern:
the index only skips patterns that cannot match.

Case: globs match ignoring case with Python's Unicode rules, under which
"K" (the Kelvin sign) matches "k" and "ſ" matches "s". The shortcut is taken
only for ASCII paths and ASCII literals, where ignoring case is plain
``str.lower``; any other path tries every pattern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from annexa.finding.globs import Matcher, bracket_end

_GRAM = 3


class MatchRule(Protocol):
    """What matching needs of an item: its id, formats, patterns and their matchers."""

    @property
    def id(self) -> str: ...

    @property
    def formats(self) -> frozenset[str]: ...

    @property
    def patterns(self) -> tuple[str, ...]: ...

    @property
    def matchers(self) -> tuple[Matcher, ...]: ...


@dataclass(frozen=True, slots=True)
class _Candidate:
    rule: int  # position of the rule in the spec
    literal: str  # lower-case ASCII text every match contains
    matcher: Matcher


@dataclass(frozen=True, slots=True)
class ExtensionIndex:
    """The patterns of every rule that accepts one file extension."""

    rules: tuple[MatchRule, ...]  # in spec order
    by_gram: dict[str, tuple[_Candidate, ...]]
    always: tuple[_Candidate, ...]

    def match(self, path: str) -> tuple[str, ...]:
        """The ids, in spec order, of the rules whose patterns match ``path``."""
        if not path.isascii():
            return tuple(r.id for r in self.rules if any(m.match(path) for m in r.matchers))
        low = path.lower()
        found: set[int] = set()
        get = self.by_gram.get
        for gram in {low[i : i + _GRAM] for i in range(len(low) - _GRAM + 1)}:
            bucket = get(gram)
            if bucket is None:
                continue
            for candidate in bucket:
                if (
                    candidate.rule not in found
                    and candidate.literal in low
                    and candidate.matcher.match(path)
                ):
                    found.add(candidate.rule)
        for candidate in self.always:
            if candidate.rule not in found and candidate.matcher.match(path):
                found.add(candidate.rule)
        if not found:
            return ()
        return tuple(self.rules[i].id for i in sorted(found))


def build_index(rules: Sequence[MatchRule]) -> ExtensionIndex:
    """File each pattern of these rules under its least shared trigram."""
    positions = {id(rule): n for n, rule in enumerate(rules)}
    buckets: dict[str, list[_Candidate]] = {}
    always: list[_Candidate] = []
    for rule in rules:
        if len(rule.patterns) != len(rule.matchers):  # a rule made by hand: try all its matchers
            always.extend(_Candidate(positions[id(rule)], "", m) for m in rule.matchers)
            continue
        for pattern, matcher in zip(rule.patterns, rule.matchers, strict=True):
            literals = [lit for lit in required_literals(pattern) if len(lit) >= _GRAM]
            if not literals:
                always.append(_Candidate(positions[id(rule)], "", matcher))
                continue
            choices = [
                (len(buckets.get(lit[i : i + _GRAM], ())), -len(lit), lit[i : i + _GRAM], lit)
                for lit in literals
                for i in range(len(lit) - _GRAM + 1)
            ]
            _, _, gram, literal = min(choices)
            buckets.setdefault(gram, []).append(_Candidate(positions[id(rule)], literal, matcher))
    return ExtensionIndex(
        rules=tuple(rules),
        by_gram={gram: tuple(items) for gram, items in buckets.items()},
        always=tuple(always),
    )


def required_literals(pattern: str) -> list[str]:
    """Lower-case ASCII runs that every path matching the glob contains.

    Mirrors ``annexa.finding.globs``: ``*`` and ``?`` are wildcards, ``[...]`` a set
    (with ``!``/``^`` and a leading ``]``), anything else a literal character.
    Non-ASCII characters end a run (see the module's note on case).
    """
    literals: list[str] = []
    for segment in pattern.split("/"):
        if segment in ("", ".", "**"):
            continue
        run: list[str] = []
        i, n = 0, len(segment)
        while i < n:
            char = segment[i]
            if char in "*?" or not char.isascii():
                _close(run, literals)
            elif char == "[":
                _close(run, literals)
                i = bracket_end(segment, i)
            else:
                run.append(char.lower())
            i += 1
        _close(run, literals)
    return literals


def _close(run: list[str], literals: list[str]) -> None:
    if run:
        literals.append("".join(run))
        run.clear()
