"""Month and weekday names as UK council documents write them.

One table, shared by every date reader, so that "Sept", "Sep.", "SEPTEMBER"
and the common misspelling "Febuary" mean the same month everywhere.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "febuary": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "mon",
    "tuesday",
    "tues",
    "tue",
    "wednesday",
    "wed",
    "thursday",
    "thurs",
    "thur",
    "thu",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
)


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    # Longest first: a regex alternation takes the first branch that matches,
    # so "mar" must not be tried before "march".
    return "|".join(sorted(words, key=len, reverse=True))


# A month name, abbreviated or not, with an optional full stop ("Sept.");
# never the start of a longer word ("Mark", "Marketing", "Decision").
MONTH_PATTERN = rf"(?:{_alternation(list(MONTHS))})(?![^\W\d_])\.?"
WEEKDAY_PATTERN = rf"(?:{_alternation(WEEKDAYS)})(?![^\W\d_])\.?"


def month_number(word: str) -> int:
    """The month number of a name matched by MONTH_PATTERN ("Sept." -> 9)."""
    return MONTHS[word.rstrip(".").lower()]
