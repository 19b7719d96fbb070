"""The HTML report: one self-contained page a manager can open, e-mail or print.

Everything is in the one file (inline CSS; no script, font or image from
anywhere), so it works offline, as an e-mail attachment and from a network
share. A Content-Security-Policy that allows only the inline stylesheet is
the second line of defence: even if a file name slipped through escaping,
the browser would run no script and fetch nothing. Every string from a
file or a spec goes through ``printable()`` and then ``html.escape``,
attributes included.

The page reads top down as a manager would: what the check covers, how many
items need action (counts and a bar chart, with the numbers in a table so
the chart is never the only way to read them), what to do first, what falls
due in the next 90 days, each owner's list ready to paste into an e-mail,
a timeline of every item's life (annexa.formats.timeline), then every item
by section with its dates, reason, evidence and file, then the files that
matched nothing or could not be read, waivers and notices. Status is always
a word and a symbol, never colour alone; the print stylesheet fits A4 and
repeats table headers on each page.

An evidence pack (annexa.pack) renders the same page as its index, with a
``Bundle``: each file links to its copy in the pack by relative path, and
each item says what of it is, or is not, in the pack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from annexa.formats import timeline
from annexa.formats._common import (
    by_owner,
    by_section,
    coming_words,
    dated_words,
    evidence_words,
    flat,
    headline,
    nearest_by_file,
    needs_action,
    other_files,
    plural,
    safe,
    todo_by_date,
    uk_date,
    waiver_state,
    worst_first,
)
from annexa.model import ItemResult, Report, Severity, Status
from annexa.model.report import COMING_UP_DAYS
from annexa.words.phrases import days_phrase, status_counts


@dataclass(frozen=True)
class Bundle:
    """What an evidence pack adds to the page it uses as its index.

    ``links``: ROOT-relative path of a file -> its path inside the pack (``/``
    separators), for a relative link. ``notes``: item id -> what went wrong
    with that item's files in the pack ("Not in this pack: ..."), shown in
    bold. ``intro``: the sentences under the title.
    """

    links: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    intro: str = ""


_CSS = (
    """
:root {
  color-scheme: light;
  --ink: #1b1b1b; --muted: #555; --rule: #c9c9c9; --panel: #f4f4f2;
  --error: #a4121b; --error-bg: #fde8e8; --warning: #7a4a00; --warning-bg: #fff1cc;
  --fine: #1d6a33; --fine-bg: #e3f4e7; --quiet: #3d4b63; --quiet-bg: #e8ecf3;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0 auto; max-width: 70rem; padding: 1.5rem 1.25rem 3rem;
  font: 15px/1.45 "Segoe UI", Calibri, Arial, "Helvetica Neue", sans-serif; color: var(--ink);
}
header { border-bottom: 3px solid var(--ink); padding-bottom: .75rem; margin-bottom: 1.25rem; }
.kicker { margin: 0; font-size: .8rem; letter-spacing: .08em; text-transform: uppercase;
  color: var(--muted); }
h1 { margin: .15rem 0 .35rem; font-size: 1.7rem; line-height: 1.2; }
h2 { margin: 2rem 0 .6rem; font-size: 1.25rem; border-bottom: 1px solid var(--rule);
  padding-bottom: .2rem; }
.meta { margin: 0; color: var(--muted); }
.meta span + span::before { content: " · "; }
code, .path { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: .88em;
  overflow-wrap: anywhere; }
.headline { font-size: 1.15rem; font-weight: 600; margin: 0 0 1rem; padding: .6rem .8rem;
  border-left: 6px solid var(--fine); background: var(--fine-bg); }
