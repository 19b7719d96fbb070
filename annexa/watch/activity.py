"""Say in words what a change in the folder did: "Threshold document.pdf saved: A12 now in date".

The activity log is how a business support officer learns that the file they
just saved was picked up, and what it changed. It is computed by comparing
the previous Report with the new one item by item, and tying each change of
status to the file that caused it where one did. Pure: no clock (the caller
puts the time in front), no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annexa.model import ItemResult, Report
from annexa.words.phrases import summary_line
from annexa.words.textsafe import printable

MAX_FILE_LINES = 20


def describe_update(
    previous: Report | None,
    current: Report,
    *,
    added: Sequence[str] = (),
    changed: Sequence[str] = (),
    removed: Sequence[str] = (),
) -> list[str]:
    """The activity lines for one new Report, without the time of day."""
    if previous is None:
        return [f"Checked the folder: {summary_line(current)}"]
    before = {item.id: item for item in previous.items}
    after = {item.id: item for item in current.items}
    moved = {
        item_id
        for item_id, item in after.items()
        if item_id in before and before[item_id].status != item.status
    }
    explained: set[str] = set()
    lines: list[str] = []
    files = [(path, "added") for path in added]
    files += [(path, "saved") for path in changed]
    files += [(path, "removed") for path in removed]
    files.sort(key=lambda pair: pair[0])
    unmatched = set(current.unmatched)
    for path, verb in files[:MAX_FILE_LINES]:
        related = _items_for(path, after.values()) | _items_for(path, before.values())
        name = _name(path)
        news = [f"{i} now {after[i].status.label}" for i in sorted(related & moved)]
        explained |= related & moved
        if news:
            lines.append(f"{name} {verb}: {', '.join(news)}")
        elif related:
            still = [f"{i} still {after[i].status.label}" for i in sorted(related) if i in after]
            lines.append(f"{name} {verb}: {', '.join(still)}" if still else f"{name} {verb}")
        elif path in unmatched:
            lines.append(f"{name} {verb}: matches no item")
        else:
            lines.append(f"{name} {verb}")
    if len(files) > MAX_FILE_LINES:
        lines.append(f"… and {len(files) - MAX_FILE_LINES} more files changed")
        explained |= {
            i for path, _ in files for i in _items_for(path, after.values()) if i in moved
        }
    for item_id in sorted(moved - explained):
        item = after[item_id]
        lines.append(f"{item_id} {printable(item.title)}: now {item.status.label}")
    for item_id in sorted(after.keys() - before.keys()):
        lines.append(f"{item_id} {printable(after[item_id].title)}: new on the checklist")
    for item_id in sorted(before.keys() - after.keys()):
        lines.append(f"{item_id} {printable(before[item_id].title)}: no longer on the checklist")
    return lines


def _items_for(path: str, items: Iterable[ItemResult]) -> set[str]:
    found: set[str] = set()
    for item in items:
        if item.file == path or path in item.files or path in item.superseded:
            found.add(item.id)
    return found


def _name(path: str) -> str:
    return printable(path.rsplit("/", 1)[-1])
