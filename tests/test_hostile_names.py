"""File names anyone could give a file, through every face, from a real folder.

The format tests render a Report built by hand; these start from files on
disk (control characters, ANSI escapes, newlines, bytes that are not UTF-8,
250 characters, Rich and Textual markup, HTML, spreadsheet formulas, a
right-to-left override), run the real inventory, reading and evaluation,
and check each face: the terminal text obeys no escape, the JSON is valid
UTF-8 that says which file, the HTML grows no tag, the Markdown table keeps
its columns, the JUnit file parses, each GitHub annotation is one line, the
CSV runs no formula, and the watch screen shows names as text that does
nothing when clicked.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from annexa.cache.store import open_cache
from annexa.cli import main
from annexa.formats import get_formatter
from annexa.model import Report, Severity
from annexa.pipeline import Scanner, scan
from annexa.reading.inline import InlineExtractor
from annexa.schemas import load_schema
from annexa.spec import load_spec
from annexa.tui.app import WatchApp
from annexa.words.textsafe import printable, to_unicode
from tests.hostile import AS_OF, HOSTILE_NAMES, build_names, names_of
from tests.tui_helpers import NOON, SIZE, first_report, sync

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="names with control characters and bytes need POSIX"
)

READABLE = [
    names_of(n, name)[0].decode("utf-8", "surrogateescape")
    for n, name in enumerate(HOSTILE_NAMES, 1)
]
UNREADABLE = [
    names_of(n, name)[1].decode("utf-8", "surrogateescape")
    for n, name in enumerate(HOSTILE_NAMES, 1)
]
UNMATCHED = [
    names_of(n, name)[2].decode("utf-8", "surrogateescape")
    for n, name in enumerate(HOSTILE_NAMES, 1)
]
IDS = [name.what for name in HOSTILE_NAMES]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_names(tmp_path_factory.mktemp("names"))


@pytest.fixture(scope="module")
def report(folder: tuple[Path, Path]) -> Report:
    root, spec = folder
    return scan(root, load_spec(spec), AS_OF, extractor=InlineExtractor())


def render(report: Report, name: str, **options: bool) -> str:
    return get_formatter(name)(report, **options)


# -- what annexa sees -------------------------------------------------------------


def test_every_hostile_name_is_found_and_judged_under_its_own_path(report: Report) -> None:
    assert [item.file for item in report.items] == READABLE
    assert {item.status.value for item in report.items} == {"out_of_date"}
    assert [item.superseded for item in report.items] == [(u,) for u in UNREADABLE]
    assert sorted(e.file for e in report.errors) == sorted(UNREADABLE)
    assert sorted(report.unmatched) == sorted(UNMATCHED)


def test_names_that_are_not_utf8_are_cached_and_answered_from_the_cache_next_time(
    folder: tuple[Path, Path], report: Report, tmp_path: Path
) -> None:
    root, spec_path = folder
    spec = load_spec(spec_path)
    cold = scan(root, spec, AS_OF, extractor=InlineExtractor(), cache=open_cache(tmp_path))
    assert cold.to_dict() == report.to_dict()

    class NoReading(InlineExtractor):
        def extract(self, root, entries, *, on_done=None):  # type: ignore[no-untyped-def]
            raise AssertionError(f"read again: {[e.path for e in entries]}")

    warm = scan(root, spec, AS_OF, extractor=NoReading(), cache=open_cache(tmp_path))
    assert warm.to_dict() == report.to_dict()


# -- terminal text ----------------------------------------------------------------------


def test_the_terminal_report_obeys_no_escape_and_keeps_one_name_to_a_line(
    folder: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, spec = folder
    code = main(
        ["scan", str(root), "--spec", str(spec), "--as-of", AS_OF.isoformat(), "--no-cache"]
    )
    text = capsys.readouterr().out
    assert code == 1
    assert CONTROL.search(text) is None, repr(CONTROL.search(text))
    for number, path in enumerate(READABLE, 1):
        (row,) = [
            line for line in text.splitlines() if re.search(rf" N{number} +Item {number} ", line)
        ]
        assert row.endswith(printable(path))


def test_coloured_terminal_text_writes_only_its_own_colours(report: Report) -> None:
    text = render(report, "text", colour=True)
    without_colours = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert CONTROL.search(without_colours) is None
    assert "\x1b]" not in text and "\x1b[2J" not in text


# -- JSON --------------------------------------------------------------------------------


def test_the_json_report_is_valid_utf8_that_names_each_file(report: Report) -> None:
    import jsonschema

    text = render(report, "json")
    data = json.loads(text.encode("utf-8"))  # lone surrogates would not encode
    jsonschema.validate(data, load_schema("report"))
    assert [item["file"] for item in data["items"]] == [to_unicode(p) for p in READABLE]
    assert sorted(data["unmatched"]) == sorted(to_unicode(p) for p in UNMATCHED)
    assert "caf\\xe9 \\xff\\xfe report N4.pdf" in [item["file"] for item in data["items"]]


# -- HTML --------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_report_grows_no_tag_from_a_name(report: Report) -> None:
    parser = _Tags()
    parser.feed(render(report, "html"))
    assert "script" not in parser.tags and "b" not in parser.tags
    assert not [a for a in parser.attributes if a.startswith("on")]
    shown = "".join(parser.text)
    for path in READABLE:
        assert printable(path) in shown
    assert CONTROL.search(shown) is None


# -- Markdown ----------------------------------------------------------------------------


def test_the_markdown_tables_keep_their_columns_and_no_raw_html(report: Report) -> None:
    text = render(report, "markdown")
    assert "<script>" not in text and "<b>" not in text
    assert CONTROL.search(text) is None
    rows = [line for line in text.splitlines() if line.startswith("|")]
    cells = [len(re.findall(r"(?<!\\)\|", line)) for line in rows]
    header_widths = {c for line, c in zip(rows, cells, strict=True) if set(line) <= set("|-: ")}
    assert header_widths and all(c in header_widths for c in cells), list(
        zip(cells, rows, strict=True)
    )


# -- JUnit -------------------------------------------------------------------------------


def test_the_junit_report_parses_as_xml_with_every_name(report: Report) -> None:
    text = render(report, "junit")
    tree = ElementTree.fromstring(text.encode("utf-8"))  # refuses characters XML forbids
    assert CONTROL.search(text) is None
    everything = ElementTree.tostring(tree, encoding="unicode")
    for path in READABLE:
        escaped = printable(path).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in everything


# -- GitHub ------------------------------------------------------------------------------


def test_each_github_annotation_is_one_line_and_starts_no_other_command(report: Report) -> None:
    lines = render(report, "github").splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    # an annotation per item, at most ten of a kind (GitHub's limit), then the summary
    errors = sum(item.severity is Severity.ERROR for item in report.items)
    warnings = sum(item.severity is Severity.WARNING for item in report.items)
    assert len(lines) == min(errors, 10) + min(warnings, 10) + 1
    assert CONTROL.search("\n".join(lines)) is None
    items = [line for line in lines if "title=annexa" not in line]
    for line, path in zip(items, READABLE, strict=False):
        properties = line.split("::")[1]
        assert properties.count(",") == 1  # title and file, and no comma from a name
        assert (
            "file=" + printable(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
            in properties
        )


# -- CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [10, 11, 12, 13], ids=["=", "+", "-", "@"])
def test_a_csv_cell_that_excel_would_run_is_neutralised(report: Report, number: int) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"), newline="")))
    (row,) = [r for r in rows if r["id"] == f"N{number}"]
    assert row["file"] == "'" + READABLE[number - 1]
    for value in (v for r in rows for v in r.values()):
        assert not value.startswith(("=", "+", "-", "@")), value


def test_the_csv_report_has_one_line_per_item(report: Report) -> None:
    text = render(report, "csv")
    assert len(text.split("\r\n")) == len(report.items) + 2  # header, items, final empty
    assert CONTROL.search(text.replace("\r\n", "")) is None


# -- the watch screen --------------------------------------------------------------------


def _app(folder: tuple[Path, Path]) -> WatchApp:
    root, spec_path = folder
    spec = load_spec(spec_path)
    return WatchApp(
        root,
        Scanner(root, spec, extractor=InlineExtractor()),
        spec_label=spec.name,
        as_of=AS_OF,
        watch=False,
        clock=lambda: NOON,
    )


def _shows_as_text(cell, path: str) -> None:  # type: ignore[no-untyped-def]
    """The cell shows the file's name (its folder is in the details), as text."""
    shown = printable(path.rsplit("/", 1)[-1])
    assert cell.spans == [] and not cell.style  # no markup was read into it
    assert cell.plain == shown or (cell.plain.startswith("…") and shown.endswith(cell.plain[1:]))


