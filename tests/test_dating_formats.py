"""Every written form of a date reads as the day (or month) it names."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annexa.dating.parse import match_date
from tests.dating_helpers import content, issue_dates, only_issue

D = dt.date


@pytest.mark.parametrize(
    "written",
    [
        "12 March 2015",
        "12th March 2015",
        "12 Mar 2015",
        "12/03/2015",
        "12.03.2015",
        "12-03-15",
        "2015-03-12",
        "12/3/15",
        "12 March, 2015",
        "March 12, 2015",
        "March 12th 2015",
        "Thursday 12 March 2015",
        "Thursday, 12th March 2015",
        "Thu 12 Mar 2015",
        "12-Mar-2015",
        "12-Mar-15",
        "12 mar 2015",
        "12 MARCH 2015",
        "20150312",
        "2015/03/12",
        "2015.03.12",
    ],
)
def test_each_day_format_reads_as_12_march_2015(written):
    found = only_issue(f"Date approved: {written}")
    assert found.value == D(2015, 3, 12)
    assert found.precision == "day"


def test_ordinal_with_of_reads_as_the_day():
    assert issue_dates("Date: 1st of March 2015") == [D(2015, 3, 1)]
    assert issue_dates("Date: 2nd March 2015") == [D(2015, 3, 2)]
    assert issue_dates("Date: 23rd March 2015") == [D(2015, 3, 23)]


def test_abbreviated_month_with_full_stop_reads():
    assert issue_dates("Date: 12 Sept. 2015") == [D(2015, 9, 12)]


@pytest.mark.parametrize(
    "written", ["March 2015", "Mar 2015", "Mar. 2015", "MARCH 2015", "March, 2015", "Mar-15",
                "Mar 15", "Mar '15", "Mar-2015"],
)  # fmt: skip
def test_month_precision_date_counts_as_end_of_month(written):
    found = only_issue(f"Published: {written}")
    assert found.value == D(2015, 3, 31)
    assert found.precision == "month"


def test_jul_2019_is_the_end_of_july_not_the_first():
    assert issue_dates("Date: Jul 2019") == [D(2019, 7, 31)]


def test_sept_is_september():
    assert issue_dates("Date: Sept 2015") == [D(2015, 9, 30)]
    assert issue_dates("Date: Sep 2015") == [D(2015, 9, 30)]


def test_february_month_precision_knows_leap_years():
    assert issue_dates("Date: February 2016") == [D(2016, 2, 29)]
    assert issue_dates("Date: Feb 2015") == [D(2015, 2, 28)]


@pytest.mark.parametrize(
    "name,number",
    [("January", 1), ("Jan", 1), ("February", 2), ("Feb", 2), ("March", 3), ("Mar", 3),
     ("April", 4), ("Apr", 4), ("May", 5), ("June", 6), ("Jun", 6), ("July", 7), ("Jul", 7),
     ("August", 8), ("Aug", 8), ("September", 9), ("Sept", 9), ("Sep", 9), ("October", 10),
     ("Oct", 10), ("November", 11), ("Nov", 11), ("December", 12), ("Dec", 12)],
)  # fmt: skip
def test_every_month_name_and_abbreviation_reads(name, number):
    assert issue_dates(f"Date: 5 {name} 2015") == [D(2015, number, 5)]


def test_dmy_reads_day_first():
    assert issue_dates("Date: 03/04/2015", "DMY") == [D(2015, 4, 3)]


def test_mdy_reads_month_first():
    assert issue_dates("Date: 03/04/2015", "MDY") == [D(2015, 3, 4)]


def test_iso_date_is_year_month_day_whatever_the_order():
    for order in ("DMY", "MDY", "YMD"):
        assert issue_dates("Date: 2015-03-04", order) == [D(2015, 3, 4)]


def test_date_that_does_not_fit_the_order_is_rejected_not_swapped():
    assert issue_dates("Date: 25/12/2015", "MDY") == []
    assert issue_dates("Date: 12/25/2015", "DMY") == []


def test_ymd_reads_two_digit_numeric_dates_year_first():
    assert issue_dates("Date: 15/03/12", "YMD") == [D(2015, 3, 12)]


def test_ymd_reads_year_last_dates_only_when_unambiguous():
    assert issue_dates("Date: 25/12/2015", "YMD") == [D(2015, 12, 25)]
    assert issue_dates("Date: 03/04/2015", "YMD") == []


def test_two_digit_years_below_70_are_this_century():
    assert issue_dates("Date: 12/03/15") == [D(2015, 3, 12)]
    assert issue_dates("Date: 12/03/69") == [D(2069, 3, 12)]


def test_two_digit_years_from_70_are_last_century_and_too_old_before_1990():
    assert issue_dates("Date: 12/03/99") == [D(1999, 3, 12)]
    assert issue_dates("Date: 12/03/85") == []


@pytest.mark.parametrize("written", ["12 March 1989", "12/03/2100", "March 1970", "1601-01-01"])
def test_implausible_years_are_rejected(written):
    assert issue_dates(f"Date: {written}") == []


def test_plausible_range_edges_are_kept():
    assert issue_dates("Date: 1 January 1990") == [D(1990, 1, 1)]
    assert issue_dates("Date: 31 December 2099") == [D(2099, 12, 31)]


@pytest.mark.parametrize("written", ["31/02/2015", "30 February 2015", "2015-13-01", "00/01/2015",
                                     "32 March 2015", "20151301"])  # fmt: skip
def test_impossible_dates_are_rejected(written):
    assert issue_dates(f"Date: {written}") == []


def test_a_time_after_a_day_and_month_is_not_a_two_digit_year():
    assert issue_dates("Date: 12 March 15:30") == []


def test_a_year_alone_after_an_issue_label_is_too_weak_to_use():
    assert content("Date: 2015").issue == ()


def test_a_year_alone_after_an_expiry_label_is_the_end_of_that_year():
    (found,) = content("Next review: 2016").expiry
    assert (found.value, found.precision) == (D(2016, 12, 31), "year")


def test_digits_running_on_are_not_a_date():
    assert issue_dates("Date: 12/03/20155") == []
    assert issue_dates("Date: 12/03/2015/7") == []


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def _written_forms(day: dt.date) -> list[str]:
    month = day.strftime("%B")
    abbr = day.strftime("%b")
    suffix = _ORDINAL.get(day.day, "th")
    return [
        f"{day.day} {month} {day.year}",
        f"{day.day}{suffix} {month} {day.year}",
        f"{day.day}{suffix} of {month} {day.year}",
        f"{day.day} {abbr} {day.year}",
        f"{day.day:02d} {month.upper()} {day.year}",
        f"{day:%A} {day.day} {month} {day.year}",
        f"{day.day} {month}, {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year % 100:02d}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year % 100:02d}",
        f"{day.day}-{abbr}-{day.year}",
        day.isoformat(),
        f"{day:%Y%m%d}",
    ]


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2069, 12, 31)))
def test_any_valid_date_written_in_any_supported_form_reads_back_as_itself(day):
    for written in _written_forms(day):
        found = match_date(written, 0, "DMY")
        assert found is not None, written
        assert (found.value, found.precision) == (day, "day"), written
        assert found.end == len(written), written


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31)))
def test_any_month_written_as_month_and_year_reads_as_its_last_day(day):
    last = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    forms = [f"{day:%B %Y}", f"{day:%b %Y}", f"{day:%b. %Y}"]
    if 1990 <= day.year <= 2069:  # where a two-digit year names the same year
        forms.append(f"{day:%b-%y}")
    for written in forms:
        found = match_date(written, 0, "DMY")
        assert found is not None, written
        assert (found.value, found.precision) == (last, "month"), written


@given(st.text(max_size=300), st.sampled_from(["DMY", "MDY", "YMD"]))
def test_random_text_never_raises(text, order):
    content(text, order)
    content("Date: " + text, order)
    content("Next review date\n" + text, order)


@given(st.text(alphabet="0123456789/.-_ :DateMarch\n", max_size=60))
def test_date_like_noise_never_raises_and_only_yields_plausible_dates(text):
    for found in content("Date: " + text).issue:
        assert 1990 <= found.value.year <= 2099
