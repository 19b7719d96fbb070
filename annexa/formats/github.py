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
"""

from __future__ import annotations

from annexa.formats._common import flat, headline, safe, uk_date
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
    return command(name, message, **properties)


def render(report: Report, *, colour: bool = False) -> str:
    """Annotations, then notices, then the summary. ``colour`` is ignored."""
    lines = [line for line in map(annotation, report.items) if line is not None]
    lines += [command("notice", flat(notice), title="annexa") for notice in report.notices]
    extra = []
    if report.errors:
        extra.append(f"{len(report.errors)} could not be read")
    if report.unmatched:
        extra.append(f"{len(report.unmatched)} match no item")
    files = f" Files: {', '.join(extra)}." if extra else ""
    summary = f"{safe(report.spec_name)}, as of {uk_date(report.as_of)}: {headline(report)}{files}"
    lines.append(command("notice", summary, title="annexa summary"))
    return "\n".join(lines) + "\n"
