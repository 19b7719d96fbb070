"""What the watch screen shows for a Report, as Rich ``Text``: never markup.

Every piece of text that came from the folder (file names, titles, reasons
quoting document text) goes through ``annexa.words.textsafe.printable`` and into a
``Text`` object, which Textual shows as it is: a file called
``[@click=app.quit]x.docx`` is a name, not a command. Status is shown by word
and symbol as well as colour, for monochrome terminals and colour-blind users.

Pure functions of the Report, so the screen's content can be tested without
running the app.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence

from rich.text import Text

from annexa.model import STATUS_ORDER, ItemResult, Report, Severity, Status
from annexa.words.phrases import NO_ITEMS, status_counts
from annexa.words.textsafe import one_line, printable

STATUS_STYLE: dict[Status, str] = {
    Status.OK: "green",
    Status.DUE_SOON: "yellow",
    Status.OUT_OF_DATE: "bold red",
    Status.MISSING: "bold red",
    Status.UNDATED: "yellow",
    Status.DRAFT: "yellow",
    Status.UNREADABLE: "bold red",
    Status.INCOMPLETE: "bold red",
    Status.WAIVED: "cyan",
}

TITLE_WIDTH = 46
FILE_WIDTH = 56
ID_WIDTH = 6

# (key, heading, width). Fixed widths: columns do not jump about when a file
# is saved, and the table fits a 160-column terminal beside its scroll bar.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("status", "Status", 13),
    ("id", "ID", ID_WIDTH),
    ("title", "Item", TITLE_WIDTH),
    ("date", "Dated", 11),
    ("expires", "Expires", 11),
    ("file", "File", FILE_WIDTH),
)

NO_SECTION = "Other items"

# Filter values offered by the status Select, in order.
FILTERS: tuple[tuple[str, str], ...] = (
    ("Everything", "all"),
    ("Needs action", "action"),
    *((f"{s.symbol} {s.label.capitalize()}", s.value) for s in STATUS_ORDER),
)

_RANK = {status: n for n, status in enumerate(STATUS_ORDER)}


class KeyedText(Text):
    """A cell that knows its row: the table sorts rows by it (see ``WatchApp``)."""

    row_key: str = ""

    @classmethod
    def for_row(cls, row_key: str, text: str, style: str = "") -> KeyedText:
        cell = cls(text, style=style)
        cell.row_key = row_key
        return cell


def plain(text: str | None, limit: int | None = None) -> Text:
    """Text from the folder or a document, made printable, shown as it is."""
    return Text(_shorten(printable(text or ""), limit))


def _shorten(value: str, limit: int | None) -> str:
    return value[: limit - 1] + "…" if limit is not None and len(value) > limit else value


def shown_path(path: str | None) -> str:
    """A ROOT-relative path as people on this computer write it (``\\`` on Windows)."""
    value = printable(path or "")
    return value.replace("/", os.sep) if os.sep != "/" else value


def path_cell(path: str | None, limit: int = FILE_WIDTH) -> Text:
    """A ROOT-relative path, shortened from the left so the file name stays visible."""
    value = shown_path(path)
    if len(value) > limit:
        value = "…" + value[-(limit - 1) :]
    return Text(value)


def uk_date(value: dt.date | None, *, short: bool = False) -> str:
    """ "12 March 2015" (or "12 Mar 2015" in the table); "—" when there is none."""
    if value is None:
        return "—"
    return f"{value.day} {value:%b %Y}" if short else f"{value.day} {value:%B %Y}"


def status_text(status: Status) -> Text:
    return Text(f"{status.symbol} {status.label}", style=STATUS_STYLE[status])


def section_of(item: ItemResult) -> str:
    return item.section or NO_SECTION


def section_key(section: str) -> str:
    return f"§{section}"


def item_cells(item: ItemResult) -> dict[str, Text]:
    """The row of one item, by column key."""
    suffix = "" if item.required else " (optional)"
    title = plain(item.title, TITLE_WIDTH - len(suffix))
    if suffix:
        title.append(suffix, style="dim")
    return {
        "status": status_text(item.status),
        "id": KeyedText.for_row(item.id, _shorten(item.id, ID_WIDTH), "bold"),
        "title": title,
        "date": Text(uk_date(item.date, short=True)),
        "expires": Text(uk_date(item.expires, short=True)),
        "file": path_cell(item.file),
    }


def section_cells(section: str) -> dict[str, Text]:
    """The heading row of a section."""
    # The counts are in the detail pane when the heading is selected: here
    # they would widen the Item column and push the file names off screen.
    title = Text(printable(section), style="bold underline")
    return {
        "status": Text(""),
        "id": KeyedText.for_row(section_key(section), ""),
        "title": title,
        "date": Text(""),
        "expires": Text(""),
        "file": Text(""),
    }


def _counts(items: Iterable[ItemResult]) -> str:
    found: dict[Status, int] = {}
    for item in items:
        found[item.status] = found.get(item.status, 0) + 1
    return " · ".join(f"{found[s]} {s.label}" for s in STATUS_ORDER if s in found)


def matches(item: ItemResult, status_filter: str, query: str) -> bool:
    """Whether an item passes the status filter and the search box."""
    if status_filter == "action":
        if item.severity is None:
            return False
    elif status_filter != "all" and item.status.value != status_filter:
        return False
    if not query:
        return True
    needle = query.casefold()
    haystack = " ".join(
        filter(None, (item.id, item.title, item.section, item.file, item.owner, item.reason))
    )
    return needle in printable(haystack).casefold()


def row_order(report: Report) -> dict[str, tuple[int, int, int, int]]:
    """Sort keys for every row: sections with the worst item first, then worst items first.

    Each section's heading sorts just before its items; within a section the
    items needing action come first, in spec order among equals.
    """
    sections: dict[str, tuple[int, int]] = {}
    for index, item in enumerate(report.items):
        name = section_of(item)
        rank = _RANK[item.status]
        if name in sections:
            worst, first = sections[name]
            sections[name] = (min(worst, rank), first)
        else:
            sections[name] = (rank, index)
    order: dict[str, tuple[int, int, int, int]] = {}
    for name, (worst, first) in sections.items():
        order[section_key(name)] = (worst, first, -1, -1)
    for index, item in enumerate(report.items):
        worst, first = sections[section_of(item)]
        order[item.id] = (worst, first, _RANK[item.status], index)
    return order


def summary_text(report: Report) -> Text:
    """Counts per status, coloured, in the order of ``annexa scan``: in date first."""
    text = Text()
    for status, count in status_counts(report):
        if text:
            text.append(" · ", style="dim")
        text.append(f"{count} {status.label}", style=STATUS_STYLE[status])
    if not text:
        text.append(NO_ITEMS)
    return text


def unreadable_rows(report: Report) -> dict[str, str]:
    """Every file that could not be read, with why: Report.errors and unreadable items."""
    rows = {error.file: error.error for error in report.errors}
    for item in report.items:
        if item.status is Status.UNREADABLE and item.file and item.file not in rows:
            rows[item.file] = item.reason
    return rows


def detail_text(item: ItemResult) -> Text:
    """Everything about one item a person needs: what was found, on what evidence, what to do."""
    text = Text()
    text.append(f"{item.id}  ", style="bold")
    text.append(printable(item.title), style="bold")
    text.append("\n")
    text.append_text(status_text(item.status))
    if item.section:
        text.append(f"   {printable(item.section)}", style="dim")
    if not item.required:
        text.append("   optional: reported, never a failure", style="dim")
    text.append("\n\n")
    text.append(printable(item.reason))
    text.append("\n")
    if item.action:
        text.append("\nWhat to do: ", style="bold")
        text.append(printable(item.action))
        text.append("\n")
    _field(text, "File", shown_path(item.file))
    if item.date or item.expires:
        dated = uk_date(item.date)
        if item.date_source:
            dated += f" ({item.date_source})"
        _field(text, "Dated", dated)
        _field(text, "Expires", uk_date(item.expires))
    if item.period:
        _field(text, "Period covered", item.period)
    if item.evidence is not None:
        evidence = item.evidence
        where = []
        if evidence.page:
            where.append(f"page {evidence.page}")
        if evidence.where and evidence.where not in ("body", "name"):
            where.append(f"in the {evidence.where}")
        if evidence.source == "filename":
            where.append("in the file name")
        elif evidence.source == "metadata":
            where.append("in the document properties")
        quote = f"“{one_line(evidence.text)}”"
        _field(text, "Evidence", quote + (f" ({', '.join(where)})" if where else ""))
    if item.superseded:
        text.append("\nSuperseded: ", style="bold")
        for path in item.superseded:
            text.append("\n  ")
            text.append(shown_path(path))
        text.append("\n")
    if item.waiver is not None:
        waiver = item.waiver
        line = f"{printable(waiver.reason)}; until {uk_date(waiver.until)}"
        if waiver.approved_by:
            line += f", approved by {printable(waiver.approved_by)}"
        if not waiver.active:
            line += " (expired: judged normally)"
        _field(text, "Waiver", line)
    if item.owner:
        _field(text, "Owner", item.owner)
    return text


def section_detail(section: str, items: Sequence[ItemResult]) -> Text:
    text = Text(printable(section), style="bold")
    text.append(f"\n{len(items)} item{'s' if len(items) != 1 else ''}: {_counts(items)}\n")
    needing = [i for i in items if i.severity is Severity.ERROR]
    if needing:
        text.append("\nNeeds action: ", style="bold")
        text.append(", ".join(i.id for i in needing))
    return text


def _field(text: Text, label: str, value: str | None) -> None:
    if not value:
        return
    text.append(f"\n{label}: ", style="bold")
    text.append(printable(value))