@sync
async def test_the_watch_screen_shows_every_name_as_text_and_clicking_does_nothing(
    folder: tuple[Path, Path],
) -> None:
    app = _app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        items = app.query_one("#items", DataTable)
        for number, path in enumerate(READABLE, 1):
            _shows_as_text(items.get_cell(f"N{number}", "file"), path)
        columns = items.ordered_columns
        x = sum(c.get_render_width(items) for c in columns[:-1]) + 3  # the file column
        for number, path in enumerate(READABLE, 1):
            y = items.get_row_index(f"N{number}") + 1 - round(items.scroll_y)
            if not 0 < y < items.size.height:
                items.scroll_to(y=items.get_row_index(f"N{number}"), animate=False)
                await pilot.pause()
                y = items.get_row_index(f"N{number}") + 1 - round(items.scroll_y)
            assert await pilot.click("#items", offset=(x, y))
            await pilot.pause()
            assert app.is_running
            assert app.selected == f"N{number}"
            detail = str(app.query_one("#detail", Static).render())
            name = path.rsplit("/", 1)[-1]
            assert f"File: {printable(name)}" in detail
            if "/" in path:
                assert f"Folder: {printable(path.rsplit('/', 1)[0])}" in detail
        await pilot.press("4")
        await pilot.pause()
        unmatched = app.query_one("#unmatched", DataTable)
        for path in UNMATCHED:
            _shows_as_text(unmatched.get_cell(path, "file"), path)
        await pilot.click("#unmatched", offset=(4, 1))
        await pilot.press("5")
        await pilot.pause()
        unreadable = app.query_one("#unreadable", DataTable)
        for path in UNREADABLE:
            _shows_as_text(unreadable.get_cell(path, "file"), path)
        await pilot.click("#unreadable", offset=(4, 1))
        await pilot.pause()
        assert app.is_running
