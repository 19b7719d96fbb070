"""Which files go into an evidence pack, under which names: decided from the Report.

For each item, the file annexa judged (for a ``count = N`` item, the newest
N), named after the item so the pack reads in the spec's order. A file that
is evidence for several items (one Annex A workbook holds all the lists) is
packed once, under its first item's id. A file annexa found damaged,
encrypted or unsafe is left out, because nobody could open the copy; one it
merely could not read itself (too large for its limits, a feature it does
not read) is packed. Whatever is left out is kept with the reason, for the
index to say: an item is never silently missing from a pack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from annexa.model import Facts, FileEntry, ItemResult, Report
from annexa.model.failures import FailureKind
from annexa.pack.names import UniqueNames, packed_name, padded_ids
from annexa.spec.rules import Spec

INDEX_HTML = "index.html"
INDEX_CSV = "index.csv"
MANIFEST = "SHA256SUMS.txt"
INDEX_NAMES = (INDEX_HTML, INDEX_CSV, MANIFEST)

# A copy of such a file would not open for anyone: it stays out, and the index says why.
LEFT_OUT_KINDS = frozenset({FailureKind.DAMAGED, FailureKind.ENCRYPTED, FailureKind.UNSAFE})


@dataclass(frozen=True, slots=True)
class PackFile:
    """A file to copy into the pack, as the scan saw it."""

    source: str  # relative to ROOT, "/" separators
    name: str  # its name in the pack
    entry: FileEntry  # size and modification time at the scan: the copy must match them
    items: tuple[str, ...]  # the ids of the items it is evidence for


@dataclass(frozen=True, slots=True)
class ItemPlan:
    """One item: the files meant for the pack, and those left out with the reason."""

    item: ItemResult
    sources: tuple[str, ...]  # ROOT-relative paths meant for the pack, newest first
    left_out: tuple[tuple[str, str], ...]  # (ROOT-relative path, why), decided before copying


@dataclass(frozen=True, slots=True)
class PackPlan:
    report: Report
    files: tuple[PackFile, ...]
    items: tuple[ItemPlan, ...]

    def file(self, source: str) -> PackFile | None:
        return next((f for f in self.files if f.source == source), None)


def judged_files(item: ItemResult, count: int) -> tuple[str, ...]:
    """The files annexa judged the item on: the newest one, or the newest ``count``."""
    if item.files:
        return item.files[: max(count, 1)]
    return (item.file,) if item.file else ()


def plan_pack(
    report: Report,
    spec: Spec,
    files: Mapping[str, FileEntry],
    facts: Mapping[str, Facts],
) -> PackPlan:
    """What goes into the pack for a Report, and what stays out and why."""
    counts = {rule.id: rule.count for rule in spec.items}
    plans: list[ItemPlan] = []
    evidence_for: dict[str, list[ItemResult]] = {}  # source -> its items, in spec order
    for item in report.items:
        sources: list[str] = []
        left_out: list[tuple[str, str]] = []
        for source in judged_files(item, counts.get(item.id, 1)):
            why = _why_left_out(source, files, facts)
            if why:
                left_out.append((source, why))
            else:
                sources.append(source)
                evidence_for.setdefault(source, []).append(item)
        plans.append(ItemPlan(item, tuple(sources), tuple(left_out)))
    padded = padded_ids(item.id for item in report.items)
    names = UniqueNames(INDEX_NAMES)
    packed = []
    for source, items in evidence_for.items():
        original = source.rsplit("/", 1)[-1]
        name = names.claim(packed_name(_item_part(items, padded), original))
        packed.append(PackFile(source, name, files[source], tuple(i.id for i in items)))
    return PackPlan(report, tuple(packed), tuple(plans))


def _item_part(items: list[ItemResult], padded: Mapping[str, str]) -> str:
    """ "A01 Self-evaluation": the item a file is for; for a file several items share (one
    workbook holding every list), the first item's id and what they have in common."""
    first = items[0]
    if len(items) == 1:
        return f"{padded[first.id]} {first.title}"
    sections = {item.section for item in items}
    common = sections.pop() if len(sections) == 1 else None
    return f"{padded[first.id]} {common or 'Evidence for several items'}"


def _why_left_out(source: str, files: Mapping[str, FileEntry], facts: Mapping[str, Facts]) -> str:
    if source not in files:
        return "it was not in the folder when annexa listed it"
    found = facts.get(source)
    if found is not None and found.error and found.error_kind in LEFT_OUT_KINDS:
        return f"it cannot be opened ({found.error.rstrip('.')})"
    return ""
