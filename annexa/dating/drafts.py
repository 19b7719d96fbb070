"""Is this file a draft? Its name, its Word status, or its first page says so.

A draft marker (the spec's ``draft_markers``, "draft" by default) counts as
a whole word, case ignored, where any character but a letter or digit ends a
word: ``Strategy_DRAFT_v2.docx`` and ``Plan (draft).pdf`` are drafts,
``Redrafted plan.pdf`` and ``Draftsman.pdf`` are not. Looked for, in order:

1. the file name;
2. the DOCX core property "content status" (Word's Status field);
3. the first page: any line of a header or footer, and short lines (at most
   eight words) of page 1, where a "DRAFT" banner or a "Status: Draft" cell
   sits. Longer lines are prose ("the draft plan was consulted on") and do
   not count.

Not counted: "not a draft", "no longer a draft", "non-draft" anywhere; and,
in page 1 body text, where finished documents keep their version history,
"first draft", "initial draft", "previous draft" and the like, and lines
that begin with a version number ("0.1  First draft  J Smith"), which are
rows of a version table.
"""

from __future__ import annotations

import re
from functools import lru_cache

from annexa.dating.excerpt import excerpt
from annexa.dating.firstpage import first_page_lines
from annexa.dating.textlayer import mend
from annexa.model import DraftMark, Facts

SHORT_LINE_WORDS = 8

_DENIAL = r"no\s+longer\s+an?|not\s+an?|not|non"
_HISTORY = r"first|second|third|fourth|initial|earlier|previous|prior|original|old|1st|2nd|3rd|4th"
_WORD_GAP = re.compile(r"[\s_\-.]+")
_VERSION_ROW = re.compile(r"\s*(?:v(?:ersion)?\s*)?[0-9]+\.[0-9]+\b", re.IGNORECASE)


@lru_cache(maxsize=64)
def _marker_re(markers: tuple[str, ...]) -> re.Pattern[str] | None:
    words = [" ".join(m.split()) for m in markers if m and m.strip()]
    if not words:
        return None
    alternatives = "|".join(
        r"[\s_\-.]+".join(re.escape(part) for part in word.split())
        for word in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


_DENIED = re.compile(rf"(?<![^\W_])(?:{_DENIAL})[\s_\-]*$", re.IGNORECASE)
_DENIED_OR_PAST = re.compile(rf"(?<![^\W_])(?:{_DENIAL}|{_HISTORY})[\s_\-]*$", re.IGNORECASE)


def _mark_in(
    text: str, pattern: re.Pattern[str], dismissed: re.Pattern[str] = _DENIED
) -> str | None:
    """The first marker in ``text`` (as the spec writes it) that is not dismissed."""
    for m in pattern.finditer(text):
        if dismissed.search(text, max(0, m.start() - 24), m.start()) is None:
            return " ".join(_WORD_GAP.split(m.group().lower()))
    return None


def find_draft(name: str, facts: Facts | None, markers: tuple[str, ...]) -> DraftMark | None:
    """The first draft marker in the file name, the Word status or the first page."""
    pattern = _marker_re(tuple(markers))
    if pattern is None:
        return None
    marker = _mark_in(name, pattern)
    if marker is not None:
        return DraftMark(marker=marker, where="filename", text=name)
    if facts is None:
        return None
    status = facts.content_status
    if status:
        marker = _mark_in(status, pattern)
        if marker is not None:
            return DraftMark(marker=marker, where="properties", text=excerpt(status))
    for block in facts.blocks:
        if block.where in ("header", "footer"):
            for line in mend(block.text).splitlines():
                marker = _mark_in(line, pattern)
                if marker is not None:
                    return DraftMark(marker=marker, where="content", text=excerpt(line))
    for line, _block in first_page_lines(facts.blocks):
        if len(line.split()) > SHORT_LINE_WORDS or _VERSION_ROW.match(line):
            continue
        marker = _mark_in(line, pattern, _DENIED_OR_PAST)
        if marker is not None:
            return DraftMark(marker=marker, where="content", text=excerpt(line))
    return None
