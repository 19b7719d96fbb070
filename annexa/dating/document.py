"""``read_dates``: everything the dating rules find in one file, by source."""

from __future__ import annotations

from annexa.dating.content import content_dates
from annexa.dating.cover import cover_dates
from annexa.dating.covered import covered_spans
from annexa.dating.drafts import find_draft
from annexa.dating.excerpt import excerpt
from annexa.dating.filename import file_name, filename_facts
from annexa.dating.metadata import metadata_dates, mtime_date
from annexa.dating.versions import (
    VersionRow,
    newest_row,
    row_says_final,
    stated_final,
    version_rows,
)
from annexa.model import DocumentDates, DraftMark, Facts, FoundDate, YearSpan
from annexa.model.dates import OCR_WHERE
from annexa.spec.rules import DatingOptions


def _unique(spans: list[YearSpan]) -> tuple[YearSpan, ...]:
    """Each period once (the first, strongest, place it was named), keeping order."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for span in spans:
        key = (span.first, span.last, span.source, span.end)
        if key not in seen:
            seen.add(key)
            kept.append(span)
    return tuple(kept)


def _version_date(row: VersionRow) -> FoundDate:
    return FoundDate(
        value=row.date.value,
        kind="issue",
        source="content",
        precision=row.date.precision,
        label=f"Version {row.written}",
        page=row.block.page,
        where=OCR_WHERE if row.block.ocr else row.block.where,
        text=excerpt(row.text),
        basis="version",
    )


def _content(
    facts: Facts, order: str
) -> tuple[list[FoundDate], list[FoundDate], list[YearSpan], VersionRow | None]:
    """Issue and expiry dates, periods and the newest version row read in the text.

    Unlabelled cover and running dates are looked for only when there is no
    labelled date and no version table: they could not win (docs/dating.md).
    """
    issue, expiry = content_dates(facts.blocks, order)
    newest = newest_row(version_rows(facts.blocks, order))
    if newest is not None:
        issue.append(_version_date(newest))
    if not issue:
        issue.extend(cover_dates(facts.blocks, order))
    return issue, expiry, list(covered_spans(facts.blocks, order)), newest


def _version_draft(
    facts: Facts | None, newest: VersionRow | None, markers: tuple[str, ...]
) -> DraftMark | None:
    """A draft mark when the newest version is numbered 0.x and nothing says it is final."""
    if newest is None or facts is None or newest.version[0] != 0 or not markers:
        return None
    if stated_final(facts.blocks) or row_says_final(newest):
        return None
    return DraftMark(marker=markers[0], where="version", text=excerpt(newest.text))


def read_dates(
    facts: Facts | None, path: str, options: DatingOptions, mtime_ns: int
) -> DocumentDates:
    """Candidate issue and expiry dates, year spans and a draft mark for one file.

    Only the sources named in ``options.date_sources`` are read, and issue
    candidates are grouped in that order, so the evaluator can take the
    first source that has a date. A file that could not be read (``facts``
    None or with an error) is still dated from its name and mtime.
    """
    name = file_name(path)
    issue: list[FoundDate] = []
    expiry: list[FoundDate] = []
    spans: list[YearSpan] = []
    newest: VersionRow | None = None
    for source in dict.fromkeys(options.date_sources):
        if source == "content" and facts is not None:
            found_issue, found_expiry, found_spans, newest = _content(facts, options.date_order)
            issue.extend(found_issue)
            expiry.extend(found_expiry)
            spans.extend(found_spans)
        elif source == "filename":
            name_issue, name_spans = filename_facts(name, options.date_order)
            issue.extend(name_issue)
            spans.extend(name_spans)
        elif source == "metadata" and facts is not None:
            issue.extend(metadata_dates(facts.metadata, facts.kind))
        elif source == "mtime":
            found = mtime_date(mtime_ns)
            if found is not None:
                issue.append(found)
    markers = tuple(options.draft_markers)
    draft = find_draft(name, facts, markers) or _version_draft(facts, newest, markers)
    return DocumentDates(
        issue=tuple(issue),
        expiry=tuple(expiry),
        spans=_unique(spans),
        draft=draft,
    )
