"""Apply an item's rules to one candidate file: its date, its expiry, its flaws.

The dating package says which dates a file carries; this module decides which
of them counts under the item's rules (``date_sources`` order, ``max_age``,
plan periods, reporting periods) and keeps the words that explain it.
Pure: the as-of date is a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from annexa.judging.periods import (
    is_history,
    latest_period_ended_by,
    period_end,
    period_from_span,
    period_label,
    plan_end,
    span_words,
)
from annexa.judging.rows import ProblemRows, row_problems, stale
from annexa.judging.sheets import REMAKE, find_list
from annexa.model import (
    BASIS_RANK,
    SPAN_RANK,
    DocumentDates,
    DraftMark,
    Facts,
    FileEntry,
    FoundDate,
    Sheet,
    YearSpan,
)
from annexa.spec.rules import ItemRule
from annexa.words.phrases import dated_phrase, every_phrase, uk_date, uk_found


@dataclass(frozen=True, slots=True)
class Bound:
    """One limit on a file's life, with the words that explain it."""

    day: dt.date
    why: str
    found: FoundDate | None = None


@dataclass(frozen=True, slots=True)
class FileVerdict:
    """One candidate file judged under one item's rules."""

    entry: FileEntry
    facts: Facts | None
    issue: FoundDate | None
    expiry: Bound | None
    draft: DraftMark | None
    error: str | None
    incomplete: str | None
    period: int | None = None  # end year of the reporting period covered (period items)
    period_why: str = ""
    has_sheet: bool = True  # False when the item's list is not in this file
    # Data lists: what to do about ``incomplete``, the sheet holding the list, its
    # row problems on the as-of date, and words for rows far older than the list.
    list_action: str = REMAKE
    sheet: Sheet | None = None
    row_groups: tuple[ProblemRows, ...] = ()
    stale: str | None = None
    span: YearSpan | None = None  # the period named in the file that its period or expiry used

    @property
    def evidence_span(self) -> YearSpan | None:
        """The period named in the file that stands as its evidence: when no date does,
        and for a report whose named period decided it, unless its text dates it too."""
        if self.span is None:
            return None
        if self.evidence_date is None:
            return self.span
        named = self.period is not None and (self.issue is None or self.issue.source != "content")
        return self.span if named else None

    @property
    def path(self) -> str:
        return self.entry.path

    @property
    def evidence_date(self) -> FoundDate | None:
        """The date that decided this file: its issue date, else its expiry's."""
        if self.issue is not None:
            return self.issue
        return self.expiry.found if self.expiry else None

    def sort_key(self) -> tuple[object, ...]:
        """Newest first when sorted in reverse: period, then date, then saved time.

        A workbook without the item's sheet ranks below every file that has
        it, so a per-list workbook ("Annex A List 1.xlsx") never stands for
        List 7 while List 7's own file is there.
        """
        when = self.issue.value if self.issue else self.entry.modified.date()
        return (
            self.has_sheet,
            self.period or 0,
            when,
            self.issue is not None,
            self.entry.mtime_ns,
            self.entry.path,
        )


def has_keyword(facts: Facts | None, keywords: tuple[str, ...]) -> bool:
    """True when the file's text holds one of the keywords, or cannot be read to tell."""
    if not keywords or facts is None or not facts.readable or not facts.blocks:
        return True
    text = " ".join(facts.text().casefold().split())
    return any(" ".join(k.casefold().split()) in text for k in keywords)


def judge_file(
    rule: ItemRule, entry: FileEntry, facts: Facts | None, as_of: dt.date, dates: DocumentDates
) -> FileVerdict:
    """One candidate file under one item's rules, from the dates found in it."""
    error = facts.error if facts is not None else None
    issue = pick_issue(dates, rule.dating.date_sources, as_of)
    if error is None and facts is not None and rule.is_data_list:
        return _judge_list(rule, entry, facts, as_of, dates, issue)
    if issue is not None and issue.source != "content" and _states_its_period(dates):
        issue = None  # the text dates the document by its period: the name and properties wait
    own = issue if issue is not None and issue.source == "content" else None
    period: int | None = None
    period_why = ""
    expiry: Bound | None = None
    if rule.period:
        period, period_why, span = _period_covered(rule, dates, issue, own)
        if period is not None:
            due = rule.grace.add(period_end(rule.period, period + 1))
            expiry = Bound(
                due, f"the {period_label(rule.period, period + 1)} report is due by {uk_date(due)}"
            )
    else:
        expiry, span = _expiry(rule, dates, issue, own)
    return FileVerdict(
        entry, facts, issue, expiry, dates.draft, error, None, period, period_why, span=span
    )


def _states_its_period(dates: DocumentDates) -> bool:
    """Whether the text states the period the document covers, with its months or days
    ("April 2015 – March 2016"): a careful reader's date for it, before its file name's
    or its properties'."""
    return any(span.source == "content" and span.end is not None for span in dates.spans)


def _judge_list(
    rule: ItemRule,
    entry: FileEntry,
    facts: Facts,
    as_of: dt.date,
    dates: DocumentDates,
    issue: FoundDate | None,
) -> FileVerdict:
    """A data list: its date, and where it is in the file, what it lacks, what its rows hold."""
    found = find_list(rule, facts)
    groups: tuple[ProblemRows, ...] = ()
    old = None
    if found.sheet is not None:
        made = issue.value if issue is not None else None
        groups = row_problems(rule, found.sheet, as_of, made)
        old = stale(rule, found.sheet, made)
    own = issue if issue is not None and issue.source == "content" else None
    expiry, _span = _expiry(rule, dates, issue, own)
    return FileVerdict(
        entry,
        facts,
        issue,
        expiry,
        dates.draft,
        None,
        found.problem,
        has_sheet=found.has_list,
        list_action=found.action,
        sheet=found.sheet,
        row_groups=groups,
        stale=old,
    )


