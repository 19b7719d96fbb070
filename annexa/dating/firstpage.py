"""Which lines of a document are its cover, its title lines and its running heads.

Plan periods ("Sufficiency Strategy 2015-2018"), unlabelled dates
("Missing Children Protocol July 2017") and draft marks ("DRAFT") are read
only where a reader would see them at once: the cover, the title lines at
the top of page 1, and the running header and footer. A year range deep
inside a report ("outcomes 2012-2015") says nothing about the period the
report covers, and neither does a sentence: a Word paragraph is one "line"
to annexa, so a title line must also look like a title, not like prose
("In 2011-12, 25 children were adopted.").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from annexa.dating.months import MONTH_PATTERN, MONTHS
from annexa.dating.textlayer import mend
from annexa.model import TextBlock

TITLE_LINES = 8
# When the extractor could not tell pages apart, this many lines stand for
# the first page, so a long document without page breaks is not read whole.
UNPAGED_FIRST_PAGE_LINES = 40
COVER_WORDS = 150  # a page 1 with no more words than this is a cover
FOOT_LINES = 3  # the last lines of a page, where its footer sits
PAGE_LINES = 80  # a printed page has no more lines than this
TITLE_WORDS = 16  # a title line has no more words than this
RUNNING_CHARS = 160  # a running header or footer is no longer than this
PROSE_WORDS = 8  # a line this long that does not read as a title is prose

# Words a sentence opens with, never a title: "In 2011-12, 25 children ...".
_PROSE_OPENERS = frozenset(
    [
        "in",
        "during",
        "since",
        "from",
        "between",
        "over",
        "by",
        "after",
        "before",
        "until",
        "throughout",
        "compared",
        "as",
        "when",
        "while",
        "there",
        "we",
        "our",
        "it",
        "its",
        "this",
        "these",
        "those",
        "last",
        "next",
        "each",
        "every",
        "all",
        "most",
    ]
)
_SENTENCE_BREAK = re.compile(r"[.!?;]\s+[A-Z0-9]|[.;,]\s*$")
# Verbs that titles do without: "In 2011-12 ... children were adopted".
_PROSE_VERBS = frozenset(["was", "were", "had", "been", "did"])


class Line(NamedTuple):
    """One mended line of a page, where it sits, and the block it came from."""

    text: str
    block: TextBlock
    zone: str  # "title" (top of page 1), "cover" (rest of a cover), "foot", "body", "running"
    where: str = "body"  # for evidence: "cover", "header", "footer", "body"


def looks_like_title(line: str) -> bool:
    """Whether a line reads as a title or heading, not as a sentence.

    At most sixteen words, no sentence break inside or at its end, not
    opening with a word that opens sentences ("In", "During", "We"), and
    none of the verbs titles do without ("was", "were", "had").
    """
    words = line.split()
    if not words or len(words) > TITLE_WORDS:
        return False
    if _SENTENCE_BREAK.search(line.strip()) is not None:
        return False
    first = re.sub(r"[\W_]+", "", words[0]).lower()
    if first in _PROSE_OPENERS:
        return False
    return not any(word.lower() in _PROSE_VERBS for word in words)


# A line that ends in a period's separator, and a next line that opens with a
# month or a day: "April 2016 –" / "March 2017" is one period broken by the layout.
_RANGE_GOES_ON = re.compile(
    rf"(?i)\s*(?:[0-9]{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH_PATTERN}|\s*[0-9]{{1,2}}/"
)


_RANGE_LINE_ENDS = ("-\n", "–\n", "—\n", "to\n", "- \n", "– \n", "— \n", "to \n")


def _open_range(line: str) -> bool:
    """Whether a line ends in a period's separator: a dash, or "to"."""
    end = line.rstrip()
    return end.endswith(("-", "–", "—")) or end[-3:].lower() in (" to", "\tto") or end == "to"


@functools.lru_cache(maxsize=32)
def mended_lines(block: TextBlock) -> tuple[str, ...]:
    """A block's non-empty lines, mended, with a period split over two lines joined.

    Remembered for the last few blocks: the cover, period and running-head
    readers all walk the same pages.
    """
    text = mend(block.text)
    lines = [line for line in text.splitlines() if line and not line.isspace()]
    if not any(end in text for end in _RANGE_LINE_ENDS):  # most pages: none ends in one
        return tuple(lines)
    index = 0
    while index < len(lines) - 1:
        if _open_range(lines[index]) and _RANGE_GOES_ON.match(lines[index + 1]):
            lines[index : index + 2] = [f"{lines[index].rstrip()} {lines[index + 1].strip()}"]
        else:
            index += 1
    return tuple(lines)


def _is_prose(line: str) -> bool:
    """A line of running prose: eight words or more that do not read as a title."""
    return len(line.split()) >= PROSE_WORDS and not looks_like_title(line)


