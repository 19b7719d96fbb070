"""Names for the files in an evidence pack: in item order, and safe to unpack on Windows.

A pack is unzipped by inspectors on Windows laptops, so every name must be
one Windows can create: none of ``< > : " / \\ | ? *`` or control
characters, no trailing dot or space, none of the device names (``CON``,
``PRN``, ``AUX``, ``NUL``, ``COM1``.. ``LPT9``, with any extension), short
enough that the pack unpacked in a Downloads folder stays under Windows'
260-character path limit, and unique when case is ignored (Windows would
let a second ``a.pdf`` overwrite ``A.pdf``). Names are flat, with no folder,
so no ``..`` or absolute path can appear.

A packed file is named after its item so the folder reads in the spec's
order: ``A01 Self-evaluation of social work practice - SEF July 2015.docx``.
The item id's number is padded (A1 -> A01) because a zip listing sorts
A10 before A2.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from annexa.words.textsafe import printable

MAX_NAME = 150
"""Longest name in a pack: unpacked under C:\\Users\\<name>\\Downloads\\<pack>\\ it stays
well inside Windows' 260 characters (and inside the 200 the brief of a pack allows)."""

MAX_ITEM_PART = 60
"""Longest "A01 Title" part, so the original file name always keeps room."""

_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{dev}{n}" for dev in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")]
)
_REPLACE = {":": " -", '"': "'", "/": "-", "\\": "-", "|": "-"}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")
_ID_NUMBER = re.compile(r"^([^\d]*)(\d+)(.*)$")


def clean(text: str) -> str:
    """Text Windows accepts in a file name: forbidden characters replaced, spaces single."""
    text = unicodedata.normalize("NFC", printable(text))
    text = _FORBIDDEN.sub(lambda m: _REPLACE.get(m.group(), "_"), text)
    return _SPACES.sub(" ", text).strip()


def _trim_end(text: str) -> str:
    """No trailing dot or space: Windows drops them, so two names could become one."""
    return text.rstrip(". ")


def _not_a_device(name: str) -> str:
    """``_CON.pdf`` for ``CON.pdf``: a device name is reserved whatever follows the dot."""
    stem = name.split(".", 1)[0].rstrip(" ").casefold()
    return f"_{name}" if stem in _RESERVED or not stem else name


def _split_extension(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    if dot <= 0 or len(name) - dot > 12 or " " in name[dot:]:
        return name, ""
    return name[:dot], name[dot:]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return _trim_end(text[: limit - 1]) + "…"


def padded_ids(ids: Iterable[str]) -> dict[str, str]:
    """Each id with its number padded to the widest number of its prefix, at least two digits.

    ``["A1", "A10", "L7"]`` -> ``{"A1": "A01", "A10": "A10", "L7": "L07"}``.
    """
    ids = list(ids)
    width: dict[str, int] = {}
    for item_id in ids:
        match = _ID_NUMBER.match(item_id)
        if match:
            prefix, number = match.group(1), match.group(2)
            width[prefix] = max(width.get(prefix, 2), len(number))
    padded = {}
    for item_id in ids:
        match = _ID_NUMBER.match(item_id)
        if match:
            prefix, number, rest = match.groups()
            padded[item_id] = f"{prefix}{number.zfill(width[prefix])}{rest}"
        else:
            padded[item_id] = item_id
    return padded


def packed_name(item_part: str, original: str) -> str:
    """``"A01 Self-evaluation"`` and ``"SEF July 2015.docx"`` -> a safe name for the pack."""
    head = _trim_end(_shorten(clean(item_part), MAX_ITEM_PART))
    stem, extension = _split_extension(clean(original))
    extension = clean(extension)
    room = MAX_NAME - len(head) - len(" - ") - len(extension)
    name = f"{head} - {_trim_end(_shorten(_trim_end(stem), room))}{extension}"
    return _not_a_device(_trim_end(name))


def safe_name(text: str) -> str:
    """Any text as one safe file name (no item part): for files annexa writes itself."""
    stem, extension = _split_extension(clean(text))
    name = _trim_end(_shorten(_trim_end(stem), MAX_NAME - len(extension))) + extension
    return _not_a_device(_trim_end(name))


class UniqueNames:
    """Hands out names that differ even when case and Unicode forms are ignored."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._seen = {self._key(name) for name in taken}

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def claim(self, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)``...: the first one not yet given out."""
        stem, extension = _split_extension(name)
        candidate, n = name, 1
        while self._key(candidate) in self._seen:
            n += 1
            suffix = f" ({n})"
            candidate = (
                f"{_shorten(stem, MAX_NAME - len(suffix) - len(extension))}{suffix}{extension}"
            )
        self._seen.add(self._key(candidate))
        return candidate
