"""What the report formats share: dates in words, counts, grouping and order.

Every format shows the same Report, so the small choices that are not the
format's own (how a date reads, which items need action, the order worst
first, how a waiver or a piece of evidence is put in words) live here once.
None of it judges anything: each helper only rearranges or words what the
Report already says. Text from files and specs comes back through
``printable()``; each format still escapes it for its own markup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
from collections.abc import Iterable

from annexa.model import (
    STATUS_ORDER,
    Evidence,
    ItemResult,
    NearestItem,
    Report,
    Severity,
    Status,
    WaiverState,
)
from annexa.words.phrases import NO_OWNER, source_words, where_words
from annexa.words.phrases import uk_date as _uk_date
from annexa.words.textsafe import one_line, printable

# The group an item without a section is shown under, as the text report does.
NO_SECTION = "Other items"

# Long enough never to cut a reason short; one_line() trims at this length.
_NO_LIMIT = 100_000


def uk_date(day: dt.date | None) -> str:
    """ "12 March 2015" for people; "" when there is no date."""
    return _uk_date(day) if day else ""


def iso_date(day: dt.date | None) -> str:
    """ "2015-03-12" for machines (and for Excel to sort); "" when there is no date."""
    return day.isoformat() if day else ""


def safe(text: str | None) -> str:
    """A file name or spec string that can only be displayed, never obeyed."""
    return printable(text) if text else ""


def flat(text: str | None) -> str:
    """Reasons and evidence on one line, whole: white space collapsed, nothing cut."""
    return one_line(text, _NO_LIMIT) if text else ""


def needs_action(item: ItemResult) -> bool:
    """An item someone must do something about (``ItemResult.needs_action``, the one definition)."""
    return item.needs_action


def errors(report: Report) -> list[ItemResult]:
    return [item for item in report.items if item.severity is Severity.ERROR]


def warnings(report: Report) -> list[ItemResult]:
    return [item for item in report.items if item.severity is Severity.WARNING]


def worst_first(items: Iterable[ItemResult]) -> list[ItemResult]:
    """Items ordered as a person should tackle them; the spec's order within a status."""
    rank = {status: n for n, status in enumerate(STATUS_ORDER)}
    return sorted(items, key=lambda item: rank[item.status])


def by_section(items: Iterable[ItemResult]) -> list[tuple[str, list[ItemResult]]]:
    """Items grouped by section, sections in the order the spec first names them."""
    groups: dict[str, list[ItemResult]] = {}
    for item in items:
        groups.setdefault(item.section or NO_SECTION, []).append(item)
    return list(groups.items())


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 error", "3 errors", "1 file", "0 files"."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def headline(report: Report) -> str:
    """One sentence a manager reads first: how many items need action and how badly."""
    total = len(report.items)
    n_errors, n_warnings = len(errors(report)), len(warnings(report))
    if not total:
        return "The spec lists no items."
    if not n_errors and not n_warnings:
        return f"No item needs action: all {plural(total, 'item')} checked."
    need = n_errors + n_warnings
    verb = "needs" if need == 1 else "need"
    parts = [plural(n_errors, "error")] if n_errors else []
    if n_warnings:
        parts.append(plural(n_warnings, "warning"))
    return f"{need} of {plural(total, 'item')} {verb} action: {' and '.join(parts)}."


def status_words(item: ItemResult) -> str:
    """ "✗ out of date", with "(not required)" for an item that never fails."""
    words = f"{item.status.symbol} {item.status.label}"
    return words if item.required else f"{words} (not required)"


def dated_words(item: ItemResult) -> str:
    """ "12 March 2015 (in the document)": the date that decided the item and where from."""
    if item.date is None:
        return ""
    if not item.date_source:
        return uk_date(item.date)
    return f"{uk_date(item.date)} ({source_words(item.date_source)})"


def evidence_words(evidence: Evidence) -> str:
    """Where a person can check the date: "'Date approved', page 1, header (in the document)"."""
    parts = []
    if evidence.label:
        parts.append(f"'{flat(evidence.label)}'")
    if evidence.page is not None:
        parts.append(f"page {evidence.page}")
    place = where_words(evidence.where)
    if place:
        parts.append(flat(place))
    where = ", ".join(parts)
    source = source_words(flat(evidence.source))
    return f"{where} ({source})" if where else source


