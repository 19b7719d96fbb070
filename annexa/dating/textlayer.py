"""Mend what real text layers do to words before any date is read.

PDF exports and scans hand over text a person reads easily and a pattern
does not: ligatures ("Ratiﬁed", "Eﬀective" from InDesign and Word's PDF
export), words hyphenated across a line break ("Decem-\\nber 2008"),
letter-spaced headings ("D E C E M B E R  2 0 0 8"), soft hyphens and
zero-width spaces, non-breaking spaces, full-width digits and superscript
ordinals ("1ˢᵗ April"). ``mend`` undoes these, so one set of date rules
serves every exporter. It never joins two lines that were apart unless a
hyphen at a line's end split one word.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Characters that carry no letter: soft hyphen, zero-width spaces and joiners, BOM.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# A word split by a hyphen at a line's end: a letter, "-", newline, a lower-case letter.
_SPLIT_WORD = re.compile(r"(?<=[^\W\d_])-\n(?=[a-z])")
# A run of at least four single characters, each followed by one space (two
# where the exporter kept a word gap): "D E C E M B E R  2 0 0 8".
_SPACED_RUN = re.compile(r"(?<!\S)(?:\S [ ]?){3,}\S(?!\S)")
_SPACED_HINT = re.compile(r" \S \S \S")
_GAP = re.compile(r" {2,}")
_FULL_MONTH = re.compile(
    r"(?i)(?<=[^\W\d_])(january|february|march|april|may|june|july|august|september"
    r"|october|november|december)(?=\s*[0-9]{4}(?![0-9]))"
)
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=[0-9])|(?<=[0-9])(?=[^\W\d_])")
_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=64)
def mend(text: str) -> str:
    """``text`` with ligatures, split words, letter-spacing and invisible characters undone.

    Remembered for the last few texts: every reader of a page (labels, cover,
    periods, version tables) mends the same page text.
    """
    if not text.isascii():
        if _INVISIBLE_RE.search(text) is not None:
            text = _INVISIBLE_RE.sub("", text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    if "-\n" in text:
        text = _SPLIT_WORD.sub("", text)
    if _SPACED_HINT.search(text) is not None:  # a cheap look first: most pages have none
        text = _SPACED_RUN.sub(_unspace, text)
    return text


def _unspace(run: re.Match[str]) -> str:
    """A letter-spaced run read as words: "D E C E M B E R  2 0 0 8" -> "DECEMBER 2008".

    Where the exporter kept a wider gap between words, the gaps are the word
    breaks; where it did not, letters and digits are parted, and a month name
    run into the word before it is parted from it, which is all dating needs
    ("STATEMENTOFPURPOSE DECEMBER 2008"). A run of digits alone is joined only
    when it makes a year: "1 2 3 4" in a table of figures stays as it is.
    """
    text = run.group()
    if _LETTER.search(text) is None and len(text.replace(" ", "")) != 4:
        return text
    words = [part.replace(" ", "") for part in _GAP.split(text)]
    joined = " ".join(_LETTER_DIGIT.sub(" ", word) for word in words)
    return _FULL_MONTH.sub(r" \1", joined)
