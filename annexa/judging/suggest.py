"""Concrete next steps: where to save the file an item needs, and what a stray file may be.

Two pure functions of the spec, the item results and the as-of date, run at
the end of ``evaluate`` so that every face can show them:

- ``with_suggestions``: for an item that needs a new file (missing, out of
  date, due soon, or waived while it would be), a folder and a file name.
  The folder is where the item's own file is kept, else where most files of
  its section are, else the folder its patterns name; a year folder
  ("04 Annual reports/2013-14") becomes the year the new file covers. The
  name is the item's title with the period or month it covers, checked
  against the item's patterns (and failing that, built from a pattern), so
  annexa will count and date a file saved under it.
- ``nearest_items``: for a file that matches no item, the item its name
  suggests ("PF annual rpt 14-15 FINAL.pdf" is the private fostering annual
  report: "PF" are the title's initials, "rpt" is "report" with letters
  left out, "14-15" the year it covers), with a name it would count under.
  A file whose name fits an item but whose text lacks the item's keywords
  is said to be so, not renamed.

Neither reads a file or the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from annexa.dating.filename import file_name, filename_facts, stem
from annexa.judging.periods import latest_period_ended_by, period_end, period_label
from annexa.model import ItemResult, NearestItem, Status, Suggestion
from annexa.spec.rules import ItemRule, Spec

# How alike a file name and an item must be to call it "the item it looks like"
# (0 to 1; see NearestIndex._score).
LIKENESS_NEEDED = 0.6

_NEEDS_FILE = frozenset({Status.MISSING, Status.OUT_OF_DATE, Status.DUE_SOON})
_PREFERRED_FORMATS = ("pdf", "docx", "xlsx", "csv")
# Characters a file name cannot hold on Windows, and control characters.
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WORD = re.compile(r"[a-z]+|[0-9]+")
_SHORT_SPAN = re.compile(r"(?<![0-9])((?:19|20)?[0-9]{2})\s?[-_/–]\s?([0-9]{2})(?![0-9])")
# Kinds of file that can stand in for each other: an old Word file can be saved
# as PDF, but a spreadsheet is not a strategy document.
_FAMILIES = (
    frozenset({"pdf", "docx", "docm", "doc", "odt", "rtf"}),
    frozenset({"xlsx", "xlsm", "xls", "ods", "csv"}),
)
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "or",
        "by",
        "with",
        "at",
        "from",
        "final",
        "copy",
        "version",
        "v",
        "ver",
        "doc",
        "docs",
        "document",
        "file",
        "new",
        "old",
        "updated",
        "amended",
        "approved",
        "signed",
        "latest",
        "current",
        "revised",
    ]
)


# -- the file an item needs ---------------------------------------------------


def with_suggestions(
    spec: Spec, results: Sequence[ItemResult], as_of: dt.date
) -> tuple[ItemResult, ...]:
    """The results, each item that needs a new file given a ``Suggestion``."""
    rules = {rule.id: rule for rule in spec.items}
    sections: dict[str | None, Counter[tuple[str, str | None]]] = {}
    for result in results:
        if result.file:
            where = (_folder_of(result.file), result.period)
            sections.setdefault(result.section, Counter())[where] += 1
    out: list[ItemResult] = []
    for result in results:
        rule = rules.get(result.id)
        if rule is not None and _needs_file(result):
            kept = sections.get(result.section, Counter())
            suggestion = suggest_file(rule, result, kept, as_of)
            if suggestion is not None:
                result = dataclasses.replace(result, suggestion=suggestion)
        out.append(result)
    return tuple(out)


def _needs_file(result: ItemResult) -> bool:
    if result.status in _NEEDS_FILE:
        return True
    return result.status is Status.WAIVED and result.waiver is not None and result.waiver.applied


def suggest_file(
    rule: ItemRule,
    result: ItemResult,
    section: Counter[tuple[str, str | None]],
    as_of: dt.date,
) -> Suggestion | None:
    """Where to save the next file for ``rule``, and under what name; None if no name fits.

    ``section``: how many of its section's items keep their file in each
    folder (with the period that file covers, for year folders).
    """
    target = _target_period(rule, result, as_of)
    label = period_label(rule.period, target) if rule.period and target else None
    when = _when_words(rule, label, as_of)
    for folder in _folders(rule, result, section, label):
        name = _fitting_name(rule, when, folder, _extension(rule))
        if name is not None:
            return Suggestion(folder, name)
    return None


def _target_period(rule: ItemRule, result: ItemResult, as_of: dt.date) -> int | None:
    """The end year of the period the next file should cover (period items only)."""
    if not rule.period:
        return None
    if result.period:
        covered = _end_year(result.period)
        if covered is not None:
            return covered + 1
    expected = latest_period_ended_by(rule.period, as_of)
    due = rule.grace.add(period_end(rule.period, expected))
    return expected - 1 if due > as_of else expected


def _end_year(label: str) -> int | None:
    """ "2014-15" -> 2015, "2015" -> 2015: the inverse of ``period_label``."""
    found = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2}))?", label)
    if not found:
        return None
    return int(found.group(1)) + (1 if found.group(2) else 0)


def _when_words(rule: ItemRule, label: str | None, as_of: dt.date) -> str:
    """What the name says about when: the period, the day (data lists) or the month."""
    if label:
        return label
    if rule.is_data_list:
        return as_of.isoformat()
    return f"- {as_of:%B %Y}"


def _extension(rule: ItemRule) -> str:
    for fmt in _PREFERRED_FORMATS:
        if fmt in rule.formats:
            return fmt
    return sorted(rule.formats)[0]


def _folders(
    rule: ItemRule,
    result: ItemResult,
    section: Counter[tuple[str, str | None]],
    label: str | None,
) -> list[str]:
    """Folders to offer, best first: the item's own, its section's, its patterns', ROOT."""
    found: list[str] = []
    if result.file:
        found.append(_for_period(_folder_of(result.file), result.period, label))
    counted: Counter[str] = Counter()
    for (folder, period), count in section.items():
        counted[_for_period(folder, period, label)] += count
    found += [folder for folder, _ in counted.most_common()]
    found += [prefix for prefix in map(literal_prefix, rule.patterns) if prefix]
    found.append("")
    return list(dict.fromkeys(found))