def finding_text(item: ItemResult) -> str:
    """One item as a code-scanning finding reads: id, title, state, why, and what to do."""
    text = f"{safe(item.id)} {safe(item.title)}: {item.status.label}. {flat(item.reason)}"
    more = [flat(item.action), f"{save_as_words(item)}." if item.suggestion else ""]
    return " ".join([text, *filter(None, more)])


def finding_fingerprint(report: Report, item: ItemResult) -> str:
    """The same for the same item in the same state under the same spec, run after run:
    how code-scanning tools tell a finding still open from a new one."""
    key = "\0".join((report.spec_name, item.id, item.status.value))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def waiver_words(waiver: WaiverState) -> str:
    """A waiver as it stands: in use, not needed, or expired (and then no longer applied)."""
    by = f", approved by {flat(waiver.approved_by)}" if waiver.approved_by else ""
    until = uk_date(waiver.until)
    if not waiver.active:
        return f"Waiver expired on {until}{by}: {flat(waiver.reason)}"
    state = "Waived" if waiver.applied else "Waiver (not needed now)"
    return f"{state} until {until}{by}: {flat(waiver.reason)}"


def waiver_state(waiver: WaiverState) -> str:
    """ "in use", "not needed" or "expired": the JSON's active/applied/expired in words."""
    if not waiver.active:
        return "expired"
    return "in use" if waiver.applied else "not needed"


def other_files(item: ItemResult) -> list[str]:
    """Matching files that are neither the one shown nor listed as superseded."""
    shown = {item.file, *item.superseded}
    return [path for path in item.files if path not in shown]


def spec_in_root(report: Report) -> str | None:
    """The spec's path relative to ROOT with '/', when it is a file inside ROOT; else None.

    Code-scanning consumers need a file for every finding: an item with no
    file (a missing document) is placed at the spec that asks for it, when
    the spec is kept in the repository being checked.
    """
    source = report.spec_source
    if not source.lower().endswith(".toml"):
        return None  # a bundled spec, given by name
    try:
        relative = posixpath.normpath(os.path.relpath(source, report.root).replace(os.sep, "/"))
    except ValueError:  # another drive (Windows)
        return None
    if relative.startswith("../") or relative == ".." or posixpath.isabs(relative):
        return None
    return relative


def nearest_by_file(report: Report) -> dict[str, NearestItem]:
    """The item each unmatched file looks like, by file: looked up once per file, as a
    folder may hold tens of thousands of unmatched files."""
    return {hint.file: hint for hint in report.nearest}


def save_as_words(item: ItemResult) -> str:
    """ "Save it as 04 Annual reports/2014-15/LADO annual report 2014-15.pdf": where the
    file an item needs would be found and dated, for an item that needs one; else ""."""
    if item.suggestion is None:
        return ""
    return f"Save it as {flat(item.suggestion.path)}"


def falls_due_words(item: ItemResult) -> str:
    """What a calendar event on an item's expiry date announces: a report falls due, a
    document goes out of date (after that day)."""
    return "falls due" if item.period is not None else "goes out of date"


def coming_words(item: ItemResult) -> str:
    """What the date shown in "Coming up" is, in a few words, the same in every report."""
    if item.status is Status.WAIVED:
        return "waived until " + uk_date(item.waiver.until) if item.waiver else "waived"
    if item.period:
        return "next report due"
    return "last day in date"


def todo_by_date(item: ItemResult) -> str:
    """What to do before an item's expiry date: the judgement's action, else the usual task."""
    if item.action:
        return flat(item.action)
    by = f" by {uk_date(item.expires)}" if item.expires else ""
    if item.period is not None:
        return f"Upload the next report{by}."
    name = safe(item.file).rsplit("/", 1)[-1] if item.file else "it"
    return f"Review {name} and upload the new version{by}."


def by_owner(items: Iterable[ItemResult]) -> list[tuple[str, list[ItemResult]]]:
    """Items that need action grouped by owner, owners A to Z (none named last), worst first."""
    groups: dict[str, list[ItemResult]] = {}
    for item in items:
        if needs_action(item):
            groups.setdefault(flat(item.owner) or NO_OWNER, []).append(item)
    order = sorted(groups, key=lambda owner: (owner == NO_OWNER, owner.casefold()))
    return [(owner, worst_first(groups[owner])) for owner in order]
