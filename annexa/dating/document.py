"""``read_dates``: everything the dating rules find in one file, by source."""

from __future__ import annotations

from annexa.dating.content import content_dates
from annexa.dating.drafts import find_draft
from annexa.dating.filename import file_name, filename_facts
from annexa.dating.firstpage import title_lines
from annexa.dating.metadata import metadata_dates, mtime_date
from annexa.dating.spans import find_spans
from annexa.model import DocumentDates, Facts, FoundDate, YearSpan
from annexa.spec.rules import DatingOptions


def _title_spans(facts: Facts) -> list[YearSpan]:
    spans: list[YearSpan] = []
    for line, block in title_lines(facts.blocks):
        for found in find_spans(line):
            spans.append(YearSpan(found.first, found.last, "content", found.text, block.page))
    return spans


def _unique(spans: list[YearSpan]) -> tuple[YearSpan, ...]:
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for span in spans:
        key = (span.first, span.last, span.source)
        if key not in seen:
            seen.add(key)
            kept.append(span)
    return tuple(kept)


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
    for source in dict.fromkeys(options.date_sources):
        if source == "content" and facts is not None:
            found_issue, found_expiry = content_dates(facts.blocks, options.date_order)
            issue.extend(found_issue)
            expiry.extend(found_expiry)
            spans.extend(_title_spans(facts))
        elif source == "filename":
            found_issue, found_spans = filename_facts(name, options.date_order)
            issue.extend(found_issue)
            spans.extend(found_spans)
        elif source == "metadata" and facts is not None:
            issue.extend(metadata_dates(facts.metadata, facts.kind))
        elif source == "mtime":
            found = mtime_date(mtime_ns)
            if found is not None:
                issue.append(found)
    return DocumentDates(
        issue=tuple(issue),
        expiry=tuple(expiry),
        spans=_unique(spans),
        draft=find_draft(name, facts, tuple(options.draft_markers)),
    )