def _folder_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _for_period(folder: str, period: str | None, label: str | None) -> str:
    """A year folder ("Annual reports/2013-14") moved on to the year wanted."""
    if not label or not period:
        return folder
    head, _, last = folder.rpartition("/")
    if last != period:
        return folder
    return f"{head}/{label}" if head else label


def literal_prefix(pattern: str) -> str:
    """The folders a pattern names before its first wildcard ("Data lists/**/x" -> "Data lists")."""
    parts = pattern.split("/")[:-1]
    literal: list[str] = []
    for part in parts:
        if any(ch in part for ch in "*?["):
            break
        literal.append(part)
    return "/".join(literal)


def _fitting_name(rule: ItemRule, when: str, folder: str, ext: str) -> str | None:
    """The first name built from the title or a pattern that the item would match in ``folder``."""
    for words in _name_words(rule):
        name = _clean(f"{words} {when}") + f".{ext}"
        path = f"{folder}/{name}" if folder else name
        if rule.matches(path):
            return name
    return None


def _name_words(rule: ItemRule) -> Iterable[str]:
    yield rule.title
    for pattern in rule.patterns:
        words = pattern_words(pattern.rsplit("/", 1)[-1])
        if words:
            yield words[0].upper() + words[1:]


def pattern_words(pattern: str) -> str:
    """A pattern read as words: "*private*fostering*report*" -> "private fostering report"."""
    text = re.sub(r"\[![^\]]*\]", " ", pattern)  # "any character but a letter": a space
    text = re.sub(r"\[([^\]])[^\]]*\]", r"\1", text)  # a set: its first character
    text = text.replace("?", "s").replace("*", " ")
    return " ".join(text.split())


def _clean(name: str) -> str:
    name = _NOT_IN_NAMES.sub(" ", name)
    return " ".join(name.split()).strip(" .")


# -- the item a stray file looks like -------------------------------------------


