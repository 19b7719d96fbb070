"""Specs anyone can commit: random, mutated, huge and pathological TOML never crash annexa.

A spec is edited by hand, merged by git and pasted from e-mails. Whatever
it holds, the loader answers with a Spec or with every problem as one
``file:line: message`` line, and ``annexa spec check`` exits 0 or 2, never
with a traceback. A spec of 10,000 items, or patterns of hundreds of
``**``, loads and matches in moments, not hours.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annexa.cli import main
from annexa.finding.walk import scan_tree
from annexa.pipeline import scan
from annexa.reading.inline import InlineExtractor
from annexa.spec import SpecError, load_spec
from annexa.spec.bundled import bundled_spec_path
from annexa.spec.rules import Spec

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROBLEM = re.compile(r"^(?P<file>[^\n\r]+?):(?P<line>[1-9][0-9]*): (?P<message>[^\n\r]+)$")
ILACS = bundled_spec_path("ilacs")
assert ILACS is not None
ILACS_TEXT = ILACS.read_text(encoding="utf-8")


def check_loads_or_lists_problems(path: Path) -> Spec | None:
    """The loader's whole contract on one file: a Spec, or every problem as one located line."""
    try:
        spec = load_spec(path)
    except SpecError as exc:
        assert exc.problems, "a SpecError lists at least one problem"
        for problem in exc.problems:
            shown = str(problem)
            match = PROBLEM.match(shown)
            assert match, f"not 'file:line: message': {shown!r}"
            assert match["file"] == str(path), shown
            if problem.line is not None:
                assert problem.line <= max(1, path.read_bytes().count(b"\n") + 1), shown
        return None
    assert isinstance(spec, Spec) and spec.items
    return spec


