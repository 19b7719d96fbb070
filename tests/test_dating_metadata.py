"""Dates from PDF and Office properties, read tolerantly; the file's mtime only when asked."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annexa.dating import read_dates
from annexa.dating.metadata import parse_property_date
from tests.dating_helpers import facts_with, options

D = dt.date
META = options(("metadata",))


def meta_dates(*pairs: tuple[str, str], kind: str = "pdf"):
    return read_dates(facts_with(metadata=pairs, kind=kind), "doc.pdf", META, 0).issue


@pytest.mark.parametrize(
    "raw",
    [
        "D:20150312101500+01'00'",
        "D:20150312",
        "D:2015031210",
        "20150312101500",
        "D:20150312101500Z00'00'",
        "D:20150312101500Z",
        "D:20150312235959-08'00'",
        " D:20150312101500 ",
        "D: 20150312",
        "Thu Mar 12 10:15:00 2015",
    ],
)
def test_pdf_date_strings_read_as_the_date_written(raw):
    assert parse_property_date(raw) == (D(2015, 3, 12), "day")


@pytest.mark.parametrize(
    "raw", ["2015-03-12T10:15:00Z", "2015-03-12", "2015-03-12T23:30:00-05:00",
            "2015-03-12T00:30:00+01:00"],
)  # fmt: skip
def test_xmp_and_office_dates_read_as_the_date_written_ignoring_the_zone(raw):
    assert parse_property_date(raw) == (D(2015, 3, 12), "day")


def test_property_given_to_the_month_is_the_end_of_the_month():
    assert parse_property_date("2015-03") == (D(2015, 3, 31), "month")
    assert parse_property_date("D:201503") == (D(2015, 3, 31), "month")


@pytest.mark.parametrize(
    "raw",
    ["", "garbage", "D:", "D:2015", "2015", "D:19700101000000Z", "D:16010101", "1980-01-01",
     "2999-12-31", "D:191000312", "D:20150231", "D:20151301", "0000-00-00T00:00:00Z", "D:XYZ"],
)  # fmt: skip
def test_malformed_implausible_or_year_only_properties_give_no_date(raw):
    assert parse_property_date(raw) is None


@given(st.text(max_size=80))
def test_any_property_string_never_raises(raw):
    found = parse_property_date(raw)
    assert found is None or 1990 <= found[0].year <= 2099


def test_modified_comes_before_created_with_labels_a_person_understands():
    found = meta_dates(
        ("pdf:CreationDate", "D:20140101"),
        ("pdf:ModDate", "D:20150312"),
        ("xmp:CreateDate", "2014-01-01"),
        ("xmp:ModifyDate", "2015-03-12T10:00:00Z"),
    )
    assert [(d.label, d.value) for d in found] == [
        ("modified (PDF properties)", D(2015, 3, 12)),
        ("modified (PDF XMP properties)", D(2015, 3, 12)),
        ("created (PDF properties)", D(2014, 1, 1)),
        ("created (PDF XMP properties)", D(2014, 1, 1)),
    ]
    assert {(d.source, d.kind, d.where) for d in found} == {("metadata", "issue", "properties")}


def test_word_core_properties_are_labelled_as_word_properties():
    found = meta_dates(("core:created", "2014-01-01T09:00:00Z"),
                       ("core:modified", "2015-03-12T10:00:00Z"), kind="docx")  # fmt: skip
    assert [d.label for d in found] == ["modified (Word properties)", "created (Word properties)"]


def test_excel_core_properties_are_labelled_as_excel_properties():
    (found,) = meta_dates(("core:modified", "2015-03-12T10:00:00Z"), kind="xlsx")
    assert found.label == "modified (Excel properties)"


def test_evidence_shows_the_raw_property_safely():
    (found,) = meta_dates(("pdf:ModDate", "D:20150312\x1b[2J"))
    assert found.text.startswith("pdf:ModDate D:20150312")
    assert "\x1b" not in found.text


def test_malformed_properties_are_skipped_not_fatal():
    found = meta_dates(("pdf:ModDate", "rubbish"), ("pdf:CreationDate", "D:20150312"))
    assert [d.value for d in found] == [D(2015, 3, 12)]


MTIME_2015_03_12_2330_UTC = int(dt.datetime(2015, 3, 12, 23, 30, tzinfo=dt.timezone.utc)
                                .timestamp()) * 10**9  # fmt: skip


def test_mtime_is_used_only_when_listed():
    assert read_dates(None, "a.pdf", options(("content", "filename", "metadata")),
                      MTIME_2015_03_12_2330_UTC).issue == ()  # fmt: skip
    (found,) = read_dates(None, "a.pdf", options(("mtime",)), MTIME_2015_03_12_2330_UTC).issue
    assert (found.value, found.source, found.label) == (D(2015, 3, 12), "mtime", "file modified")


def test_mtime_is_the_utc_date():
    (found,) = read_dates(None, "a.pdf", options(("mtime",)), MTIME_2015_03_12_2330_UTC).issue
    assert found.value == D(2015, 3, 12)
    assert "UTC" in found.text


@pytest.mark.parametrize("mtime_ns", [0, -1, 10**30])
def test_implausible_mtime_gives_no_date(mtime_ns):
    assert read_dates(None, "a.pdf", options(("mtime",)), mtime_ns).issue == ()
