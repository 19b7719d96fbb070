"""Fakes for the watch and TUI tests: scanners that need no extraction or evaluation.

``FolderScanner`` keeps a real (size, mtime) snapshot of a temporary folder
with annexa's own inventory and calls an item "in date" when its file is
there, so watcher tests can assert that the model follows the folder.
``ReportScanner`` serves hand-made Reports, for screens that must look the
same on every run.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from annexa.finding.walk import scan_tree, stat_entry
from annexa.model import Evidence, FileEntry, FileError, ItemResult, Report, Status, WaiverState

AS_OF = dt.date(2015, 9, 16)


@dataclass
class Delta:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class FolderScanner:
    """Items are file names; an item is in date when its file exists under ROOT."""

    def __init__(self, root: Path, expected: dict[str, str]) -> None:
        self.root = root
        self.expected = expected
        self.files: dict[str, FileEntry] = {}
        self.closed = False
        self.refreshed: list[list[str]] = []
        self.full_scans = 0
        self.thread_ids: set[int] = set()
        self.walk_errors: list[FileError] = []
        self.relisted: list[list[str]] = []

    def full_scan(self, progress=None) -> Delta:
        self.thread_ids.add(threading.get_ident())
        self.full_scans += 1
        inventory = scan_tree(self.root)
        self.walk_errors = inventory.errors
        current = inventory.files
        return self._apply(current, set(self.files) - set(current))

    def relist(self, folders: Iterable[str], progress=None) -> Delta:
        self.relisted.append(sorted(folders))
        return self.full_scan(progress)

    def refresh(self, paths: Iterable[str], progress=None) -> Delta:
        self.thread_ids.add(threading.get_ident())
        paths = list(paths)
        self.refreshed.append(paths)
        seen, gone = {}, set()
        for path in paths:
            entry = stat_entry(self.root, path)
            if entry is None:
                if path in self.files:
                    gone.add(path)
            else:
                seen[path] = entry
        return self._apply(seen, gone)

    def _apply(self, current: dict[str, FileEntry], gone: set[str]) -> Delta:
        delta = Delta()
        for path in gone:
            self.files.pop(path, None)
            delta.removed.append(path)
        for path, entry in current.items():
            known = self.files.get(path)
            if known != entry:
                (delta.changed if known else delta.added).append(path)
                self.files[path] = entry
        return delta

    def report(self, as_of: dt.date) -> Report:
        items = []
        for item_id, name in self.expected.items():
            present = name in self.files
            items.append(
                ItemResult(
                    id=item_id,
                    title=name,
                    section=None,
                    status=Status.OK if present else Status.MISSING,
                    severity=None if present else Status.MISSING.severity,
                    reason="present" if present else "no file matches",
                    file=name if present else None,
                    files=(name,) if present else (),
                )
            )
        wanted = set(self.expected.values())
        return Report(
            root=str(self.root),
            spec_name="test spec",
            spec_source="test",
            as_of=as_of,
            items=tuple(items),
            unmatched=tuple(sorted(p for p in self.files if p not in wanted)),
        )

    def set_spec(self, spec) -> None:
        self.spec = spec

    def close(self) -> None:
        self.closed = True


class ReportScanner:
    """Serves Reports made by a function of the as-of date; counts what it was asked."""

    def __init__(
        self,
        root: Path,
        make: Callable[[dt.date], Report],
        *,
        files: int = 3,
        gate: threading.Event | None = None,
    ) -> None:
        self.root = root
        self.make = make
        self.files = files
        self.gate = gate
        self.closed = False
        self.full_scans = 0
        self.refreshed: list[list[str]] = []
        self.specs: list[object] = []
        self.next_delta = Delta()
        self.walk_errors: list[FileError] = []

    def full_scan(self, progress=None) -> Delta:
        self.full_scans += 1
        for done in range(self.files + 1):
            if self.gate is not None and done == 1:
                self.gate.wait(10)
            if progress is not None:
                progress(done, self.files)
        return Delta()

    def refresh(self, paths: Iterable[str], progress=None) -> Delta:
        self.refreshed.append(list(paths))
        delta, self.next_delta = self.next_delta, Delta()
        return delta

    def relist(self, folders: Iterable[str], progress=None) -> Delta:
        return self.refresh((), progress)

    def report(self, as_of: dt.date) -> Report:
        return self.make(as_of)

    def set_spec(self, spec) -> None:
        self.specs.append(spec)

    def close(self) -> None:
        self.closed = True


def sample_report(as_of: dt.date = AS_OF, **changes) -> Report:
    """A small authority: every status once, two sections, markup-like names included."""
    items = (
        ItemResult(
            id="A1",
            title="Self-evaluation of social work practice",
            section="Leadership and governance",
            status=Status.OUT_OF_DATE,
            severity=Status.OUT_OF_DATE.severity,
            reason="dated 12 March 2013 (content, 'Date approved'); more than 12 months "
            "before 16 September 2015",
            action="Upload a self-evaluation approved after 16 September 2014",
            file="Leadership/Self evaluation 2013.pdf",
            date=dt.date(2013, 3, 12),
            date_source="content",
            expires=dt.date(2014, 3, 12),
            evidence=Evidence(
                "content", "Date approved", 1, "Date approved: 12 March 2013", "body"
            ),
            superseded=("Leadership/Self evaluation 2012.pdf",),
            owner="Head of Quality Assurance",
            files=("Leadership/Self evaluation 2013.pdf", "Leadership/Self evaluation 2012.pdf"),
        ),
        ItemResult(
            id="A2",
            title="Children's services structure chart",
            section="Leadership and governance",
            status=Status.OK,
            severity=None,
            reason="dated 1 September 2015 (file name); in date until 30 November 2015",
            file="Leadership/2015-09-01 Structure chart.pdf",
            date=dt.date(2015, 9, 1),
            date_source="filename",
            expires=dt.date(2015, 11, 30),
            evidence=Evidence("filename", None, None, "2015-09-01", "name"),
            files=("Leadership/2015-09-01 Structure chart.pdf",),
        ),
        ItemResult(
            id="A3",
            title="Quality assurance framework",
            section="Leadership and governance",
            status=Status.DUE_SOON,
            severity=Status.DUE_SOON.severity,
            reason="in date until 1 October 2015 (next review date in the document)",
            action="Review the quality assurance framework before 1 October 2015",
            file="[@click=app.quit]QA framework.docx",
            date=dt.date(2013, 10, 1),
            date_source="content",
            expires=dt.date(2015, 10, 1),
            evidence=Evidence(
                "content", "Next review", 2, "Next review: 1 October 2015 [bold]", "footer"
            ),
            files=("[@click=app.quit]QA framework.docx",),
        ),
        ItemResult(
            id="A7",
            title="IRO annual report",
            section="Annual reports",
            status=Status.MISSING,
            severity=Status.MISSING.severity,
            reason="no file matches **/*IRO*annual*",
            action="Upload the 2014-15 IRO annual report; it is expected by 30 September 2015",
            owner="IRO service manager",
        ),
        ItemResult(
            id="A8",
            title="LADO annual report",
            section="Annual reports",
            status=Status.WAIVED,
            severity=None,
            reason="the 2014-15 report is not there; waived until 31 October 2015",
            waiver=WaiverState(
                "2014-15 report goes to the partnership board on 14 October",
                dt.date(2015, 10, 31),
                "Head of Service",
                active=True,
                applied=True,
            ),
            file="Reports/LADO annual report 2013-14.pdf",
            period="2013-14",
            files=("Reports/LADO annual report 2013-14.pdf",),
        ),
        ItemResult(
            id="A9",
            title="Virtual School Head annual report",
            section="Annual reports",
            status=Status.UNREADABLE,
            severity=Status.UNREADABLE.severity,
            reason="the newest file cannot be read: encrypted PDF: password required",
            action="Save the report again without a password",
            file="Reports/[bold red]VSH report.pdf",
            files=("Reports/[bold red]VSH report.pdf",),
        ),
        ItemResult(
            id="A10",
            title="Private fostering annual report",
            section="Annual reports",
            status=Status.DRAFT,
            severity=Status.DRAFT.severity,
            reason="the newest file is marked as a draft ('DRAFT' in its name)",
            action="Upload the approved version",
            file="Reports/Private fostering DRAFT 2014-15.docx",
            date=dt.date(2015, 6, 30),
            date_source="content",
            files=("Reports/Private fostering DRAFT 2014-15.docx",),
        ),
    )
    report = Report(
        root="/srv/share/annex-a",
        spec_name="Ofsted ILACS Annex A documents",
        spec_source="ilacs",
        as_of=as_of,
        items=items,
        unmatched=("Misc/notes[/].txt", "Misc/Team photo.jpg"),
        errors=(FileError("Reports/[bold red]VSH report.pdf", "encrypted PDF: password required"),),
    )
    return replace(report, **changes) if changes else report


def with_item(report: Report, item_id: str, **changes) -> Report:
    """The report with one item changed."""
    items = tuple(replace(i, **changes) if i.id == item_id else i for i in report.items)
    return replace(report, items=items)
