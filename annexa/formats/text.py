"""The terminal report: a table grouped by section, what to do under each problem.

Plain text when piped (stable, for diffs and e-mails); the same layout with
colour on a terminal. Colour is never the only signal: every status is also
a word and a symbol. File names and document text pass through
``printable()`` so a name holding an escape sequence cannot repaint the
terminal.
"""

from __future__ import annotations

from annexa.model import ItemResult, Report, Severity, Status
from annexa.words.phrases import summary_line, uk_date
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


def _short(day: object) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"  # type: ignore[attr-defined]


def render(report: Report, *, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines: list[str] = [
        paint(f"annexa: {printable(report.spec_name)}", _BOLD),
        f"Folder: {printable(report.root)}    As of: {uk_date(report.as_of)}",
        summary_line(report),
    ]
    width_id = max((len(item.id) for item in report.items), default=2)
    width_title = min(_TITLE_WIDTH, max((len(_title(i)) for i in report.items), default=10))
    indent = " " * (2 + 15 + 1 + width_id + 1)

    sections: dict[str, list[ItemResult]] = {}
    for item in report.items:
        sections.setdefault(item.section or "Other items", []).append(item)
    for section, items in sections.items():
        lines += ["", paint(printable(section), _BOLD)]
        header = f"  {'Status':<15} {'ID':<{width_id}} {'Item':<{width_title}}  {'Dated':<12} {'Expires':<12} File"
        lines.append(paint(header, _DIM))
        for item in items:
            status = f"{item.status.symbol} {item.status.label}"
            title = _fit(_title(item), width_title)
            row = (
                f"  {paint(f'{status:<15}', _COLOURS[item.severity])} {item.id:<{width_id}} "
                f"{title:<{width_title}}  {_short(item.date):<12} {_short(item.expires):<12} "
                f"{printable(item.file) if item.file else ''}"
            )
            lines.append(row.rstrip())
            if item.status is not Status.OK:
                lines.append(indent + one_line(item.reason, 400))
                if item.action:
                    lines.append(indent + "→ " + one_line(item.action, 400))

    if report.notices:
        lines += ["", paint("Notices", _BOLD)]
        lines += [f"  {one_line(n, 400)}" for n in report.notices]
    if report.errors:
        lines += ["", paint(f"Files that could not be read ({len(report.errors)})", _BOLD)]
        lines += [
            f"  {printable(e.file)}: {one_line(e.error)}" for e in report.errors[:_FILE_LIMIT]
        ]
        if len(report.errors) > _FILE_LIMIT:
            lines.append(f"  … and {len(report.errors) - _FILE_LIMIT} more (see --format json)")
    if report.unmatched:
        lines += ["", paint(f"Files that match no item ({len(report.unmatched)})", _BOLD)]
        lines += [f"  {printable(path)}" for path in report.unmatched[:_FILE_LIMIT]]
        if len(report.unmatched) > _FILE_LIMIT:
            lines.append(f"  … and {len(report.unmatched) - _FILE_LIMIT} more (see --format json)")
    lines += ["", _verdict(report)]
    return "\n".join(lines) + "\n"


def _title(item: ItemResult) -> str:
    return printable(item.title) + ("" if item.required else " (optional)")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
