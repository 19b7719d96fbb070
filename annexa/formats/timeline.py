"""The HTML report's timeline: each item's life, from its date to its expiry, as a bar.

The window runs from three months before the as-of date (so what went out
of date lately shows) to twelve months after it. Each item is one row of a
table: its name in HTML (it wraps, and reads aloud), its bar in a small
inline SVG, and its status and expiry in words, so the bars are never the
only way to read a date. The table's header, with the months and the as-of
mark, repeats on every printed page, and rows never split across pages.

Bars say three things, each with its own pattern as well as its colour, so
a black-and-white printout and colour-blind readers lose nothing: solid for
in date, diagonal stripes for the ``due_soon`` stretch before the expiry,
cross-hatching for the time an item has been out of date up to the as-of
date. A bold line marks the as-of date in every row.

Each row's SVG stretches to its cell (``preserveAspectRatio="none"``) and
holds only rectangles and lines, which stretch without harm; strokes keep
their width (``non-scaling-stroke``). Text never goes inside it. No script,
no external reference: the patterns are defined once, in the page.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from annexa.formats._common import by_section, safe, status_words
from annexa.model import ItemResult, Report
from annexa.model.durations import add_months
from annexa.words.phrases import uk_short_date

MONTHS_BEFORE = 3
MONTHS_AFTER = 12
WIDTH = 1000  # the SVG's own units across the window
HEIGHT = 20

CSS = """
.tl-defs { position: absolute; width: 0; height: 0; overflow: hidden; }
table.timeline { table-layout: fixed; }
table.timeline col.c-tl-item { width: 30%; } table.timeline col.c-tl-until { width: 11em; }
table.timeline th, table.timeline td { padding-top: .2rem; padding-bottom: .2rem; }
table.timeline tbody th[scope=rowgroup] { font-size: .85rem; color: var(--muted);
  text-transform: uppercase; letter-spacing: .04em; padding-top: .6rem; font-weight: 600; }
table.timeline td.track, table.timeline th.axis-cell { padding-left: 0; padding-right: 0; }
.track svg { display: block; width: 100%; height: 1.1rem; }
.axis { font-size: .78rem; text-transform: none; letter-spacing: 0; color: var(--ink); }
.axis-row { position: relative; display: flex; height: 1.25em; }
.axis-row span { border-left: 1px solid var(--rule); padding-left: .15rem; overflow: hidden;
  white-space: nowrap; }
.axis-row.years span { font-weight: 700; }
.axis-row span.asof { position: absolute; top: 0; border: 0; padding: 0;
  transform: translateX(-.42em); font-weight: 700; overflow: visible; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0;
  margin: 0 0 .6rem; font-size: .9em; }
.legend svg { width: 2.2em; height: 1em; vertical-align: -.15em; margin-right: .3em; }
.until { font-size: .9em; }
@media print {
  section.timeline { break-before: page; }
  .track svg { height: 3.2mm; } .axis { font-size: 6.5pt; }
}
""".strip()

# fill, pattern id, words: in date, due soon, out of date.
_IN_DATE = "tl-in"
_DUE_SOON = "tl-soon"
_LATE = "tl-late"

# The bars stretch across (about half a pixel per unit) more than down (about
# one), so each pattern's cell is twice as wide as it is high to look square.
_DEFS = (
    '<svg class="tl-defs" aria-hidden="true" focusable="false"><defs>'
    f'<pattern id="{_IN_DATE}" width="20" height="10" patternUnits="userSpaceOnUse">'
    '<rect width="20" height="10" fill="#2e8b4a"/></pattern>'
    f'<pattern id="{_DUE_SOON}" width="20" height="10" patternUnits="userSpaceOnUse">'
    '<rect width="20" height="10" fill="#fff1cc"/>'
    '<path d="M-5 10L5 0M5 10L15 0M15 10L25 0" stroke="#9a6a00" stroke-width="3.5"/>'
    "</pattern>"
    f'<pattern id="{_LATE}" width="20" height="10" patternUnits="userSpaceOnUse">'
    '<rect width="20" height="10" fill="#fde8e8"/>'
    '<path d="M0 0L10 10M10 0L0 10M10 0L20 10M20 0L10 10" stroke="#a4121b" '
    'stroke-width="1.8"/></pattern>'
    "</defs></svg>"
)

_LEGEND = (
    (_IN_DATE, "in date"),
    (_DUE_SOON, "due soon (the warning time before the expiry)"),
    (_LATE, "out of date, up to the as-of date"),
)


class Window:
    """The stretch of days the timeline shows, and where a day falls across it."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.start = add_months(as_of, -MONTHS_BEFORE)
        self.end = add_months(as_of, MONTHS_AFTER)
        self.days = (self.end - self.start).days

    def x(self, day: dt.date) -> float:
        """The SVG x of the start of ``day``, clamped to the window."""
        offset = min(max((day - self.start).days, 0), self.days)
        return round(WIDTH * offset / self.days, 1)

    def percent(self, day: dt.date) -> float:
        return round(100 * self.x(day) / WIDTH, 2)

    def months(self) -> list[tuple[dt.date, dt.date]]:
        """(first day, day after the last) of each month or part-month in the window."""
        spans = []
        first = self.start
        while first < self.end:
            following = add_months(first.replace(day=1), 1)
            spans.append((first, min(following, self.end)))
            first = following
        return spans


