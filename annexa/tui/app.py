"""The ``annexa watch`` screen: the Annex A folder's state, kept live.

The app reads nothing itself. A ``ScanSession`` thread owns the Scanner and
reads documents; a ``FolderWatcher`` thread feeds it changes; both post
messages here, and the app only draws. Rows are keyed by item id and updated
cell by cell, so the table does not flicker or lose the user's place when a
file is saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    ProgressBar,
    RichLog,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from annexa.formats import format_names
from annexa.model import ItemResult, Report
from annexa.tui import cells
from annexa.tui.export import ExportRefused, write_export
from annexa.tui.opener import open_with_viewer
from annexa.tui.screens import ExportChoice, ExportScreen, HelpScreen
from annexa.watch.activity import describe_update
from annexa.watch.debounce import Changes
from annexa.watch.notices import Notices
from annexa.watch.session import (
    FolderMissing,
    ReportReady,
    ScanFailed,
    ScannerLike,
    ScanProgress,
    ScanSession,
    ScanStarted,
    SessionEvent,
    SpecInvalid,
    SpecReloaded,
)
from annexa.watch.watcher import FolderWatcher, WatchState
from annexa.words.textsafe import printable

WatcherFactory = Callable[..., Any]
ACTIVITY_LINES = 1000  # lines of activity kept, on screen and in .activity: a day's worth


class SessionMessage(Message):
    """Something the scan session said, carried to the UI thread."""

    def __init__(self, event: SessionEvent) -> None:
        super().__init__()
        self.event = event


class NoticeMessage(Message):
    """A warning given while watching (the cache, the readers), carried to the UI thread."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class WatchStateMessage(Message):
    """How the folder is being watched changed."""

    def __init__(self, state: WatchState) -> None:
        super().__init__()
        self.state = state


def spec_label(name: str, spec_path: Path | None) -> str:
    """The spec as the banner names it: its name, and its file when it is the user's."""
    return name if spec_path is None else f"{name} ({spec_path.name})"


