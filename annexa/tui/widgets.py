"""Two widgets the live view needs that Textual's do not quite do.

- ``ListTable``: a DataTable that moves like a pager (j/k, g/G), opens the
  selected file with Enter rather than "selecting" a row, and takes new
  column widths when the window changes.
- ``ActivityLog``: a RichLog that wraps its lines again when its width
  changes, instead of keeping the width they were first drawn at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, RichLog


class ListTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.open_file", "Open", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    def set_column_widths(self, widths: Sequence[tuple[str, int]]) -> None:
        """Give existing columns new fixed widths, and redraw."""
        for key, width in widths:
            column = self.columns.get(key)  # type: ignore[call-overload]
            if column is not None:
                column.width = width
                column.auto_width = False
        # DataTable has no public call to re-measure after a width change.
        self._require_update_dimensions = True
        self.refresh()


class ActivityLog(RichLog):
    """What happened, newest last, wrapped to the width it has now."""

    def __init__(self, *, limit: int = 2000, **options: Any) -> None:
        options.setdefault("min_width", 20)
        super().__init__(markup=False, wrap=True, max_lines=limit, **options)
        self._entries: list[Text] = []
        self._limit = limit
        self._drawn_width = 0

    def add(self, line: Text) -> None:
        self._entries.append(line)
        if len(self._entries) > self._limit:
            del self._entries[: len(self._entries) - self._limit]
        self.write(line, width=self._drawn_width or None)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)  # RichLog writes what waited for a size
        width = self.scrollable_content_region.width
        if width and width != self._drawn_width:
            self._drawn_width = width
            if self._entries:
                at_end = self.is_vertical_scroll_end
                self.clear()
                for line in self._entries:
                    self.write(line, width=width, scroll_end=False)
                if at_end:
                    self.scroll_end(animate=False)
