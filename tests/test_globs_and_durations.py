"""Glob matching and duration arithmetic, the two small languages of the spec."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from annexa.finding.globs import GlobError, compile_glob
from annexa.model.durations import Duration, DurationError


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**/*self*eval*", "Self evaluation 2015.pdf", True),  # ** matches no folder at all
        ("**/*self*eval*", "Leadership/2015/SELF-EVALUATION.docx", True),
        ("**/SEF*", "sef 2015.pdf", True),
        ("Leadership/*.pdf", "Leadership/a.pdf", True),
        ("Leadership/*.pdf", "Leadership/old/a.pdf", False),  # * stays inside one folder
        ("Leadership/**", "Leadership/old/a.pdf", True),
        ("Leadership/**", "Other/a.pdf", False),
        ("**/list?7*", "List_7.xlsx", True),
        ("**/list?7*", "List7.xlsx", False),
        ("**/*list 1[!0-9]*", "List 11.csv", False),
        ("**/*list 1[!0-9]*", "List 1 contacts.csv", True),
        ("**/[ab]*.pdf", "B.pdf", True),
        ("**/a/**/b.pdf", "x/a/y/z/b.pdf", True),
        ("**/a/**/b.pdf", "a/b.pdf", True),
        ("**/*IRO*annual*", "Annual reports/IRO Annual Report 2014-15.pdf", True),
    ],
)
def test_globs_ignore_case_and_understand_double_star(pattern, path, expected):
    assert bool(compile_glob(pattern).match(path)) is expected


def test_pathological_patterns_match_fast_and_correctly():
    many_double = "/".join(["**", "a"] * 200) + "/*.pdf"
    many_stars = "**/" + "*a" * 40 + "*b"
    start = time.perf_counter()
    assert not compile_glob(many_double).match("/".join(["a"] * 30) + "/x.docx")
    assert compile_glob(many_double).match("/".join(["a"] * 200) + "/x.pdf")
    assert not compile_glob(many_stars).match("x/" + "a" * 250)
    assert compile_glob(many_stars).match("x/" + "a" * 60 + "b")
    assert time.perf_counter() - start < 5  # generous: backtracking would take hours


@pytest.mark.parametrize("pattern", ["../x", "/abs/*", "D:/x", "a/[b", "", "a\\b"])
def test_unusable_patterns_raise(pattern):
    with pytest.raises(GlobError):
        compile_glob(pattern)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("12 months", dt.date(2014, 8, 1), dt.date(2015, 8, 1)),
        ("1 year", dt.date(2016, 2, 29), dt.date(2017, 2, 28)),
        ("6 months", dt.date(2015, 3, 31), dt.date(2015, 9, 30)),  # clamps to the month's length
        ("30 days", dt.date(2015, 9, 16), dt.date(2015, 10, 16)),
        ("2 weeks", dt.date(2015, 9, 16), dt.date(2015, 9, 30)),
        ("1 day", dt.date(2015, 12, 31), dt.date(2016, 1, 1)),
    ],
)
def test_durations_add_calendar_time(text, start, end):
    assert Duration.parse(text).add(start) == end


def test_month_precision_dates_stay_at_end_of_month():
    assert Duration.parse("1 month").add(dt.date(2015, 2, 28), end_of_month=True) == dt.date(
        2015, 3, 31
    )


@pytest.mark.parametrize("text", ["12 monts", "months", "1.5 years", "-1 day", "", "12 months ago"])
def test_bad_durations_raise_with_an_example(text):
    with pytest.raises(DurationError, match="for example '12 months'"):
        Duration.parse(text)


def test_durations_read_back_in_words():
    assert str(Duration.parse("1 Months")) == "1 month"
    assert str(Duration.parse("12 months")) == "12 months"


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("a[]x]b.pdf", "a]b.pdf", True),  # a ] first in a set is a member
        ("a[!]x]b.pdf", "a]b.pdf", False),
        ("a[!]x]b.pdf", "acb.pdf", True),
    ],
)
def test_a_closing_bracket_first_in_a_set_is_a_member_on_every_matching_path(
    pattern, path, expected
):
    from annexa.finding.globs import _normalise, _SegmentMatcher

    assert bool(compile_glob(pattern).match(path)) is expected
    assert _SegmentMatcher(_normalise(pattern.split("/"))).match(path) is expected