class NearestIndex:
    """The words of every item of a spec, ready to compare file names with.

    Built once per spec (``JudgingMemo`` keeps it): each word a file name may
    hold is compared with the items' words once, and each distinct set of
    words once, so a share of 50,000 files costs little more than its
    distinct names.
    """

    def __init__(self, rules: Sequence[ItemRule]) -> None:
        self.rules = tuple(rules)
        self._titles: list[tuple[str, ...]] = []
        self._words: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        self._initials: dict[str, list[tuple[int, int, int]]] = {}
        for index, rule in enumerate(self.rules):
            title = tuple(w for w in _WORD.findall(rule.title.lower()) if _meaningful(w))
            self._titles.append(title)
            words = set(title)
            for pattern in rule.patterns:
                words.update(
                    w for w in _WORD.findall(pattern_words(pattern).lower()) if _meaningful(w)
                )
            for word in words:
                where = tuple(n for n, title_word in enumerate(title) if title_word == word)
                self._words.setdefault(word, []).append((index, where))
            for start in range(len(title)):
                for end in range(start + 2, min(len(title), start + 5) + 1):
                    key = "".join(word[0] for word in title[start:end])
                    self._initials.setdefault(key, []).append((index, start, end))
        self._by_first: dict[str, list[str]] = {}
        for word in self._words:
            self._by_first.setdefault(word[0], []).append(word)
        self._token: dict[str, list[tuple[str, float]]] = {}
        self._best: dict[tuple[tuple[str, ...], frozenset[str]], tuple[int, float] | None] = {}

    def nearest(self, name: str) -> ItemRule | None:
        """The item a file name most looks like, if any looks like it enough."""
        kind = _family(name)
        if not kind:
            return None
        tokens = tuple(w for w in _WORD.findall(stem(name).lower()) if _meaningful(w))
        if not tokens:
            return None
        key = (tokens, kind)
        if key not in self._best:
            self._best[key] = self._score(tokens, kind)
        found = self._best[key]
        return None if found is None else self.rules[found[0]]

    def _matches(self, token: str) -> list[tuple[str, float]]:
        found = self._token.get(token)
        if found is None:
            found = self._token[token] = [
                (word, score)
                for word in self._by_first.get(token[0], ())
                if (score := _word_likeness(token, word))
            ]
        return found

    def _score(self, tokens: tuple[str, ...], kind: frozenset[str]) -> tuple[int, float] | None:
        """The best item and its likeness: the harmonic mean of the share of the file's
        words that stand for a word of the item (its title or patterns), and the share
        of the title's words they stand for. Initials ("PF" for "private fostering")
        stand for several title words at once."""
        explained: dict[int, list[float]] = {}
        covered: dict[int, list[float]] = {}
        for n, token in enumerate(tokens):
            hits: list[tuple[int, tuple[int, ...], float]] = []
            for word, score in self._matches(token):
                hits += [(index, where, score) for index, where in self._words[word]]
            hits += [
                (index, tuple(range(start, end)), 0.9)
                for index, start, end in self._initials.get(token, ())
            ]
            for index, where, score in hits:
                per_token = explained.setdefault(index, [0.0] * len(tokens))
                per_token[n] = max(per_token[n], score)
                title = covered.setdefault(index, [0.0] * len(self._titles[index]))
                for position in where:
                    title[position] = max(title[position], score)
        best: tuple[int, float] | None = None
        for index, per_token in explained.items():
            title = covered[index]
            if not title or not kind & self.rules[index].formats:
                continue
            precision = sum(per_token) / len(tokens)
            recall = sum(title) / len(title)
            if not recall:
                continue
            likeness = 2 * precision * recall / (precision + recall)
            if likeness >= LIKENESS_NEEDED and (best is None or likeness > best[1]):
                best = (index, likeness)
        return best


def nearest_items(
    spec: Spec,
    unmatched: Iterable[str],
    as_of: dt.date,
    *,
    matches: Mapping[str, tuple[str, ...]] | None = None,
    index: NearestIndex | None = None,
    memo: dict[str, NearestItem | None] | None = None,
) -> tuple[NearestItem, ...]:
    """For each unmatched file whose name suggests an item, that item and what to do.

    ``matches`` (path -> ids of the items whose patterns it matches) saves
    matching again; ``index`` and ``memo`` (answers by path, for this spec
    and as-of date) are what a caller keeps between runs.
    """
    if index is None:
        index = NearestIndex(spec.items)
    if memo is None:
        memo = {}
    found: list[NearestItem] = []
    for path in unmatched:
        if path in memo:
            hint = memo[path]
        else:
            fits = matches.get(path) if matches is not None else spec.items_matching(path)
            hint = memo[path] = nearest_item(spec, path, as_of, fits or (), index)
        if hint is not None:
            found.append(hint)
    return tuple(found)