def _rect(window: Window, start: dt.date, end: dt.date, pattern: str, y: int, h: int) -> str:
    """A bar from the start of ``start`` to the end of ``end`` (both days inclusive)."""
    x0, x1 = window.x(start), window.x(end + dt.timedelta(days=1))
    if x1 <= x0:
        return ""
    return (
        f'<rect x="{x0}" y="{y}" width="{round(x1 - x0, 1)}" height="{h}" fill="url(#{pattern})"/>'
    )


def _line(x: float, width: float, colour: str, y0: int = 0, y1: int = HEIGHT) -> str:
    return (
        f'<line x1="{x}" x2="{x}" y1="{y0}" y2="{y1}" stroke="{colour}" '
        f'stroke-width="{width}" vector-effect="non-scaling-stroke"/>'
    )


def _bars(item: ItemResult, window: Window) -> list[str]:
    """The shapes of one item's row: its life, its due-soon stretch, its time out of date."""
    expires = item.expires
    if expires is None:
        return []
    as_of = window.as_of
    start = item.date or window.start
    shapes = [_rect(window, start, expires, _IN_DATE, 4, 12)]
    if item.due_soon is not None:
        soon = max(item.due_soon.subtract(expires), start)
        shapes.append(_rect(window, soon, expires, _DUE_SOON, 4, 12))
    if expires < as_of:
        shapes.append(_rect(window, expires + dt.timedelta(days=1), as_of, _LATE, 4, 12))
    if window.start <= expires < window.end:
        shapes.append(_line(window.x(expires + dt.timedelta(days=1)), 2, "#1b1b1b", 1, 19))
    return [shape for shape in shapes if shape]


def _track(item: ItemResult, window: Window) -> str:
    grid = [_line(window.x(first), 1, "#d6d6d6") for first, _ in window.months()[1:]]
    mark = _line(window.x(window.as_of), 2.5, "#1b1b1b")
    shapes = "".join(grid + _bars(item, window) + [mark])
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{shapes}</svg>'
    )


def _until(item: ItemResult, window: Window) -> str:
    status = escape(status_words(item))
    if item.expires is None:
        return f'<span class="until">{status}<br>no expiry known</span>'
    past = item.expires < window.as_of
    if item.period is not None:
        verb = "was due by" if past else "due by"
    else:
        verb = "expired" if past else "until"
    return f'<span class="until">{status}<br>{verb} {uk_short_date(item.expires)}</span>'


def _axis(window: Window) -> str:
    """The months across the window, the years above them and the as-of mark on top."""
    left = window.percent(window.as_of)
    mark = (
        f'<div class="axis-row"><span class="asof" style="left: {left}%">'
        f"▼ {escape(uk_short_date(window.as_of))}</span></div>"
    )
    years: dict[int, int] = {}
    months = []
    for first, after in window.months():
        days = (after - first).days
        years[first.year] = years.get(first.year, 0) + days
        shown = f"{first:%b}" if days >= 20 else ""
        months.append(f'<span style="flex: {days} 1 0">{shown}</span>')
    year_cells = "".join(
        f'<span style="flex: {days} 1 0">{year if days >= 45 else ""}</span>'
        for year, days in years.items()
    )
    return (
        f'<div class="axis">{mark}<div class="axis-row years">{year_cells}</div>'
        f'<div class="axis-row months">{"".join(months)}</div></div>'
    )


def _legend() -> str:
    keys = "".join(
        f'<li><svg viewBox="0 0 44 20" aria-hidden="true" focusable="false">'
        f'<rect x="0" y="4" width="44" height="12" fill="url(#{pattern})"/></svg>'
        f"{escape(words)}</li>"
        for pattern, words in _LEGEND
    )
    mark = (
        '<li><svg viewBox="0 0 44 20" aria-hidden="true" focusable="false">'
        '<line x1="22" x2="22" y1="0" y2="20" stroke="#1b1b1b" stroke-width="3"/></svg>'
        "the as-of date (▼); a thin bar end marks an expiry</li>"
    )
    return f'<ul class="legend">{keys}{mark}</ul>'


def timeline(report: Report, anchor: str = "timeline") -> list[str]:
    """The timeline section of the HTML report, as lines of HTML."""
    if not report.items:
        return []
    window = Window(report.as_of)
    out = [
        f'<section class="timeline" aria-labelledby="{anchor}">',
        f'<h2 id="{anchor}">Timeline</h2>',
        f"<p>Each item from its date to its expiry, from {uk_short_date(window.start)} to "
        f"{uk_short_date(window.end)}: the three months before this check and the twelve after. "
        "The dates are in words beside each bar and in the table of all items.</p>",
        _DEFS,
        _legend(),
        '<table class="timeline">',
        f"<caption>Items in date, due soon and out of date, {uk_short_date(window.start)} to "
        f"{uk_short_date(window.end)}</caption>",
        '<colgroup><col class="c-tl-item"><col><col class="c-tl-until"></colgroup>',
        '<thead><tr><th scope="col">Item</th>'
        f'<th scope="col" class="axis-cell">{_axis(window)}</th>'
        '<th scope="col">Status</th></tr></thead>',
    ]
    for section, items in by_section(report.items):
        out.append("<tbody>")
        out.append(f'<tr><th scope="rowgroup" colspan="3">{escape(safe(section))}</th></tr>')
        for item in items:
            out.append(
                f'<tr><th scope="row">{escape(safe(item.id))} '
                f'<span class="title">{escape(safe(item.title))}</span></th>'
                f'<td class="track">{_track(item, window)}</td>'
                f"<td>{_until(item, window)}</td></tr>"
            )
        out.append("</tbody>")
    out += ["</table>", "</section>"]
    return out
