"""The Markdown report: for a pull request comment or a CI job summary.

GitHub renders it in ``$GITHUB_STEP_SUMMARY`` and in comments, GitLab in
merge request notes. It stays compact: the counts, a table of the items that
need action (worst first, with what to do), what falls due in the next 90
days, each owner's list (ready to paste into an e-mail), and everything else
folded into ``<details>`` blocks a reader opens when they want them.

Anyone in a council can name a file, so every string from a file or a spec
is passed through ``printable()`` (no newline can end a table row) and then
has its Markdown escaped: a file called ``a|b.pdf`` must not split a cell,
``<img ...>`` must not become HTML, ``[x](y)`` must not become a link,
``*`` and ``_`` must not start emphasis, ``$`` must not start GitHub's
maths, ``#``, ``-``, ``+`` or ``1.`` must not start a heading or list, and
GitHub must not make a mention (a notification), an issue link or a web
link of ``@jsmith``, ``#123`` or ``www.``.
"""

from __future__ import annotations

import datetime as dt
import re

from annexa.formats._common import (
    by_owner,
    coming_words,
    dated_words,
    flat,
    headline,
    nearest_by_file,
    needs_action,
    plural,
    safe,
    save_as_words,
    status_words,
    todo_by_date,
    uk_date,
    worst_first,
)
from annexa.model import ItemResult, Report
from annexa.model.report import COMING_UP_DAYS
from annexa.words.phrases import days_phrase, status_counts

# Longest file lists shown: a GitHub comment holds 65,536 characters and a
# job summary 1 MiB; the HTML and JSON reports list every file.
FILE_LIMIT = 100

# Every character that starts Markdown or HTML inline syntax, GitHub's
# strikethrough (~) and maths ($), and & so an entity in a name shows as typed.
_INLINE = re.compile(r"([\\`*_\[\]<>|~#&$!])")
# What would make a line a heading, list item or quote in the first place.
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


# GitHub turns "@name" into a mention (and notifies that person), "#123" and
# "owner/repo#123" into links to issues, and bare "www." and "https://"
# addresses into links, after the Markdown is rendered, so no backslash stops
# it. An empty HTML comment just after the "@", the "#" or the scheme splits
# the text there: nothing shows, and the name copies exactly as written.
_AUTOLINK = re.compile(r"(@|\\#)(?=\w)|(?<![^\W_])(www)(?=\.)|(?<![^\W_])(https?|ftp)(?=:)", re.I)
_SPLIT = "<!-- -->"


def md(text: str | None) -> str:
    """Text that Markdown shows exactly as written, on one line, safe in a table cell.

    Nor does GitHub make a mention, an issue link or a web link of it.
    """
    escaped = _INLINE.sub(r"\\\1", safe(text))
    return _AUTOLINK.sub(lambda m: m.group() + _SPLIT, escaped)


def md_line(text: str | None) -> str:
    """``md()`` for text that starts a line (a list item): no heading, list or quote."""
    escaped = md(text)
    match = _BLOCK_START.match(escaped)
    if not match:
        return escaped
    lead, marker = match.groups()
    if marker.isdigit():  # "1." -> "1\." keeps the number, loses the list
        end = match.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return f"{lead}\\{escaped[len(lead) :]}"


def _unmatched_rows(report: Report) -> list[str]:
    """The files that match no item, with the item each looks like where its name says."""
    hints = nearest_by_file(report)
    if not hints:
        return ["| File |", "|---|", *(f"| {md(p)} |" for p in report.unmatched[:FILE_LIMIT])]
    rows = ["| File | Looks like |", "|---|---|"]
    for path in report.unmatched[:FILE_LIMIT]:
        hint = hints.get(path)
        rows.append(f"| {md(path)} | {md(flat(hint.advice)) if hint else ''} |")
    return rows


def _cell_join(*parts: str) -> str:
    return "<br>".join(part for part in parts if part)


def render(report: Report, *, colour: bool = False) -> str:
    """The whole summary. ``colour`` is ignored: Markdown has none."""
    out = [
        f"## Annex A check: {md(report.spec_name)}",
        "",
        f"As of **{uk_date(report.as_of)}**, folder {md(report.root)}, spec {md(report.spec_source)}.",
        "",
        f"**{md(headline(report))}**",
        "",
    ]
    out += _counts(report)
    if report.notices:
        out += [f"- {md_line(flat(notice))}" for notice in report.notices]
        out.append("")
    out += _todo(report)
    out += _coming_up(report)
    out += _who(report)
    out += _others(report)
    out += _files(report)
    out.append(f"<sub>annexa {md(report.tool_version)}</sub>")
    return "\n".join(out) + "\n"


