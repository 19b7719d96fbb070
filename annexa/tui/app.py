"""The ``annexa watch`` screen: the Annex A folder's state, kept live.

The app reads nothing itself. A ``ScanSession`` thread owns the Scanner and
reads documents; a ``FolderWatcher`` thread feeds it changes; both post
messages here, and the app only draws. Rows are keyed by item id and
updated cell by cell, and they keep their places when a file is saved (a
changed row is marked instead), so the user does not lose their place.

The layout follows the window (Textual breakpoints): on a short screen the
details shrink to a few lines (``d`` shows them all) and the activity log
lives on its own tab; on a tall, wide one it sits beside the details. ``z``
gives the whole screen to the list.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Footer,
    Input,
    Label,
    ProgressBar,
    Static,
    Tab,
    Tabs,
)

from annexa.model import ItemResult, Report, Status
from annexa.tui import cells, columns, views
from annexa.tui.export import FORMATS, ExportRefused, label_of, report_of, write_export
from annexa.tui.opener import open_with_viewer
from annexa.tui.palette import cursor_variables, plain_styles, status_styles
from annexa.tui.screens import (
    DetailScreen,
    ExportChoice,
    ExportScreen,
    FilterScreen,
    HelpScreen,
)
from annexa.tui.themes import DEFAULT_THEME, THEMES, UNKNOWN_COLOURS
from annexa.tui.views import Filter, Sort, View
from annexa.tui.widgets import ActivityLog, ListTable
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

# How long a changed row keeps its mark.
MARK_SECONDS = 300.0

# The tabs: (id, short label, long label, page). Long labels from WIDE_TABS columns.
TABS: tuple[tuple[str, str, str, str], ...] = (
    ("everything", "All", "Everything", "items"),
    ("action", "Needs action", "Needs action", "items"),
    ("coming", "Coming up", "Coming up", "items"),
    ("unmatched", "Other files", "Files matching no item", "unmatched"),
    ("unreadable", "Can't read", "Files that cannot be read", "unreadable"),
    ("activity", "Activity", "Activity", "activity-page"),
)
WIDE_TABS = 120
FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "unmatched": ("file", "folder", "hint"),
    "unreadable": ("file", "error"),
}
_VIEWS = {"everything": View.EVERYTHING, "action": View.NEEDS_ACTION, "coming": View.COMING_UP}


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
    """The checklist as the heading names it: its name, and its file when it is the user's."""
    return name if spec_path is None else f"{name} ({spec_path.name})"


