"""GitHub Actions workflow commands: an annotation per item that needs action.

``::error`` for an item of severity error and ``::warning`` for a warning,
each titled with the item and its status, carrying the file when there is
one (its path relative to ROOT, which is the repository root when the
workflow scans the checkout) and the reason and what to do as the message.
A last ``::notice`` line sums up. Notices from the report (an expired
waiver) come before it as ``::notice`` lines too. Waived, in-date and
not-required items make no annotation.

A file name ends up inside a command that GitHub parses, so it is escaped
as GitHub's own toolkit (``@actions/core``) escapes: ``%``, ``\\r`` and
``\\n`` in the message, and also ``:`` and ``,`` in properties such as
``file=`` and ``title=``. Without that, a name holding a newline could
start a command of its own (``::add-mask::``, ``::stop-commands::``).
Text also passes through ``printable()`` first, so an ANSI escape in a name
cannot colour the log.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per
step and drops the rest without a word. So when more items need action, the
first nine of a kind are annotated and a tenth says how many more there are
and which, and the log holds all of them (``--format text`` beside it).
"""

from __future__ import annotations

from annexa.formats._common import flat, headline, plural, safe, save_as_words, uk_date
from annexa.model import ItemResult, Report, Severity


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``title=``, ``file=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str) -> str:
    """One ``::name key=value,...::message`` line, every part escaped."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(item: ItemResult) -> str | None:
    """The ``::error`` or ``::warning`` line for an item, or None when it needs none."""
    if item.severity is None:
        return None
    name = "error" if item.severity is Severity.ERROR else "warning"
    properties = {"title": f"{safe(item.id)} {safe(item.title)}: {item.status.label}"}
    if item.file:
        properties["file"] = safe(item.file)
    message = flat(item.reason)
    if item.action:
        message += "\n" + flat(item.action)
    if item.suggestion is not None:
        message += "\n" + save_as_words(item)
    return command(name, message, **properties)


PER_STEP = 10
"""Annotations of each kind (error, warning, notice) GitHub shows for one step."""


def _annotations(report: Report) -> list[str]:
    """An annotation per item needing action, in spec order, at most PER_STEP of each kind:
    past that, the first nine of the kind and a tenth that names the rest."""
    lines: list[str] = []
    summaries: list[str] = []
    for severity, name in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        items = [item for item in report.items if item.severity is severity]
        if len(items) > PER_STEP:
            rest = items[PER_STEP - 1 :]
            ids = ", ".join(safe(item.id) for item in rest)
            words = plural(len(rest), f"more {name}")
            summaries.append(
                command(name, f"{words}, not annotated: {ids}.", title="annexa: more items")
            )
    shown = {Severity.ERROR: 0, Severity.WARNING: 0}
    limit = {
        severity: PER_STEP - 1
        if sum(i.severity is severity for i in report.items) > PER_STEP
        else PER_STEP
        for severity in shown
    }
    for item in report.items:
        line = annotation(item)
        if line is None or item.severity is None:
            continue
        shown[item.severity] += 1
        if shown[item.severity] <= limit[item.severity]:
            lines.append(line)
    return lines + summaries


def render(report: Report, *, colour: bool = False) -> str:
    """Annotations, then notices, then the summary, within GitHub's limits per step.
    ``colour`` is ignored."""
    lines = _annotations(report)
    notices = [command("notice", flat(notice), title="annexa") for notice in report.notices]
    if len(notices) > PER_STEP - 1:  # the summary is a notice too
        more = len(notices) - (PER_STEP - 2)
        notices = notices[: PER_STEP - 2]
        notices.append(command("notice", f"{more} more notices: see the report.", title="annexa"))
    lines += notices
    extra = []
    if report.errors:
        extra.append(f"{len(report.errors)} could not be read")
    if report.unmatched:
        extra.append(f"{len(report.unmatched)} match no item")
    files = f" Files: {', '.join(extra)}." if extra else ""
    summary = f"{safe(report.spec_name)}, as of {uk_date(report.as_of)}: {headline(report)}{files}"
    lines.append(command("notice", summary, title="annexa summary"))
    return "\n".join(lines) + "\n"
