"""What a cell of a data list holds: a date, a whole number, one of a column's codes, a postcode.

Cells arrive as the workbook stores them (a number, a date Excel formatted
as a date, text) or, from a CSV file, as text. Each reader here answers with
a value or with the kind of problem, never with the cell's text: the caller
keeps row numbers, not contents.

Dates. A date counts when it is an Excel date (a number formatted as a
date), an Excel date number left unformatted (a serial such as 42264), or
text in one of the forms councils' systems write:

- day first: ``17/09/2015``, ``17-09-2015``, ``17.09.2015``, ``7/9/2015``,
  two-digit years (``17/09/15``: 00-49 are 2000s, 50-99 1900s), with or
  without a time after it (``17/09/2015 00:00:00``);
- ISO: ``2015-09-17``, ``2015-09-17T00:00:00``, ``2015-09-17 00:00:00.000``;
- with the month in words: ``17 Sep 2015``, ``17 September 2015``,
  ``17-SEP-2015``, ``17-Sep-15``, ``17th September 2015``;
- ``20150917`` (eight digits, as some databases export), and Excel date
  numbers written out as text (``42264``).

An unformatted number counts as an Excel date number only from 1950 to
2100; a smaller number in a date column is not a date.

Text that reads as a date only month first (``09/17/2015``: there is no
17th month) is an American date; a day that does not exist (``31/02/2024``)
is an impossible date; anything else is not a date. Years before 1900 or
after 2100 are not dates either.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from annexa.dating.months import MONTHS
from annexa.words.headings import heading_key

NOT_A_DATE = "not_a_date"
US_DATE = "us_date"
IMPOSSIBLE_DATE = "impossible_date"
NOT_A_NUMBER = "not_a_number"
NEGATIVE = "negative"
NOT_WHOLE = "not_whole"
INVALID_CODE = "invalid_code"
NOT_A_POSTCODE = "not_a_postcode"

FIRST_YEAR, LAST_YEAR = 1900, 2100
_EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()
# An unformatted number reads as an Excel date from 1950 on: smaller numbers
# in a date column are counts or codes typed in the wrong place.
_FIRST_SERIAL = dt.date(1950, 1, 1).toordinal() - _EXCEL_EPOCH
_LAST_SERIAL = dt.date(LAST_YEAR, 12, 31).toordinal() - _EXCEL_EPOCH
_FIRST_ORDINAL = dt.date(FIRST_YEAR, 1, 1).toordinal()
_LAST_ORDINAL = dt.date(LAST_YEAR, 12, 31).toordinal()

_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:\s*[ap]m)?)?"
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_ISO = re.compile(r"(\d{4})([\-/])(\d{1,2})\2(\d{1,2})" + _TIME + r"(?:z|[+\-]\d{2}:?\d{2})?")
_WORDS = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[ \-/.]*([a-z]{3,9})\.?[ \-/.,]*(\d{4}|\d{2})" + _TIME
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def ordinal(day: int, month: int, year: int) -> int | str:
    """The date's ordinal, or IMPOSSIBLE_DATE / NOT_A_DATE."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return NOT_A_DATE
    try:
        return dt.date(year, month, day).toordinal()
    except ValueError:
        return IMPOSSIBLE_DATE if 1 <= month <= 12 and 1 <= day <= 31 else NOT_A_DATE


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def date_from_text(text: str) -> int | str | None:
    """The ordinal of the date written in ``text``; None for blank; else the problem."""
    text = text.strip().casefold()
    if not text:
        return None
    match = _NUMERIC.fullmatch(text)
    if match:
        first, second = int(match.group(1)), int(match.group(3))
        year = _year(match.group(4))
        if second > 12 and 1 <= first <= 12 and second <= 31:
            return US_DATE if isinstance(ordinal(second, first, year), int) else IMPOSSIBLE_DATE
        return ordinal(first, second, year)
    match = _ISO.fullmatch(text)
    if match:
        return ordinal(int(match.group(4)), int(match.group(3)), int(match.group(1)))
    match = _WORDS.fullmatch(text)
    if match:
        month = MONTHS.get(match.group(2))
        if month is None:
            return NOT_A_DATE
        return ordinal(int(match.group(1)), month, _year(match.group(3)))
    match = _COMPACT.fullmatch(text)
    if match:
        return ordinal(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if _SERIAL.fullmatch(text):
        return date_from_serial(float(text))
    return NOT_A_DATE


def date_from_serial(number: float) -> int | str:
    """An Excel date number (days since 30 December 1899) as an ordinal, or the problem."""
    if _FIRST_SERIAL <= number <= _LAST_SERIAL:
        return _EXCEL_EPOCH + int(number)
    if number == int(number) and 10_000_000 <= number <= 99_999_999:  # 20150917
        return date_from_text(str(int(number))) or NOT_A_DATE
    return NOT_A_DATE


def date_value(value: object) -> int | str | None:
    """Any cell as a date's ordinal, None when blank, else the problem."""
    if value is None:
        return None
    if isinstance(value, str):
        return date_from_text(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        number = value.toordinal()
        return number if _FIRST_ORDINAL <= number <= _LAST_ORDINAL else NOT_A_DATE
    if isinstance(value, bool):
        return NOT_A_DATE
    if isinstance(value, (int, float)):
        return date_from_serial(value)
    return NOT_A_DATE


def whole_number(value: object) -> int | str | None:
    """A count: its value, None when blank, else NEGATIVE, NOT_WHOLE or NOT_A_NUMBER."""
    if value is None or isinstance(value, bool):
        return None if value is None else NOT_A_NUMBER
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            return None
        try:
            number: float = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return NOT_A_NUMBER
    elif isinstance(value, (int, float)):
        number = value
    else:
        return NOT_A_NUMBER
    if number != number or number in (float("inf"), float("-inf")):
        return NOT_A_NUMBER
    if number < 0:
        return NEGATIVE
    if number != int(number):
        return NOT_WHOLE
    return int(number)


_POSTCODE = re.compile(r"[a-z]{1,2}\d[a-z\d]?(?: ?\d(?:[a-z]{2})?)?")


def is_postcode(value: object) -> bool:
    """A UK postcode, whole ("SW1A 1AA") or shortened for privacy ("SW1A 1", "SW1A")."""
    return isinstance(value, str) and bool(_POSTCODE.fullmatch(" ".join(value.split()).casefold()))


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u2033"), '"'
)
_AFTER_CODE = " -:()/.;,"


def code_key(text: str) -> str:
    """A code as compared: case, spaces, dashes, quotes and a trailing full stop ignored."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    return " ".join(folded.casefold().split()).rstrip(".").strip()


class CodeMatcher:
    """Whether a cell is one of a column's codes, in any of the ways it is written.

    A cell counts when it is one of the spellings (``a) WBRI``, ``WBRI``,
    ``White British``), the same but for spaces and punctuation
    (``White - British``, ``Not stated / recorded``), or begins with one
    followed by a separator (``WBRI - White British``, ``a) Male (M)``).
    Answers are remembered per text: a coded column holds few distinct values.
    """

    def __init__(self, codes: Iterable[tuple[str, ...]]) -> None:
        spellings = [spelling for written in codes for spelling in written]
        self._keys = {code_key(spelling) for spelling in spellings}
        self._keys.discard("")
        # Letters and digits only, as headings are compared: "White - British".
        self._squashed = {heading_key(spelling) for spelling in spellings}
        self._squashed.discard("")
        self._longest = max((len(k) for k in self._keys), default=0)
        self._seen: dict[str, bool] = {}

    def __call__(self, value: object) -> bool:
        text = _as_text(value)
        found = self._seen.get(text)
        if found is None:
            found = self._match(text)
            if len(self._seen) < 10_000:
                self._seen[text] = found
        return found

    def _match(self, text: str) -> bool:
        key = code_key(text)
        if key in self._keys or heading_key(key) in self._squashed:
            return True
        for end in range(min(len(key), self._longest), 0, -1):
            if key[end : end + 1] in _AFTER_CODE and key[:end].rstrip() in self._keys:
                return True
        return False


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"  # an Excel TRUE/FALSE cell in a yes/no column
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)
