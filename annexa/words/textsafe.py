"""Make file names and document text safe to show, in every face.

Anyone in a council can name a file. A name may hold bytes that are not
UTF-8 (kept by Python as lone surrogates), newlines, ANSI escape sequences
that would repaint a terminal, or text that looks like markup. These
helpers turn such text into something that can only be displayed: escapes
are written out (``\\x1b``), never obeyed. Markup is a separate matter each
face handles with its own escaping (HTML, Markdown) or with plain-text
widgets (Textual), never by rendering names as markup.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile(r"[\udc80-\udcff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_unicode(text: str) -> str:
    """Replace bytes that were not UTF-8 (lone surrogates) by ``\\xNN``."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def printable(text: str) -> str:
    """``to_unicode`` plus visible escapes for control and bidi characters.

    A newline in a file name becomes ``\\n`` so a one-line row stays one line;
    an ESC becomes ``\\x1b`` so it cannot recolour or clear a terminal;
    right-to-left overrides cannot disguise ``fdp.exe`` as ``exe.pdf``.
    """
    text = to_unicode(text)
    if not _CONTROL.search(text):
        return text
    names = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _CONTROL.sub(
        lambda m: names.get(
            m.group(),
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
        ),
        text,
    )


def one_line(text: str, limit: int = 200) -> str:
    """Collapse white space and trim, for reasons and evidence shown in tables."""
    flat = " ".join(printable(text.replace("\n", " ").replace("\r", " ")).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
