"""evaluate(spec, files, facts, as_of) -> Report: the one judgement every face shows.

Pure: no I/O, no clock. The same inputs give the same Report, which is why
``annexa scan``, ``annexa watch`` and a CI job cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

from annexa.finding.walk import unlisted_folders
from annexa.judging.file_verdict import FileVerdict, has_keyword, judge_file
from annexa.judging.memo import JudgingMemo
from annexa.judging.periods import latest_period_ended_by, period_end, period_label
from annexa.judging.rows import for_report
from annexa.judging.rows import reason as rows_reason
from annexa.judging.suggest import literal_prefix, nearest_items, pattern_words, with_suggestions
from annexa.model import (
    Evidence,
    Facts,
    FileEntry,
    FileError,
    ItemResult,
    Report,
    Severity,
    Status,
    WaiverState,
)
from annexa.model.failures import FailureKind
from annexa.spec.rules import ItemRule, Spec, Waiver
from annexa.words.phrases import dated_phrase, days_phrase, uk_date
from annexa.words.textsafe import one_line

_FORMAT_NAMES = {
    "pdf": "PDF",
    "docx": "Word",
    "docm": "Word",
    "xlsx": "Excel",
    "xlsm": "Excel",
    "csv": "CSV",
}


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def evaluate(
    spec: Spec,
    files: Mapping[str, FileEntry],
    facts: Mapping[str, Facts],
    as_of: dt.date,
    *,
    root: str = ".",
    matches: Mapping[str, tuple[str, ...]] | None = None,
    errors: Iterable[FileError] = (),
    tool_version: str = "",
    memo: JudgingMemo | None = None,
) -> Report:
    """Judge every item of ``spec`` over the files found under ROOT on ``as_of``.

    ``memo``: dates and verdicts kept from earlier runs over the same files
    (the Scanner's); a fresh one is used when there is none. It changes how
    fast the answer comes, never the answer.
    """
    if memo is None:
        memo = JudgingMemo()
    if matches is None:
        matches = {path: spec.items_matching(path) for path in files}
    by_item: dict[str, list[str]] = {}
    for path, ids in matches.items():
        for item_id in ids:
            by_item.setdefault(item_id, []).append(path)

    claimed: set[str] = set()
    results: list[ItemResult] = []
    notices: list[str] = []
    for rule in spec.items:
        candidates = [
            path
            for path in by_item.get(rule.id, ())
            if path in files and _has_keyword(memo, files[path], facts.get(path), rule.keywords)
        ]
        claimed.update(candidates)
        verdicts = [_judged(memo, rule, files[p], facts.get(p), as_of) for p in candidates]
        verdicts.sort(key=FileVerdict.sort_key, reverse=True)
        result = _judge_item(rule, verdicts, as_of)
        result, notice = _apply_waivers(result, spec.waivers_for(rule.id), as_of)
        if notice:
            notices.append(notice)
        if not rule.required and result.severity is not None:
            result = _replace(result, severity=None)
        results.append(result)

    all_errors = list(errors)
    unlisted = [
        "the folder checked" if folder == "." else folder for folder in unlisted_folders(all_errors)
    ]
    if unlisted and any(r.status is Status.MISSING for r in results):
        shown = ", ".join(unlisted[:3]) + (
            f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else ""
        )
        notices.append(
            f"Some folders could not be listed ({shown}): items reported missing may be in them."
        )
    for path in sorted(claimed):
        found = facts.get(path)
        if found is not None and found.error:
            all_errors.append(FileError(path, found.error, found.error_kind or FailureKind.DAMAGED))
    unmatched = [path for path in files if path not in claimed]
    unmatched.sort()  # the inventory lists folder by folder in name order: nearly sorted already
    results = list(with_suggestions(spec, results, as_of))
    index, known = memo.nearest(spec.items, as_of)
    return Report(
        root=root,
        spec_name=spec.name,
        spec_source=spec.source,
        as_of=as_of,
        items=tuple(results),
        unmatched=tuple(unmatched),
        errors=tuple(all_errors),
        notices=tuple(notices),
        tool_version=tool_version,
        nearest=nearest_items(spec, unmatched, as_of, matches=matches, index=index, memo=known),
    )


def _judged(
    memo: JudgingMemo, rule: ItemRule, entry: FileEntry, facts: Facts | None, as_of: dt.date
) -> FileVerdict:
    """``judge_file`` with the file's dates, through the memo (it is pure)."""

    def judge() -> FileVerdict:
        return judge_file(rule, entry, facts, as_of, memo.dates(facts, entry, rule.dating))

    return memo.verdict(rule, entry, facts, as_of, judge)


def _has_keyword(
    memo: JudgingMemo, entry: FileEntry, facts: Facts | None, keywords: tuple[str, ...]
) -> bool:
    """``has_keyword`` through the memo: it folds the whole first-pages text of the file."""
    if not keywords or facts is None:
        return has_keyword(facts, keywords)
    return memo.keyword(entry, facts, keywords, lambda: has_keyword(facts, keywords))


def _replace(result: ItemResult, **changes: object) -> ItemResult:
    return dataclasses.replace(result, **changes)  # type: ignore[arg-type]


def _base(
    rule: ItemRule, status: Status, reason: str, action: str = "", **rest: object
) -> ItemResult:
    if rule.is_data_list:
        rest.setdefault("row_problems", ())
    return ItemResult(
        id=rule.id,
        title=rule.title,
        section=rule.section,
        status=status,
        severity=status.severity,
        reason=reason,
        action=action,
        owner=rule.owner,
        required=rule.required,
        due_soon=rule.due_soon,
        **rest,  # type: ignore[arg-type]
    )


def _judge_item(rule: ItemRule, verdicts: list[FileVerdict], as_of: dt.date) -> ItemResult:
    if len(verdicts) < rule.count:
        return _missing(rule, verdicts, as_of)
    newest = verdicts[0]
    found = newest.evidence_date
    span = newest.evidence_span
    evidence = None
    if span is not None:
        where = "name" if span.source == "filename" else span.where
        evidence = Evidence(span.source, None, span.page, one_line(span.text, 160), where)
    elif found is not None:
        evidence = Evidence(
            found.source, found.label, found.page, one_line(found.text, 160), found.where
        )
    common: dict[str, object] = {
        "file": newest.path,
        "date": newest.issue.value if newest.issue else None,
        "date_source": newest.issue.source
        if newest.issue
        else (found.source if found else span.source if span else None),
        "expires": newest.expiry.day if newest.expiry else None,
        "evidence": evidence,
        "superseded": tuple(v.path for v in verdicts[1:]),
        "files": tuple(v.path for v in verdicts),
        "period": period_label(rule.period, newest.period)
        if rule.period and newest.period
        else None,
    }
    if rule.is_data_list:
        common["row_problems"], common["row_problems_total"] = for_report(newest.row_groups)
    status, reason, action = _status_of(rule, newest, verdicts, as_of)
    if rule.is_data_list:
        status, reason, action = _list_status(rule, newest, (status, reason, action))
    return _base(rule, status, reason, action, **common)


def _status_of(
    rule: ItemRule, newest: FileVerdict, verdicts: list[FileVerdict], as_of: dt.date
) -> tuple[Status, str, str]:
    name = newest.entry.name
    if newest.error and newest.facts is not None and newest.facts.error_kind is FailureKind.LOCKED:
        return (
            Status.UNREADABLE,
            f"The newest file, {name}, is open in another program (Word or Excel, here or on "
            "another computer), so annexa could not read it. The file itself may be fine.",
            "Close it there, or ask whoever has it open to close it, then check again.",
        )
    if newest.error:
        return (
            Status.UNREADABLE,
            # A library's message may end in its own full stop ("Detected cyclic
            # page references."): one is enough.
            f"The newest file, {name}, cannot be read: {newest.error.rstrip('.')}.",
            "Save a copy annexa can open (for a PDF, one without a password) in its place.",
        )
    if newest.incomplete:
        return (
            Status.INCOMPLETE,
            f"{newest.incomplete[0].upper()}{newest.incomplete[1:]} ({name}).",
            newest.list_action,
        )
    if rule.count > 1:
        in_date = [v for v in verdicts if v.expiry is not None and v.expiry.day >= as_of]
        if len(in_date) < rule.count:
            return (
                Status.OUT_OF_DATE,
                f"Only {len(in_date)} of the {rule.count} files needed are in date "
                f"({len(verdicts)} found).",
                f"Add {rule.count - len(in_date)} more in-date file(s) for this item.",
            )
    expiry = newest.expiry
    if expiry is not None and expiry.day < as_of:
        return _out_of_date(rule, newest, as_of)
    if newest.draft is not None:
        return _draft(rule, newest, verdicts, as_of)
    if expiry is None:
        if newest.issue is not None and not rule.period:
            return (
                Status.OK,
                f"Present, {_describe_issue(newest)}; no review period is set for this item.",
                "",
            )
        scanned = _scanned_words(newest)
        if scanned is not None:
            return (
                Status.UNDATED,
                scanned,
                "Put the date in its file name (2015-03-12 ...), or save a copy with a text layer.",
            )
        return (
            Status.UNDATED,
            f"{name} has no date annexa can trust: none was found {_where_looked(rule)}.",
            "Add a line such as 'Date approved: 12 March 2015' or 'Next review: March 2016' "
            "to its first page, or start its file name with the date (2015-03-12 ...).",
        )
    left = (expiry.day - as_of).days
    if expiry.day <= rule.due_soon.add(as_of):
        if rule.period:
            label = period_label(rule.period, (newest.period or 0) + 1)
            return (
                Status.DUE_SOON,
                f"Due {days_phrase(left)}: the newest report {newest.period_why}; {expiry.why}.",
                f"Upload the {label} {_lower_first(rule.title)}; it is expected by {uk_date(expiry.day)}.",
            )
        action = f"Review {name} and upload the new version by {uk_date(expiry.day)}."
        if rule.is_data_list:
            action = f"Produce it again if it is sent after {uk_date(expiry.day)}."
        return (
            Status.DUE_SOON,
            f"Goes out of date after {uk_date(expiry.day)} ({days_phrase(left)}): {expiry.why}.",
            action,
        )
    if rule.period:
        return (Status.OK, f"In date: the newest report {newest.period_why}; {expiry.why}.", "")
    return (Status.OK, f"In date until {uk_date(expiry.day)}: {expiry.why}.", "")


ROWS_ACTION = (
    "Correct the rows named where the list is made (the case-management system, or the "
    "workbook), then produce it again."
)
STALE_ACTION = (
    "Check that the list was produced on the date it carries; produce it again if it was not."
)


def _list_status(
    rule: ItemRule, newest: FileVerdict, judged: tuple[Status, str, str]
) -> tuple[Status, str, str]:
    """A data list's status once its rows are counted in.

    Problems in the rows make it incomplete (an error), unless something
    worse is already wrong (unreadable, columns missing, out of date: then
    they are mentioned); a list in date whose rows are far older than it
    is undated, as its date cannot be trusted.
    """
    status, reason, action = judged
    groups = newest.row_groups
    sheet = newest.sheet
    if status in (Status.UNREADABLE, Status.INCOMPLETE) or sheet is None:
        return judged
    if groups and status is Status.OUT_OF_DATE:
        total = sum(g.count for g in groups)
        noun = "problem" if total == 1 else "problems"
        return (
            status,
            f"{reason} Its rows also have {total} {noun} to correct before it is produced again.",
            action,
        )
    if groups:
        where = newest.entry.name
        if newest.facts is not None and newest.facts.kind != "csv":
            where = f"{where}, tab '{sheet.name}'"
        return Status.INCOMPLETE, rows_reason(rule, groups, where, sheet), ROWS_ACTION
    if newest.stale and status in (Status.OK, Status.DUE_SOON) and newest.issue is not None:
        return (
            Status.UNDATED,
            f"Its date is in doubt: {dated_phrase(newest.issue)}, but {newest.stale}.",
            STALE_ACTION,
        )
    return judged


def _out_of_date(rule: ItemRule, newest: FileVerdict, as_of: dt.date) -> tuple[Status, str, str]:
    expiry = newest.expiry
    assert expiry is not None
    since = uk_date(expiry.day + dt.timedelta(days=1))
    if rule.period:
        label = period_label(rule.period, (newest.period or 0) + 1)
        return (
            Status.OUT_OF_DATE,
            f"Out of date since {since}: the newest report {newest.period_why}; "
            f"{expiry.why.replace('is due by', 'was due by')}.",
            f"Upload the {label} {_lower_first(rule.title)}; it was due by {uk_date(expiry.day)}.",
        )
    action = f"Upload a current version: {newest.entry.name} expired on {uk_date(expiry.day)}."
    if rule.is_data_list and rule.max_age is not None:
        earliest = rule.max_age.subtract(as_of)
        action = (
            f"Produce it again: to be in date on {uk_date(as_of)} it must be made "
            f"on or after {earliest:%A} {uk_date(earliest)}."
        )
    return (Status.OUT_OF_DATE, f"Out of date since {since} ({expiry.why}).", action)


def _draft(
    rule: ItemRule, newest: FileVerdict, verdicts: list[FileVerdict], as_of: dt.date
) -> tuple[Status, str, str]:
    mark = newest.draft
    assert mark is not None
    where = {
        "filename": "in its file name",
        "properties": "in its document properties (Status)",
        "content": "on its first page",
        "version": "in its version history, where a version numbered 0.x is a draft",
    }[mark.where]
    shown = mark.marker.upper() if mark.where == "filename" else one_line(mark.text, 80)
    reason = f"The newest file, {newest.entry.name}, is marked as a draft ('{shown}' {where})"
    signed = next(
        (v for v in verdicts[1:] if v.draft is None and v.expiry and v.expiry.day >= as_of), None
    )
    if signed is not None:
        reason += f"; the previous version, {signed.entry.name}, is in date until {uk_date(signed.expiry.day)}"  # type: ignore[union-attr]
    return (
        Status.DRAFT,
        reason + ".",
        "Replace the draft with the signed-off version once it is approved.",
    )


def _scanned_words(verdict: FileVerdict) -> str | None:
    """What to say of an undated file whose first page is a scan; None if it is not one."""
    facts = verdict.facts
    if facts is None or facts.scan is None:
        return None
    name = verdict.entry.name
    if facts.scan == "ocr":
        return (
            f"{name} is a scanned image: annexa read its first page by OCR and found no date "
            "there; put the date in its file name."
        )
    if any(block.where == "body" and not block.ocr for block in facts.blocks):
        return (
            f"The first page of {name} is a scanned image with no text, and no date was found "
            "in the pages after it: put the date in its file name."
        )
    return (
        f"{name} is a scanned image with no text: annexa cannot read its date; "
        "put the date in its file name."
    )


def _describe_issue(verdict: FileVerdict) -> str:
    return dated_phrase(verdict.issue) if verdict.issue else "undated"


def _where_looked(rule: ItemRule) -> str:
    words = {
        "content": "in its text",
        "filename": "in its file name",
        "metadata": "in its document properties",
        "mtime": "in its modification time",
    }
    places = [words[s] for s in rule.dating.date_sources]
    return places[0] if len(places) == 1 else ", ".join(places[:-1]) + " or " + places[-1]


def _lower_first(title: str) -> str:
    """ "Private fostering annual report" inside a sentence; "IRO annual report" as it is."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _missing(rule: ItemRule, verdicts: list[FileVerdict], as_of: dt.date) -> ItemResult:
    looked = looked_for(rule)
    if verdicts:
        reason = f"Only {len(verdicts)} of the {rule.count} files needed were found: {looked}."
        action = f"Upload {rule.count - len(verdicts)} more."
        files = tuple(v.path for v in verdicts)
        return _base(rule, Status.MISSING, reason, action, files=files, file=verdicts[0].path)
    if rule.period:
        expected = latest_period_ended_by(rule.period, as_of)
        due = rule.grace.add(period_end(rule.period, expected))
        if due > as_of:  # not yet due: the one before is what should be there now
            label = period_label(rule.period, expected - 1)
            action = (
                f"Upload the {label} {_lower_first(rule.title)} now, and the {period_label(rule.period, expected)} "
                f"one by {uk_date(due)}."
            )
        else:
            action = f"Upload the {period_label(rule.period, expected)} {_lower_first(rule.title)}; it was due by {uk_date(due)}."
        return _base(rule, Status.MISSING, f"No file found: {looked}.", action)
    return _base(
        rule,
        Status.MISSING,
        f"No file found: {looked}.",
        f"Upload the {_lower_first(rule.title)}.",
    )


def looked_for(rule: ItemRule) -> str:
    """Where annexa looked and for what, in words rather than patterns:
    "annexa looked in every folder for a PDF or Word file with a name like 'self eval'"."""
    formats = " or ".join(sorted({_FORMAT_NAMES.get(f, f.upper()) for f in rule.formats}))
    names = list(
        dict.fromkeys(w for w in (pattern_words(p.rsplit("/", 1)[-1]) for p in rule.patterns) if w)
    )
    folders = list(dict.fromkeys(literal_prefix(p) for p in rule.patterns))
    where = "every folder" if "" in folders else " and ".join(f"'{f}'" for f in folders)
    quoted = [f"'{name}'" for name in names]
    like = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    article = "an" if formats[:1] in "AEIOU" else "a"
    what = f"{article} {formats} file" + (f" with a name like {like}" if quoted else "")
    return f"annexa looked in {where} for {what}"


def _apply_waivers(
    result: ItemResult, waivers: tuple[Waiver, ...], as_of: dt.date
) -> tuple[ItemResult, str | None]:
    if not waivers:
        return result, None
    active = [w for w in waivers if w.until >= as_of]
    if not active:
        waiver = max(waivers, key=lambda w: w.until)
        state = WaiverState(waiver.reason, waiver.until, waiver.approved_by, False, False)
        notice = (
            f"The waiver for {result.id} ended on {uk_date(waiver.until)}: "
            f"{result.id} counts as usual again."
        )
        prefix = f"The waiver ended on {uk_date(waiver.until)}, so it no longer covers this item. "
        return _replace(result, waiver=state, reason=prefix + result.reason), notice
    waiver = max(active, key=lambda w: w.until)
    applies = result.severity is not None
    state = WaiverState(waiver.reason, waiver.until, waiver.approved_by, True, applies)
    if not applies:
        return _replace(result, waiver=state), None
    by = f", approved by {waiver.approved_by}" if waiver.approved_by else ""
    reason = (
        f"Waived until {uk_date(waiver.until)}: {waiver.reason}{by}. "
        f"Without the waiver it would be {result.status.label}. {result.reason}"
    )
    return _replace(
        result,
        status=Status.WAIVED,
        severity=None,
        reason=reason,
        waiver=state,
        action=result.action and f"{result.action} (Waived until {uk_date(waiver.until)}.)",
    ), None


__all__ = ["Severity", "evaluate"]