def pick_issue(dates: DocumentDates, sources: tuple[str, ...], as_of: dt.date) -> FoundDate | None:
    """The first source in the spec's order that has a date; within it the strongest kind
    (labelled or version table, then cover, then running head: ``BASIS_RANK``), and of
    those the latest not after as-of."""
    for source in sources:
        found = [d for d in dates.issue if d.source == source]
        if not found:
            continue
        best = min(BASIS_RANK[d.basis] for d in found)
        found = [d for d in found if BASIS_RANK[d.basis] == best]
        past = [d for d in found if d.value <= as_of]
        if past:
            return max(past, key=lambda d: d.value)
        return min(found, key=lambda d: d.value)
    return None


def _expiry(
    rule: ItemRule, dates: DocumentDates, issue: FoundDate | None, own: FoundDate | None
) -> tuple[Bound | None, YearSpan | None]:
    """The earliest of: content expiry, end of the plan period (or stated period), issue
    date + max_age; and the period named in the file, when it ends the file's life."""
    bounds: list[Bound] = []
    if issue is not None and rule.max_age is not None:
        day = rule.max_age.add(issue.value, end_of_month=issue.precision != "day")
        bounds.append(Bound(day, f"{dated_phrase(issue)}, {_life_phrase(rule)}", issue))
    if dates.expiry:
        latest = max(dates.expiry, key=lambda d: d.value)
        label = latest.label or "Review date"
        bounds.append(Bound(latest.value, f"its '{label}' is {uk_found(latest)}", latest))
    span = _plan_span(dates.spans, rule.dating.year_end, own)
    if span is not None:
        end = span_end(span, rule.dating.year_end)
        words = span_words(span)
        bounds.append(Bound(end, f"its {words} ends on {uk_date(end)}"))
    if not bounds:
        return None, span
    return min(bounds, key=lambda b: b.day), span


def _life_phrase(rule: ItemRule) -> str:
    """ "reviewed every 12 months" for a document; "valid for 5 days" for a data list.

    A data list (an item that names a sheet or columns) is an extract made
    afresh, never reviewed: its max_age is how long Ofsted accepts it.
    """
    assert rule.max_age is not None
    if rule.is_data_list:
        return f"valid for {rule.max_age}"
    return every_phrase(rule.max_age)


def span_end(span: YearSpan, year_end: str) -> dt.date:
    """The last day of a plan period: its stated end, else the end of its last year."""
    return span.end if span.end is not None else plan_end(span, year_end)


def _plan_span(
    spans: tuple[YearSpan, ...], year_end: str, own: FoundDate | None
) -> YearSpan | None:
    """The plan period a file names: a span of several years or a stated period, file name
    first, then the strongest place in the text.

    A period named in the text that ended before the document's own date (its
    content issue date) is the year it reports on or history, never the plan it
    is current for: "In 2011-12, 25 children were adopted" in a report of
    October 2012 does not make the report out of date since April 2012.
    """
    plans = [s for s in spans if s.last > s.first or s.end is not None]
    for span in plans:
        if span.source == "filename":
            return span
    # A period named only in a foreword ("our annual report for 2013/14") names
    # a report's year; a plan's period is on its cover, in its title or labelled.
    content = [s for s in plans if s.source == "content" and s.basis != "foreword"]
    content.sort(key=lambda s: SPAN_RANK[s.basis])
    for span in content:
        if own is not None and span_end(span, year_end) < own.value:
            continue
        return span
    return None


def _period_covered(
    rule: ItemRule, dates: DocumentDates, issue: FoundDate | None, own: FoundDate | None
) -> tuple[int | None, str, YearSpan | None]:
    """The reporting period a file covers: named in its name or text, else implied by its date.

    A period named in the text wins over one inferred from a date; the file
    name wins over the text. A period the text names that ended more than
    ``HISTORY_YEARS`` before the document's own date is history.
    """
    assert rule.period is not None
    named = [s for s in dates.spans if s.source == "filename"]
    content = sorted(
        (s for s in dates.spans if s.source == "content"), key=lambda s: SPAN_RANK[s.basis]
    )
    for span in named + content:
        end_year = period_from_span(rule.period, span)
        ended = period_end(rule.period, end_year)
        if span.source == "content" and own is not None and is_history(ended, own.value):
            continue
        where = "its file name" if span.source == "filename" else _where_named(span)
        return end_year, f"covers {period_label(rule.period, end_year)} ({where})", span
    if issue is not None:
        end_year = latest_period_ended_by(rule.period, issue.value)
        label = period_label(rule.period, end_year)
        return (
            end_year,
            f"taken to cover {label}, the last period ended before it was {dated_phrase(issue)}",
            None,
        )
    return None, "", None


def _where_named(span: YearSpan) -> str:
    """Where the text named its period, as a person would look for it."""
    if span.basis == "foreword":
        return f"'{span.text}' on page {span.page}" if span.page else f"'{span.text}' in its text"
    if span.basis == "running":
        return f"'{span.text}' in its running {'header' if span.where == 'header' else 'footer'}"
    if span.basis == "label":
        return f"'{span.text}' on page {span.page}" if span.page else f"'{span.text}'"
    return "its title"