def _first_page(blocks: tuple[TextBlock, ...]) -> tuple[list[TextBlock], int | None]:
    """The body blocks that hold page 1, and how many of their lines to read.

    All the lines of page 1's blocks; when pages are unknown, the first body
    block's first ``UNPAGED_FIRST_PAGE_LINES`` lines.
    """
    body = [b for b in blocks if b.where == "body"]
    page_one = [b for b in body if b.page == 1]
    if page_one:
        return page_one, None
    return body[:1], UNPAGED_FIRST_PAGE_LINES


def first_page_lines(blocks: tuple[TextBlock, ...]) -> Iterator[tuple[str, TextBlock]]:
    """Non-empty lines of page 1 (or of the first body block when pages are unknown), mended."""
    page_one, limit = _first_page(blocks)
    for block in page_one:
        lines = (line for line in mend(block.text).splitlines() if line.strip())
        for line in itertools.islice(lines, limit):
            yield line, block


def _page_one(blocks: tuple[TextBlock, ...]) -> list[tuple[str, TextBlock]]:
    """Page 1's mended, non-empty lines (the first body block's first lines when unpaged),
    with a month and its year set on lines of their own ("July" / "2017") made one."""
    page_one, limit = _first_page(blocks)
    pairs = [(text, block) for block in page_one for text in mended_lines(block)[:limit]]
    index = 0
    while index < len(pairs) - 1:
        month, year = pairs[index][0].strip(), pairs[index + 1][0].strip()
        if month.lower() in MONTHS and len(year) == 4 and year.isdigit():
            pairs[index : index + 2] = [(f"{month} {year}", pairs[index][1])]
        index += 1
    return pairs


@functools.lru_cache(maxsize=8)
def page_one_lines(blocks: tuple[TextBlock, ...]) -> tuple[Line, ...]:
    """Page 1's mended lines, each in its zone.

    "title": the first eight lines, up to the first line of prose; "cover":
    any other line of a page 1 short enough to be a cover (``COVER_WORDS``);
    "foot": the last three lines of a longer page 1 known to end there (a
    PDF's page); "body" otherwise.
    """
    pairs = _page_one(blocks)
    cover = sum(text.count(" ") + 1 for text, _ in pairs) <= COVER_WORDS
    # A foot only where the text is a printed page's: a PDF's page (a Word file keeps
    # its footer apart, and its "page 1" may be the whole of what was read).
    paged = (
        bool(pairs)
        and pairs[0][1].page is not None
        and len(pairs) <= PAGE_LINES
        and not any(block.where in ("header", "footer") for block in blocks)
    )
    out = []
    titles = TITLE_LINES
    for index, (text, block) in enumerate(pairs):
        if index < titles and _is_prose(text):
            titles = index  # the title lines end where the prose begins
        if index < titles:
            zone = "title"
        elif cover:
            zone = "cover"
        elif paged and index >= len(pairs) - FOOT_LINES:
            zone = "foot"
        else:
            zone = "body"
        where = {"title": "cover", "cover": "cover", "foot": "footer"}.get(zone, "body")
        out.append(Line(text, block, zone, where))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def running_lines(blocks: tuple[TextBlock, ...]) -> tuple[Line, ...]:
    """Lines of the running header and footer.

    A Word file keeps them apart (header and footer blocks). A PDF prints
    them on every page: a line among the first or last three of a page that
    comes again on another page read (page numbers aside) is taken for one.
    """
    out = [
        Line(text, block, "running", block.where)
        for block in blocks
        if block.where in ("header", "footer")
        for text in mended_lines(block)
    ]
    pages: dict[int, list[tuple[str, TextBlock, str, str]]] = {}  # text, block, where, key
    for block in blocks:
        if block.where == "body" and block.page is not None:
            lines = mended_lines(block)
            top = min(FOOT_LINES, len(lines))
            edge = [(text, "header") for text in lines[:top]]
            edge += [(text, "footer") for text in lines[max(top, len(lines) - FOOT_LINES) :]]
            pages.setdefault(block.page, []).extend(
                (text, block, where, running_key(text))
                for text, where in edge
                if len(text) <= RUNNING_CHARS
            )
    if len(pages) < 2:
        return tuple(out)
    seen: dict[str, set[int]] = {}
    for page, edges in pages.items():
        for *_, key in edges:
            seen.setdefault(key, set()).add(page)
    kept: set[str] = set()
    for _page, edges in sorted(pages.items()):
        for text, block, where, key in edges:
            if len(seen[key]) >= 2 and key not in kept:
                kept.add(key)
                out.append(Line(text, block, "running", where))
    return tuple(out)


_PAGE_NUMBER = re.compile(r"\b(?:page|p\.)\s*[0-9]+(?:\s*(?:of|/)\s*[0-9]+)?\b|^[0-9]{1,3}$")


def running_key(text: str) -> str:
    """A running line as it reads on every page: in lower case, its page number taken out."""
    low = " ".join(text.split()).lower()
    if "p" in low or low.isdigit():
        low = " ".join(_PAGE_NUMBER.sub(" ", low).split())
    return low
