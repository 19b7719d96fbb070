"""The terminal report: a table grouped by section, what to do under each problem.

Two shapes. Piped (``Layout.width`` None) it keeps one line per item, the
file at the end of the row, so ``grep`` finds an item with its status and
file, and diffs stay stable. On a terminal the table fits the width it is
given: the file moves under the row when the row would be too wide, the
date columns move under it on a narrow terminal, and reasons wrap under the
row instead of running off the screen.

Colour is never the only signal: every status is also a word and a symbol,
or, on a console that cannot show the symbols (``Layout.ascii``), a word in
brackets ("[out of date]"). File names and document text pass through
``printable()`` so a name holding an escape sequence cannot repaint the
terminal. Paths use ``Layout.sep`` (the console gives Windows its ``\\``).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from annexa.formats._common import coming_words, nearest_by_file
from annexa.model import ItemResult, Report, Severity, Status
from annexa.model.report import COMING_UP_DAYS
from annexa.words.phrases import summary_line, uk_date, uk_short_date
from annexa.words.textsafe import one_line, printable

_RESET = "\x1b[0m"
_COLOURS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    None: "\x1b[32m",
}
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"
_TITLE_WIDTH = 46
_FILE_LIMIT = 12
_DATE_WIDTH = 11  # "30 Sep 2015"
_NARROWEST = 40  # below this a terminal is treated as 40 columns wide
_SHORTEST_TITLE = 16  # a title column narrower than this drops the date columns

# What a console that cannot show the symbols gets instead: words and ASCII.
_ASCII = str.maketrans(
    {
        "→": "->",
        "—": "-",
        "–": "-",
        "…": "...",
        "·": "|",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
    }
)


@dataclass(frozen=True, slots=True)
class Layout:
    """How the console at the other end wants the report; the console decides it."""

    width: int | None = None  # a terminal's columns; None: piped, one line per row
    ascii: bool = False  # the console cannot show ✓ ✗ → …: use words and ASCII
    sep: str = "/"  # the path separator people expect ("\\" on Windows)
    only_action: bool = False  # --quiet: only what needs action, nothing when all is well


def status_cell(status: Status, ascii: bool = False) -> str:
    """ "✗ out of date", or "[out of date]" where symbols cannot be shown ("[ok]" in date)."""
    if not ascii:
        return f"{status.symbol} {status.label}"
    return "[ok]" if status is Status.OK else f"[{status.label}]"


def render(report: Report, *, colour: bool = False, layout: Layout | None = None) -> str:
    return _Renderer(report, colour, layout or Layout()).render()


class _Renderer:
    def __init__(self, report: Report, colour: bool, layout: Layout) -> None:
        self.report = report
        self.colour = colour
        self.layout = layout
        self.width = max(layout.width, _NARROWEST) if layout.width else None
        self.lines: list[str] = []

    # -- small helpers -------------------------------------------------------

    def text(self, value: str) -> str:
        return value.translate(_ASCII) if self.layout.ascii else value

    def path(self, value: str) -> str:
        shown = printable(value)
        return shown.replace("/", self.layout.sep) if self.layout.sep != "/" else shown

    def paint(self, value: str, code: str) -> str:
        return f"{code}{value}{_RESET}" if self.colour and code and value else value

    def add(self, value: str, indent: int = 0, hang: int = 0, code: str = "") -> None:
        """A line of text at ``indent``; on a terminal, wrapped to its width."""
        value = self.text(value)
        if self.width is None or indent + len(value) <= self.width:
            self.lines.append(" " * indent + self.paint(value, code))
            return
        room = max(self.width - indent, 10)
        wrapped = textwrap.wrap(
            value,
            width=room,
            subsequent_indent=" " * hang,
            break_on_hyphens=False,
            break_long_words=True,
        ) or [""]
        self.lines += [" " * indent + self.paint(line, code) for line in wrapped]

    def short_date(self, day: dt.date | None) -> str:
        return uk_short_date(day) if isinstance(day, dt.date) else self.text("—")

    def fit(self, value: str, width: int) -> str:
        if len(value) <= width:
            return value
        dots = "..." if self.layout.ascii else "…"
        return value[: max(width - len(dots), 1)] + dots

    def title(self, item: ItemResult) -> str:
        return self.text(printable(item.title) + ("" if item.required else " (optional)"))

    # -- the report ------------------------------------------------------------

    def render(self) -> str:
        report = self.report
        shown = [i for i in report.items if i.severity is not None] if self.quiet else report.items
        if self.quiet and not shown and not report.errors:
            return ""
        if not self.quiet:
            self.add(f"annexa: {printable(report.spec_name)}", code=_BOLD)
            self.add(f"Folder: {self.path(report.root)}    As of: {uk_date(report.as_of)}", hang=2)
            self.add(summary_line(report), hang=2)
        self.table(shown)
        if not self.quiet:
            self.coming_up()
        self.files()
        if self.lines:
            self.lines.append("")
        self.add(_verdict(report))
        return "\n".join(self.lines) + "\n"

    @property
    def quiet(self) -> bool:
        return self.layout.only_action

    def table(self, items: tuple[ItemResult, ...] | list[ItemResult]) -> None:
        report = self.report
        self.width_id = max((len(item.id) for item in report.items), default=2)
        self.width_status = 15
        natural = min(_TITLE_WIDTH, max((len(self.title(i)) for i in report.items), default=10))
        self.width_title = natural
        self.file_on_row = True
        self.dates_on_row = True
        if self.width is not None:
            self.width_status = max(
                (len(self.text(status_cell(i.status, self.layout.ascii))) for i in report.items),
                default=6,
            )
            self.width_status = max(self.width_status, len("Status"))
            fixed = 2 + self.width_status + 1 + self.width_id + 1
            dates = 2 + 12 + 1 + _DATE_WIDTH  # "Dated" is padded to 12, "Expires" ends the row
            longest_file = max((len(self.path(i.file)) for i in report.items if i.file), default=0)
            if fixed + natural + dates + 2 + longest_file <= self.width:
                pass  # the piped layout fits
            elif self.width - fixed - dates >= _SHORTEST_TITLE:
                self.file_on_row = False
                self.width_title = min(natural, self.width - fixed - dates)
            else:
                self.file_on_row = self.dates_on_row = False
                self.width_title = self.width - fixed
        sections: dict[str, list[ItemResult]] = {}
        for item in items:
            sections.setdefault(item.section or "Other items", []).append(item)
        for section, rows in sections.items():
            self.lines.append("")
            self.add(printable(section), code=_BOLD)
            self.lines.append(self.paint(self.header(), _DIM))
            for item in rows:
                self.row(item)

    def header(self) -> str:
        cells = [f"  {'Status':<{self.width_status}} {'ID':<{self.width_id}} "]
        if not self.dates_on_row:
            return (cells[0] + "Item").rstrip()
        cells.append(f"{'Item':<{self.width_title}}  {'Dated':<12} {'Expires':<12} ")
        if self.file_on_row:
            cells.append("File")
        return "".join(cells).rstrip()

    def row(self, item: ItemResult) -> None:
        status = self.text(status_cell(item.status, self.layout.ascii))
        title = self.fit(self.title(item), self.width_title)
        more_title: list[str] = []
        if not self.dates_on_row:  # a narrow terminal: the title wraps instead of being cut
            title, *more_title = textwrap.wrap(self.title(item), self.width_title) or [""]
        cells = [
            "  ",
            self.paint(f"{status:<{self.width_status}}", _COLOURS[item.severity]),
            f" {item.id:<{self.width_id}} ",
        ]
        if self.dates_on_row:
            cells.append(
                f"{title:<{self.width_title}}  {self.short_date(item.date):<12} "
                f"{self.short_date(item.expires):<12} "
            )
            if self.file_on_row and item.file:
                cells.append(self.path(item.file))
        else:
            cells.append(title)
        self.lines.append("".join(cells).rstrip())
        indent = 2 + self.width_status + 1 + self.width_id + 1
        self.lines += [" " * indent + line for line in more_title]
        if self.width is not None and self.width - indent < 30:
            indent = 4
        if not self.dates_on_row and (item.date or item.expires):
            dated = f"Dated {self.short_date(item.date)}, expires {self.short_date(item.expires)}"
            self.add(dated, indent)
        if not self.file_on_row and item.file:
            self.add(self.path(item.file), indent, hang=2)
        if item.status is not Status.OK:
            self.add(self._words(item.reason), indent)
            if item.action:
                self.add("→ " + self._words(item.action), indent, hang=2)
            if item.suggestion is not None:
                self.add(f"  Save it as {self.path(item.suggestion.path)}", indent, hang=4)

    def _words(self, value: str) -> str:
        # Piped, a reason stays on its line whole up to a generous limit; on a
        # terminal it wraps, so nothing need be cut.
        return one_line(value, 400 if self.width is None else 100_000)

    def coming_up(self) -> None:
        soon = self.report.coming_up()
        if not soon:
            return
        self.lines.append("")
        self.add(f"Coming up in the next {COMING_UP_DAYS} days", code=_BOLD)
        width_id = max(len(item.id) for item in soon)
        indent = 2 + _DATE_WIDTH + 2 + width_id + 2
        for item in soon:
            lead = f"  {self.short_date(item.expires):<{_DATE_WIDTH}}  {item.id:<{width_id}}  "
            words = f"{self.title(item)} ({coming_words(item)})"
            if self.width is None or len(lead) + len(words) <= self.width:
                self.lines.append(lead + words)
            else:
                self.lines.append(lead.rstrip())
                self.add(words, indent if self.width - indent >= 30 else 4, hang=2)

    def files(self) -> None:
        report = self.report
        if report.notices and not self.quiet:
            self.lines.append("")
            self.add("Notices", code=_BOLD)
            for notice in report.notices:
                self.add(one_line(notice, 400), 2, hang=2)
        if report.errors:
            self.lines.append("")
            self.add(f"Files that could not be read ({len(report.errors)})", code=_BOLD)
            for error in report.errors[:_FILE_LIMIT]:
                self.add(f"{self.path(error.file)}: {one_line(error.error)}", 2, hang=2)
            if len(report.errors) > _FILE_LIMIT:
                more = len(report.errors) - _FILE_LIMIT
                self.add(f"… and {more} more (see --format json)", 2)
        if report.unmatched and not self.quiet:
            self.lines.append("")
            self.add(f"Files that match no item ({len(report.unmatched)})", code=_BOLD)
            hints = nearest_by_file(report)
            for path in report.unmatched[:_FILE_LIMIT]:
                self.add(self.path(path), 2, hang=2)
                hint = hints.get(path)
                if hint is not None:
                    self.add("→ " + self._words(hint.advice), 4, hang=2)
            if len(report.unmatched) > _FILE_LIMIT:
                more = len(report.unmatched) - _FILE_LIMIT
                self.add(f"… and {more} more (see --format json)", 2)


def _verdict(report: Report) -> str:
    errors = sum(1 for i in report.items if i.severity is Severity.ERROR)
    warnings = sum(1 for i in report.items if i.severity is Severity.WARNING)
    if not errors and not warnings:
        return "Every required item is present and in date."
    parts = []
    if errors:
        parts.append(
            f"{errors} item{'s' if errors != 1 else ''} need{'s' if errors == 1 else ''} action now"
        )
    if warnings:
        parts.append(f"{warnings} to look at soon")
    return "; ".join(parts) + "."
