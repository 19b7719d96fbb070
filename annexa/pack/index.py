"""A pack's index: the report as index.html, index.csv for Excel, and the SHA-256 manifest.

Every item of the spec has its line, whatever became of it: what is in the
pack for it, and what is wrong (its status and the reason, and anything
that kept a file out of the pack). The manifest is in ``sha256sum`` format
(``<hex>  <name>``, LF line ends) so ``sha256sum -c SHA256SUMS.txt`` checks
the unpacked pack; on Windows, ``Get-FileHash`` gives the same hex.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annexa.formats._common import flat, iso_date, safe, uk_date
from annexa.formats.csv_report import cell, cell_lines
from annexa.formats.html import Bundle
from annexa.model import ItemResult, Status
from annexa.pack.copy import Copied
from annexa.pack.plan import MANIFEST, ItemPlan, PackPlan

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "section",
    "title",
    "status",
    "severity",
    "date",
    "expires",
    "owner",
    "in_pack",
    "original_file",
    "what_is_wrong",
)


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item as the index shows it: its files in the pack and what is wrong."""

    item: ItemResult
    packed: tuple[str, ...]  # names in the pack
    originals: tuple[str, ...]  # ROOT-relative paths of the files meant for it
    problems: tuple[str, ...]  # sentences about files that are not (or not rightly) packed

    @property
    def wrong(self) -> str:
        """What is wrong with the item, in words: "" when it is in date and packed."""
        parts = []
        if self.item.status is not Status.OK or self.item.severity is not None:
            parts.append(f"{self.item.status.label.capitalize()}: {flat(self.item.reason)}")
        parts += list(self.problems)
        return " ".join(parts)


def item_lines(plan: PackPlan, copied: Mapping[str, Copied]) -> list[ItemLine]:
    """Each item of the plan with what the copying made of its files."""
    return [_line(entry, plan, copied) for entry in plan.items]


def _line(entry: ItemPlan, plan: PackPlan, copied: Mapping[str, Copied]) -> ItemLine:
    packed: list[str] = []
    problems: list[str] = []
    for source in entry.sources:
        result = copied.get(source)
        name = safe(source.rsplit("/", 1)[-1])
        if result is None:
            problems.append(f"Not in this pack: {name} was not copied.")
        elif result.partial:
            problems.append(f"{name}: {result.problem}.")
        elif not result.packed:
            problems.append(f"Not in this pack: {name}: {result.problem}.")
        else:
            packed.append(result.name)
            if result.problem:
                problems.append(f"{name}: {result.problem}.")
    for source, why in entry.left_out:
        problems.append(f"Not in this pack: {safe(source.rsplit('/', 1)[-1])}: {why}.")
    if not entry.sources and not entry.left_out:
        problems.append("Not in this pack: no file was found for this item.")
    originals = (*entry.sources, *(source for source, _ in entry.left_out))
    return ItemLine(entry.item, tuple(packed), originals, tuple(problems))


def index_csv(lines: Sequence[ItemLine]) -> bytes:
    """index.csv: one row per item, UTF-8 with a byte-order mark and CRLF, for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        item = line.item
        writer.writerow(
            [
                cell(item.id),
                cell(item.section),
                cell(item.title),
                item.status.value,
                item.severity.value if item.severity else "",
                iso_date(item.date),
                iso_date(item.expires),
                cell(item.owner),
                cell_lines(line.packed),
                cell_lines(line.originals),
                cell(line.wrong),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def bundle(lines: Sequence[ItemLine], plan: PackPlan, copied: Mapping[str, Copied]) -> Bundle:
    """What index.html adds to the report: links to the copies, and each item's pack notes."""
    links = {
        source: result.name
        for source, result in copied.items()
        if result.packed and not result.problem
    }
    notes = {line.item.id: line.problems for line in lines if line.problems}
    files = sum(1 for result in copied.values() if result.packed)
    empty = [line.item.id for line in lines if not line.packed]
    intro = (
        f"This evidence pack holds {files} file{'s' if files != 1 else ''} for "
        f"{len(lines)} item{'s' if len(lines) != 1 else ''}, as annexa judged them on "
        f"{uk_date(plan.report.as_of)}. Each file below links to its copy in the pack; "
        f"{MANIFEST} holds a SHA-256 checksum of every file."
    )
    if empty:
        intro += f" Nothing is in the pack for {_listed(empty)}: each says why."
    return Bundle(links=links, notes=notes, intro=intro)


def _listed(ids: Sequence[str]) -> str:
    shown = [safe(i) for i in ids]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def manifest(checksums: Sequence[tuple[str, str]]) -> bytes:
    """``sha256sum`` lines for (name, hex) pairs: ``<hex>  <name>``."""
    return "".join(f"{digest}  {name}\n" for name, digest in checksums).encode("utf-8")
