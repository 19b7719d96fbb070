"""The spec loader: every key with its defaults, and every error as file:line: message."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from annexa.model.durations import Duration
from annexa.spec import SpecError, load_spec, spec_files

GOOD = """\
[spec]
name = "Test authority"
version = "2024.1"

[defaults]
formats = ["pdf", "docx"]
max_age = "12 months"
due_soon = "30 days"

[[item]]
id = "A1"
title = "Self-evaluation"
section = "Leadership"
patterns = ["**/*self*eval*", "**/SEF*"]
keywords = ["self-evaluation"]
owner = "Head of QA"

[[item]]
id = "A7"
title = "IRO annual report"
patterns = ["**/*IRO*annual*"]
period = "financial-year"
grace = "6 months"
max_age = "2 years"
date_order = "mdy"
required = false
count = 2

[[waiver]]
item = "A7"
reason = "goes to the board on 14 October"
until = 2015-10-31
approved_by = "Head of Service"
"""


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return [str(p).replace(str(path), "spec.toml") for p in caught.value.problems]


def test_valid_spec_loads_with_defaults_folded_into_items(tmp_path):
    spec = load_spec(write(tmp_path, GOOD))
    assert spec.name == "Test authority" and spec.version == "2024.1"
    a1, _a7 = spec.items
    assert a1.max_age == Duration(12, "months") and a1.due_soon == Duration(30, "days")
    assert a1.formats == frozenset({"pdf", "docx"})
    assert a1.dating.date_sources == ("content", "filename", "metadata")
    assert a1.dating.date_order == "DMY" and a1.dating.year_end == "march"
    assert a1.dating.draft_markers == ("draft",)
    assert a1.required and a1.count == 1 and a1.owner == "Head of QA"
    assert a1.line == 10


def test_item_keys_override_defaults(tmp_path):
    a7 = load_spec(write(tmp_path, GOOD)).item("A7")
    assert a7.max_age == Duration(2, "years")
    assert a7.period == "financial-year" and a7.grace == Duration(6, "months")
    assert a7.dating.date_order == "MDY"
    assert a7.required is False and a7.count == 2


def test_waiver_is_read_with_its_date(tmp_path):
    (waiver,) = load_spec(write(tmp_path, GOOD)).waivers
    assert waiver.until == dt.date(2015, 10, 31) and waiver.approved_by == "Head of Service"


def test_builtin_defaults_apply_without_a_defaults_table(tmp_path):
    spec = load_spec(write(tmp_path, '[[item]]\nid = "X"\ntitle = "X"\npatterns = ["*"]\n'))
    (item,) = spec.items
    assert item.max_age == Duration(12, "months") and item.formats == frozenset({"pdf", "docx"})
    assert spec.name == "spec"  # the file name stands in for a missing [spec] name


def test_patterns_match_case_insensitively_at_any_depth(tmp_path):
    a1 = load_spec(write(tmp_path, GOOD)).item("A1")
    assert a1.matches("Self Evaluation 2015.pdf")
    assert a1.matches("Leadership/2015/SELF-EVALUATION.DOCX")
    assert a1.matches("sef.pdf")
    assert not a1.matches("Self evaluation.xlsx")  # not one of the item's formats


def test_syntax_error_names_the_line(tmp_path):
    (found,) = problems(tmp_path, '[spec]\nname = "unclosed\n')
    assert found.startswith("spec.toml:2: TOML syntax error: ")


def test_unknown_key_suggests_the_near_miss(tmp_path):
    found = problems(tmp_path, '[[item]]\nid = "A1"\ntitle = "x"\npatern = ["*"]\n')
    assert (
        "spec.toml:4: item 'A1': 'patern' is not a known key in an item; did you mean 'patterns'?"
        in found
    )


def test_missing_required_keys_are_each_reported(tmp_path):
    found = problems(tmp_path, "[[item]]\nsection = 'x'\n")
    assert any("'id' is required" in p for p in found)
    assert any("'title' is required" in p for p in found)
    assert any("'patterns' is required" in p for p in found)
    assert all(p.startswith("spec.toml:1:") for p in found)


def test_duplicate_ids_name_both_lines(tmp_path):
    text = '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n\n[[item]]\nid = "A1"\ntitle = "y"\npatterns = ["*"]\n'
    assert problems(tmp_path, text) == [
        "spec.toml:7: duplicate item id 'A1' (first defined at line 1)"
    ]


@pytest.mark.parametrize("value", ["12 monts", "twelve months", "12", "-3 days", ""])
def test_bad_durations_are_errors(tmp_path, value):
    found = problems(
        tmp_path, f'[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\nmax_age = "{value}"\n'
    )
    assert len(found) == 1 and found[0].startswith("spec.toml:5: item 'A1': 'max_age'")
    assert "is not a duration" in found[0]


def test_a_bad_default_is_reported_once_not_per_item(tmp_path):
    text = '[defaults]\ndue_soon = "soon"\n[[item]]\nid = "A"\ntitle = "a"\npatterns = ["*"]\n[[item]]\nid = "B"\ntitle = "b"\npatterns = ["*"]\n'
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith("spec.toml:2: [defaults]: 'due_soon'")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("date_order", '"DYM"', "'date_order' must be one of 'DMY', 'MDY', 'YMD'"),
        (
            "period",
            '"fiscal"',
            "'period' must be one of 'financial-year', 'academic-year', 'calendar-year'",
        ),
        ("year_end", '"june"', "'year_end' must be one of 'march', 'december'"),
        (
            "date_sources",
            '["content", "filenme"]',
            "'filenme' is not a date source; did you mean 'filename'?",
        ),
        ("count", "0", "'count' must be a whole number of 1 or more"),
        ("required", '"yes"', "'required' must be true or false"),
        ("patterns", '"**/x"', None),  # a single string is accepted as a list of one
        ("keywords", "[1, 2]", "'keywords' must be a list of text values"),
        ("title", "3", "'title' must be non-empty text"),
    ],
)
def test_bad_values_name_the_key_and_line(tmp_path, key, value, message):
    base = {"id": '"A1"', "title": '"x"', "patterns": '["*"]'}
    base[key] = value
    text = "[[item]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items())
    line = list(base).index(key) + 2
    if message is None:
        load_spec(write(tmp_path, text))
        return
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith(f"spec.toml:{line}: item 'A1': ") and message in found[0]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("../outside/*", "climbs out of the folder scanned"),
        ("/etc/*", "is absolute"),
        ("C:/Users/*", "is absolute"),
        ("a/[bc", "'[' that is never closed"),
        ("", "none of them empty"),
        ("a\\\\b", "write folders with '/'"),
    ],
)
def test_patterns_that_reach_outside_root_or_are_malformed_are_errors(tmp_path, pattern, message):
    found = problems(
        tmp_path, f'[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["ok/*", "{pattern}"]\n'
    )
    assert (
        len(found) == 1 and found[0].startswith("spec.toml:4: item 'A1': ") and message in found[0]
    )


def test_waiver_for_unknown_item_and_missing_reason_and_until(tmp_path):
    text = '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n\n[[waiver]]\nitem = "A2"\n'
    found = problems(tmp_path, text)
    assert "spec.toml:7: waiver for 'A2': no item has the id 'A2'; did you mean 'A1'?" in found
    assert any("'reason' is required" in p for p in found)
    assert any("'until' is required: every waiver must expire" in p for p in found)


def test_waiver_until_must_be_a_date(tmp_path):
    text = '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[[waiver]]\nitem = "A1"\nreason = "r"\nuntil = "soon"\n'
    assert problems(tmp_path, text) == [
        "spec.toml:8: waiver for 'A1': 'until' must be a date written YYYY-MM-DD (until = 2015-10-31)"
    ]


def test_unknown_tables_and_keys_in_spec_and_defaults(tmp_path):
    text = '[spec]\nname = "x"\nauthor = "me"\n[defaults]\nmax_ages = "1 year"\n[[items]]\nid = "A"\n[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n'
    found = problems(tmp_path, text)
    assert any(
        p.startswith("spec.toml:3:") and "'author' is not a known key in [spec]" in p for p in found
    )
    assert any(p.startswith("spec.toml:5:") and "did you mean 'max_age'?" in p for p in found)
    assert any(
        p.startswith("spec.toml:6:") and "'items' is not a known key" in p and "'item'" in p
        for p in found
    )


def test_every_problem_is_listed_at_once_in_line_order(tmp_path):
    text = '[defaults]\nmax_age = "x"\n[[item]]\nid = "A1"\ntitle = "t"\npatterns = ["../x"]\nperiod = "p"\n[[waiver]]\nitem = "Z"\nreason = "r"\nuntil = 2015-01-01\n'
    found = problems(tmp_path, text)
    assert [int(p.split(":")[1]) for p in found] == [2, 6, 7, 9]


def test_multiline_arrays_and_strings_keep_line_numbers_right(tmp_path):
    text = '[[item]]\nid = "A1"\ntitle = """a\n[[item]]\nid = x"""\npatterns = [\n  "*",\n  "x",\n]\ncount = -1\n'
    assert problems(tmp_path, text) == [
        "spec.toml:10: item 'A1': 'count' must be a whole number of 1 or more"
    ]


def test_spec_that_is_not_utf8_or_missing(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b'[spec]\nname = "caf\xe9"\n')
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert str(caught.value.problems[0]).endswith(":2: the spec is not UTF-8 text")
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "nope.toml")
    assert "no such spec file or bundled spec" in str(caught.value)


def test_a_spec_with_no_items_is_an_error(tmp_path):
    assert any("has no [[item]]" in p for p in problems(tmp_path, '[spec]\nname = "x"\n'))


def test_extends_takes_base_items_and_overrides_keys(tmp_path):
    write(tmp_path, GOOD, "base.toml")
    child = write(
        tmp_path,
        """\
        [spec]
        name = "Our authority"
        extends = "base.toml"
        exclude = ["A7"]

        [defaults]
        due_soon = "60 days"

        [[item]]
        id = "A1"
        max_age = "6 months"

        [[item]]
        id = "B1"
        title = "Local offer"
        patterns = ["**/*local offer*"]
        """,
        "child.toml",
    )
    spec = load_spec(child)
    assert spec.name == "Our authority"
    assert [i.id for i in spec.items] == ["A1", "B1"]
    a1 = spec.item("A1")
    assert a1.max_age == Duration(6, "months") and a1.title == "Self-evaluation"
    assert a1.due_soon == Duration(60, "days")
    assert spec.waivers == ()  # the base's waiver was for A7, excluded; see next test


def test_extends_errors_name_the_file_that_holds_them(tmp_path):
    write(tmp_path, '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["../x"]\n', "base.toml")
    child = write(
        tmp_path, '[spec]\nextends = "base.toml"\n[[item]]\nid = "A1"\ncount = 0\n', "child.toml"
    )
    with pytest.raises(SpecError) as caught:
        load_spec(child)
    shown = [str(p) for p in caught.value.problems]
    assert any(p.startswith("base.toml:4:") and "climbs out" in p for p in shown)
    assert any(
        p.endswith("child.toml:5: item 'A1': 'count' must be a whole number of 1 or more")
        for p in shown
    )


def test_extends_that_loops_is_an_error(tmp_path):
    path = write(
        tmp_path,
        '[spec]\nextends = "spec.toml"\n[[item]]\nid = "A"\ntitle = "a"\npatterns = ["*"]\n',
    )
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert "extends itself" in str(caught.value)


def test_spec_files_lists_the_spec_and_each_local_file_it_extends(tmp_path):
    (tmp_path / "shared").mkdir()
    base = write(tmp_path / "shared", '[spec]\nextends = "ilacs"\n', "base.toml")
    child = write(tmp_path, '[spec]\nextends = "shared/base.toml"\n', "annexa.toml")
    # The bundled ilacs spec at the end of the chain is annexa's own: never edited.
    assert spec_files(child) == (child.resolve(), base.resolve())
    assert spec_files("ilacs") == ()


def test_spec_files_stops_at_a_loop_or_a_file_that_is_not_toml(tmp_path):
    one = write(tmp_path, '[spec]\nextends = "two.toml"\n', "one.toml")
    two = write(tmp_path, '[spec]\nextends = "one.toml"\n', "two.toml")
    assert spec_files(one) == (one.resolve(), two.resolve())
    broken = write(tmp_path, "[spec\nextends = 'one.toml'", "broken.toml")
    assert spec_files(broken) == (broken.resolve(),)
