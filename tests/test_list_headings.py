"""Headings and tab names as councils write them, and the spec keys that describe a list's columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from annexa.spec import SpecError, load_spec
from annexa.words.headings import heading_key, list_number


@pytest.mark.parametrize(
    "written",
    [
        "Date of Contact",
        "DATE OF CONTACT",
        "date of contact",
        "Date of\nContact",  # Alt+Enter in Excel
        "Date\u00a0of Contact",  # a non-breaking space
        "  Date  of   Contact ",
        "Date_of_Contact",
        "DateOfContact",
        "Date of Contact.",
        "Date of Contact:",
        "Date of Contact (dd/mm/yyyy)",
        "Date of Contact (DD-MM-YYYY)",
    ],
)
def test_a_heading_is_the_same_whatever_its_case_spaces_breaks_and_hints(written):
    assert heading_key(written) == heading_key("Date of Contact")


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Child’s Category of Need", "Child's Category of Need"),
        (
            "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months",
            "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
        ),
        ("Referral NFA", "Referral NFA?"),
        ("Was the Child Seen Alone", "Was the Child Seen Alone?"),
        (
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months",
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        ),
        (
            "Date of Last IRO Visit – Contact to the Child",
            "Date of Last IRO Visit / Contact to the Child",
        ),
    ],
)
def test_quotes_dashes_and_trailing_punctuation_are_ignored(written, official):
    assert heading_key(written) == heading_key(official)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Age", "Age of Child (Years)"),
        ("Date of Birth", "Date of Contact"),
        ("Allocated Team", "Allocated Worker"),
        ("Date Stage 1 started", "Date Stage 2 started"),
    ],
)
def test_different_headings_stay_different(one, other):
    assert heading_key(one) != heading_key(other)


def test_no_two_headings_of_one_list_can_be_taken_for_each_other():
    for rule in load_spec("ilacs-lists").items:
        keys = [key for column in rule.column_rules for key in column.keys]
        assert len(keys) == len(set(keys)), rule.id


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("List_7", 7),
        ("LIST 7", 7),
        ("List 1 - Contacts", 1),
        ("list07", 7),
        ("List 7 Child protection 2015-09-17", 7),
        ("List_11", 11),
        ("List 70", 70),
        ("Contacts", None),
        ("Sheet7", None),
        ("Annex A lists 2015-09-17", None),
    ],
)
def test_the_list_a_tab_or_file_is_named_for(name, number):
    assert list_number(name) == number


# -- the spec keys ---------------------------------------------------------------------


def load(tmp_path: Path, text: str):
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


ITEM = '[[item]]\nid = "L1"\ntitle = "List 1"\npatterns = ["*"]\nformats = ["csv"]\n'


def test_a_column_described_once_is_used_by_every_list_that_names_it(tmp_path):
    spec = load(
        tmp_path,
        ITEM
        + 'columns = ["Child ID", "Gender"]\n'
        + '[[column]]\nname = "Child ID"\ntype = "id"\nrequired = true\nother_names = ["ID"]\n'
        + '[[column]]\nname = "Gender"\ntype = "code"\ncodes = ["a) Male", ["b) Female", "F"]]\n',
    )
    child, gender = spec.item("L1").column_rules
    assert (child.type, child.required, child.other_names) == ("id", True, ("ID",))
    assert gender.codes == (("a) Male",), ("b) Female", "F"))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[column]]\nname = "X"\ntype = "number"\n', "'type' must be one of"),
        ('[[column]]\nname = "X"\ntype = "code"\n', "needs 'codes'"),
        ('[[column]]\nname = "X"\ntype = "text"\ncodes = ["a"]\n', "for columns of type 'code'"),
        ('[[column]]\nname = "X"\ntype = "code"\ncodes = [1]\n', "'codes' must be a list of codes"),
        ('[[column]]\nname = "X"\ntype = "date"\nage_of = "Y"\n', "'age_of' is for columns"),
        (
            '[[column]]\nname = "X"\ntype = "whole number"\nage_of = "Y"\n',
            "no column of type 'date'",
        ),
        ('[[column]]\nname = "X"\ntype = "code"\nsame_codes_as = "Y"\n', "no column with 'codes'"),
        ('[[column]]\nname = "X"\n[[column]]\nname = "x"\n', "is defined twice"),
        ('[[column]]\nname = "X"\nkind = "date"\n', "'kind' is not a known key in a column"),
    ],
)
def test_a_column_described_wrongly_is_a_spec_error_on_its_line(tmp_path, text, words):
    with pytest.raises(SpecError) as raised:
        load(tmp_path, ITEM + text)
    assert any(words in str(p) for p in raised.value.problems), raised.value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('columns = ["A"]\nwindow = "6 months"\n', "'window' needs 'window_start'"),
        (
            'columns = ["A"]\nwindow = "6 months"\nwindow_start = "B"\n',
            "not one of the item's columns",
        ),
        ('columns = ["A"]\nwindow_start = "A"\n', "'window_start' needs 'window'"),
        ('columns = ["A"]\nunique = "B"\n', "not one of the item's columns"),
        ('columns = ["A"]\ntemplate = "2019"\n', "'template' must be one of"),
        (
            'columns = ["A", "B"]\n[[column]]\nname = "A"\nother_names = ["B"]\n',
            "would both be found",
        ),
    ],
)
def test_an_item_describing_its_list_wrongly_is_a_spec_error(tmp_path, text, words):
    with pytest.raises(SpecError) as raised:
        load(tmp_path, ITEM + text)
    assert any(words in str(p) for p in raised.value.problems), raised.value


def test_a_spec_extending_the_lists_spec_may_add_other_names_to_a_column(tmp_path):
    spec = load(
        tmp_path,
        '[spec]\nextends = "ilacs-lists"\n\n'
        '[[column]]\nname = "Date of Contact"\nother_names = ["Contact Date/Time"]\n',
    )
    (contact,) = [c for c in spec.item("L1").column_rules if c.name == "Date of Contact"]
    assert contact.other_names == ("Contact Date/Time",)
    assert contact.type == "date" and contact.required


def test_a_date_column_about_a_birth_is_kept_inside_the_reader_whatever_the_spec_says(tmp_path):
    spec = load(
        tmp_path,
        ITEM + 'columns = ["Mother\'s Date of Birth"]\n'
        '[[column]]\nname = "Mother\'s Date of Birth"\ntype = "date"\n',
    )
    assert spec.item("L1").column_rules[0].personal