.headline.error { border-color: var(--error); background: var(--error-bg); }
.headline.warning { border-color: #c08000; background: var(--warning-bg); }
.overview { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.overview > table { flex: 1 1 22rem; }
.extras { flex: 1 1 14rem; margin: 0; padding: .6rem .9rem; background: var(--panel);
  list-style: none; }
.extras li { margin: .2rem 0; }
table { width: 100%; border-collapse: collapse; margin: 0 0 1.25rem; }
caption { text-align: left; font-weight: 600; font-size: 1.05rem; padding: .3rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem;
  border-bottom: 1px solid var(--rule); }
thead th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); border-bottom: 2px solid var(--ink); }
table.items { table-layout: fixed; }
col.c-id { width: 3.2em; } col.c-item { width: 19%; } col.c-status { width: 8.6em; }
col.c-dated { width: 8.2em; } col.c-expires { width: 7.4em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; width: 3.5rem; }
td.chart { width: 45%; }
.bar { display: block; height: .9rem; min-width: 2px; border-radius: 2px; background: #888; }
.bar.error { background: var(--error); }
.bar.warning { background: #d99a00; }
.bar.fine { background: #2e8b4a; }
.bar.quiet { background: #7a8aa8; }
.badge { display: inline-block; white-space: nowrap; padding: .05rem .45rem; border-radius: 3px;
  font-weight: 600; font-size: .9em; border: 1px solid currentColor; }
.badge.error { color: var(--error); background: var(--error-bg); }
.badge.warning { color: var(--warning); background: var(--warning-bg); }
.badge.fine { color: var(--fine); background: var(--fine-bg); }
.badge.quiet { color: var(--quiet); background: var(--quiet-bg); }
.optional { display: block; font-size: .8em; color: var(--muted); font-weight: normal; }
tr.error > th { border-left: 4px solid var(--error); }
tr.warning > th { border-left: 4px solid #d99a00; }
th[scope=row] { font-weight: 600; }
.title { font-weight: 600; }
.owner, .small { display: block; font-size: .85em; color: var(--muted); }
.details p { margin: 0 0 .3rem; }
.details .action { color: var(--ink); }
.details .action::before { content: "→ "; }
.evidence q { font-style: italic; }
.nowrap { white-space: nowrap; }
ul.files { columns: 2 22rem; padding-left: 1.2rem; }
ul.files li { break-inside: avoid; }
a { color: inherit; }
footer { margin-top: 2.5rem; padding-top: .5rem; border-top: 1px solid var(--rule);
  font-size: .85rem; color: var(--muted); }
.coming .when { white-space: nowrap; }
.owners { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr));
  gap: .8rem 1.5rem; }
.owner-list { border: 1px solid var(--rule); padding: .5rem .8rem; break-inside: avoid; }
.owner-list h3 { margin: 0 0 .3rem; font-size: 1.02rem; }
.owner-list ul { margin: 0; padding-left: 1.1rem; }
.owner-list li { margin: .25rem 0; }
.packnote { font-weight: 600; }
.intro { margin: .4rem 0 0; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  h1 { font-size: 16pt; }
  h2 { font-size: 12pt; margin-top: 1.2rem; break-after: avoid; }
  caption { font-size: 10.5pt; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  caption, thead { break-after: avoid; }
  tr, .headline, .extras { break-inside: avoid; }
  a { text-decoration: none; }
  ul.files { columns: 2; }
  .owners { display: block; } .owner-list { margin-bottom: .5rem; }
}
""".strip()
    + "\n"
    + timeline.CSS
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(text: str | None) -> str:
    """Text from a file, a spec or the report, made displayable and escaped for HTML."""
    return escape(safe(text), quote=True)


def _tone(item: ItemResult) -> str:
    """The colour family of an item, always shown beside the status in words."""
    if item.severity is Severity.ERROR:
        return "error"
    if item.severity is Severity.WARNING:
        return "warning"
    return "fine" if item.status is Status.OK else "quiet"


def _badge(item: ItemResult) -> str:
    status = item.status
    optional = '<span class="optional">not required</span>' if not item.required else ""
    return (
        f'<span class="badge {_tone(item)}"><span aria-hidden="true">{escape(status.symbol)}'
        f"</span> {escape(status.label)}</span>{optional}"
    )


def _anchor(item: ItemResult) -> str:
    return "item-" + escape(safe(item.id), quote=True)


def render(report: Report, *, colour: bool = False, bundle: Bundle | None = None) -> str:
    """The whole page. ``colour`` is ignored: the page always has its colours.

    With a ``bundle`` the page is an evidence pack's index (see ``Bundle``).
    """
    pack = bundle or Bundle()
    kind = "Evidence pack" if bundle is not None else "Annex A check"
    title = f"{safe(report.spec_name)}: {kind} as of {uk_date(report.as_of)}"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="annexa {_e(report.tool_version)}">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="kicker">{kind}</p>',
        f"<h1>{_e(report.spec_name)}</h1>",
        '<p class="meta">'
        f"<span>As of <strong>{uk_date(report.as_of)}</strong></span>"
        f'<span>Folder <span class="path">{_e(report.root)}</span></span>'
        f'<span>Spec <span class="path">{_e(report.spec_source)}</span></span>'
        "</p>",
        *([f'<p class="intro">{_e(pack.intro)}</p>'] if pack.intro else []),
        "</header>",
        "<main>",
    ]
    out += _summary(report)
    out += _action_table(report)
    out += _coming_up(report)
    out += _who(report)
    out += timeline.timeline(report)
    out += _all_items(report, pack)
    out += _files(report)
    out += _waivers(report)
    out += _notices(report)
    out += [
        "</main>",
        "<footer>",
        f"<p>Made by annexa {_e(report.tool_version)} from the folder "
        f'<span class="path">{_e(report.root)}</span> as of {uk_date(report.as_of)}. '
        "Dates are shown as found in each document; a date known only to the month counts "
        "as the last day of that month.</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _summary(report: Report) -> list[str]:
    worst = report.worst()
    tone = worst.value if worst else "fine"
    counts = status_counts(report)
    biggest = max((n for _, n in counts), default=1)
    out = [
        '<section aria-labelledby="summary">',
        '<h2 id="summary">Summary</h2>',
        f'<p class="headline {tone}">{escape(headline(report))}</p>',
        '<div class="overview">',
        '<table class="counts">',
        "<caption>Items by status</caption>",
        '<thead><tr><th scope="col">Status</th><th scope="col">Items</th>'
        '<th scope="col">Chart</th></tr></thead>',
        "<tbody>",
    ]
    for status, count in counts:
        severity = status.severity
        tone = severity.value if severity else ("fine" if status is Status.OK else "quiet")
        width = max(1, round(100 * count / biggest))
        out.append(
            f'<tr><th scope="row"><span aria-hidden="true">{escape(status.symbol)}</span> '
            f'{escape(status.label)}</th><td class="num">{count}</td>'
            f'<td class="chart"><span class="bar {tone}" style="width: {width}%"></span></td></tr>'
        )
    out += ["</tbody>", "</table>", '<ul class="extras">']
    out.append(f"<li>{plural(len(report.items), 'item')} in the spec</li>")
    out.append(f"<li>{plural(len(report.unmatched), 'file')} matched no item</li>")
    out.append(f"<li>{plural(len(report.errors), 'file')} could not be read</li>")
    if report.notices:
        out.append(f"<li>{plural(len(report.notices), 'notice')}</li>")
    out += ["</ul>", "</div>", "</section>"]
    return out


def _action_table(report: Report) -> list[str]:
    todo = worst_first(item for item in report.items if needs_action(item))
    out = ['<section aria-labelledby="todo">', '<h2 id="todo">What needs doing</h2>']
    if not todo:
        out += ["<p>Nothing: every required item is present and in date.</p>", "</section>"]
        return out
    out += [
        "<table>",
        "<caption>Items that need action, most urgent first</caption>",
        '<thead><tr><th scope="col">Item</th><th scope="col">Status</th>'
        '<th scope="col">What to do</th><th scope="col">Owner</th></tr></thead>',
        "<tbody>",
    ]
    for item in todo:
        what = item.action or item.reason
        out.append(
            f'<tr class="{_tone(item)}"><th scope="row"><a href="#{_anchor(item)}">'
            f'{_e(item.id)}</a></th><td><span class="title">{_e(item.title)}</span>'
            f"<br>{_badge(item)}</td><td>{_e(flat(what))}{_save_as(item)}</td>"
            f"<td>{_e(item.owner)}</td></tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _coming_up(report: Report) -> list[str]:
    """What falls due in the next 90 days, soonest first (``Report.coming_up``)."""
    horizon = report.as_of + dt.timedelta(days=COMING_UP_DAYS)
    soon = report.coming_up()
    out = [
        '<section aria-labelledby="coming-up">',
        f'<h2 id="coming-up">Coming up in the next {COMING_UP_DAYS} days</h2>',
    ]
    if not soon:
        out += [f"<p>Nothing falls due by {uk_date(horizon)}.</p>", "</section>"]
        return out
    out += [
        '<table class="coming">',
        f"<caption>What falls due by {uk_date(horizon)}, soonest first</caption>",
        '<thead><tr><th scope="col">Date</th><th scope="col">Item</th>'
        '<th scope="col">What happens</th><th scope="col">What to do</th>'
        '<th scope="col">Owner</th></tr></thead>',
        "<tbody>",
    ]
    for item in soon:
        assert item.expires is not None
        left = days_phrase((item.expires - report.as_of).days)
        out.append(
            f'<tr class="{_tone(item)}"><th scope="row" class="when">{uk_date(item.expires)} '
            f'<span class="small">{escape(left)}</span></th>'
            f'<td><a href="#{_anchor(item)}">{_e(item.id)}</a> '
            f'<span class="title">{_e(item.title)}</span><br>{_badge(item)}</td>'
            f"<td>{escape(coming_words(item))}</td><td>{_e(todo_by_date(item))}</td>"
            f"<td>{_e(item.owner)}</td></tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _who(report: Report) -> list[str]:
    """Each owner's items that need action and what to do, ready to paste into an e-mail."""
    owners = by_owner(report.items)
    if not owners:
        return []
    out = [
        '<section aria-labelledby="who">',
        '<h2 id="who">Who needs to do what</h2>',
        f"<p>Each owner's items that need action as of {uk_date(report.as_of)}, most urgent "
        "first: copy an owner's box into an e-mail.</p>",
        '<div class="owners">',
    ]
    for owner, items in owners:
        out += [
            '<div class="owner-list">',
            f"<h3>{_e(owner)} ({plural(len(items), 'item')})</h3>",
            "<ul>",
        ]
        for item in items:
            what = item.action or item.reason
            out.append(
                f"<li><strong>{_e(item.id)} {_e(item.title)}</strong> "
                f"({escape(item.status.symbol)} {escape(item.status.label)}): {_e(flat(what))}"
                f"{_save_as(item)}</li>"
            )
        out += ["</ul>", "</div>"]
    out += ["</div>", "</section>"]
    return out


def _all_items(report: Report, pack: Bundle) -> list[str]:
    out = ['<section aria-labelledby="items">', '<h2 id="items">All items</h2>']
    for section, items in by_section(report.items):
        out += [
            '<table class="items">',
            f"<caption>{_e(section)}</caption>",
            '<colgroup><col class="c-id"><col class="c-item"><col class="c-status">'
            '<col class="c-dated"><col class="c-expires"><col></colgroup>',
            '<thead><tr><th scope="col">ID</th><th scope="col">Item</th>'
            '<th scope="col">Status</th><th scope="col">Dated</th>'
            '<th scope="col">Expires</th><th scope="col">Details</th></tr></thead>',
            "<tbody>",
        ]
        for item in items:
            out.append(_item_row(item, pack))
        out += ["</tbody>", "</table>"]
    if not report.items:
        out.append("<p>The spec lists no items.</p>")
    out.append("</section>")
    return out


def _item_row(item: ItemResult, pack: Bundle) -> str:
    owner = f'<span class="owner">Owner: {_e(item.owner)}</span>' if item.owner else ""
    period = f'<span class="small">Covers {_e(item.period)}</span>' if item.period else ""
    dated = _e(dated_words(item)) or "—"
    expires = uk_date(item.expires) or "—"
    return (
        f'<tr id="{_anchor(item)}" class="{_tone(item)}"><th scope="row">{_e(item.id)}</th>'
        f'<td><span class="title">{_e(item.title)}</span>{owner}</td>'
        f"<td>{_badge(item)}</td>"
        f"<td>{dated}{period}</td><td>{expires}</td>"
        f'<td class="details">{_details(item, pack)}</td></tr>'
    )


def _path(path: str, pack: Bundle) -> str:
    """A file's path, linked to its copy where the page is a pack's index."""
    shown = f'<span class="path">{_e(path)}</span>'
    href = pack.links.get(path)
    if href is None:
        return shown
    return f'<a href="{_href(href)}">{shown}</a>'


def _href(path: str) -> str:
    """A relative link to a file in the pack: percent-encoded, so no name can become a URL."""
    return escape(quote(path, safe="/"), quote=True)


def _save_as(item: ItemResult) -> str:
    """ "Save it as <path>", a line of its own, for an item that needs a new file; else ""."""
    if item.suggestion is None:
        return ""
    path = _e(item.suggestion.path)
    return f' <span class="small">Save it as <span class="path">{path}</span></span>'


def _details(item: ItemResult, pack: Bundle) -> str:
    parts = [f"<p>{_e(flat(item.reason))}</p>"]
    if item.action:
        parts.append(f'<p class="action">{_e(flat(item.action))}</p>')
    if item.suggestion is not None:
        parts.append(_save_as(item))
    if item.evidence is not None:
        parts.append(
            f'<p class="evidence small">Evidence: {_e(evidence_words(item.evidence))}: '
            f"<q>{_e(flat(item.evidence.text))}</q></p>"
        )
    if item.file:
        parts.append(f'<p class="small">File: {_path(item.file, pack)}</p>')
    if item.superseded:
        listed = ", ".join(_path(p, pack) for p in item.superseded)
        parts.append(f'<p class="small">Superseded: {listed}</p>')
    others = other_files(item)
    if others:
        listed = ", ".join(_path(p, pack) for p in others)
        parts.append(f'<p class="small">Also matched: {listed}</p>')
    copies = [
        f'<a href="{_href(pack.links[p])}">{_e(pack.links[p])}</a>'
        for p in dict.fromkeys((*((item.file,) if item.file else ()), *item.files))
        if p in pack.links
    ]
    if copies:
        parts.append(f'<p class="small">In this pack as {", ".join(copies)}</p>')
    parts += [f'<p class="packnote">{_e(flat(note))}</p>' for note in pack.notes.get(item.id, ())]
    if item.waiver is not None:
        waiver = item.waiver
        parts.append(
            f'<p class="small">Waiver ({waiver_state(waiver)}) until {uk_date(waiver.until)}: '
            f"{_e(flat(waiver.reason))}</p>"
        )
    return "".join(parts)


def _files(report: Report) -> list[str]:
    out: list[str] = []
    if report.errors:
        out += [
            '<section aria-labelledby="unreadable">',
            f'<h2 id="unreadable">Files that could not be read ({len(report.errors)})</h2>',
            "<table>",
            "<caption>Unreadable files and why</caption>",
            '<thead><tr><th scope="col">File</th><th scope="col">Problem</th></tr></thead>',
            "<tbody>",
        ]
        for error in report.errors:
            out.append(
                f'<tr><th scope="row"><span class="path">{_e(error.file)}</span></th>'
                f"<td>{_e(flat(error.error))}</td></tr>"
            )
        out += ["</tbody>", "</table>", "</section>"]
    if report.unmatched:
        out += [
            '<section aria-labelledby="unmatched">',
            f'<h2 id="unmatched">Files that match no item ({len(report.unmatched)})</h2>',
            "<p>These files are in the folder but no item of the spec asks for them. "
            "Check for misnamed documents.</p>",
            '<ul class="files">',
        ]
        hints = nearest_by_file(report)
        for path in report.unmatched:
            hint = hints.get(path)
            advice = f'<br><span class="small">{_e(flat(hint.advice))}</span>' if hint else ""
            out.append(f'<li><span class="path">{_e(path)}</span>{advice}</li>')
        out += ["</ul>", "</section>"]
    return out


def _waivers(report: Report) -> list[str]:
    waived = [item for item in report.items if item.waiver is not None]
    if not waived:
        return []
    out = [
        '<section aria-labelledby="waivers">',
        '<h2 id="waivers">Waivers</h2>',
        "<table>",
        "<caption>Known gaps accepted until a date</caption>",
        '<thead><tr><th scope="col">Item</th><th scope="col">Until</th>'
        '<th scope="col">State</th><th scope="col">Approved by</th>'
        '<th scope="col">Reason</th></tr></thead>',
        "<tbody>",
    ]
    for item in waived:
        waiver = item.waiver
        assert waiver is not None
        out.append(
            f'<tr><th scope="row"><a href="#{_anchor(item)}">{_e(item.id)}</a></th>'
            f'<td class="nowrap">{uk_date(waiver.until)}</td><td>{waiver_state(waiver)}</td>'
            f"<td>{_e(waiver.approved_by)}</td><td>{_e(flat(waiver.reason))}</td></tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _notices(report: Report) -> list[str]:
    if not report.notices:
        return []
    out = ['<section aria-labelledby="notices">', '<h2 id="notices">Notices</h2>', "<ul>"]
    out += [f"<li>{_e(flat(notice))}</li>" for notice in report.notices]
    out += ["</ul>", "</section>"]
    return out
