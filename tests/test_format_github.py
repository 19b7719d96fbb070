"""GitHub workflow commands: one annotation per item that needs action, and nothing injectable."""

from __future__ import annotations

import dataclasses
import re

import pytest

from annexa.formats.github import command, escape_data, escape_property, render
from annexa.model import Severity
from tests.golden.fixture_report import HOSTILE_NEWLINE_ANSI, fixture_report

_LINE = re.compile(r"^::(?P<name>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def _unescape(text: str) -> str:
    """What the GitHub runner does to a value before showing it."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command as the runner does: properties on ',' then the first '='."""
    match = _LINE.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = {}
    for pair in filter(None, (match.group("props") or "").split(",")):
        key, _, value = pair.partition("=")
        props[key] = _unescape(value)
    return match.group("name"), props, _unescape(match.group("message"))


def test_every_line_is_one_workflow_command() -> None:
    for line in render(fixture_report()).splitlines():
        _parse(line)


def test_one_error_or_warning_per_item_needing_action_with_its_file() -> None:
    lines = render(fixture_report()).splitlines()
    annotations = [_parse(line) for line in lines if not line.startswith("::notice")]
    expected = [i for i in fixture_report().items if i.severity is not None]
    assert len(annotations) == len(expected)
    for (name, props, message), item in zip(annotations, expected, strict=True):
        assert name == ("error" if item.severity is Severity.ERROR else "warning")
        assert props["title"] == f"{item.id} {item.title}: {item.status.label}"
        assert props.get("file") == item.file
        save_as = f"\nSave it as {item.suggestion.path}" if item.suggestion else ""
        assert message == f"{item.reason}\n{item.action}{save_as}"


def test_missing_item_has_no_file_property() -> None:
    lines = render(fixture_report()).splitlines()
    (line,) = [line for line in lines if "title=A3 " in line]
    assert "file=" not in line


def test_last_line_is_a_notice_with_the_summary() -> None:
    name, props, message = _parse(render(fixture_report()).splitlines()[-1])
    assert name == "notice" and props == {"title": "annexa summary"}
    assert message == (
        "Ofsted ILACS Annex A documents, as of 16 September 2015: 8 of 12 items need action: "
        "5 errors and 3 warnings. Files: 2 could not be read, 6 match no item."
    )


def test_report_notices_are_notices() -> None:
    lines = [_parse(line) for line in render(fixture_report()).splitlines()]
    assert ("notice", {"title": "annexa"}, fixture_report().notices[0]) in lines


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    assert command("warning", "m", title="x") == "::warning title=x::m"


@pytest.mark.parametrize(
    "name",
    [
        "evil\n::add-mask::secret.pdf",
        "evil\r\n::stop-commands::token.pdf",
        "a,title=forged:b.pdf",
        "50%0A of it.pdf",
        HOSTILE_NEWLINE_ANSI,
    ],
)
def test_a_file_name_cannot_start_or_forge_a_command(name: str) -> None:
    report = fixture_report()
    item = dataclasses.replace(report.items[3], file=name, reason=f"bad file {name}")
    lines = render(dataclasses.replace(report, items=(item,), notices=())).splitlines()
    assert len(lines) == 2
    kind, props, message = _parse(lines[0])
    assert kind == "error"
    assert set(props) == {"title", "file"}
    assert "\x1b" not in lines[0]
    assert props["file"] == name.replace("\n", "\\n").replace("\r", "\\r").replace("\x1b", "\\x1b")
    assert message.startswith("bad file ")


def test_clean_report_has_only_the_summary() -> None:
    report = fixture_report()
    fine = tuple(dataclasses.replace(i, severity=None) for i in report.items)
    lines = render(dataclasses.replace(report, items=fine, notices=())).splitlines()
    assert len(lines) == 1 and lines[0].startswith("::notice title=annexa summary::")


def _many(errors: int, warnings: int, notices: int):  # type: ignore[no-untyped-def]
    report = fixture_report()
    error_item = next(i for i in report.items if i.severity is Severity.ERROR)
    warning_item = next(i for i in report.items if i.severity is Severity.WARNING)
    items = [dataclasses.replace(error_item, id=f"E{n}") for n in range(errors)]
    items += [dataclasses.replace(warning_item, id=f"W{n}") for n in range(warnings)]
    return dataclasses.replace(
        report, items=tuple(items), notices=tuple(f"Notice {n}" for n in range(notices))
    )


@pytest.mark.parametrize(("errors", "warnings", "notices"), [(25, 12, 14), (10, 10, 9), (11, 0, 0)])
def test_annotations_stay_within_githubs_ten_of_each_kind_per_step(
    errors: int, warnings: int, notices: int
) -> None:
    lines = [_parse(line) for line in render(_many(errors, warnings, notices)).splitlines()]
    for kind, count in (("error", errors), ("warning", warnings), ("notice", notices + 1)):
        annotated = [line for line in lines if line[0] == kind]
        assert len(annotated) == min(count, 10)
    summary = [message for name, _, message in lines if name == "error"][-1]
    if errors > 10:  # the tenth error names every item left out
        assert summary.startswith(f"{errors - 9} more errors, not annotated: E9, E10")
        assert summary.endswith(f"E{errors - 1}.")
    else:
        assert summary.startswith("No file found") or "more" not in summary
