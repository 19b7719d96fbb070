"""File names that look like markup are shown as they are and do nothing.

A file called ``[@click=app.quit]x.docx`` must not quit the app when clicked,
and ``notes[/].txt`` must not crash the table: every name is plain text.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from annexa.tui.app import WatchStateMessage
from annexa.watch.debounce import Changes
from annexa.watch.watcher import WatchState
from tests.tui_helpers import SIZE, first_report, make_app, sync, until
from tests.watch_fakes import Delta, ReportScanner, sample_report

CLICK = "[@click=app.quit]QA framework.docx"
BOLD = "Reports/[bold red]VSH report.pdf"


def shown(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


@sync
async def test_markup_like_names_appear_literally_in_the_table(tmp_path: Path) -> None:
    app = make_app(tmp_path / "annex")
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        table = app.query_one("#items", DataTable)
        assert table.get_cell("A3", "file").plain == CLICK
        assert table.get_cell("A9", "file").plain == BOLD.rsplit("/", 1)[1]  # the name
        unmatched = app.query_one("#unmatched", DataTable)
        assert unmatched.get_cell("Misc/notes[/].txt", "folder").plain == "Misc/notes["
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        assert app.is_running


@sync
async def test_clicking_a_markup_like_name_selects_the_row_and_does_not_quit(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "annex")
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        table = app.query_one("#items", DataTable)
        columns = table.ordered_columns
        x = sum(c.get_render_width(table) for c in columns[:-1]) + 3  # the file column
        y = table.get_row_index("A3") + 1  # below the header row
        assert await pilot.click("#items", offset=(x, y))
        await pilot.pause()
        assert app.is_running
        assert app.selected == "A3"


@sync
async def test_markup_like_names_appear_literally_in_the_detail_pane(tmp_path: Path) -> None:
    app = make_app(tmp_path / "annex")
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        table = app.query_one("#items", DataTable)
        table.move_cursor(row=table.get_row_index("A3"))
        await pilot.pause()
        detail = shown(app, "#detail")
        assert f"File: {CLICK}" in detail  # a name without a folder
        assert "“Next review: 1 October 2015 [bold]” (page 2, in the footer)" in detail


@sync
async def test_markup_like_names_appear_literally_in_the_activity_log(tmp_path: Path) -> None:
    root = tmp_path / "annex"
    scanner = ReportScanner(root, sample_report)
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        first = app.report
        scanner.next_delta = Delta(changed=[CLICK, BOLD])
        scanner.make = lambda as_of: sample_report(as_of, notices=("new",))
        app.session.submit(Changes(frozenset({CLICK})))
        await until(pilot, lambda: app.report is not first, what="the second report")
        await pilot.pause()
        lines = app.activity
        assert f"12:00 {CLICK} saved: A3 still due soon" in lines
        assert "12:00 [bold red]VSH report.pdf saved: A9 still unreadable" in lines


@sync
async def test_markup_in_the_folder_name_spec_name_and_messages_is_shown_as_is(
    tmp_path: Path,
) -> None:
    root = tmp_path / "[red]Annex[/] A"
    root.parent.mkdir(parents=True, exist_ok=True)
    app = make_app(
        root, spec_label="[b]Spec[/b]", opener=lambda path: f"cannot open [bold]{path.name}"
    )
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        heading = shown(app, "#heading")
        assert "[red]Annex[/] A" in heading
        assert "[b]Spec[/b]" in heading
        app.post_message(
            WatchStateMessage(
                WatchState(
                    "unreachable", "the folder cannot be reached: [blink]gone[/]", "[blink]gone[/]"
                )
            )
        )
        await pilot.pause()
        assert "([blink]gone[/])" in shown(app, "#banner")
        table = app.query_one("#items", DataTable)
        table.move_cursor(row=table.get_row_index("A3"))
        await pilot.press("o")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [f"cannot open [bold]{CLICK}"]
        assert app.is_running


@sync
async def test_control_characters_in_names_are_escaped_not_obeyed(tmp_path: Path) -> None:
    from tests.watch_fakes import with_item

    evil = "Leadership/evil\x1b[2J\nname.pdf"
    app = make_app(
        tmp_path / "annex", make=lambda as_of: with_item(sample_report(as_of), "A2", file=evil)
    )
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert (
            app.query_one("#items", DataTable).get_cell("A2", "file").plain
            == "evil\\x1b[2J\\nname.pdf"
        )