def _counts(report: Report) -> list[str]:
    counts = status_counts(report)
    heads = [md(f"{status.symbol} {status.label}") for status, _ in counts]
    values = [str(count) for _, count in counts]
    if report.unmatched:
        heads.append("match no item")
        values.append(str(len(report.unmatched)))
    if report.errors:
        heads.append("unreadable files")
        values.append(str(len(report.errors)))
    if not heads:
        return []
    return [
        "| " + " | ".join(heads) + " |",
        "|" + "|".join(":-:" for _ in heads) + "|",
        "| " + " | ".join(values) + " |",
        "",
    ]


def _todo(report: Report) -> list[str]:
    todo = worst_first(item for item in report.items if needs_action(item))
    if not todo:
        return []
    with_owner = any(item.owner for item in todo)
    head = "| Item | Status | Why, and what to do |" + (" Owner |" if with_owner else "")
    rule = "|---|---|---|" + ("---|" if with_owner else "")
    out = [f"### Needs action ({len(todo)})", "", head, rule]
    for item in todo:
        why = _cell_join(
            md(flat(item.reason)),
            f"→ {md(flat(item.action))}" if item.action else "",
            md(save_as_words(item)),
        )
        row = f"| {_item_cell(item)} | {md(status_words(item))} | {why} |"
        if with_owner:
            row += f" {md(item.owner)} |"
        out.append(row)
    out.append("")
    return out


def _coming_up(report: Report) -> list[str]:
    """What falls due in the next 90 days, soonest first (``Report.coming_up``)."""
    soon = report.coming_up()
    horizon = uk_date(report.as_of + dt.timedelta(days=COMING_UP_DAYS))
    out = [f"### Coming up in the next {COMING_UP_DAYS} days", ""]
    if not soon:
        return [*out, f"Nothing falls due by {horizon}.", ""]
    with_owner = any(item.owner for item in soon)
    out += [
        "| Date | Item | What happens, and what to do |" + (" Owner |" if with_owner else ""),
        "|---|---|---|" + ("---|" if with_owner else ""),
    ]
    for item in soon:
        assert item.expires is not None
        left = days_phrase((item.expires - report.as_of).days)
        what = _cell_join(
            md(_capital(coming_words(item))),
            f"→ {md(todo_by_date(item))}",
        )
        row = (
            f"| {uk_date(item.expires)} ({left}) | {_item_cell(item)}<br>"
            f"{md(status_words(item))} | {what} |"
        )
        if with_owner:
            row += f" {md(item.owner)} |"
        out.append(row)
    out.append("")
    return out


def _who(report: Report) -> list[str]:
    """Each owner's items that need action and what to do, ready to paste into an e-mail."""
    owners = by_owner(report.items)
    if not owners:
        return []
    out = ["### Who needs to do what", ""]
    for owner, items in owners:
        out += [f"**{md(owner)}** ({plural(len(items), 'item')})", ""]
        for item in items:
            what = " ".join(filter(None, (flat(item.action or item.reason), save_as_words(item))))
            out.append(f"- {_item_cell(item)} ({md(status_words(item))}): {md(what)}")
        out.append("")
    return out


def _item_cell(item: ItemResult) -> str:
    return f"**{md(item.id)}** {md(item.title)}"


def _others(report: Report) -> list[str]:
    rest = [item for item in report.items if not needs_action(item)]
    if not rest:
        return []
    return [
        "<details>",
        f"<summary>{plural(len(rest), 'other item')}: in date, waived or not required</summary>",
        "",
        "| Item | Status | Dated | Expires | File |",
        "|---|---|---|---|---|",
        *(
            f"| {_item_cell(item)} | {md(status_words(item))} | {md(dated_words(item))} | "
            f"{uk_date(item.expires)} | {md(item.file)} |"
            for item in rest
        ),
        "",
        "</details>",
        "",
    ]


def _files(report: Report) -> list[str]:
    out: list[str] = []
    if report.errors:
        out += [
            "<details>",
            f"<summary>{plural(len(report.errors), 'file')} could not be read</summary>",
            "",
            "| File | Problem |",
            "|---|---|",
            *(
                f"| {md(error.file)} | {md(flat(error.error))} |"
                for error in report.errors[:FILE_LIMIT]
            ),
            *_more(len(report.errors)),
            "",
            "</details>",
            "",
        ]
    if report.unmatched:
        out += [
            "<details>",
            f"<summary>{plural(len(report.unmatched), 'file')} match no item</summary>",
            "",
            *_unmatched_rows(report),
            *_more(len(report.unmatched)),
            "",
            "</details>",
            "",
        ]
    return out


def _more(count: int) -> list[str]:
    """The line that says how many files were left out of a long list."""
    if count <= FILE_LIMIT:
        return []
    return ["", f"… and {count - FILE_LIMIT} more: the HTML and JSON reports list every file."]


def _capital(words: str) -> str:
    """The words with a capital first letter, the rest as they are ("Waived until 31 October")."""
    return words[:1].upper() + words[1:]
