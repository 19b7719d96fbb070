"""The watch screen, driven like a user would: keys, tabs, filters, search, detail, export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, Tabs

from annexa.model import Status
from annexa.tui.app import SessionMessage, WatchStateMessage
from annexa.tui.screens import DetailScreen, ExportScreen, FilterScreen, HelpScreen
from annexa.tui.views import Filter, Sort
from annexa.watch.session import SpecInvalid, SpecReloaded
from annexa.watch.watcher import WatchState
from tests.tui_helpers import SIZE, first_report, make_app, sync, until
from tests.watch_fakes import Delta, ReportScanner, sample_report, with_item

EVERYTHING = [
    "§Annual reports", "A7", "A9", "A10", "A8",
    "§Leadership and governance", "A1", "A3", "A2",
]  # fmt: skip


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
        assert row_keys(app) == EVERYTHING


@sync
async def test_status_is_shown_by_word_and_symbol_and_the_file_by_its_name(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert cell(app, "A7", "status") == "∅ missing"
        assert cell(app, "A1", "status") == "✗ out of date"
        assert cell(app, "A2", "status") == "✓ in date"
        assert cell(app, "A1", "date") == "12 Mar 2013"
        # the name, not the folder: the folder is in the details
        assert cell(app, "A1", "file") == "Self evaluation 2013.pdf"


@sync
async def test_errors_are_bold_and_waivers_italic_whatever_the_colour(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        table = app.query_one("#items", DataTable)
        assert table.get_cell("A7", "status").style.bold  # missing
        assert table.get_cell("A1", "status").style.bold  # out of date
        assert not table.get_cell("A3", "status").style.bold  # due soon
        assert table.get_cell("A8", "status").style.italic  # waived


@sync
async def test_header_shows_checklist_date_folder_and_counts(root: Path) -> None:
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
async def test_tabs_carry_the_counts(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        labels = {tab.id: tab.label_text for tab in app.query_one(Tabs).query("Tab")}
        assert labels["everything"] == "Everything 7"
        assert labels["action"] == "Needs action 5"
        assert labels["coming"] == "Coming up 2"
        assert labels["unmatched"] == "Files matching no item 2"
        assert labels["unreadable"] == "Files that cannot be read 1"


@sync
async def test_detail_pane_explains_the_selected_item(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        detail = text_of(app, "#detail")
        assert "Self-evaluation of social work practice" in detail
        assert "Why: dated 12 March 2013 (content, 'Date approved')" in detail
        assert "What to do: Upload a self-evaluation approved after 16 September 2014" in detail
        assert detail.index("What to do") < detail.index("Why"), "what to do comes first"
        assert "Evidence: “Date approved: 12 March 2013” (page 1)" in detail
        assert "File: Self evaluation 2013.pdf" in detail
        assert "Folder: Leadership" in detail
        assert "Older versions: \n  Leadership/Self evaluation 2012.pdf" in detail
        assert "Owner: Head of Quality Assurance" in detail
        assert "Expires: 12 March 2014" in detail
        assert "Dated: 12 March 2013 (in the document)" in detail


@sync
async def test_detail_pane_says_where_to_save_a_missing_file(root: Path) -> None:
    from annexa.model import Suggestion

    suggestion = Suggestion("Reports/2014-15", "IRO annual report 2014-15.pdf")
    app = make_app(
        root, make=lambda as_of: with_item(sample_report(as_of), "A7", suggestion=suggestion)
    )
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A7")
        detail = text_of(app, "#detail")
        assert "Save it as: IRO annual report 2014-15.pdf" in detail
        assert "In the folder: Reports/2014-15" in detail


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
async def test_arrow_keys_and_j_k_move_the_selection_and_the_detail_follows(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A7")
        await pilot.press("down")
        assert app.selected == "A9"
        assert "Virtual School Head annual report" in text_of(app, "#detail")
        await pilot.press("j")
        assert app.selected == "A10"
        await pilot.press("k", "k", "up")
        assert app.selected == "§Annual reports"
        detail = text_of(app, "#detail")
        assert "Needs action: A7, A9, A10" in detail
        assert "4 items: 1 missing · 1 unreadable · 1 draft · 1 waived" in detail


@sync
async def test_g_and_shift_g_go_to_the_first_and_last_rows(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("G")
        assert app.selected == "A2"
        await pilot.press("g")
        assert app.selected == "§Annual reports"


@sync
async def test_needs_action_is_one_key_and_the_same_key_goes_back(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.query_one(Tabs).active == "action"
        assert row_keys(app) == [
            "§Annual reports", "A7", "A9", "A10",
            "§Leadership and governance", "A1", "A3",
        ]  # fmt: skip
        assert app.focused is app.query_one("#items", DataTable), "focus stays on the list"
        await pilot.press("n")
        await pilot.pause()
        assert app.query_one(Tabs).active == "everything"
        assert row_keys(app) == EVERYTHING


@sync
async def test_needs_action_has_one_meaning_in_the_tab_the_sections_and_the_model(
    root: Path,
) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("n")
        await pilot.pause()
        shown = {key for key in row_keys(app) if not key.startswith("§")}
        assert shown == {item.id for item in app.report.items if item.needs_action}
        await pilot.press("n")
        await select_row(pilot, "§Leadership and governance")
        assert "Needs action: A1, A3" in text_of(app, "#detail")  # due soon counts too


@sync
async def test_coming_up_lists_what_falls_due_in_90_days_by_date(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert row_keys(app) == [item.id for item in app.report.coming_up()] == ["A3", "A2"]


@sync
async def test_filter_by_status_and_by_owner(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        options = screen.query_one("#filter-options")
        labels = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
        assert "∅ missing  (1)" in labels
        assert "Owner: Head of Quality Assurance  (1)" in labels
        screen.dismiss(Filter(Status.DUE_SOON))
        await pilot.pause()
        assert row_keys(app) == ["§Leadership and governance", "A3"]
        assert "Only due soon" in text_of(app, "#filter-state")
        app.set_filter(Filter(owner="IRO service manager"))
        await pilot.pause()
        assert row_keys(app) == ["§Annual reports", "A7"]
        await pilot.press("escape")
        await pilot.pause()
        assert row_keys(app) == EVERYTHING


@sync
async def test_sort_by_urgency_across_sections_and_by_what_expires_next(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.sort is Sort.URGENCY
        assert row_keys(app) == ["A7", "A1", "A9", "A3", "A10", "A8", "A2"]
        await pilot.press("s")
        await pilot.pause()
        assert app.sort is Sort.EXPIRES
        # out of date first (the longest past), then what falls due soonest
        assert row_keys(app)[:3] == ["A1", "A3", "A2"]
        await pilot.press("s")
        await pilot.pause()
        assert row_keys(app) == EVERYTHING


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
async def test_a_changed_row_stays_in_its_place_and_is_marked(root: Path) -> None:
    current = {"report": sample_report()}
    scanner = ReportScanner(root, lambda as_of: current["report"])
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        table = app.query_one("#items", DataTable)
        key_before = next(k for k in table.rows if k.value == "A7")
        await select_row(pilot, "A1")
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
        assert row_keys(app) == EVERYTHING, "no row moved"
        assert cell(app, "A7", "mark") == "•"
        assert cell(app, "A9", "mark") == ""
        assert app.selected == "A1", "the user's place is kept"
        assert "12:00 IRO annual report 2014-15.pdf added: A7 now in date" in log_lines(app)
        await select_row(pilot, "A7")
        assert "• Changed at 12:00: was missing" in text_of(app, "#detail")
        # sorting again is the user's choice
        await pilot.press("s", "s", "s")
        await pilot.pause()
        assert row_keys(app)[:4] == ["§Leadership and governance", "A1", "A3", "A2"]


@sync
async def test_the_mark_goes_after_a_while(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import annexa.tui.app as app_module

    current = {"report": sample_report()}
    scanner = ReportScanner(root, lambda as_of: current["report"])
    app = make_app(root, scanner=scanner)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        first = app.report
        current["report"] = with_item(first, "A3", status=Status.OK, severity=None)
        scanner.next_delta = Delta(changed=["[@click=app.quit]QA framework.docx"])
        app.session.submit(_changes("[@click=app.quit]QA framework.docx"))
        await until(pilot, lambda: app.report is not first, what="the second report")
        await pilot.pause()
        assert cell(app, "A3", "mark") == "•"
        monkeypatch.setattr(app_module, "MARK_SECONDS", -1.0)
        app._expire_marks()
        await pilot.pause()
        assert cell(app, "A3", "mark") == ""


@sync
async def test_first_check_is_logged_with_its_counts(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert log_lines(app)[0].startswith("12:00 Checked the folder: 1 in date · 1 due soon")


@sync
async def test_files_matching_no_item_and_unreadable_files_have_their_own_tabs(
    root: Path,
) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        assert row_keys(app, "#unmatched") == ["Misc/notes[/].txt", "Misc/Team photo.jpg"]
        assert row_keys(app, "#unreadable") == ["Reports/[bold red]VSH report.pdf"]
        table = app.query_one("#unreadable", DataTable)
        assert table.get_cell("Reports/[bold red]VSH report.pdf", "error").plain == (
            "encrypted PDF: password required"
        )
        await pilot.press("4")
        assert app.query_one(Tabs).active == "unmatched"
        await pilot.press("5")
        assert app.query_one(Tabs).active == "unreadable"
        await pilot.press("6")
        assert app.query_one(Tabs).active == "activity"
        await pilot.press("1")
        assert app.query_one(Tabs).active == "everything"


@sync
async def test_the_detail_pane_follows_the_files_tab_never_an_unrelated_item(root: Path) -> None:
    from annexa.model import NearestItem

    hint = NearestItem(
        "Misc/Team photo.jpg", "A7", "IRO annual report", "IRO annual report 2014-15.pdf",
        "'Team photo.jpg' looks like A7 IRO annual report: name it 'IRO annual report 2014-15.pdf'.",
    )  # fmt: skip
    app = make_app(root, make=lambda as_of: sample_report(as_of, nearest=(hint,)))
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        await pilot.press("4")
        await pilot.pause()
        assert "Self-evaluation" not in text_of(app, "#detail")
        unmatched = app.query_one("#unmatched", DataTable)
        unmatched.move_cursor(row=unmatched.get_row_index("Misc/Team photo.jpg"))
        await pilot.pause()
        detail = text_of(app, "#detail")
        assert detail.startswith("Team photo.jpg")
        assert "Folder: Misc" in detail
        assert "looks like A7 IRO annual report: name it 'IRO annual report 2014-15.pdf'" in detail
        assert unmatched.get_cell("Misc/Team photo.jpg", "hint").plain == "A7 IRO annual report"
        await pilot.press("5")
        await pilot.pause()
        detail = text_of(app, "#detail")
        assert detail.startswith("[bold red]VSH report.pdf")
        assert "Why it cannot be read: encrypted PDF: password required" in detail


@sync
async def test_help_screen_opens_and_closes(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from annexa.tui.screens import help_text as help_renderable

        with open(os.devnull, "w") as nowhere:
            console = Console(width=120, record=True, file=nowhere)
            console.print(help_renderable())
        help_text = " ".join(console.export_text().split())
        assert "show only what needs action" in help_text
        assert "Needs action: every item that is missing" in help_text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


@sync
async def test_details_key_shows_everything_about_the_row_on_its_own_screen(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        await pilot.press("d")
        assert isinstance(app.screen, DetailScreen)
        shown = str(app.screen.query_one("#detail-screen-text", Static).render())
        assert "Owner: Head of Quality Assurance" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, DetailScreen)


@sync
async def test_z_gives_the_whole_screen_to_the_list(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_report(pilot)
        pages = app.query_one("#pages")  # where the list is
        before = pages.size.height
        await pilot.press("z")
        await pilot.pause()
        assert pages.size.height >= before + 7
        await pilot.press("z")
        await pilot.pause()
        assert pages.size.height == before


@sync
async def test_export_writes_what_is_on_screen_outside_root(root: Path, tmp_path: Path) -> None:
    app = make_app(root)
    target = tmp_path / "exports" / "annex-a.json"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("n")  # needs action only
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert "The 5 items shown (Needs action) of 7." in str(
            screen.query_one("#export-shown", Static).render()
        )
        screen.query_one("#export-format").value = "json"
        await pilot.pause()
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-save")
        await until(pilot, target.exists, what="the export")
        assert not isinstance(app.screen, ExportScreen)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == "annexa-report/1"
    assert [item["id"] for item in data["items"]] == ["A1", "A3", "A7", "A9", "A10"]


@sync
async def test_export_offers_formats_by_the_names_people_use(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        select = app.screen.query_one("#export-format")
        labels = [str(prompt) for prompt, _value in select._options]
        assert labels[:2] == ["Web page (HTML)", "Excel (CSV)"]
        assert not set(labels) & {"html", "csv", "markdown", "text", "json", "junit", "github"}


@sync
async def test_export_asks_before_replacing_a_file(root: Path, tmp_path: Path) -> None:
    from annexa.tui.screens import ConfirmScreen

    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        export = app.screen
        export.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-save")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("escape")  # keep it
        await pilot.pause()
        assert app.screen is export
        assert target.read_text(encoding="utf-8") == "keep me"
        assert "was kept" in str(export.query_one("#export-error", Static).render())
        await pilot.click("#export-save")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.click("#confirm-yes")
        await until(pilot, lambda: target.read_text(encoding="utf-8") != "keep me", what="saved")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@sync
async def test_csv_saved_from_the_screen_has_a_byte_order_mark_for_excel(
    root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.csv"
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        app.screen.query_one("#export-format").value = "csv"
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-save")
        await until(pilot, target.exists, what="the export")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


@sync
async def test_export_goes_to_the_documents_folder_by_default(root: Path, tmp_path: Path) -> None:
    documents = tmp_path / "My Documents"
    documents.mkdir()
    app = make_app(root, documents=documents)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("e")
        screen = app.screen
        path = Path(screen.query_one("#export-path", Input).value)
        assert path == documents / "annexa-report-2015-09-16.html"
        screen.query_one("#export-format").value = "csv"
        await pilot.pause()
        assert screen.query_one("#export-path", Input).value.endswith(
            "annexa-report-2015-09-16.csv"
        )
        await pilot.press("escape")
        await pilot.press("n", "e")
        path = Path(app.screen.query_one("#export-path", Input).value)
        assert path.name == "annexa-report-2015-09-16-needs-action.html"


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
async def test_enter_and_o_hand_the_selected_file_to_the_system_viewer(root: Path) -> None:
    opened: list[Path] = []
    app = make_app(root, opener=lambda path: opened.append(path))
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await select_row(pilot, "A1")
        await pilot.press("enter")
        await pilot.press("o")
        assert opened == [root / "Leadership/Self evaluation 2013.pdf"] * 2
        await pilot.press("4", "enter")  # a file that matches no item opens too
        assert opened[-1] == root / "Misc/notes[/].txt"


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
async def test_command_palette_offers_views_filters_sorts_exports_and_themes(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in (
            "Theme",
            "Show: needs action",
            "Show: coming up",
            "Filter: only missing",
            "Filter: only items of Head of Quality Assurance",
            "Sort: expires next",
            "Export: Web page (HTML)",
            "Export: Excel (CSV)",
            "Check the folder again",
        ):
            assert expected in titles, expected
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Show: needs action"
        )
        command.callback()
        await pilot.pause()
        assert app.query_one(Tabs).active == "action"


@sync
async def test_an_owner_named_like_markup_is_offered_in_the_palette_as_written(root: Path) -> None:
    owner = "LADO [/] [b]Children[/b]"
    app = make_app(root, make=lambda as_of: with_item(sample_report(as_of), "A1", owner=owner))
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"LADO")
        await until(pilot, lambda: owner in _palette_text(app), what="the owner's command")
        assert app.is_running


def _palette_text(app) -> str:  # type: ignore[no-untyped-def]
    from textual.command import CommandList

    options = app.screen.query_one(CommandList)
    return "\n".join(
        str(options.get_option_at_index(n).prompt) for n in range(options.option_count)
    )


@pytest.mark.parametrize("theme", ["annexa-light", "annexa-high-contrast", "textual-dark"])
@sync
async def test_a_theme_change_recolours_the_statuses(root: Path, theme: str) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        before = str(app.query_one("#items", DataTable).get_cell("A7", "status").style)
        app.theme = theme
        await pilot.pause()
        after = str(app.query_one("#items", DataTable).get_cell("A7", "status").style)
        assert after != before and "bold" in after


@sync
async def test_unreachable_folder_keeps_the_report_marked_stale(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        report = app.report
        app.post_message(
            WatchStateMessage(
                WatchState(
                    "unreachable",
                    "the folder cannot be reached: the folder is not there",
                    "the folder is not there",
                )
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
        assert "the folder cannot be reached" in text_of(app, "#state")
        app.post_message(WatchStateMessage(WatchState("back", "the folder is back")))
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
        assert "The checklist file has mistakes" in text_of(app, "#banner")
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
        assert "watching: changes show within seconds" in text_of(app, "#state")
        watcher = app.watcher
        await pilot.press("q")
    assert not watcher.alive


def _changes(*paths: str):
    from annexa.watch.debounce import Changes

    return Changes(frozenset(paths))


@sync
async def test_keys_typed_at_once_act_on_the_tab_the_first_one_chose(root: Path) -> None:
    # A person types "n" then "e" faster than the screen redraws: the export
    # must be of what "n" shows, not of the tab before.
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.action_needs_action()
        app.action_export()  # before any message is handled
        await pilot.pause()
        assert "The 5 items shown (Needs action) of 7." in str(
            app.screen.query_one("#export-shown", Static).render()
        )


@sync
async def test_a_section_heading_counts_what_is_listed_under_it(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        app.set_filter(Filter(owner="Head of Quality Assurance"))  # A1 only in its section
        await pilot.pause()
        assert cell(app, "§Leadership and governance", "file") == "1 needs action"
        app.set_filter(Filter(Status.OK))
        await pilot.pause()
        assert cell(app, "§Leadership and governance", "file") == "nothing to do"
