"""The help screen and the export dialog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from annexa.model import STATUS_ORDER
from annexa.tui.cells import STATUS_STYLE
from annexa.tui.export import ExportRefused, check_target, default_export_path, with_format

KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓ PgUp PgDn", "move through the items; the pane below explains the selected one"),
    ("/", "search by id, title, file, owner or reason"),
    ("f", "filter by status (everything, needs action, or one status)"),
    ("Esc", "clear the search and go back to the table"),
    ("1 2 3", "items / files that match no item / files that cannot be read"),
    ("o", "open the selected file with its usual program"),
    ("r", "check the whole folder again now"),
    ("e", "export the report (HTML, Markdown, CSV for Excel, JSON, text)"),
    ("? F1", "this help"),
    ("q  Ctrl+C", "quit"),
)


def help_text() -> Text:
    text = Text("annexa watch\n", style="bold")
    text.append(
        "Shows every Annex A item the spec asks for, whether the folder has it in date, "
        "and what to do about it. The screen updates itself when files are saved, "
        "renamed or deleted.\n\n"
    )
    text.append("Keys\n", style="bold")
    for key, what in KEYS:
        text.append(f"  {key:<16}", style="bold cyan")
        text.append(f"{what}\n")
    text.append("\nStatuses, most urgent first\n", style="bold")
    for status in STATUS_ORDER:
        text.append(f"  {status.symbol} {status.label:<13}", style=STATUS_STYLE[status])
        text.append(f"{_MEANING[status.value]}\n")
    text.append("\nWatching\n", style="bold")
    text.append(
        "On a local disk annexa hears of changes at once. On a network share (SMB, NFS) it "
        "looks for changes every few seconds, because changes made from other computers send "
        "no notice. If the folder cannot be reached, the last report stays on screen, marked "
        "as possibly out of date, until the folder is back. annexa never writes, moves or "
        "deletes anything in the folder.\n"
    )
    return text


_MEANING = {
    "missing": "no file matches the item",
    "out_of_date": "past its expiry, or the expected period's report is not there",
    "unreadable": "the newest file cannot be opened (damaged, password, too slow)",
    "incomplete": "the data list lacks the sheet or columns asked for",
    "due_soon": "in date, but goes out of date soon",
    "draft": "the newest file is marked as a draft",
    "undated": "present, but no date annexa can trust was found",
    "waived": "would fail, but an accepted waiver covers it until its date",
    "ok": "present and in date",
}


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ExportChoice:
    format_name: str
    path: Path


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Choose a format and a file outside ROOT; the app writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, root: Path, formats: tuple[str, ...], as_of: dt.date) -> None:
        super().__init__()
        self.root = root
        self.formats = formats
        self.as_of = as_of
        self.initial = "html" if "html" in formats else formats[0]

    def compose(self) -> ComposeResult:
        path = default_export_path(self.root, self.initial, self.as_of)
        with Vertical(id="export"):
            yield Label("Export the report", id="export-title")
            yield Select(
                [(name, name) for name in self.formats],
                value=self.initial,
                allow_blank=False,
                id="export-format",
            )
            yield Input(str(path), id="export-path")
            yield Static("", id="export-error", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Save", variant="primary", id="export-save")
                yield Button("Cancel", id="export-cancel")

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
        format_name = self.query_one("#export-format", Select).value
        raw = self.query_one("#export-path", Input).value
        try:
            path = check_target(Path(raw), self.root)
        except ExportRefused as exc:
            self.show_error(str(exc))
            return
        self.dismiss(ExportChoice(str(format_name), path))

    def show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(message, style="bold red"))
