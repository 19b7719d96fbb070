"""Durations as the spec writes them: "12 months", "30 days", "1 year".

Calendar arithmetic, not timedeltas: councils review "every 12 months", and
1 August 2014 plus 12 months is 1 August 2015 whatever the leap years do.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Unit = Literal["days", "weeks", "months", "years"]

_PATTERN = re.compile(r"^\s*(\d{1,4})\s*(day|week|month|year)s?\s*$", re.IGNORECASE)


class DurationError(ValueError):
    """A duration string that does not read as ``N days|weeks|months|years``."""


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if not match:
            raise DurationError(
                f"{text!r} is not a duration; write it as 'N days', 'N weeks', "
                "'N months' or 'N years' (for example '12 months')"
            )
        return cls(int(match.group(1)), match.group(2).lower() + "s")  # type: ignore[arg-type]

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"

    def add(self, day: dt.date, *, end_of_month: bool = False) -> dt.date:
        """``day`` plus this duration.

        Months and years clamp to the month's length (31 March + 6 months is
        30 September). With ``end_of_month`` the result is the last day of
        its month, for dates known only to the month ("March 2015").
        """
        return self._shift(day, self.amount, end_of_month)

    def subtract(self, day: dt.date, *, end_of_month: bool = False) -> dt.date:
        return self._shift(day, -self.amount, end_of_month)

    def _shift(self, day: dt.date, amount: int, end_of_month: bool) -> dt.date:
        if self.unit == "days":
            return day + dt.timedelta(days=amount)
        if self.unit == "weeks":
            return day + dt.timedelta(weeks=amount)
        months = amount * (12 if self.unit == "years" else 1)
        return add_months(day, months, end_of_month=end_of_month)


def add_months(day: dt.date, months: int, *, end_of_month: bool = False) -> dt.date:
    """Calendar month arithmetic with clamping to the target month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, last if end_of_month else min(day.day, last))


def end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
