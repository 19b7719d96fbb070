"""The watch screen, driven like a user would: keys, filters, search, detail, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from annexa.model import Status
from annexa.tui.app import SessionMessage, WatchStateMessage
from annexa.tui.screens import ExportScreen, HelpScreen
from annexa.watch.session import SpecInvalid, SpecReloaded
from annexa.watch.watcher import WatchState
from tests.tui_helpers import SIZE, first_report, make_app, sync, until
from tests.watch_fakes import Delta, ReportScanner, sample_report, with_item


def row_keys(app, table_id: str = "#items") -> list[str]:
    table = app.query_one(table_id, DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def cell(app, row: str, column: str) -> str:
    return app.query_one("#items", DataTable).get_cell(row, column).plain


def text_of(app, selector: str) -> str:
    widget = app.query_one(selector, Static)
    return str(widget.render())


def log_lines(app) -> list[str]:
    return app.activity


async def select_row(pilot, key: str) -> None:
    table = pilot.app.query_one("#items", DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "annex"


@sync
async def test_items_are_grouped_by_section_with_what_needs_action_first(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert row_keys(app) == [
            "§Annual reports", "A7", "A9", "A10", "A8",
            "§Leadership and governance", "A1", "A3", "A2",
        ]  # fmt: skip


@sync
async def test_status_is_shown_by_word_and_symbol(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert cell(app, "A7", "status") == "∅ missing"
        assert cell(app, "A1", "status") == "✗ out of date"
        assert cell(app, "A2", "status") == "✓ in date"
        assert cell(app, "A1", "date") == "12 Mar 2013"
        assert cell(app, "A1", "file") == "Leadership/Self evaluation 2013.pdf"


@sync
async def test_header_shows_folder_spec_date_and_counts(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        heading = text_of(app, "#heading")
        assert str(root) in heading
        assert "Ofsted ILACS Annex A documents" in heading
        assert "16 September 2015" in heading
        assert "(today)" not in heading, "a fixed --as-of date is not today"
        assert text_of(app, "#summary") == (
            "1 in date · 1 due soon · 1 out of date · 1 missing · 1 draft · 1 unreadable · 1 waived"
        )


@sync
async def test_detail_pane_explains_the_selected_item(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        detail = text_of(app, "#detail")
        assert "Self-evaluation of social work practice" in detail
        assert "dated 12 March 2013 (content, 'Date approved')" in detail
        assert "What to do: Upload a self-evaluation approved after 16 September 2014" in detail
        assert "Evidence: “Date approved: 12 March 2013” (page 1)" in detail
        assert "File: Leadership/Self evaluation 2013.pdf" in detail
        assert "Superseded: \n  Leadership/Self evaluation 2012.pdf" in detail
        assert "Owner: Head of Quality Assurance" in detail
        assert "Expires: 12 March 2014" in detail


@sync
async def test_detail_pane_shows_the_waiver(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A8")
        detail = text_of(app, "#detail")
        assert (
            "Waiver: 2014-15 report goes to the partnership board on 14 October; "
            "until 31 October 2015, approved by Head of Service"
        ) in detail
        assert "Period covered: 2013-14" in detail


@sync
async def test_arrow_keys_move_the_selection_and_the_detail_follows(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A7")
        await pilot.press("down")
        assert app.selected == "A9"
        assert "Virtual School Head annual report" in text_of(app, "#detail")
        await pilot.press("up", "up")
        assert app.selected == "§Annual reports"
        assert "Needs action: A7, A9" in text_of(app, "#detail")


@sync
async def test_needs_action_filter_hides_items_that_need_nothing(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.query_one("#status-filter", Select).value = "action"
        await pilot.pause()
        assert row_keys(app) == [
            "§Annual reports", "A7", "A9", "A10",
            "§Leadership and governance", "A1", "A3",
        ]  # fmt: skip


@sync
async def test_status_filter_shows_one_status_and_hides_empty_sections(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.query_one("#status-filter", Select).value = Status.DUE_SOON.value
        await pilot.pause()
        assert row_keys(app) == ["§Leadership and governance", "A3"]


@sync
async def test_search_box_narrows_the_table_and_escape_clears_it(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("slash")
        assert app.focused is app.query_one("#search", Input)
        await pilot.press(*"iro")
        await pilot.pause()
        assert row_keys(app) == ["§Annual reports", "A7"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(row_keys(app)) == 9
        assert app.focused is app.query_one("#items", DataTable)


@sync
async def test_search_finds_owner_and_file_names(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.query_one("#search", Input).value = "quality assurance"
        await pilot.pause()
        assert row_keys(app) == ["§Leadership and governance", "A1", "A3"]


@sync
async def test_nothing_matching_the_search_says_so(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.query_one("#search", Input).value = "no such thing"
        await pilot.pause()
        assert row_keys(app) == []
        assert "No item matches" in text_of(app, "#detail")


@sync
async def test_a_new_report_updates_rows_in_place_and_reorders(root: Path) -> None:
    current = {"report": sample_report()}
    scanner = ReportScanner(root, lambda as_of: current["report"])
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        table = app.query_one("#items", DataTable)
        key_before = next(k for k in table.rows if k.value == "A7")
        await select_row(pilot, "A7")
        first = app.report
        current["report"] = with_item(
            first,
            "A7",
            status=Status.OK,
            severity=None,
            file="Reports/IRO annual report 2014-15.pdf",
        )
        scanner.next_delta = Delta(added=["Reports/IRO annual report 2014-15.pdf"])
        app.session.submit(_changes("Reports/IRO annual report 2014-15.pdf"))
        await until(pilot, lambda: app.report is not first, what="the second report")
        await pilot.pause()
        assert cell(app, "A7", "status") == "✓ in date"
        assert next(k for k in table.rows if k.value == "A7") is key_before, "row rebuilt"
        assert row_keys(app)[:5] == [
            "§Leadership and governance",
            "A1",
            "A3",
            "A2",
            "§Annual reports",
        ]
        assert app.selected == "A7", "the user's place is kept"
        assert "12:00 IRO annual report 2014-15.pdf added: A7 now in date" in log_lines(app)


@sync
async def test_first_check_is_logged_with_its_counts(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert log_lines(app)[0].startswith("12:00 Checked the folder: 1 in date · 1 due soon")


@sync
async def test_unmatched_and_unreadable_files_have_their_own_tabs(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert row_keys(app, "#unmatched") == ["Misc/notes[/].txt", "Misc/Team photo.jpg"]
        assert row_keys(app, "#unreadable") == ["Reports/[bold red]VSH report.pdf"]
        table = app.query_one("#unreadable", DataTable)
        assert table.get_cell("Reports/[bold red]VSH report.pdf", "error").plain == (
            "encrypted PDF: password required"
        )
        await pilot.press("2")
        assert app.query_one("#tabs").active == "unmatched-tab"
        await pilot.press("3")
        assert app.query_one("#tabs").active == "unreadable-tab"
        await pilot.press("1")
        assert app.query_one("#tabs").active == "items-tab"


@sync
async def test_help_screen_opens_and_closes(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "export the report" in str(app.screen.query_one("#help-text", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


@sync
async def test_export_writes_the_report_outside_root(root: Path, tmp_path: Path) -> None:
    app = make_app(root)
    target = tmp_path / "exports" / "annex-a.json"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-save")
        await until(pilot, target.exists, what="the export")
        assert not isinstance(app.screen, ExportScreen)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == "annexa-report/1"
    assert [item["id"] for item in data["items"]] == ["A1", "A2", "A3", "A7", "A8", "A9", "A10"]


@sync
async def test_export_default_path_is_outside_root_and_follows_the_format(
    root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root.mkdir()
    monkeypatch.chdir(root)  # the user started annexa inside ROOT
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        screen = app.screen
        path = Path(screen.query_one("#export-path", Input).value)
        assert path == tmp_path / "home" / "annexa-report-2015-09-16.html"
        screen.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        assert screen.query_one("#export-path", Input).value.endswith(
            "annexa-report-2015-09-16.csv"
        )


@sync
async def test_export_refuses_to_write_inside_root(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        screen = app.screen
        screen.query_one("#export-path", Input).value = str(root / "sub" / ".." / "report.html")
        await pilot.click("#export-save")
        await pilot.pause()
        assert app.screen is screen, "the dialog stays open with the reason"
        error = str(screen.query_one("#export-error", Static).render())
        assert "annexa never writes inside the folder it checks" in error
    assert list(root.iterdir()) == []


@sync
async def test_open_hands_the_selected_file_to_the_system_viewer(root: Path) -> None:
    opened: list[Path] = []
    app = make_app(root, opener=lambda path: opened.append(path))
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        await pilot.press("o")
        assert opened == [root / "Leadership/Self evaluation 2013.pdf"]


@sync
async def test_open_failure_is_a_message_not_a_crash(root: Path) -> None:
    app = make_app(root, opener=lambda path: "No program to open files was found.")
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        await pilot.press("o")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["No program to open files was found."]
        await select_row(pilot, "A7")  # missing: no file
        await pilot.press("o")
        assert app.is_running


@sync
async def test_unreachable_folder_keeps_the_report_marked_stale(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        report = app.report
        app.post_message(
            WatchStateMessage(
                WatchState("unreachable", "folder unreachable: the folder is not there")
            )
        )
        await pilot.pause()
        banner = app.query_one("#banner", Static)
        assert banner.display
        assert "The folder cannot be reached since 12:00 (the folder is not there)" in text_of(
            app, "#banner"
        )
        assert "Showing the last report, from 12:00" in text_of(app, "#banner")
        assert app.query_one("#items", DataTable).has_class("stale")
        assert app.report is report and len(row_keys(app)) == 9
        assert "folder unreachable" in text_of(app, "#state")
        app.post_message(WatchStateMessage(WatchState("back", "folder back")))
        app.session.rescan()
        await until(pilot, lambda: app.report is not report, what="a fresh report")
        await pilot.pause()
        assert not banner.display
        assert not app.query_one("#items", DataTable).has_class("stale")


@sync
async def test_invalid_spec_shows_every_error_and_keeps_the_table(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        problems = (
            "annexa.toml:12: item 'A7': 'patern' is not a known key; did you mean 'patterns'?",
        )
        app.post_message(SessionMessage(SpecInvalid(problems)))
        await pilot.pause()
        assert problems[0] in text_of(app, "#banner")
        assert len(row_keys(app)) == 9


@sync
async def test_a_reloaded_spec_keeps_its_file_in_the_heading(root: Path, tmp_path: Path) -> None:
    spec_file = tmp_path / "annexa.toml"
    app = make_app(root, spec_label="Borsetshire (annexa.toml)", spec_path=spec_file)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.post_message(SessionMessage(SpecReloaded("Borsetshire, revised")))
        await until(pilot, lambda: "revised" in text_of(app, "#heading"), what="the new name")
        assert "Borsetshire, revised (annexa.toml)" in text_of(app, "#heading")


@sync
async def test_progress_is_shown_during_the_first_scan(root: Path) -> None:
    import threading

    gate = threading.Event()
    scanner = ReportScanner(root, sample_report, gate=gate, files=3)
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        progress = app.query_one("#progress")
        await until(pilot, lambda: "0 of 3" in str(app.query_one("#progress-label").render()))
        assert progress.display
        gate.set()
        await first_report(pilot)
        assert not progress.display


@sync
async def test_rescan_key_walks_the_folder_again(root: Path) -> None:
    scanner = ReportScanner(root, sample_report)
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("r")
        await until(pilot, lambda: scanner.full_scans == 2, what="the second walk")


@sync
async def test_a_new_day_is_judged_when_following_the_clock(root: Path) -> None:
    import datetime as dt

    today = {"date": dt.date(2015, 9, 16)}
    app = make_app(root, as_of=None, today=lambda: today["date"])
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert "16 September 2015 (today)" in text_of(app, "#heading")
        today["date"] = dt.date(2015, 9, 17)
        app._check_day()
        await until(pilot, lambda: app.report.as_of == dt.date(2015, 9, 17), what="the new day")
        await pilot.pause()
        assert "17 September 2015 (today)" in text_of(app, "#heading")


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
@sync
async def test_quit_stops_the_session_and_closes_the_scanner(root: Path, key: str) -> None:
    scanner = ReportScanner(root, sample_report)
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 0
    assert not app.session.alive
    assert scanner.closed


@sync
async def test_quit_stops_the_folder_watcher(root: Path) -> None:
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await until(pilot, lambda: app.watch_state is not None, what="the watcher's state")
        assert "watching (native events)" in text_of(app, "#state")
        watcher = app.watcher
        await pilot.press("q")
    assert not watcher.alive


def _changes(*paths: str):
    from annexa.watch.debounce import Changes

    return Changes(frozenset(paths))