def nearest_item(
    spec: Spec,
    path: str,
    as_of: dt.date,
    fits: tuple[str, ...] = (),
    index: NearestIndex | None = None,
) -> NearestItem | None:
    """The item an unmatched file looks like, with a name it would count under.

    ``fits``: the items whose patterns the path matches; a file that matches
    no item although its name fits one lacked the item's keywords.
    """
    name = file_name(path)
    if fits:
        rule = spec.item(fits[0])
        if not rule.keywords:
            return None
        words = ", ".join(f"'{k}'" for k in rule.keywords)
        advice = (
            f"Its name fits {rule.id} {rule.title}, but its text has none of the words "
            f"that item needs ({words}), so it is not counted."
        )
        return NearestItem(path, rule.id, rule.title, None, advice)
    found = (index or NearestIndex(spec.items)).nearest(name)
    if found is None:
        return None
    renamed = _rename(found, name, path, as_of)
    if renamed is None:
        return None
    folder, new = renamed
    where = f" in {folder or 'the top folder'}" if folder != _folder_of(path) else ""
    advice = f"'{name}' looks like {found.id} {found.title}: name it '{new}'{where}."
    return NearestItem(path, found.id, found.title, new, advice)


def _family(name: str) -> frozenset[str]:
    """The formats a file of this kind could be saved as (empty for photos and the like)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return next((family for family in _FAMILIES if ext in family), frozenset())


def _meaningful(word: str) -> bool:
    return len(word) > 1 and not word.isdigit() and word not in _STOP


def _word_likeness(token: str, word: str) -> float:
    """1 for the same word, less for a shortening ("rep", "rpt" for "report"), else 0."""
    if token == word:
        return 1.0
    if len(token) < 3 or token[0] != word[0]:
        return 0.0
    if word.startswith(token) or (token.startswith(word) and len(word) >= 4):
        return 0.8
    letters = iter(word)
    if all(ch in letters for ch in token):  # the word's letters, some left out
        return 0.7
    return 0.0


def _rename(rule: ItemRule, name: str, path: str, as_of: dt.date) -> tuple[str, str] | None:
    """A folder and a name under which the file would count for ``rule``: its own
    folder if the item's patterns allow, else the folder they name."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in rule.formats:
        ext = _extension(rule)
    label = None
    if rule.period:
        end = _year_in(name)
        label = period_label(rule.period, end) if end else None
    when = _file_when(rule, name, label, as_of)
    folders = [_folder_of(path), *(literal_prefix(p) for p in rule.patterns), ""]
    for folder in dict.fromkeys(folders):
        new = _fitting_name(rule, when, folder, ext)
        if new is not None:
            return folder, new
    return None


def _year_in(name: str) -> int | None:
    """The end year of a span in a file name, short forms too ("14-15" -> 2015)."""
    _dates, spans = filename_facts(name, "DMY")
    if spans:
        return spans[0].last
    found = _SHORT_SPAN.search(stem(name))
    if found:
        first = int(found.group(1)) if len(found.group(1)) == 4 else 2000 + int(found.group(1))
        if (first + 1) % 100 == int(found.group(2)):
            return first + 1
    return None


def _file_when(rule: ItemRule, name: str, label: str | None, as_of: dt.date) -> str:
    """The period or date a renamed file keeps from its old name, else as for a new file."""
    if label:
        return label
    dates, _spans = filename_facts(name, rule.dating.date_order)
    if dates:
        found = dates[0]
        return found.value.isoformat() if found.precision == "day" else f"- {found.value:%B %Y}"
    return "" if rule.period else _when_words(rule, None, as_of)


__all__ = [
    "LIKENESS_NEEDED",
    "NearestIndex",
    "literal_prefix",
    "nearest_item",
    "nearest_items",
    "pattern_words",
    "suggest_file",
    "with_suggestions",
]