def check_spec_check(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``annexa spec check`` on one file: exit 0 with OK, or 2 with one located line per problem."""
    code = main(["spec", "check", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err
    assert code in (0, 2), (code, out, err)
    if code == 0:
        assert out.startswith(f"{path}: OK, ")
        return
    lines = out.splitlines()
    assert lines and all(PROBLEM.match(line) for line in lines), out
    assert err.strip() == f"{len(lines)} problem{'s' if len(lines) != 1 else ''} found"


def write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "spec.toml"
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


# -- TOML as a person might write it: a small writer for generated documents ----------------


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(value)


def toml_document(tables: list[tuple[str, dict[str, object]]]) -> str:
    lines = []
    for header, values in tables:
        if header:
            lines.append(header)
        lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in values.items()]
        lines.append("")
    return "\n".join(lines)


SPEC_KEYS = ["name", "version", "extends", "exclude", "description"]
ITEM_KEYS = [
    "id", "title", "section", "patterns", "keywords", "required", "owner", "count", "formats",
    "max_age", "due_soon", "date_sources", "date_order", "year_end", "draft_markers", "period",
    "grace", "sheet", "columns",
]  # fmt: skip
WAIVER_KEYS = ["item", "reason", "until", "approved_by"]
WORDS = [
    "12 months", "30 days", "0 days", "-1 months", "1 fortnight", "99999999999 years", "DMY",
    "MDY", "march", "december", "financial-year", "academic-year", "content", "filename",
    "metadata", "mtime", "pdf", "docx", "xlsx", "**/*", "**/*IRO*annual*", "../x", "/etc/*",
    "a/[b", "ilacs", "ilacs-lists", "A1", "A7", "L7", "List 7", "",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def tables_of(keys: list[str]) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=12), values, max_size=8)


documents = st.tuples(
    st.one_of(st.none(), tables_of(SPEC_KEYS)),
    st.one_of(st.none(), tables_of(ITEM_KEYS)),
    st.lists(tables_of(ITEM_KEYS), max_size=5),
    st.lists(tables_of(WAIVER_KEYS), max_size=3),
    st.dictionaries(st.text(max_size=8), values, max_size=2),
).map(
    lambda parts: toml_document(
        [("", parts[4])]
        + ([("[spec]", parts[0])] if parts[0] is not None else [])
        + ([("[defaults]", parts[1])] if parts[1] is not None else [])
        + [("[[item]]", item) for item in parts[2]]
        + [("[[waiver]]", waiver) for waiver in parts[3]]
    )
)


# -- the properties -------------------------------------------------------------------------


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_loads_or_lists_its_problems(tmp_path: Path, text: str) -> None:
    check_loads_or_lists_problems(write(tmp_path, text))


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_load_or_list_their_problems(tmp_path: Path, data: bytes) -> None:
    check_loads_or_lists_problems(write(tmp_path, data))


@FUZZ
@given(document=documents)
def test_any_well_formed_toml_loads_or_lists_its_problems(tmp_path: Path, document: str) -> None:
    check_loads_or_lists_problems(write(tmp_path, document))


@st.composite
def mutated_ilacs(draw: st.DrawFn) -> str:
    """The bundled spec, after the edits hands and merges make: lines lost, doubled, moved, typed over."""
    lines = ILACS_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not lines:
            break
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "double", "move", "type", "cut", "conflict"]))
        if edit == "drop":
            del lines[at]
        elif edit == "double":
            lines.insert(at, lines[at])
        elif edit == "move":
            to = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines.insert(to, lines.pop(at))
        elif edit == "type":
            line = lines[at]
            col = draw(st.integers(min_value=0, max_value=len(line)))
            lines[at] = line[:col] + draw(st.text(max_size=6)) + line[col:]
        elif edit == "cut":
            lines = lines[:at]
        else:
            lines.insert(at, "<<<<<<< HEAD\n")
            lines.insert(min(at + 3, len(lines)), "=======\n>>>>>>> theirs\n")
    return "".join(lines)


@FUZZ
@given(text=mutated_ilacs())
def test_the_bundled_spec_mutated_loads_or_lists_its_problems(tmp_path: Path, text: str) -> None:
    check_loads_or_lists_problems(write(tmp_path, text))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(mutated_ilacs(), documents, st.text(max_size=200)))
def test_spec_check_exits_0_or_2_with_one_located_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    check_spec_check(write(tmp_path, text), capsys)


# -- problems found on the way, kept as examples ------------------------------------------


def test_a_line_separator_or_nel_inside_a_string_does_not_shift_the_lines(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        '[spec]\nname = "Line \u2028 separator and \x85 NEL"\n\n'
        '[[item]]\nid = "A1"\ntitle = "t"\npatterns = ["**/*"]\nmax_age = "soon"\n',
    )
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:8: ")  # the line of max_age, counted as TOML counts


@pytest.mark.parametrize(
    "text",
    [
        '"a\\nb" = 1\n[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["**/*"]\n',
        '[[item]]\nid = "A1"\ntitle = "t"\npatterns = ["**/*"]\nmax_age = "1\\n2 months"\n',
        '[[item]]\nid = "A1"\ntitle = "t"\npatterns = ["a/[\\nb"]\n',
        '[[item]]\nid = "A1"\ntitle = "t"\npatterns = ["**/*"]\n"\\r\\nkey" = 1\n',
        '[[item]]\nid = "A1"\ntitle = "t"\npatterns = ["**/*"]\n"\\u001b[2J" = 1\n',
        '[[waiver]]\nitem = "A\\nB"\nreason = "r"\nuntil = 2015-10-31\n',
    ],
    ids=[
        "newline in a top key", "newline in a duration", "newline in a pattern",
        "line break in an item key", "escape in an item key", "newline in a waiver's item",
    ],
)  # fmt: skip
def test_keys_and_values_with_line_breaks_still_give_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = write(tmp_path, text)
    check_loads_or_lists_problems(path)
    check_spec_check(path, capsys)


@pytest.mark.parametrize("value", ["[[]]", "[1, 2]", '["A1", {x = 1}]', "[2015-01-01]"])
def test_an_exclude_that_is_not_a_list_of_ids_is_a_problem_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    path = write(
        tmp_path,
        f'[spec]\nextends = "ilacs"\nexclude = {value}\n',
    )
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: 'exclude' must be a list of item ids"
    ]
    check_spec_check(path, capsys)


@pytest.mark.parametrize(
    "target", ["12 months", "no such file.toml", "/dev/zero", ".", "a\\u0000b"]
)
def test_extends_that_names_no_spec_file_is_a_problem_on_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    path = write(
        tmp_path,
        f'[spec]\nextends = "{target}"\n[[item]]\nid = "A"\ntitle = "t"\npatterns = ["*"]\n',
    )
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:2: 'extends' names ")
    assert str(problem).endswith(
        ", which is no spec file and no bundled spec (see 'annexa spec list')"
    )
    check_spec_check(path, capsys)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "fifo"])
def test_a_spec_that_is_a_device_or_a_pipe_is_refused_not_read_for_ever(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    import os

    if device == "fifo":
        device = str(tmp_path / "spec-pipe.toml")
        os.mkfifo(device)
    assert main(["spec", "check", device]) == 2
    assert capsys.readouterr().out == (
        f"{device}:1: cannot read the spec: it is not a regular file (a pipe or a device)\n"
    )


# -- huge and pathological specs ---------------------------------------------------------------


def huge_spec(count: int) -> str:
    lines = ['[spec]\nname = "Huge"\n']
    for number in range(count):
        lines.append(
            f'[[item]]\nid = "I{number}"\ntitle = "Document {number}"\n'
            f'section = "Section {number % 50}"\n'
            f'patterns = ["**/*doc{number}-*", "Folder {number % 97}/**/*report*{number}.pdf"]\n'
        )
    return "\n".join(lines)


def test_a_spec_of_ten_thousand_items_loads_and_matches_fast(tmp_path: Path) -> None:
    path = write(tmp_path, huge_spec(10_000))
    started = time.perf_counter()
    spec = load_spec(path)
    loaded = time.perf_counter() - started
    assert len(spec.items) == 10_000
    paths = [f"Folder {n % 97}/Sub/annual report {n}.pdf" for n in range(0, 10_000, 10)]
    paths += [f"x/doc{n}-final.docx" for n in range(0, 10_000, 10)]
    started = time.perf_counter()
    found = [spec.items_matching(p) for p in paths]
    matched = time.perf_counter() - started
    assert found[0] == ("I0",) and found[1] == ("I10",) and found[-1] == ("I9990",)
    assert loaded < 20 and matched < 10, (loaded, matched)


def test_patterns_of_hundreds_of_double_stars_load_and_scan_fast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hundreds = "/".join(["**"] * 300) + "/*report*.pdf"
    alternating = "/".join(["**", "a"] * 150) + "/*.pdf"
    stars = "**/" + "*a" * 60 + "*b.pdf"
    path = write(
        tmp_path,
        '[spec]\nname = "Pathological"\n'
        f'[[item]]\nid = "P1"\ntitle = "Many"\npatterns = ["{hundreds}"]\n'
        f'[[item]]\nid = "P2"\ntitle = "Alternating"\npatterns = ["{alternating}"]\n'
        f'[[item]]\nid = "P3"\ntitle = "Stars"\npatterns = ["{stars}"]\n',
    )
    root = tmp_path / "root"
    deep = root.joinpath(*["a"] * 160)
    deep.mkdir(parents=True)
    (deep / "annual report.pdf").write_bytes(b"%PDF-1.4\n")
    (root / ("a" * 100 + "c.pdf")).write_bytes(b"%PDF-1.4\n")
    started = time.perf_counter()
    assert main(["spec", "check", str(path)]) == 0
    spec = load_spec(path)
    files = scan_tree(root).files
    matches = {p: spec.items_matching(p) for p in files}
    report = scan(root, spec, dt.date(2015, 9, 16), extractor=InlineExtractor())
    elapsed = time.perf_counter() - started
    capsys.readouterr()
    deep_file = "/".join(["a"] * 160) + "/annual report.pdf"
    assert matches[deep_file] == ("P1", "P2")
    assert matches["a" * 100 + "c.pdf"] == ()
    assert {i.id: i.status.value for i in report.items} == {
        "P1": "unreadable",
        "P2": "unreadable",
        "P3": "missing",
    }
    assert elapsed < 10
