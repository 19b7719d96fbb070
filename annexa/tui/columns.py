"""The items table's columns, sized to the window: the item and the file name share what is left.

Fixed columns (status, id, dates) keep their width; the title and the file
name grow and shrink with the window, so at 80 columns both are still
there and at 200 titles are whole. Narrow windows drop the "Dated" column
first (the date is in the details). The file column holds the file's
*name*; its folder is in the details.
"""

from __future__ import annotations

from dataclasses import dataclass

# DataTable puts one space either side of every cell.
CELL_PADDING = 1

STATUS_WIDTH = 13  # "✗ out of date"
DATE_WIDTH = 11  # "30 Sep 2015"
MARK_WIDTH = 1  # "•" on a row that just changed
TITLE_MIN = 16
FILE_MIN = 12
FILE_MAX = 72  # longer names are rare; the rest goes to the title
DATED_FROM = 110  # windows at least this wide show the "Dated" column


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


def layout(width: int, id_width: int = 3) -> tuple[Column, ...]:
    """The columns for a table ``width`` cells wide (scroll bar included)."""
    dated = width >= DATED_FROM
    fixed = [
        Column("mark", "", MARK_WIDTH),
        Column("status", "Status", STATUS_WIDTH),
        Column("id", "ID", max(2, id_width)),
    ]
    dates = [Column("expires", "Expires", DATE_WIDTH)]
    if dated:
        dates.append(Column("date", "Dated", DATE_WIDTH))
    columns = len(fixed) + len(dates) + 2
    used = sum(c.width for c in fixed + dates) + 2 * CELL_PADDING * columns + 2  # scroll bar
    left = max(TITLE_MIN + FILE_MIN, width - used)
    title = max(TITLE_MIN, round(left * 0.55))
    file = max(FILE_MIN, left - title)
    if file > FILE_MAX:
        title, file = title + file - FILE_MAX, FILE_MAX
    return (
        *fixed,
        Column("title", "Item", title),
        *dates,
        Column("file", "File", file),
    )


def files_layout(width: int, keys: tuple[str, ...]) -> tuple[Column, ...]:
    """The files tabs' columns: the name first and widest, then where it is, then why."""
    labels = {
        "file": "File",
        "folder": "Folder",
        "hint": "Looks like",
        "error": "Why it cannot be read",
    }
    share = {"file": 0.42, "folder": 0.28, "hint": 0.30, "error": 0.58}
    left = max(20, width - 2 * CELL_PADDING * len(keys) - 2)
    total = sum(share[key] for key in keys)
    sizes = [max(8, int(left * share[key] / total)) for key in keys]
    sizes[-1] = max(8, left - sum(sizes[:-1]))
    return tuple(Column(key, labels[key], size) for key, size in zip(keys, sizes, strict=True))


__all__ = ["Column", "files_layout", "layout"]