class WatchApp(App[int]):
    """The live view of one ROOT under one spec."""

    CSS_PATH = "watch.tcss"
    TITLE = "annexa watch"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_app", "Quit"),
        Binding("ctrl+c", "quit_app", "Quit", show=False, priority=True),
        Binding("r", "rescan", "Rescan"),
        Binding("o", "open_file", "Open file"),
        Binding("e", "export", "Export"),
        Binding("slash", "search", "Search"),
        Binding("f", "filter", "Filter"),
        Binding("escape", "clear_search", "Clear", show=False),
        Binding("1", "show_tab('items-tab')", "Items", show=False),
        Binding("2", "show_tab('unmatched-tab')", "Unmatched", show=False),
        Binding("3", "show_tab('unreadable-tab')", "Unreadable", show=False),
        Binding("question_mark,f1", "help", "Help"),
    ]

    def __init__(
        self,
        root: Path,
        scanner: ScannerLike,
        *,
        spec_label: str,
        as_of: dt.date | None = None,
        poll: float | None = None,
        spec_path: Path | None = None,
        watch: bool = True,
        watcher_factory: WatcherFactory = FolderWatcher,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        opener: Callable[[Path], str | None] = open_with_viewer,
        interrupt: Callable[[], None] | None = None,
        notices: Notices | None = None,
        stop_signals: Sequence[int] = (),
    ) -> None:
        super().__init__()
        self.root = Path(root)
        self.scanner = scanner
        self.spec_label = spec_label
        self.fixed_as_of = as_of
        self.as_of = as_of or today()
        self.poll = poll
        self.spec_path = spec_path
        self._watch = watch
        self._watcher_factory = watcher_factory
        self._today = today
        self._clock = clock
        self._opener = opener
        self._interrupt = interrupt
        self._notices = notices
        self._stop_signals = tuple(stop_signals)
        self.stopped_by: int | None = None  # the signal that ended the screen, if one did
        self.warnings: list[str] = []  # warnings given while watching, as shown
        self.session: ScanSession | None = None
        self.watcher: Any = None
        self.report: Report | None = None
        self.stale_reason: str | None = None
        self.stale_since: dt.datetime | None = None
        self.last_checked: dt.datetime | None = None
        self.watch_state: WatchState | None = None
        self.spec_problems: tuple[str, ...] = ()
        self.status_filter = "all"
        self.search = ""
        self.selected: str | None = None
        self._row_cells: dict[str, dict[str, Text]] = {}
        self._items: dict[str, ItemResult] = {}
        self._scanning = False
        self._shut_down = False
        self._placing = False  # the first cursor placement is pending
        # the log's lines, as written (the widget wraps them); the last ACTIVITY_LINES,
        # as the widget keeps, so a day of saves does not grow the screen
        self.activity: deque[str] = deque(maxlen=ACTIVITY_LINES)

    # -- layout ----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            yield Static(id="heading", markup=False)
            yield Static(id="summary", markup=False)
            yield Static(id="state", markup=False)
        yield Static(id="banner", markup=False)
        with Horizontal(id="progress"):
            yield Label("Reading documents", id="progress-label", markup=False)
            yield ProgressBar(id="progress-bar", show_eta=False)
        with Horizontal(id="filters"):
            yield Input(placeholder="Search id, title, file, owner, reason  (/)", id="search")
            yield Select(
                [(label, value) for label, value in cells.FILTERS],
                value="all",
                allow_blank=False,
                id="status-filter",
            )
        with TabbedContent(id="tabs", initial="items-tab"):
            with TabPane("Items", id="items-tab"):
                yield DataTable(id="items", cursor_type="row", zebra_stripes=False)
            with TabPane("Unmatched files", id="unmatched-tab"):
                yield DataTable(id="unmatched", cursor_type="row")
            with TabPane("Unreadable files", id="unreadable-tab"):
                yield DataTable(id="unreadable", cursor_type="row")
        with Horizontal(id="bottom"):
            with VerticalScroll(id="detail-pane"):
                yield Static(
                    Text("Waiting for the first check…", style="dim"), id="detail", markup=False
                )
            yield RichLog(
                id="activity", markup=False, wrap=True, min_width=20, max_lines=ACTIVITY_LINES
            )
        yield Footer()

    def on_mount(self) -> None:
        items = self.query_one("#items", DataTable)
        for key, label, width in cells.COLUMNS:
            items.add_column(label, key=key, width=width)
        self.query_one("#unmatched", DataTable).add_column("File (matches no item)", key="file")
        unreadable = self.query_one("#unreadable", DataTable)
        unreadable.add_column("File", key="file")
        unreadable.add_column("Why it cannot be read", key="error")
        self.query_one("#detail-pane").border_title = "Selected item"
        self.query_one("#activity").border_title = "Activity"
        self.query_one("#banner").display = False
        self.query_one("#progress").display = False
        self._draw_header()
        items.focus()
        self._stop_on_signals()
        if self._notices is not None:
            self._notices.listen(lambda text: self.post_message(NoticeMessage(text)))

        self.session = ScanSession(
            self.scanner,
            self.as_of,
            self._post_session_event,
            spec_path=self.spec_path,
        )
        if self._watch:
            # the watcher first, so nothing saved during the first scan is missed
            self.watcher = self._watcher_factory(
                self.root,
                self._on_changes,
                lambda state: self.post_message(WatchStateMessage(state)),
                self.poll,
            )
            self.watcher.start()
        self.session.start()
        if self.fixed_as_of is None:
            self.set_interval(30, self._check_day)

    def _on_changes(self, changes: Changes) -> None:
        """Called in the watcher's thread: hand the batch straight to the session."""
        if self.session is not None:
            self.session.submit(changes)

    # -- messages from the threads ----------------------------------------

    def on_session_message(self, message: SessionMessage) -> None:
        event = message.event
        if isinstance(event, ScanStarted):
            self._scanning = True
            self._show_progress(0, 0)
        elif isinstance(event, ScanProgress):
            if self._scanning or event.total > 20:
                self._show_progress(event.done, event.total)
        elif isinstance(event, ReportReady):
            self._scanning = False
            self.query_one("#progress").display = False
            self._apply_report(event)
        elif isinstance(event, FolderMissing):
            self._scanning = False
            self.query_one("#progress").display = False
            self._mark_stale(event.reason)
        elif isinstance(event, SpecInvalid):
            self.spec_problems = event.problems
            self.log_activity("The spec file has errors; still using the previous spec")
            self._draw_banner()
        elif isinstance(event, SpecReloaded):
            self.spec_problems = ()
            self.spec_label = spec_label(event.name, self.spec_path)
            self.log_activity(f"Spec reloaded: {event.name}")
            self._draw_header()
            self._draw_banner()
        elif isinstance(event, ScanFailed):
            self._scanning = False
            self.query_one("#progress").display = False
            self.log_activity(f"Checking failed (a bug in annexa): {event.message}")
            self.notify(event.message, title="Checking failed", severity="error", markup=False)

    def on_notice_message(self, message: NoticeMessage) -> None:
        self.warnings.append(message.text)
        self.log_activity(f"Warning: {message.text}")
        self._draw_header()

    def on_watch_state_message(self, message: WatchStateMessage) -> None:
        state = message.state
        previous, self.watch_state = self.watch_state, state
        if state.kind == "unreachable":
            if previous is None or previous.kind != "unreachable":
                self.log_activity(f"Folder unreachable: {state.text.split(': ', 1)[-1]}")
            self._mark_stale(state.text.split(": ", 1)[-1])
        elif state.kind == "back":
            self.log_activity("Folder back: checking it again")
        elif state.kind == "stopped":
            self.log_activity(state.text)
        self._draw_header()

    # -- drawing ----------------------------------------------------------

    def _apply_report(self, ready: ReportReady) -> None:
        report = ready.report
        self.report = report
        self.as_of = report.as_of
        self.stale_reason = self.stale_since = None
        self.last_checked = self._clock()
        self._items = {item.id: item for item in report.items}
        self._sync_items()
        self._sync_files("unmatched", "Unmatched files", dict.fromkeys(report.unmatched, ()))
        errors = cells.unreadable_rows(report)
        self._sync_files(
            "unreadable",
            "Unreadable files",
            {path: (error,) for path, error in errors.items()},
            ("error",),
        )
        self._draw_header()
        self._draw_banner()
        self._draw_detail()
        lines = describe_update(
            ready.previous,
            report,
            added=ready.added,
            changed=ready.changed,
            removed=ready.removed,
        )
        for line in lines:
            self.log_activity(line)
        old_notices = set(ready.previous.notices) if ready.previous else set()
        for notice in report.notices:
            if notice not in old_notices:
                self.log_activity(notice)

    def _post_session_event(self, event: SessionEvent) -> None:
        """Hand an event from the session's thread to the app's message queue."""
        self.post_message(SessionMessage(event))

    def _draw_header(self) -> None:
        heading = Text()
        heading.append("Folder ", style="dim")
        heading.append(printable(str(self.root)), style="bold")
        heading.append("   Spec ", style="dim")
        heading.append(printable(self.spec_label), style="bold")
        heading.append("   As of ", style="dim")
        heading.append(cells.uk_date(self.as_of), style="bold")
        if self.fixed_as_of is None:
            heading.append(" (today)", style="dim")
        self.query_one("#heading", Static).update(heading)

        summary = cells.summary_text(self.report) if self.report else Text("Checking…", style="dim")
        if self.stale_reason is not None:
            summary.append("   (last known: the folder cannot be reached)", style="bold red")
        self.query_one("#summary", Static).update(summary)

        state = Text()
        if self.watch_state is not None:
            style = "bold red" if not self.watch_state.reachable else "green"
            state.append("● ", style=style)
            state.append(printable(self.watch_state.text), style=style)
        elif not self._watch:
            state.append("not watching", style="dim")
        if self.last_checked is not None:
            state.append(f"   last updated {self.last_checked:%H:%M}", style="dim")
        if self.warnings:
            more = len(self.warnings) - 1
            state.append("   ⚠ " + printable(self.warnings[-1]), style="bold yellow")
            if more:
                state.append(f" (and {more} more in the activity log)", style="yellow")
        self.query_one("#state", Static).update(state)

    def _draw_banner(self) -> None:
        banner = self.query_one("#banner", Static)
        text = Text()
        if self.stale_reason is not None:
            since = f" since {self.stale_since:%H:%M}" if self.stale_since else ""
            text.append(
                f"The folder cannot be reached{since} ({printable(self.stale_reason)}). ",
                style="bold",
            )
            if self.report is not None and self.last_checked is not None:
                text.append(
                    f"Showing the last report, from {self.last_checked:%H:%M}: it may be out of date. "
                )
            text.append("annexa keeps trying and updates by itself when the folder is back.")
        if self.spec_problems:
            if text:
                text.append("\n")
            text.append(
                "The spec file has errors, so annexa still uses the previous spec:", style="bold"
            )
            for problem in self.spec_problems[:8]:
                text.append("\n  " + printable(problem))
            if len(self.spec_problems) > 8:
                text.append(f"\n  … and {len(self.spec_problems) - 8} more")
        banner.update(text)
        banner.display = bool(text)
        stale = self.stale_reason is not None
        self.query_one("#items", DataTable).set_class(stale, "stale")

    def _mark_stale(self, reason: str) -> None:
        if self.stale_reason is None:
            self.stale_since = self._clock()
        self.stale_reason = reason
        self._draw_header()
        self._draw_banner()

    def _show_progress(self, done: int, total: int) -> None:
        self.query_one("#progress").display = True
        bar = self.query_one("#progress-bar", ProgressBar)
        if total:
            bar.update(total=total, progress=done)
            label = f"Reading documents: {done} of {total}"
        else:
            bar.update(total=None)
            label = "Looking through the folder…"
        self.query_one("#progress-label", Label).update(label)

    def log_activity(self, line: str) -> None:
        stamp = f"{self._clock():%H:%M}"
        self.activity.append(f"{stamp} {printable(line)}")
        text = Text(f"{stamp} ", style="dim")
        text.append(printable(line))
        self.query_one("#activity", RichLog).write(text)

    # -- the items table ----------------------------------------------------

    def _wanted_rows(self) -> dict[str, dict[str, Text]]:
        if self.report is None:
            return {}
        visible = [
            i for i in self.report.items if cells.matches(i, self.status_filter, self.search)
        ]
        by_section: dict[str, list[ItemResult]] = {}
        for item in visible:
            by_section.setdefault(cells.section_of(item), []).append(item)
        rows: dict[str, dict[str, Text]] = {}
        for section, items in by_section.items():
            rows[cells.section_key(section)] = cells.section_cells(section)
            for item in items:
                rows[item.id] = cells.item_cells(item)
        return rows

    def _sync_items(self) -> None:
        """Bring the table in line with the report and the filters, touching only what changed."""
        table = self.query_one("#items", DataTable)
        wanted = self._wanted_rows()
        keep = self.selected
        for key in list(self._row_cells):
            if key not in wanted:
                table.remove_row(key)
                del self._row_cells[key]
        for key, row in wanted.items():
            old = self._row_cells.get(key)
            if old is None:
                table.add_row(*(row[c] for c, _, _ in cells.COLUMNS), key=key)
            else:
                for column, cell in row.items():
                    if not _same(old[column], cell):
                        table.update_cell(key, column, cell)
            self._row_cells[key] = row
        if self.report is not None and table.row_count:
            order = cells.row_order(self.report)
            table.sort("id", key=lambda cell: order.get(cell.row_key, (99, 0, 0, 0)))
        _forget_old_renders(table)
        if keep is not None and keep in self._row_cells:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        elif table.row_count:
            # Start on the first item (the most urgent), not on a section
            # heading; after the refresh, when the table knows its height and
            # does not scroll the heading away.
            first = next(
                (
                    n
                    for n, row in enumerate(table.ordered_rows)
                    if not str(row.key.value).startswith("§")
                ),
                0,
            )
            self.selected = str(table.ordered_rows[first].key.value)
            self._placing = True
            self.call_after_refresh(self._place_cursor, self.selected)

    def _sync_files(
        self,
        name: str,
        label: str,
        wanted: Mapping[str, tuple[str, ...]],
        columns: tuple[str, ...] = (),
    ) -> None:
        """Bring a tab's table of files (path, then ``columns``) up to date, row by row."""
        table = self.query_one(f"#{name}", DataTable)
        present = {str(k.value) for k in table.rows}
        for path in present - set(wanted):
            table.remove_row(path)
        for path, values in sorted(wanted.items()):
            if path not in present:
                table.add_row(cells.plain(path), *map(cells.plain, values), key=path)
                continue
            for column, value in zip(columns, values, strict=True):
                table.update_cell(path, column, cells.plain(value), update_width=True)
        table.sort("file", key=lambda cell: cell.plain.casefold())
        _forget_old_renders(table)
        self.query_one(TabbedContent).get_tab(f"{name}-tab").label = f"{label} ({len(wanted)})"

    def _place_cursor(self, key: str) -> None:
        table = self.query_one("#items", DataTable)
        self._placing = False
        if key in self._row_cells:
            table.move_cursor(row=table.get_row_index(key), animate=False)
            # The first item is at most the second row: show the table from
            # its top, with the section heading above it, whatever scrolling
            # the cursor move asked for while the layout was still settling.
            table.call_after_refresh(table.scroll_home, animate=False, immediate=True)
            self.selected = key
            self._draw_detail()

    @on(DataTable.RowHighlighted, "#items")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The event may be older than the table (rows sorted since it was
        # posted): believe the cursor, not the event.
        table = self.query_one("#items", DataTable)
        if table.row_count and not self._placing:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.selected = str(key)
            self._draw_detail()

    def _draw_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        if self.report is None:
            return
        key = self.selected
        if key is None or key not in self._row_cells:
            detail.update(Text("No item matches the search and filter.", style="dim"))
        elif key.startswith("§"):
            section = key[1:]
            items = [i for i in self.report.items if cells.section_of(i) == section]
            detail.update(cells.section_detail(section, items))
        else:
            detail.update(cells.detail_text(self._items[key]))

    # -- filters ------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self._sync_items()
        self._draw_detail()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#items", DataTable).focus()

    @on(Select.Changed, "#status-filter")
    def _filter_changed(self, event: Select.Changed) -> None:
        self.status_filter = str(event.value)
        self._sync_items()
        self._draw_detail()

    # -- actions ---------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(TabbedContent).active = "items-tab"
        self.query_one("#search", Input).focus()

    def action_filter(self) -> None:
        self.query_one(TabbedContent).active = "items-tab"
        self.query_one("#status-filter", Select).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one("#items", DataTable).focus()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        table_id = {
            "items-tab": "#items",
            "unmatched-tab": "#unmatched",
            "unreadable-tab": "#unreadable",
        }
        self.query_one(table_id[tab], DataTable).focus()

    def action_rescan(self) -> None:
        if self.session is not None:
            self.log_activity("Checking the whole folder again")
            self.session.rescan("rescan")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_open_file(self) -> None:
        path = self._selected_file()
        if path is None:
            self.notify("The selected row has no file to open.", severity="warning", markup=False)
            return
        problem = self._opener(self.root / path)
        if problem:
            self.notify(problem, title="Cannot open", severity="error", markup=False)
        else:
            self.notify(f"Opening {printable(path.rsplit('/', 1)[-1])}", markup=False)

    def _selected_file(self) -> str | None:
        tab = self.query_one(TabbedContent).active
        if tab == "items-tab":
            if self.selected is None or self.selected not in self._items:
                return None
            return self._items[self.selected].file
        table = self.query_one("#unmatched" if tab == "unmatched-tab" else "#unreadable", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_export(self) -> None:
        if self.report is None:
            self.notify("There is no report yet: wait for the first check.", markup=False)
            return
        self.push_screen(ExportScreen(self.root, format_names(), self.as_of), self._export_chosen)

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is None or self.report is None:
            return
        try:
            written = write_export(self.report, choice.format_name, choice.path, self.root)
        except ExportRefused as exc:
            self.notify(str(exc), title="Not exported", severity="error", markup=False)
            return
        self.log_activity(f"Report exported as {choice.format_name} to {written}")
        self.notify(f"Report written to {written}", title="Exported", markup=False)

    def action_quit_app(self) -> None:
        self.shutdown()
        self.exit(0)

    def _stop_on_signals(self) -> None:
        """SIGTERM and SIGHUP quit as q does, so the terminal is restored on the way out.

        Through the event loop: the handler runs between two of the screen's
        steps, never in the middle of drawing. Where the loop cannot take
        signal handlers (Windows) nothing changes.
        """
        loop = asyncio.get_running_loop()
        for signum in self._stop_signals:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, OSError):
                loop.add_signal_handler(signum, self._stop_by_signal, signum)

    def _stop_by_signal(self, signum: int) -> None:
        if self.stopped_by is not None:
            return
        self.stopped_by = signum
        self.shutdown()
        self.exit(128 + signum)

    # -- time and shutdown ---------------------------------------------------

    def _check_day(self) -> None:
        today = self._today()
        if today != self.as_of and self.session is not None:
            self.log_activity(f"A new day: judging as of {cells.uk_date(today)}")
            self.session.set_as_of(today)

    def shutdown(self) -> None:
        """Stop the watcher and the session (which closes the scanner). Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        if self.watcher is not None:
            self.watcher.stop()
        if self.session is not None:
            stopping = self.session.stop(timeout=1.0)
            if not stopping and self._interrupt is not None:
                self._interrupt()  # a long read in progress: ask the extractor to give up
                self.session.stop(timeout=10.0)

    async def on_unmount(self) -> None:
        self.shutdown()


def _forget_old_renders(table: DataTable) -> None:
    """Drop what the table drew before it changed: it can never be drawn again.

    DataTable keys its caches of drawn cells and lines on a count of its
    changes, so after a change nothing cached before it is ever used again,
    yet it stays until 10,000 newer cells push it out. A watch open all day
    grew by 20 MB that way before levelling off. The cells shown are drawn
    again anyway, as they would be after any change.
    """
    clear = getattr(table, "_clear_caches", None)
    if callable(clear):
        clear()


def _same(a: Text, b: Text) -> bool:
    return a.plain == b.plain and str(a.style) == str(b.style) and a.spans == b.spans
