"""What a format reader hands back, and how it says a file cannot be read.

Each reader (PDF, Word, Excel, CSV) returns a ``Content`` or raises
``Unreadable`` with a one-line reason in plain English. ``read_facts`` turns
either into a ``Facts``; keeping the readers free of the file's identity
(path, size, mtime) keeps them small and testable on bytes alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annexa.model import Sheet, TextBlock
from annexa.model.failures import Failure, FailureKind
from annexa.model.files import ScanState


class Unreadable(Exception):
    """The file cannot be read; ``str(exc)`` is the one-line reason shown to people.

    ``kind`` says what kind of failure it is; a reader that says nothing
    means the file is damaged.
    """

    def __init__(self, reason: str, kind: FailureKind = FailureKind.DAMAGED) -> None:
        super().__init__(reason)
        self.kind = kind

    @property
    def failure(self) -> Failure:
        return Failure(self.kind, str(self))


@dataclass(frozen=True, slots=True)
class Content:
    blocks: tuple[TextBlock, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    sheets: tuple[Sheet, ...] = ()
    pages: int | None = None
    content_status: str | None = None
    scan: ScanState | None = None  # a PDF whose first page is an image (Facts.scan)


_UNSAFE_CHARS = re.compile(r"[\x00\ud800-\udfff]")


def clean(text: str) -> str:
    """Drop NULs and lone surrogates that PDF and XML text can carry.

    They are harmless in memory but break the cache (SQLite) and terminals,
    and never help to find a date. Plain ASCII text, most of what is read,
    can hold no surrogate, so it only needs its NULs looked for.
    """
    if text.isascii() and "\x00" not in text:
        return text
    return _UNSAFE_CHARS.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def short(message: object, limit: int = 120) -> str:
    """A library's exception message cut to one short line, for a reason."""
    text = " ".join(clean(str(message)).split()).rstrip(".")
    if not text:
        text = type(message).__name__ if isinstance(message, BaseException) else "unknown error"
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]  # it follows a colon: "damaged PDF: invalid object"
    return text if len(text) <= limit else text[: limit - 1] + "…"


_XML_TOO_LARGE = ("resource limit", "too long", "xml_parse_huge", "huge input", "amplification")


def xml_trouble(exc: BaseException) -> str:
    """What an XML parser's complaint means for a person, in a few words.

    libxml2 speaks of "Premature end of data in tag body" and "try
    XML_PARSE_HUGE"; business support staff need to know whether the file
    is cut short or damaged, or too large to read.
    """
    message = str(getattr(exc, "msg", None) or exc).lower()
    if any(word in message for word in _XML_TOO_LARGE):
        return "damaged XML (a part is too large to read)"
    return "damaged XML (a part is cut short or garbled)"


def human_size(size: int) -> str:
    """ "3.1 GB", "300 MB": sizes as people read them in an error."""
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.1f} GB"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.0f} MB"
    return f"{max(size, 0) / 1000:.0f} KB"
