"""``annexa pack``: check ROOT, then copy what was judged into a new zip or folder.

The pack is built from one scan, the same one ``annexa scan`` would make,
so the index and the files agree: the index is that scan's HTML report,
each file linking to its copy. Nothing under ROOT is written: files are
opened read-only, DEST may not be inside ROOT, and the facts cache lives
elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annexa.finding.walk import RootMissingError, is_inside
from annexa.formats.html import render as render_html
from annexa.model import Report
from annexa.pack.copy import Copied, DestinationError, copy_into
from annexa.pack.index import ItemLine, bundle, index_csv, item_lines, manifest
from annexa.pack.plan import INDEX_CSV, INDEX_HTML, MANIFEST, PackPlan, plan_pack
from annexa.pack.sinks import open_sink
from annexa.pipeline import FactsCache, Scanner
from annexa.spec.rules import Spec

Progress = Callable[[int, int], None]


class PackError(Exception):
    """The pack cannot be made; the message is one line for the user (exit 2)."""


@dataclass(frozen=True)
class PackResult:
    dest: Path
    report: Report
    lines: tuple[ItemLine, ...]
    files: int  # files copied in, the index's own not counted

    @property
    def attention(self) -> list[ItemLine]:
        """Items with something wrong or something not packed, in spec order."""
        return [line for line in self.lines if line.wrong]


def check_destination(dest: Path, root: Path) -> None:
    """Refuse a DEST that exists, whose folder does not, or that is inside ROOT."""
    if is_inside(dest, root):
        raise PackError(
            f"will not write the pack {dest} inside the folder being checked: annexa never "
            "changes that folder. Choose a place outside it (for example ../annex-a-pack.zip)."
        )
    if os.path.lexists(dest):
        raise PackError(
            f"{dest} already exists: annexa pack makes a new zip or folder and never "
            "overwrites one. Choose a new name or remove the old pack first."
        )
    parent = dest.parent if str(dest.parent) else Path(".")
    if not parent.is_dir():
        raise PackError(f"the folder {parent} does not exist, so {dest.name} cannot be made in it")


def build_pack(
    root: Path,
    spec: Spec,
    as_of: dt.date,
    dest: Path,
    *,
    cache: FactsCache | None = None,
    read_progress: Progress | None = None,
    pack_progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> PackResult:
    """Scan ROOT as ``annexa scan`` would, then write the pack to DEST."""
    check_destination(dest, root)
    scanner = Scanner(root, spec, cache=cache, warn=warn)
    try:
        scanner.full_scan(read_progress)
        report = scanner.report(as_of)
        plan = plan_pack(report, spec, scanner.files, scanner.facts)
    except RootMissingError as exc:
        raise PackError(str(exc)) from None
    finally:
        scanner.close()
    return write_pack(root, plan, dest, pack_progress)


def write_pack(
    root: Path, plan: PackPlan, dest: Path, progress: Progress | None = None
) -> PackResult:
    """Copy the planned files and write the index and manifest, all or nothing."""
    check_destination(dest, root)
    try:
        sink = open_sink(dest)
    except OSError as exc:
        raise PackError(f"cannot make {dest}: {exc.strerror or exc}") from None
    try:
        copied: dict[str, Copied] = {}
        total = len(plan.files)
        for done, file in enumerate(plan.files):
            if progress is not None:
                progress(done, total)
            copied[file.source] = copy_into(root, file, sink)
        if progress is not None:
            progress(total, total)
        lines = item_lines(plan, copied)
        checksums = [
            (result.name, result.sha256) for result in copied.values() if result.sha256 is not None
        ]
        csv_bytes = index_csv(lines)
        html_bytes = render_html(plan.report, bundle=bundle(lines, plan, copied)).encode("utf-8")
        checksums.append((INDEX_CSV, sink.add_bytes(INDEX_CSV, csv_bytes)))
        checksums.append((INDEX_HTML, sink.add_bytes(INDEX_HTML, html_bytes)))
        sink.add_bytes(MANIFEST, manifest(checksums))
        sink.commit()
    except (DestinationError, OSError) as exc:
        sink.abort()
        raise PackError(f"cannot write the pack {dest}: {exc.strerror or exc}") from None
    except BaseException:
        sink.abort()
        raise
    files = sum(1 for result in copied.values() if result.packed)
    return PackResult(dest, plan.report, tuple(lines), files)
