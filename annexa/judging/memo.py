"""What judging remembers between runs over one folder, owned by whoever runs them.

Watch re-evaluates every item after each save, but only the saved file's
dates and verdicts are new. ``JudgingMemo`` keeps, for the current version of
each file only, the dates read from it, its verdict under each rule and
its keyword answers, so a re-evaluation redoes only what changed. A file
seen in a new version (or forgotten) drops everything kept for the old one,
so memory follows the folder, not the day's saves. Everything kept is a
pure function of its inputs: the memo changes speed, never answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annexa.dating import read_dates
from annexa.judging.suggest import NearestIndex
from annexa.model import DocumentDates, Facts, FileEntry, NearestItem
from annexa.spec.rules import DatingOptions, ItemRule

if TYPE_CHECKING:
    from annexa.judging.file_verdict import FileVerdict


@dataclass
class _FileMemo:
    """Everything kept for one version of one file."""

    size: int
    mtime_ns: int
    facts: Facts | None
    dates: dict[DatingOptions, DocumentDates] = field(default_factory=dict)
    # by (id(rule), as_of); the rule is kept beside its verdict, so its id stays its own
    verdicts: dict[tuple[int, dt.date], tuple[ItemRule, FileVerdict]] = field(default_factory=dict)
    keywords: dict[tuple[str, ...], bool] = field(default_factory=dict)


class JudgingMemo:
    """Dates, verdicts and keyword answers for the current version of each file."""

    def __init__(self) -> None:
        self._files: dict[str, _FileMemo] = {}
        self._nearest_key: tuple[tuple[ItemRule, ...], dt.date] | None = None
        self._nearest_index: NearestIndex | None = None
        self._nearest: dict[str, NearestItem | None] = {}

    def __len__(self) -> int:
        return len(self._files)

    def _of(self, entry: FileEntry, facts: Facts | None) -> _FileMemo:
        memo = self._files.get(entry.path)
        if (
            memo is None
            or memo.facts is not facts
            or (memo.size, memo.mtime_ns) != (entry.size, entry.mtime_ns)
        ):
            memo = _FileMemo(entry.size, entry.mtime_ns, facts)
            self._files[entry.path] = memo
        return memo

    def dates(self, facts: Facts | None, entry: FileEntry, options: DatingOptions) -> DocumentDates:
        """The dates of this version of the file under these options, read once."""
        memo = self._of(entry, facts)
        found = memo.dates.get(options)
        if found is None:
            found = read_dates(facts, entry.path, options, entry.mtime_ns)
            memo.dates[options] = found
        return found

    def remember_dates(
        self, facts: Facts | None, entry: FileEntry, options: DatingOptions, dates: DocumentDates
    ) -> None:
        """Dates read elsewhere (by a reader process, or kept by the cache) for this version."""
        self._of(entry, facts).dates[options] = dates

    def verdict(
        self,
        rule: ItemRule,
        entry: FileEntry,
        facts: Facts | None,
        as_of: dt.date,
        judge: Callable[[], FileVerdict],
    ) -> FileVerdict:
        """``judge()``'s verdict on this version of the file under this rule, judged once."""
        verdicts = self._of(entry, facts).verdicts
        key = (id(rule), as_of)
        found = verdicts.get(key)
        if found is not None and found[0] is rule:
            return found[1]
        verdict = judge()
        verdicts[key] = (rule, verdict)
        return verdict

    def keyword(
        self,
        entry: FileEntry,
        facts: Facts | None,
        keywords: tuple[str, ...],
        ask: Callable[[], bool],
    ) -> bool:
        """``ask()``'s answer for this version of the file and these keywords, asked once."""
        answers = self._of(entry, facts).keywords
        found = answers.get(keywords)
        if found is None:
            found = answers[keywords] = ask()
        return found

    def nearest(
        self, items: tuple[ItemRule, ...], as_of: dt.date
    ) -> tuple[NearestIndex, dict[str, NearestItem | None]]:
        """The index of the spec's words and the items unmatched files look like,
        by path, kept while the spec and the as-of date stay the same."""
        key = (items, as_of)
        if (
            self._nearest_index is None
            or self._nearest_key is None
            or self._nearest_key[0] is not items
            or self._nearest_key[1] != as_of
        ):
            if self._nearest_index is None or self._nearest_index.rules is not items:
                self._nearest_index = NearestIndex(items)
            self._nearest_key, self._nearest = key, {}
        return self._nearest_index, self._nearest

    def forget(self, path: str) -> None:
        """Drop what is kept for a file that is gone."""
        self._files.pop(path, None)
        self._nearest.pop(path, None)

    def forget_verdicts(self) -> None:
        """Drop every verdict (the spec changed); dates stay, as they depend on options only."""
        for memo in self._files.values():
            memo.verdicts.clear()
            memo.keywords.clear()
