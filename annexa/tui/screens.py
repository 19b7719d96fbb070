"""The dialogs of the live view: help, details, filter, export and 'replace this file?'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from annexa.model import STATUS_ORDER, Status
from annexa.tui.cells import StatusStyles, status_text
from annexa.tui.export import (
    FORMATS,
    ExportRefused,
    check_target,
    default_export_path,
    with_format,
)
from annexa.tui.views import Filter

KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓ j k PgUp PgDn", "move through the list; the pane below explains the selected row"),
    ("g G  Home End", "the first or the last row"),
    ("n", "show only what needs action (again: show everything)"),
    (
        "1 … 6",
        "the tabs: everything, needs action, coming up, files matching no item, "
        "files that cannot be read, activity",
    ),
    ("/", "search by id, title, file, owner or reason"),
    ("f", "show one state or one owner's items"),
    ("s", "sort: by section, most urgent first, or by what expires next"),
    ("Esc", "clear the search and the filter, back to the list"),
    ("Enter  o", "open the selected file with its usual program (Word, Acrobat, Excel)"),
    ("d", "everything about the selected row, on its own screen"),
    ("z", "give the whole screen to the list (again: back)"),
    ("r", "check the whole folder again now"),
    ("e", "save what is on screen as a web page, for Excel, and so on"),
    ("Ctrl+P", "all commands, and the colour themes (light, high contrast)"),
    ("? F1", "this help"),
    ("q  Ctrl+C", "quit"),
)

_MEANING = {
    Status.MISSING: "no file for the item was found",
    Status.OUT_OF_DATE: "past its expiry, or the year's report is not there",
    Status.UNREADABLE: "the newest file cannot be opened (damaged, password, too slow)",
    Status.INCOMPLETE: "the data list lacks a sheet or columns Ofsted asks for",
    Status.DUE_SOON: "in date, but goes out of date soon",
    Status.DRAFT: "the newest file is marked as a draft",
    Status.UNDATED: "there, but annexa found no date it can trust",
    Status.WAIVED: "would need action, but an agreed waiver covers it until its date",
    Status.OK: "there and in date",
}


def help_text(styles: StatusStyles | None = None) -> Group:
    """The help screen: what annexa watch shows, its keys, its states, how it watches."""
    intro = Text()
    intro.append("annexa watch\n", style="bold")
    intro.append(
        "Shows every Annex A item on the checklist, whether the folder has it in date, "
        "and what to do about it. The screen updates itself when files are saved, "
        "renamed or deleted.\n\n"
    )
    intro.append("Keys", style="bold")
    keys = Table.grid(padding=(0, 2))
    keys.add_column(no_wrap=True)
    keys.add_column()
    for key, what in KEYS:
        keys.add_row(Text(key, style="bold"), Text(what))
    states_title = Text()
    states_title.append("\nStates, most urgent first (bold ones need action now)", style="bold")
    states = Table.grid(padding=(0, 2))
    states.add_column(no_wrap=True)
    states.add_column()
    for status in STATUS_ORDER:
        states.add_row(status_text(status, styles), Text(_MEANING[status]))
    rest = Text()
    rest.append("\nNeeds action", style="bold")
    rest.append(
        ": every item that is missing, out of date, unreadable, incomplete, due soon, a "
        "draft or undated, unless it is optional or an agreed waiver covers it.\n"
    )
    rest.append("\nWatching\n", style="bold")
    rest.append(
        "On your own disk annexa hears of changes at once. On a network folder it looks "
        "for changes every few seconds, because changes made from other computers send no "
        "notice. If the folder cannot be reached, the last report stays on screen, marked "
        "as possibly out of date, until the folder is back. annexa never writes, moves or "
        "deletes anything in the folder.\n"
    )
    return Group(intro, keys, states_title, states, rest)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close"),
    ]

    def __init__(self, status_styles: StatusStyles | None = None) -> None:
        super().__init__()
        self.status_styles = status_styles

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(help_text(self.status_styles), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)


class DetailScreen(ModalScreen[None]):
    """Everything about the selected row, on a screen of its own (for small windows)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "close", "Close"),
        Binding("o,enter", "open", "Open the file"),
    ]

    def __init__(self, detail: Text) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-screen", classes="dialog"):
            yield Static(self.detail, id="detail-screen-text", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open(self) -> None:
        self.dismiss(None)
        self.app.call_later(self.app.run_action, "open_file")


class FilterScreen(ModalScreen[Filter | None]):
    """Show one state, one owner's items, or everything again."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        statuses: Sequence[tuple[Status, int]],
        owners: Sequence[tuple[str, int]],
        current: Filter,
        styles: StatusStyles | None = None,
    ) -> None:
        super().__init__()
        self.current = current
        self.choices: dict[str, Filter] = {"all": Filter()}
        options: list[Option | None] = [Option("Every state and every owner", id="all")]
        options.append(None)
        for status, count in statuses:
            key = f"status:{status.value}"
            self.choices[key] = Filter(status, current.owner)
            label = status_text(status, styles)
            label.append(f"  ({count})")
            options.append(Option(label, id=key))
        if owners:
            options.append(None)
        for n, (owner, count) in enumerate(owners):
            key = f"owner:{n}"
            self.choices[key] = Filter(current.status, owner)
            options.append(Option(Text(f"Owner: {owner}  ({count})"), id=key))
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="filter", classes="dialog"):
            yield Label("Show only…", id="filter-title")
            yield OptionList(*self.options, id="filter-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices.get(event.option.id or "all", Filter()))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ExportChoice:
    format_name: str
    path: Path
    replace: bool = False


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Choose what kind of file and where (outside ROOT); the app writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        root: Path,
        as_of: dt.date,
        *,
        what: str = "",
        shown: str = "",
        initial: str = "html",
        formats: Sequence[tuple[str, str]] = FORMATS,
        documents: Path | None = None,
    ) -> None:
        super().__init__()
        self.root = root
        self.as_of = as_of
        self.what = what
        self.shown = shown
        self.formats = tuple(formats)
        self.initial = initial if initial in dict(self.formats) else self.formats[0][0]
        self.documents = documents

    def compose(self) -> ComposeResult:
        path = default_export_path(
            self.root, self.initial, self.as_of, what=self.what, documents=self.documents
        )
        with Vertical(id="export", classes="dialog"):
            yield Label("Save what is on screen", id="export-title")
            yield Static(Text(self.shown), id="export-shown", markup=False)
            yield Label("As")
            yield Select(
                [(label, name) for name, label in self.formats],
                value=self.initial,
                allow_blank=False,
                id="export-format",
            )
            yield Label("To the file")
            yield Input(str(path), id="export-path")
            yield Static("", id="export-error", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Save", variant="primary", id="export-save")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        # Enter saves at once; Tab reaches the format and the buttons.
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-format" and isinstance(event.value, str):
            field = self.query_one("#export-path", Input)
            if field.value.strip():
                field.value = str(with_format(Path(field.value), event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-save":
            self._save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self) -> None:
        format_name = str(self.query_one("#export-format", Select).value)
        raw = self.query_one("#export-path", Input).value
        try:
            path = check_target(Path(raw), self.root)
        except ExportRefused as exc:
            self.show_error(str(exc))
            return
        if not path.exists():
            self.dismiss(ExportChoice(format_name, path))
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(ExportChoice(format_name, path, replace=True))
            else:
                self.show_error(f"{path.name} was kept: choose another name.")

        self.app.push_screen(
            ConfirmScreen(
                f"{path.name} already exists in {path.parent}.",
                "Replace it",
                "Keep it",
            ),
            answered,
        )

    def show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(message, style="bold"))


class ConfirmScreen(ModalScreen[bool]):
    """A question with two answers; Esc is the safe one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,n", "no", "No")]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(Text(self.question), id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes, variant="warning", id="confirm-yes")
                yield Button(self.no, variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_no(self) -> None:
        self.dismiss(False)