class WatchApp(App[int]):
    """The live view of one ROOT under one spec."""

    CSS_PATH = "watch.tcss"
    TITLE = "annexa watch"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Textual declares it so)
        (0, "-narrow"),
        (100, "-medium"),
        (140, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-short"),
        (28, "-middling"),
        (40, "-tall"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_app", "Quit"),
        Binding("ctrl+c", "quit_app", "Quit", show=False, priority=True),
        Binding("n", "needs_action", "Needs action"),
        Binding("slash", "search", "Search", show=False),
        Binding("f", "filter", "Filter"),
        Binding("s", "sort", "Sort", show=False),
        Binding("o", "open_file", "Open", key_display="⏎/o"),
        Binding("d", "details", "Details"),
        Binding("z", "zoom", "Full list", show=False),
        Binding("e", "export", "Export"),
        Binding("r", "rescan", "Rescan", show=False),
        Binding("escape", "clear_search", "Clear", show=False),
        *(
            Binding(str(n), f"show_tab('{tab}')", label, show=False)
            for n, (tab, _short, label, _page) in enumerate(TABS, start=1)
        ),
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
        documents: Path | None = None,
        notices: Notices | None = None,
        stop_signals: Sequence[int] = (),
    ) -> None:
        super().__init__()
        for theme in THEMES:
            self.register_theme(theme)
        for name in UNKNOWN_COLOURS:
            if name in self.available_themes:
                self.unregister_theme(name)
        self.theme = DEFAULT_THEME
        self.root = Path(root)
        self.scanner = scanner
        self.spec_label = spec_label
        self.fixed_as_of = as_of
        self.as_of = as_of or today()
        self.poll = poll
        self.spec_path = spec_path
        self.documents = documents
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
        self.tab = "everything"
        self.view = View.EVERYTHING
        self.filter = Filter()
        self.sort = Sort.SECTION
        self.search = ""
        self.selected: str | None = None
        self.status_styles = plain_styles()
        self._items: dict[str, ItemResult] = {}
        self._row_cells: dict[str, dict[str, Text]] = {}
        self._order: list[str] = []
        self._widths: dict[str, int] = {}
        self._changed: dict[str, tuple[float, str, Status]] = {}
        self._fit_timer: Timer | None = None
        self._scanning = False
        self._shut_down = False
        self._widgets_made = False  # the widgets exist
        self._placing = False  # the first cursor placement is pending
        # the log's lines, as written (the widget wraps them); the last ACTIVITY_LINES,
        # as the widget keeps, so a day of saves does not grow the screen
        self.activity: deque[str] = deque(maxlen=ACTIVITY_LINES)

    # -- layout ----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            yield Static(id="heading", markup=False)
            yield Static(id="state", markup=False)
            yield Static(id="summary", markup=False)
        yield Static(id="banner", markup=False)
        with Horizontal(id="progress"):
            yield Label("Reading documents", id="progress-label", markup=False)
            yield ProgressBar(id="progress-bar", show_eta=False)
        yield Tabs(*(Tab(short, id=tab) for tab, short, _long, _page in TABS), id="tabs")
        with Horizontal(id="filters"):
            yield Input(
                placeholder="/ to search: id, title, file, owner, reason",
                id="search",
                compact=True,
            )
            yield Static(id="filter-state", markup=False)
        with ContentSwitcher(id="pages", initial="items"):
            yield ListTable(id="items", cursor_type="row", zebra_stripes=False)
            yield ListTable(id="unmatched", cursor_type="row")
            yield ListTable(id="unreadable", cursor_type="row")
            yield ActivityLog(id="activity-page", limit=ACTIVITY_LINES)
        with Horizontal(id="bottom"):
            with VerticalScroll(id="detail-pane"):
                yield Static(Text("Waiting for the first check…"), id="detail", markup=False)
            yield ActivityLog(id="activity-log", limit=ACTIVITY_LINES, min_width=20)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._widgets_made = True
        self._build_items_table()
        self._build_files_tables()
        self.query_one("#detail-pane").border_title = "Selected"
        self.query_one("#activity-log").border_title = "Activity"
        self.query_one("#banner").display = False
        self.query_one("#progress").display = False
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._theme_changed(self.current_theme)
        self._draw_header()
        self._draw_filter_state()
        self._label_tabs()
        self.query_one("#items", DataTable).focus()
        self.set_interval(10, self._expire_marks)
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

    def on_resize(self) -> None:
        # A drag sends many sizes: lay out once it has stopped.
        if self._fit_timer is not None:
            self._fit_timer.stop()
        self._fit_timer = self.set_timer(0.05, self._fit_to_width)

    def _columns(self) -> dict[str, columns.Column]:
        table = self.query_one("#items", DataTable)
        width = table.size.width or self.size.width or 120
        id_width = max((len(key) for key in self._items), default=3)
        return {c.key: c for c in columns.layout(width, id_width)}

    def _fit_to_width(self) -> None:
        """Size the columns to the table's width: the title and the file name share it."""
        self._fit_timer = None
        self._label_tabs()
        wanted = self._columns()
        if {k: c.width for k, c in wanted.items()} == self._widths:
            return
        self._build_files_tables()
        if self.report is not None:
            self._sync_unmatched(self.report)
            self._sync_unreadable(self.report)
        if list(wanted) == list(self._widths):
            self._widths = {k: c.width for k, c in wanted.items()}
            self.query_one("#items", ListTable).set_column_widths(list(self._widths.items()))
            self._sync_items(redraw=True)
        else:
            self._build_items_table()
            self._sync_items(scroll=True)

    def _build_items_table(self) -> None:
        """(Re)make the items table's columns for the current width; rows are added by sync."""
        table = self.query_one("#items", DataTable)
        table.clear(columns=True)
        self._row_cells.clear()
        wanted = self._columns()
        for column in wanted.values():
            table.add_column(column.label, key=column.key, width=column.width)
        self._widths = {k: c.width for k, c in wanted.items()}

    def _build_files_tables(self) -> None:
        """(Re)make the files tabs' columns for the window's width; rows are added by sync."""
        width = self.size.width or 120
        for name, keys in FILE_COLUMNS.items():
            table = self.query_one(f"#{name}", DataTable)
            table.clear(columns=True)
            for column in columns.files_layout(width, keys):
                table.add_column(column.label, key=column.key, width=column.width)

    def _label_tabs(self) -> None:
        wide = self.size.width >= WIDE_TABS
        counts = self._tab_counts()
        tabs = self.query_one(Tabs)
        for tab_id, short, long, _page in TABS:
            count = counts.get(tab_id)
            label = long if wide else short
            tabs.query_one(f"#{tab_id}", Tab).label = label if count is None else f"{label} {count}"

    def _tab_counts(self) -> dict[str, int]:
        if self.report is None:
            return {}
        return {
            "everything": len(self.report.items),
            "action": sum(1 for item in self.report.items if item.needs_action),
            "coming": len(self.report.coming_up()),
            "unmatched": len(self.report.unmatched),
            "unreadable": len(cells.unreadable_rows(self.report)),
        }

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, and cursor colours made legible for it (palette)."""
        variables = super().get_css_variables()
        variables.update(cursor_variables(variables))
        return variables

    def _theme_changed(self, theme: Theme) -> None:
        self.status_styles = status_styles(self.get_css_variables())
        self._sync_items(redraw=True)
        self._draw_header()
        self._draw_detail()

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
            self.log_activity("The checklist file has mistakes; still using the previous version")
            self._draw_banner()
        elif isinstance(event, SpecReloaded):
            self.spec_problems = ()
            self.spec_label = spec_label(event.name, self.spec_path)
            self.log_activity(f"Checklist read again: {event.name}")
            self._draw_header()
            self._draw_banner()
        elif isinstance(event, ScanFailed):
            self._scanning = False
            self.query_one("#progress").display = False
            self.log_activity(f"Checking failed (a fault in annexa): {event.message}")
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
                self.log_activity(f"The folder cannot be reached: {state.reason or state.text}")
            self._mark_stale(state.reason or state.text)
        elif state.kind == "back":
            self.log_activity("The folder is back: checking it again")
        elif state.kind == "stopped":
            self.log_activity(state.text)
        self._draw_header()

    # -- drawing ----------------------------------------------------------

    def _apply_report(self, ready: ReportReady) -> None:
        report = ready.report
        previous = self.report
        self.report = report
        self.as_of = report.as_of
        self.stale_reason = self.stale_since = None
        self.last_checked = self._clock()
        self._items = {item.id: item for item in report.items}
        if previous is not None:
            self._note_changes(previous, report)
        # A new spec may move items between sections: lay the list out afresh.
        self._sync_items(resort=previous is None or ready.cause == "spec")
        self._sync_unmatched(report)
        self._sync_unreadable(report)
        self._label_tabs()
        self._draw_header()
        self._draw_banner()
        self._draw_filter_state()
        self._draw_detail()
        lines = describe_update(
            ready.previous,
            report,
            added=ready.added,
            changed=ready.changed,
            removed=ready.removed,
        )
        for line in lines:
            self.log_activity(line, tell=previous is not None)
        old_notices = set(ready.previous.notices) if ready.previous else set()
        for notice in report.notices:
            if notice not in old_notices:
                self.log_activity(notice)

    def _note_changes(self, previous: Report, report: Report) -> None:
        """Mark the rows whose state, file or dates changed, with when and what they were."""
        before = {item.id: item for item in previous.items}
        now = time.monotonic()
        stamp = f"{self._clock():%H:%M}"
        for item in report.items:
            old = before.get(item.id)
            if old is None:
                continue
            if (old.status, old.file, old.date, old.expires) != (
                item.status,
                item.file,
                item.date,
                item.expires,
            ):
                self._changed[item.id] = (now, stamp, old.status)

    def _expire_marks(self) -> None:
        now = time.monotonic()
        gone = [key for key, (when, _, _) in self._changed.items() if now - when > MARK_SECONDS]
        for key in gone:
            del self._changed[key]
        if gone:
            self._sync_items()
            self._draw_detail()

    def _post_session_event(self, event: SessionEvent) -> None:
        """Hand an event from the session's thread to the app's message queue."""
        self.post_message(SessionMessage(event))

    def _draw_header(self) -> None:
        if not self._widgets_made:
            return
        heading = Text()
        heading.append(printable(self.spec_label), style="bold")
        heading.append("  ·  as of ")
        heading.append(cells.uk_date(self.as_of), style="bold")
        if self.fixed_as_of is None:
            heading.append(" (today)")
        heading.append("  ·  ")
        heading.append(printable(str(self.root)))
        self.query_one("#heading", Static).update(heading)

        summary = (
            cells.summary_text(self.report, self.status_styles)
            if self.report
            else Text("Checking the folder…")
        )
        if self.stale_reason is not None:
            summary.append("   (last known: the folder cannot be reached)", style="bold")
        self.query_one("#summary", Static).update(summary)

        state = Text()
        if self.watch_state is not None:
            reachable = self.watch_state.reachable
            state.append("✗ " if not reachable else "● ", style="bold" if not reachable else "")
            state.append(printable(self.watch_state.text), style="bold" if not reachable else "")
        elif not self._watch:
            state.append("not watching for changes")
        if self.last_checked is not None:
            state.append(f"  ·  updated {self.last_checked:%H:%M}")
        if self.report is None:
            state.append("  ·  checking the folder…")
        if self.warnings:
            more = len(self.warnings) - 1
            state.append("  ·  ⚠ " + printable(self.warnings[-1]), style="bold")
            if more:
                state.append(f" (and {more} more in the activity log)")
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
                "The checklist file has mistakes, so annexa still uses the previous version:",
                style="bold",
            )
            for problem in self.spec_problems[:8]:
                text.append("\n  " + printable(problem))
            if len(self.spec_problems) > 8:
                text.append(f"\n  … and {len(self.spec_problems) - 8} more")
        banner.update(text)
        banner.display = bool(text)
        stale = self.stale_reason is not None
        self.query_one("#items", DataTable).set_class(stale, "stale")

    def _draw_filter_state(self) -> None:
        text = Text()
        if self.filter:
            text.append("Only ", style="bold")
            text.append(self.filter.describe())
            text.append("  (Esc: all)")
        if self.view is View.COMING_UP:
            text.append("  " if text else "")
            text.append("by date, next 90 days")
        else:
            text.append("  " if text else "")
            text.append(f"Sorted {self.sort.label}  (s)")
        self.query_one("#filter-state", Static).update(text)

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

    def log_activity(self, line: str, *, tell: bool = False) -> None:
        """Add a line to the activity log; ``tell``: also say it in a pop-up when the log
        is not on screen (a file someone just saved)."""
        stamp = f"{self._clock():%H:%M}"
        self.activity.append(f"{stamp} {printable(line)}")
        text = Text(f"{stamp} ")
        text.append(printable(line))
        self.query_one("#activity-log", ActivityLog).add(text)
        self.query_one("#activity-page", ActivityLog).add(text.copy())
        side = self.query_one("#activity-log", ActivityLog)
        if tell and not (side.display and side.region.width) and self.tab != "activity":
            self.notify(printable(line), title=stamp, timeout=8, markup=False)

    # -- the items table ----------------------------------------------------

    def _visible(self) -> list[ItemResult]:
        if self.report is None:
            return []
        return views.visible(self.report, self.view, self.filter, self.search)

    def _wanted_rows(self) -> tuple[list[str], dict[str, dict[str, Text]]]:
        items = self._visible()
        keys = views.row_keys(items, self.sort, self.view)
        by_section: dict[str, list[ItemResult]] = {}
        for item in items:  # a heading counts what is listed under it
            by_section.setdefault(views.section_of(item), []).append(item)
        rows: dict[str, dict[str, Text]] = {}
        for key in keys:
            if views.is_section(key):
                name = key[1:]
                rows[key] = cells.section_cells(name, by_section.get(name, []), self._widths)
            else:
                rows[key] = cells.item_cells(
                    self._items[key], self._widths, self.status_styles, changed=key in self._changed
                )
        return keys, rows

    def _sync_items(
        self, *, resort: bool = False, redraw: bool = False, scroll: bool = False
    ) -> None:
        """Bring the table in line with the report and the filters, touching only what changed.

        Rows keep their places unless ``resort`` (the user changed the view,
        filter, search or sort): a changed row is marked, not moved, and the
        list is not scrolled under the user's eyes. ``scroll``: bring the
        selected row into view (the table was made afresh).
        """
        if not self._widgets_made:
            return
        table = self.query_one("#items", DataTable)
        fresh, wanted = self._wanted_rows()
        order = fresh if resort or not self._order else views.keep_places(self._order, fresh)
        keep = self.selected
        for key in list(self._row_cells):
            if key not in wanted:
                table.remove_row(key)
                del self._row_cells[key]
        keys = [c for c in self._widths]
        for key in order:
            row = wanted[key]
            old = self._row_cells.get(key)
            if old is None:
                table.add_row(*(row[c] for c in keys), key=key)
            else:
                for column in keys:
                    if redraw or not _same(old[column], row[column]):
                        table.update_cell(key, column, row[column])
            self._row_cells[key] = row
        self._order = order
        if table.row_count and [str(r.key.value) for r in table.ordered_rows] != order:
            position = {key: n for n, key in enumerate(order)}
            table.sort("id", key=lambda cell: position.get(cell.row_key, len(position)))
        _forget_old_renders(table)
        if keep is not None and keep in self._row_cells:
            table.move_cursor(row=table.get_row_index(keep), animate=False, scroll=resort or scroll)
        elif table.row_count:
            # Start on the first item (the most urgent), not on a section
            # heading; after the refresh, when the table knows its height and
            # does not scroll the heading away.
            first = next((k for k in order if not views.is_section(k)), order[0])
            self.selected = first
            self._placing = True
            self.call_after_refresh(self._place_cursor, first)
        else:
            self.selected = None

    def _sync_unmatched(self, report: Report) -> None:
        table = self.query_one("#unmatched", DataTable)
        hints = {hint.file: hint for hint in report.nearest}
        wanted = {
            path: (
                cells.name_of(path),
                cells.folder_of(path),
                f"{hints[path].item} {hints[path].title}" if path in hints else "",
            )
            for path in report.unmatched
        }
        self._sync_files(table, wanted, ("file", "folder", "hint"))

    def _sync_unreadable(self, report: Report) -> None:
        table = self.query_one("#unreadable", DataTable)
        wanted = {
            path: (cells.name_of(path), error)
            for path, error in cells.unreadable_rows(report).items()
        }
        self._sync_files(table, wanted, ("file", "error"))

    def _sync_files(
        self, table: DataTable[Any], wanted: Mapping[str, tuple[str, ...]], keys: Iterable[str]
    ) -> None:
        """Bring a tab's table of files up to date, row by row, in name order."""
        columns_ = tuple(keys)
        present = {str(k.value) for k in table.rows}
        widths = {str(key.value): column.width for key, column in table.columns.items()}
        for path in present - set(wanted):
            table.remove_row(path)
        for path, values in wanted.items():
            shown = [
                cells.fitted(value, widths[key], key)
                for key, value in zip(columns_, values, strict=True)
            ]
            if path not in present:
                table.add_row(*shown, key=path)
                continue
            for column, value in zip(columns_, shown, strict=True):
                table.update_cell(path, column, value)
        if table.row_count:
            table.sort("file", key=lambda cell: cell.plain.casefold())
        _forget_old_renders(table)

    def _place_cursor(self, key: str) -> None:
        table = self.query_one("#items", DataTable)
        self._placing = False
        if key in self._row_cells:
            table.move_cursor(row=table.get_row_index(key), animate=False, scroll=False)
            self.selected = key
            self._draw_detail()
            self._show_list_from_top()

    def _show_list_from_top(self, tries: int = 40) -> None:
        """Show the table from its top, section heading and all.

        The first item is at most the second row; but a cursor moved while the
        table had no height yet asks to scroll it into view, so wait until the
        table is laid out, then scroll home after whatever was asked before.
        """
        table = self.query_one("#items", DataTable)
        if table.size.height < 3 and tries:
            self.set_timer(0.05, lambda: self._show_list_from_top(tries - 1))
            return
        table.call_after_refresh(table.scroll_home, animate=False, immediate=True)

    @on(DataTable.RowHighlighted, "#items")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The event may be older than the table (rows sorted since it was
        # posted): believe the cursor, not the event.
        table = self.query_one("#items", DataTable)
        if table.row_count and not self._placing:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.selected = str(key)
            self._draw_detail()

    @on(DataTable.RowHighlighted, "#unmatched, #unreadable")
    def _file_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._draw_detail()

    def _page(self) -> str:
        return self._page_of(self.tab)

    @staticmethod
    def _page_of(tab: str) -> str:
        return next(page for name, _s, _l, page in TABS if name == tab)

    def _detail(self) -> Text | None:
        """What the details pane says about the selected row of the tab shown."""
        if self.report is None:
            return None
        page = self._page()
        if page in ("unmatched", "unreadable"):
            path = self._selected_path(page)
            if path is None:
                return Text(
                    "Every file belongs to an item."
                    if page == "unmatched"
                    else "Every file was read."
                )
            if page == "unmatched":
                return cells.unmatched_detail(path, self.report.nearest_for(path))
            return cells.unreadable_detail(path, cells.unreadable_rows(self.report).get(path, ""))
        key = self.selected
        if key is None or key not in self._row_cells:
            if self.view is View.NEEDS_ACTION and not self.filter and not self.search:
                return Text("Nothing needs action.")
            return Text("No item matches the search and filter.")
        if views.is_section(key):
            section = key[1:]
            items = [i for i in self.report.items if views.section_of(i) == section]
            return cells.section_detail(section, items, self.status_styles)
        changed = self._changed.get(key)
        return cells.detail_text(
            self._items[key], self.status_styles, changed=changed[1:] if changed else None
        )

    def _draw_detail(self) -> None:
        if not self._widgets_made:
            return
        detail = self._detail()
        if detail is not None:
            self.query_one("#detail", Static).update(detail)

    # -- filters ------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self._sync_items(resort=True)
        self._draw_detail()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._focus_page()

    @on(Tabs.TabActivated, "#tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is None:
            return
        self._switch_to(event.tab.id)

    def _switch_to(self, tab: str) -> None:
        if tab == self.tab and self.query_one(ContentSwitcher).current == self._page_of(tab):
            self._focus_page()
            return
        self.tab = tab
        page = self._page()
        self.query_one(ContentSwitcher).current = page
        self.screen.set_class(page == "activity-page", "-activity")
        if tab in _VIEWS and _VIEWS[tab] is not self.view:
            self.view = _VIEWS[tab]
            self._sync_items(resort=True)
            self._draw_filter_state()
        self._draw_detail()
        self._focus_page()

    def _focus_page(self) -> None:
        page = self._page()
        widget = self.query_one(f"#{page}")
        if widget.focusable:
            widget.focus()

    # -- actions ---------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one(Tabs)
        if tabs.active != tab:
            tabs.active = tab  # posts TabActivated, handled after any keys typed meanwhile
        # so switch now: "n" then "e" at once exports what "n" shows
        self._switch_to(tab)

    def action_needs_action(self) -> None:
        self.action_show_tab("everything" if self.tab == "action" else "action")

    def action_search(self) -> None:
        if self._page() != "items":
            self.action_show_tab("everything")
        self.screen.remove_class("-zoomed")
        self.query_one("#search", Input).focus()

    def action_filter(self) -> None:
        if self.report is None:
            return
        items = views.in_view(self.report, self.view)
        self.push_screen(
            FilterScreen(
                views.status_counts(items), views.owners(items), self.filter, self.status_styles
            ),
            self._filter_chosen,
        )

    def _filter_chosen(self, chosen: Filter | None) -> None:
        if chosen is None:
            return
        self.set_filter(chosen)

    def set_filter(self, chosen: Filter) -> None:
        self.filter = chosen
        if self._page() != "items":
            self.action_show_tab("everything")
        self._sync_items(resort=True)
        self._draw_filter_state()
        self._draw_detail()

    def set_sort(self, sort: Sort) -> None:
        self.sort = sort
        self._sync_items(resort=True)
        self._draw_filter_state()
        self._draw_detail()

    def action_sort(self) -> None:
        self.set_sort(self.sort.next())
        self.notify(f"Sorted {self.sort.label}", timeout=3, markup=False)

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        if self.filter:
            self.set_filter(Filter())
        self._focus_page()

    def action_zoom(self) -> None:
        self.screen.toggle_class("-zoomed")

    def action_details(self) -> None:
        detail = self._detail()
        if detail is not None:
            self.push_screen(DetailScreen(detail))

    def action_rescan(self) -> None:
        if self.session is not None:
            self.log_activity("Checking the whole folder again")
            self.session.rescan("rescan")

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.status_styles))

    def action_open_file(self) -> None:
        path = self._selected_file()
        if path is None:
            self.notify("The selected row has no file to open.", severity="warning", markup=False)
            return
        problem = self._opener(self.root / path)
        if problem:
            self.notify(problem, title="Cannot open", severity="error", markup=False)
        else:
            self.notify(f"Opening {printable(cells.name_of(path))}", markup=False)

    def _selected_path(self, page: str) -> str | None:
        table = self.query_one(f"#{page}", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _selected_file(self) -> str | None:
        page = self._page()
        if page == "items":
            if self.selected is None or self.selected not in self._items:
                return None
            return self._items[self.selected].file
        if page in ("unmatched", "unreadable"):
            return self._selected_path(page)
        return None

    def action_export(self, format_name: str = "html") -> None:
        if self.report is None:
            self.notify("There is no report yet: wait for the first check.", markup=False)
            return
        shown = self._visible()
        what = self.view.label if self.view is not View.EVERYTHING else ""
        if self.filter:
            what = f"{what} {self.filter.describe()}".strip()
        if self.search:
            what = f"{what} {self.search}".strip()
        total = len(self.report.items)
        words = (
            f"All {total} items."
            if len(shown) == total
            else f"The {len(shown)} items shown ({what or 'searched'}) of {total}."
        )
        self.push_screen(
            ExportScreen(
                self.root,
                self.as_of,
                what=what,
                shown=words + " The files matching no item and those that cannot be read "
                "are listed in full.",
                initial=format_name,
                documents=self.documents,
            ),
            self._export_chosen,
        )

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is None or self.report is None:
            return
        report = report_of(self.report, self._visible())
        try:
            written = write_export(
                report, choice.format_name, choice.path, self.root, replace=choice.replace
            )
        except ExportRefused as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self.log_activity(f"Saved as {label_of(choice.format_name)}: {written}")
        self.notify(f"Saved {written}", title="Saved", markup=False)

    def action_quit_app(self) -> None:
        self.shutdown()
        self.exit(0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Details" in the footer only where the details pane is cut short."""
        if action == "details":
            return self.screen.has_class("-short") or self.screen.has_class("-zoomed")
        return True

    # -- the command palette ---------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for tab, _short, long, _page in TABS:
            yield SystemCommand(
                f"Show: {long.lower()}", f"The {long.lower()} tab", self._shower(tab)
            )
        if self.report is not None:
            items = views.in_view(self.report, self.view)
            for status, count in views.status_counts(items):
                yield SystemCommand(
                    f"Filter: only {status.label}",
                    f"{count} item{'s' if count != 1 else ''}",
                    self._filterer(Filter(status, self.filter.owner)),
                )
            for owner, count in views.owners(items):
                yield SystemCommand(
                    f"Filter: only items of {_literal(owner)}",
                    f"{count} item{'s' if count != 1 else ''}",
                    self._filterer(Filter(self.filter.status, owner)),
                )
        yield SystemCommand("Filter: show everything", "No filter", self._filterer(Filter()))
        for sort in Sort:
            yield SystemCommand(f"Sort: {sort.label}", "The order of the list", self._sorter(sort))
        for name, label in FORMATS:
            yield SystemCommand(f"Export: {label}", "Save what is on screen", self._exporter(name))
        yield SystemCommand(
            "Check the folder again", "Read every changed file now", self.action_rescan
        )
        yield SystemCommand("Full list", "Give the whole screen to the list (z)", self.action_zoom)
        yield SystemCommand(
            "Open the selected file", "With its usual program", self.action_open_file
        )

    def _shower(self, tab: str) -> Callable[[], None]:
        return lambda: self.action_show_tab(tab)

    def _filterer(self, chosen: Filter) -> Callable[[], None]:
        return lambda: self.set_filter(chosen)

    def _sorter(self, sort: Sort) -> Callable[[], None]:
        return lambda: self.set_sort(sort)

    def _exporter(self, name: str) -> Callable[[], None]:
        return lambda: self.action_export(name)

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
            self.log_activity(f"A new day: checking everything as of {cells.uk_date(today)}")
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


def _literal(text: str) -> str:
    """A name as the command palette shows it: the palette reads its titles as markup,
    so "[" is escaped (an owner "LADO [/]" would otherwise stop the screen)."""
    return printable(text).replace("[", "\\[")


def _forget_old_renders(table: DataTable[Any]) -> None:
    """Drop what the table drew before it changed: it can never be drawn again.

    DataTable keys its caches of drawn cells and lines on a count of its
    changes, so after a change nothing cached before it is ever used again,
    yet it stays until 10,000 newer cells push it out; a watch open all day
    grew by megabytes that way. The cells shown are drawn again anyway, as
    they would be after any change.
    """
    clear = getattr(table, "_clear_caches", None)
    if callable(clear):
        clear()


def _same(a: Text, b: Text) -> bool:
    return a.plain == b.plain and str(a.style) == str(b.style) and a.spans == b.spans
