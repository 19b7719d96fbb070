"""Specs anyone can commit: random, mutated, huge and pathological TOML never crash annexa.

A spec is edited by hand, merged by git and pasted from e-mails. Whatever
it holds, the loader answers with a Spec or with every problem as one
``file:line: message`` line, and ``annexa spec check`` exits 0 or 2, never
with a traceback. A spec of 10,000 items, or patterns of hundreds of
``**``, loads and matches in moments, not hours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from annexa.cli import main
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
