"""Which lines of a document are its first page and its title lines.

Plan periods ("Sufficiency Strategy 2015-2018") and draft marks ("DRAFT")
are read only where a reader would see them at once: the first page and the
running heads. A year range deep inside a report ("outcomes 2012-2015") says
nothing about the period the report covers.
"""

from __future__ import annotations

from collections.abc import Iterator

from annexa.model import TextBlock

TITLE_LINES = 6
# When the extractor could not tell pages apart, this many lines stand for
# the first page, so a long document without page breaks is not read whole.
UNPAGED_FIRST_PAGE_LINES = 40


def first_page_lines(blocks: tuple[TextBlock, ...]) -> Iterator[tuple[str, TextBlock]]:
    """Non-empty lines of page 1 (or of the first body block when pages are unknown)."""
    body = [b for b in blocks if b.where == "body"]
    page_one = [b for b in body if b.page == 1]
    if page_one:
        for block in page_one:
            for line in block.text.splitlines():
                if line.strip():
                    yield line, block
        return
    if body:
        block = body[0]
        count = 0
        for line in block.text.splitlines():
            if line.strip():
                yield line, block
                count += 1
                if count >= UNPAGED_FIRST_PAGE_LINES:
                    return


def title_lines(blocks: tuple[TextBlock, ...]) -> list[tuple[str, TextBlock]]:
    """The document-properties title and the first six non-empty lines of page 1."""
    lines = [
        (line, block)
        for block in blocks
        if block.where == "title"
        for line in block.text.splitlines()
        if line.strip()
    ]
    for count, pair in enumerate(first_page_lines(blocks)):
        if count >= TITLE_LINES:
            break
        lines.append(pair)
    return lines
