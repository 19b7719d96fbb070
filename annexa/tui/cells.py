"""What the watch screen shows for a Report, as Rich ``Text``: never markup.

Every piece of text that came from the folder (file names, titles, reasons
quoting document text) goes through ``annexa.words.textsafe.printable`` and into a
``Text`` object, which Textual shows as it is: a file called
``[@click=app.quit]x.docx`` is a name, not a command. Status is shown by
symbol, word and weight; its colour (from ``annexa.tui.palette``) only
repeats them.

Pure functions of the Report, so the screen's content can be tested without
running the app.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text

from annexa.model import ItemResult, NearestItem, Report, Status
from annexa.tui.palette import plain_styles
from annexa.tui.views import section_key, status_counts
from annexa.words.phrases import NO_ITEMS, source_words, uk_short_date, where_words
from annexa.words.phrases import status_counts as report_counts
from annexa.words.phrases import uk_date as phrases_uk_date
from annexa.words.textsafe import one_line, printable

StatusStyles = Mapping[Status, Style]

MARK = "•"  # beside a row that changed a moment ago


class KeyedText(Text):
    """A cell that knows its row: the table sorts rows by it (see ``WatchApp``)."""

    row_key: str = ""

    @classmethod
    def for_row(cls, row_key: str, text: str, style: str | Style = "") -> KeyedText:
        cell = cls(text, style=style)
        cell.row_key = row_key
        return cell


def plain(text: str | None, limit: int | None = None) -> Text:
    """Text from the folder or a document, made printable, shown as it is, cut at the end."""
    return Text(_cut_end(printable(text or ""), limit))


def _cut_end(value: str, limit: int | None) -> str:
    return value[: limit - 1] + "…" if limit is not None and len(value) > limit else value


def _cut_start(value: str, limit: int) -> str:
    return "…" + value[-(limit - 1) :] if len(value) > limit else value


def shown_path(path: str | None) -> str:
    """A ROOT-relative path as people on this computer write it (``\\`` on Windows)."""
    value = printable(path or "")
    return value.replace("/", os.sep) if os.sep != "/" else value


def fitted(value: str, width: int, column: str) -> Text:
    """A cell of the files tabs: names and folders cut from the left (their ends say most),
    reasons from the right."""
    text = shown_path(value) if column == "folder" else printable(value)
    if column in ("file", "folder"):
        return Text(_cut_start(text, width))
    return Text(_cut_end(text, width))


def name_of(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def folder_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def name_cell(path: str | None, limit: int) -> Text:
    """A file's name, cut from the left when it must be, so its end stays readable."""
    return Text(_cut_start(printable(name_of(path or "")), limit))


def uk_date(value: dt.date | None, *, short: bool = False) -> str:
    """ "12 March 2015" (or "12 Mar 2015" in the table); "—" when there is none."""
    if value is None:
        return "—"
    return uk_short_date(value) if short else phrases_uk_date(value)


def status_text(status: Status, styles: StatusStyles | None = None) -> Text:
    return Text(f"{status.symbol} {status.label}", style=(styles or plain_styles())[status])


def item_cells(
    item: ItemResult,
    widths: Mapping[str, int],
    styles: StatusStyles | None = None,
    *,
    changed: bool = False,
) -> dict[str, Text]:
    """The row of one item, by column key, cut to the columns' widths."""
    title_width = widths.get("title", 40)
    suffix = "" if item.required else " (optional)"
    title = plain(item.title, max(8, title_width - len(suffix)))
    if suffix:
        title.append(suffix, style="italic")
    cells = {
        "mark": Text(MARK if changed else "", style="bold"),
        "status": status_text(item.status, styles),
        "id": KeyedText.for_row(item.id, printable(item.id), "bold"),
        "title": title,
        "expires": Text(uk_date(item.expires, short=True)),
        "date": Text(uk_date(item.date, short=True)),
        "file": name_cell(item.file, widths.get("file", 40)),
    }
    return {key: cells[key] for key in widths}


def section_cells(
    section: str, items: Sequence[ItemResult], widths: Mapping[str, int]
) -> dict[str, Text]:
    """The heading row of a section, with how many of its items need action."""
    need = sum(1 for item in items if item.needs_action)
    words = f"{need} need{'s' if need == 1 else ''} action" if need else "nothing to do"
    width = widths.get("title", 40)
    title = Text(_cut_end(printable(section), width), style="bold underline")
    cells = {key: Text("") for key in widths}
    cells["id"] = KeyedText.for_row(section_key(section), "")
    cells["title"] = title
    cells["file" if "file" in widths else "title"].append(
        Text(_cut_end(words, widths.get("file", 40)), style="italic")
    )
    return cells


def summary_text(report: Report, styles: StatusStyles | None = None) -> Text:
    """Counts per status in the order of ``annexa scan``: in date first."""
    chosen = styles or plain_styles()
    text = Text()
    for status, count in report_counts(report):
        if text:
            text.append(" · ")
        text.append(f"{count} {status.label}", style=chosen[status])
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


