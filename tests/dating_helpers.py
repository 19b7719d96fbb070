"""Small builders for the dating tests: facts with given text, options with given sources."""

from __future__ import annotations

import datetime as dt

from annexa.dating import read_dates
from annexa.model import DocumentDates, Facts, FoundDate, TextBlock
from annexa.spec.rules import DatingOptions


def facts_with(*blocks: TextBlock, **fields) -> Facts:
    return Facts(path="doc.pdf", size=1, mtime_ns=0, kind=fields.pop("kind", "pdf"),
                 blocks=tuple(blocks), **fields)  # fmt: skip


def body(text: str, page: int | None = 1) -> TextBlock:
    return TextBlock("body", page, text)


def options(sources=("content",), order="DMY", markers=("draft",)) -> DatingOptions:
    return DatingOptions(date_sources=tuple(sources), date_order=order, draft_markers=markers)


def content(text: str, order: str = "DMY") -> DocumentDates:
    """What the content rules read in one page of text."""
    return read_dates(facts_with(body(text)), "doc.pdf", options(order=order), 0)


def issue_dates(text: str, order: str = "DMY") -> list[dt.date]:
    return [d.value for d in content(text, order).issue]


def expiry_dates(text: str, order: str = "DMY") -> list[dt.date]:
    return [d.value for d in content(text, order).expiry]


def only_issue(text: str, order: str = "DMY") -> FoundDate:
    found = content(text, order).issue
    assert len(found) == 1, found
    return found[0]


def name_dates(name: str, order: str = "DMY") -> DocumentDates:
    """What the file-name rules read in a name."""
    return read_dates(None, f"Folder/{name}", options(("filename",), order), 0)