# -- the details pane ------------------------------------------------------------


def detail_text(
    item: ItemResult,
    styles: StatusStyles | None = None,
    *,
    changed: tuple[str, Status] | None = None,
) -> Text:
    """Everything about one item a person needs: what was found, on what evidence, what to do.

    ``changed``: when the row changed a moment ago, the time and the status it had.
    """
    text = Text()
    text.append(f"{printable(item.id)}  ", style="bold")
    text.append(printable(item.title), style="bold")
    text.append("\n")
    text.append_text(status_text(item.status, styles))
    if item.section:
        text.append(f"   {printable(item.section)}", style="italic")
    if not item.required:
        text.append("   optional: shown, never counted as a failure", style="italic")
    if changed is not None:
        when, before = changed
        text.append(f"\n{MARK} Changed at {when}: was {before.label}", style="bold")
    text.append("\n")
    # What to do first: on a short screen it may be all that shows.
    if item.action:
        text.append("\nWhat to do: ", style="bold")
        text.append(printable(item.action))
    if item.suggestion is not None:
        _field(text, "Save it as", item.suggestion.name)
        _field(
            text,
            "In the folder",
            shown_path(item.suggestion.folder) or "the top of the checked folder",
        )
    if item.action or item.suggestion is not None:
        text.append("\n")
    text.append("\nWhy: ", style="bold")
    text.append(printable(item.reason))
    text.append("\n")
    if item.file:
        _field(text, "File", name_of(item.file))
        _field(text, "Folder", shown_path(folder_of(item.file)) or "the top of the checked folder")
    if item.date or item.expires:
        dated = uk_date(item.date)
        if item.date_source:
            dated += f" ({source_words(item.date_source)})"
        _field(text, "Dated", dated)
        _field(text, "Expires", uk_date(item.expires))
    if item.period:
        _field(text, "Period covered", item.period)
    if item.evidence is not None:
        evidence = item.evidence
        where = []
        if evidence.page:
            where.append(f"page {evidence.page}")
        place = where_words(evidence.where)
        if place:
            where.append(place)
        if evidence.source == "filename":
            where.append("in the file name")
        elif evidence.source == "metadata":
            where.append("in the document properties")
        quote = f"“{one_line(evidence.text)}”"
        _field(text, "Evidence", quote + (f" ({', '.join(where)})" if where else ""))
    if item.superseded:
        text.append("\nOlder versions: ", style="bold")
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
            line += " (ended: the item counts as usual)"
        _field(text, "Waiver", line)
    if item.owner:
        _field(text, "Owner", item.owner)
    return text


def section_detail(
    section: str, items: Sequence[ItemResult], styles: StatusStyles | None = None
) -> Text:
    """A section heading's details: how many items in each state, and which need action."""
    chosen = styles or plain_styles()
    text = Text()
    text.append(printable(section), style="bold")
    text.append(f"\n{len(items)} item{'s' if len(items) != 1 else ''}: ")
    for n, (status, count) in enumerate(status_counts(items)):
        if n:
            text.append(" · ")
        text.append(f"{count} {status.label}", style=chosen[status])
    needing = [i for i in items if i.needs_action]
    text.append("\n")
    if needing:
        text.append("\nNeeds action: ", style="bold")
        text.append(", ".join(printable(i.id) for i in needing))
    else:
        text.append("\nNothing in this section needs action.")
    return text


def unmatched_detail(path: str, hint: NearestItem | None) -> Text:
    """A file that matches no item: where it is, and the item it may be."""
    text = Text()
    text.append(printable(name_of(path)), style="bold")
    _field(text, "Folder", shown_path(folder_of(path)) or "the top of the checked folder")
    text.append("\n\nIt matches no item on the checklist, so annexa does not count it.")
    if hint is not None:
        text.append("\n\n")
        text.append("What to do: ", style="bold")
        text.append(printable(hint.advice))
        if hint.name is not None:
            _field(text, "Save it as", hint.name)
    return text


def unreadable_detail(path: str, error: str) -> Text:
    text = Text()
    text.append(printable(name_of(path)), style="bold")
    _field(text, "Folder", shown_path(folder_of(path)) or "the top of the checked folder")
    _field(text, "Why it cannot be read", error)
    text.append("\n\nWhat to do: ", style="bold")
    text.append(
        "save a copy annexa can open in its place: for a PDF, one without a password; "
        "for a damaged file, save it again from the program that made it."
    )
    return text


def _field(text: Text, label: str, value: str | None) -> None:
    if not value:
        return
    text.append(f"\n{label}: ", style="bold")
    text.append(printable(value))


__all__ = [
    "MARK",
    "KeyedText",
    "detail_text",
    "fitted",
    "folder_of",
    "item_cells",
    "name_cell",
    "name_of",
    "plain",
    "section_cells",
    "section_detail",
    "shown_path",
    "status_text",
    "summary_text",
    "uk_date",
    "unmatched_detail",
    "unreadable_detail",
    "unreadable_rows",
]
