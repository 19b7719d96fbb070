"""Faults of a shared folder and of the machine: each is reported, and the scan answers for the rest.

A network share is not a quiet disk: files vanish between the listing and
the reading (someone saved over them), grow while read (a copy still
arriving), cannot be opened (permissions), folders cannot be listed, the
share itself drops mid-scan, and the cache folder may be read-only or
full. None of these may stop a scan, lose an answer for a file it could
read, or leave a wrong answer in the cache.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

import pytest

from annexa.cache import sqlite as cache_sqlite
from annexa.cache import store as cache_module
from annexa.cache.store import open_cache
from annexa.cli import main
from annexa.finding.walk import RootLostError, RootMissingError
from annexa.model import Facts, FileEntry, Report
from annexa.model.codec import encode
from annexa.model.failures import FailureKind
from annexa.pipeline import Scanner, scan
from annexa.reading.inline import InlineExtractor
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.worker_job import read_ahead
from annexa.spec import load_spec
from tests.hostile import AS_OF, docx_document, pdf_document
from tests.unprivileged import as_unprivileged_user

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX folders and modes")

SPEC = """\
[spec]
name = "Faults"

[[item]]
id = "F1"
title = "Self-evaluation"
patterns = ["**/*self*eval*"]

[[item]]
id = "F2"
title = "Structure chart"
patterns = ["**/*structure*"]

[[item]]
id = "F3"
title = "Improvement plan"
patterns = ["**/*improvement*"]

[[item]]
id = "F4"
title = "Workforce data"
patterns = ["**/*workforce*"]
"""

FILES = {
    "Leadership/Self evaluation.pdf": "F1",
    "Leadership/Structure chart.docx": "F2",
    "Plans/Improvement plan.pdf": "F3",
    "Workforce/Workforce data.docx": "F4",
}
IN_DATE = {"F1": "ok", "F2": "ok", "F3": "ok", "F4": "ok"}


@pytest.fixture
def share(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    for path in FILES:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = [target.stem, "Date approved: 1 September 2015"]
        target.write_bytes(pdf_document(lines) if path.endswith(".pdf") else docx_document(lines))
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    return root


@contextlib.contextmanager
def reachable_copy(share: Path) -> Iterator[tuple[Path, Path]]:
    """A copy of ``share`` and its spec where another user can reach them (folders 755,
    files 644), removed afterwards even if a test shut a folder or a file."""
    base = Path(tempfile.mkdtemp(prefix="annexa-faults-"))
    try:
        os.chmod(base, 0o755)
        root = base / "share"
        shutil.copytree(share, root)
        shutil.copy(share.parent / "spec.toml", base / "spec.toml")
        for path in [root, *root.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        yield root, base / "spec.toml"
    finally:
        for folder, folders, _files in os.walk(base):  # opened before os.walk goes in
            for name in folders:
                os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(base, ignore_errors=True)


def statuses(report: Report) -> dict[str, str]:
    return {item.id: item.status.value for item in report.items}


def item(report: Report, item_id: str):  # type: ignore[no-untyped-def]
    return next(i for i in report.items if i.id == item_id)


class Meddling:
    """The real reader processes, with something done to ROOT just before or while they read."""

    def __init__(
        self,
        before: Callable[[Path], None] | None = None,
        after_first: Callable[[Path], None] | None = None,
        **pool: object,
    ) -> None:
        self.pool = WorkerPoolExtractor(**pool)  # type: ignore[arg-type]
        self.before = before
        self.after_first = after_first
        self.read: list[str] = []

    def extract(
        self,
        root: Path,
        entries: Sequence[FileEntry],
        *,
        on_done: Callable[[Facts], None] | None = None,
    ) -> dict[str, Facts]:
        self.read += [e.path for e in entries]
        if self.before is not None:
            self.before(root)
        first = True

        def done(facts: Facts) -> None:
            nonlocal first
            if first and self.after_first is not None:
                self.after_first(root)
            first = False
            if on_done is not None:
                on_done(facts)

        return self.pool.extract(root, entries, on_done=done)

    def close(self) -> None:
        self.pool.close()


def run_scan(share: Path, extractor, cache=None) -> Report:  # type: ignore[no-untyped-def]
    spec = load_spec(share.parent / "spec.toml")
    try:
        return scan(share, spec, AS_OF, extractor=extractor, cache=cache)
    finally:
        extractor.close()


# -- files that change under the reader -------------------------------------------------


def test_a_file_that_vanishes_between_listing_and_reading_is_reported_and_the_rest_judged(
    share: Path,
) -> None:
    victim = "Plans/Improvement plan.pdf"
    report = run_scan(share, Meddling(before=lambda root: (root / victim).unlink()))
    f3 = item(report, "F3")
    assert f3.status.value == "unreadable"
    assert f3.reason == (
        "The newest file, Improvement plan.pdf, cannot be read: "
        "file vanished before it could be read."
    )
    assert statuses(report) == {**IN_DATE, "F3": "unreadable"}


def grow_while_reading(root: Path, entry: FileEntry, options: tuple = ()) -> Facts:  # type: ignore[type-arg]
    """A reader that finds its file growing: bytes arrive just as it starts (a copy in progress)."""
    with open(Path(root) / entry.path, "ab") as growing:
        growing.write(b"\n% still arriving\n" * 1000)
    return read_ahead(root, entry, options)


def test_a_file_that_grows_while_read_is_judged_and_read_again_next_time(
    share: Path, tmp_path: Path
) -> None:
    spec = load_spec(share.parent / "spec.toml")
    options = spec.dating_options()
    warnings: list[str] = []
    cache = open_cache(tmp_path / "cache", warn=warnings.append)
    pool = WorkerPoolExtractor(read=partial(grow_while_reading, options=options))
    report = run_scan(share, pool, cache)
    assert statuses(report) == IN_DATE  # a PDF with bytes after its end still reads
    again = Meddling()
    cache = open_cache(tmp_path / "cache", warn=warnings.append)
    report = run_scan(share, again, cache)
    # every file grew after it was listed: none is answered from facts filed
    # under the size the listing saw, nor under bytes hashed while it grew
    assert sorted(again.read) == sorted(FILES)
    assert statuses(report) == IN_DATE
    assert warnings == []
    third = Meddling()
    run_scan(share, third, open_cache(tmp_path / "cache"))
    assert third.read == []  # once the files are still, the cache answers


# -- files and folders that cannot be opened ------------------------------------------------


def _scan_as_nobody(root: str, spec: str) -> dict[str, object]:
    from annexa.reading.inline import InlineExtractor

    report = scan(Path(root), load_spec(spec), AS_OF, extractor=InlineExtractor())
    return json.loads(json.dumps(report.to_dict(), default=str))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX file modes and fork")
def test_a_file_and_a_folder_that_cannot_be_opened_are_reported_and_the_rest_judged(
    share: Path,
) -> None:
    with reachable_copy(share) as (root, spec):
        _scan_as_nobody(str(root), str(spec))  # load every module while we can
        os.chmod(root / "Plans" / "Improvement plan.pdf", 0o000)
        os.chmod(root / "Workforce", 0o000)
        if os.geteuid() == 0:
            answer = as_unprivileged_user(_scan_as_nobody, str(root), str(spec))
        else:
            answer = _scan_as_nobody(str(root), str(spec))
    assert "error" not in answer, answer
    found = {i["id"]: i for i in answer["items"]}  # type: ignore[union-attr]
    assert {k: v["status"] for k, v in found.items()} == {
        **IN_DATE,
        "F3": "unreadable",
        "F4": "missing",
    }
    assert found["F3"]["reason"].endswith("cannot be read: permission denied.")
    errors = {(e["file"], e["error"]) for e in answer["errors"]}  # type: ignore[union-attr]
    assert errors == {
        ("Plans/Improvement plan.pdf", "permission denied"),
        ("Workforce", "folder cannot be listed: permission denied"),
    }


# -- ROOT that goes away ------------------------------------------------------------------------


def test_root_that_disappears_before_the_reading_is_exit_2_with_one_line(
    share: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = share.parent / "moved away"

    class DropsTheShare(WorkerPoolExtractor):
        """The readers annexa scan starts, but the share drops just as they begin."""

        def extract(self, root, entries, *, on_done=None):  # type: ignore[no-untyped-def]
            Path(root).rename(moved)
            return super().extract(root, entries, on_done=on_done)

    monkeypatch.setattr("annexa.reading.pool.WorkerPoolExtractor", DropsTheShare)
    code = main(
        ["scan", str(share), "--spec", str(share.parent / "spec.toml"), "--no-cache",
         "--as-of", AS_OF.isoformat(), "--format", "json"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""  # no report that calls every document unreadable
    assert err == (
        f"annexa: the folder {share} became unreachable during the check "
        "(no such file or directory); no report was made: check again once it is back\n"
    )


def test_root_that_disappears_while_files_are_read_stops_the_run_and_keeps_what_was_read(
    share: Path, tmp_path: Path
) -> None:
    moved = share.parent / "moved away"
    first = Meddling(after_first=lambda root: root.rename(moved), workers=1)
    with pytest.raises(RootLostError):
        run_scan(share, first, open_cache(tmp_path / "cache"))
    moved.rename(share)
    again = Meddling()
    report = run_scan(share, again, open_cache(tmp_path / "cache"))
    assert statuses(report) == IN_DATE
    # what was read before the share went was kept (the reader may have read a
    # file sent ahead before it went); none that failed with it was
    assert set(first.read) == set(FILES)
    assert 0 < len(again.read) < len(FILES)


def test_root_that_disappears_during_the_listing_stops_the_run_before_reading(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir
    moved = share.parent / "moved away"

    def scandir(path):  # type: ignore[no-untyped-def]
        listing = real_scandir(path)
        if Path(path) == share:  # the share drops right after its top folder was listed
            share.rename(moved)
        return listing

    monkeypatch.setattr(os, "scandir", scandir)
    extractor = Meddling()
    with pytest.raises(RootLostError, match="became unreachable during the check"):
        run_scan(share, extractor)
    assert extractor.read == []


def test_a_share_that_stops_answering_mid_scan_stops_the_run_with_the_systems_words(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The share is still mounted but answers every call with EIO: the files fail as
    unreachable, ROOT's own stat fails the same way, and the run stops once."""
    from annexa.reading.read import failed_facts

    dropped: list[bool] = []
    real_stat = os.stat

    def stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if dropped and isinstance(path, (str, os.PathLike)) and Path(path) == share:
            raise OSError(errno.EIO, "Input/output error", str(path))
        return real_stat(path, *args, **kwargs)

    def unreachable(root: Path, entry: FileEntry) -> Facts:
        dropped.append(True)
        return failed_facts(entry, "the folder cannot be reached", FailureKind.UNREACHABLE)

    monkeypatch.setattr(os, "stat", stat)
    extractor = InlineExtractor(read=unreachable)
    with pytest.raises(RootLostError) as stopped:
        run_scan(share, extractor)
    assert len(dropped) == 1  # stopped at the first file, not after every one
    assert str(stopped.value) == (
        f"the folder {share} became unreachable during the check (input/output error); "
        "no report was made: check again once it is back"
    )


def test_a_folder_that_vanishes_during_the_listing_is_not_a_lost_root(
    share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if isinstance(path, (str, os.PathLike)) and Path(path) == share / "Workforce":
            Path(path).rename(share.parent / "Workforce")  # a colleague moved it just now
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = run_scan(share, Meddling())
    assert statuses(report) == {**IN_DATE, "F4": "missing"}
    assert [(e.file, e.kind) for e in report.errors] == [("Workforce", FailureKind.VANISHED)]


def test_root_that_is_gone_before_the_scan_is_a_usage_error(
    share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(share)
    code = main(["scan", str(share), "--spec", str(share.parent / "spec.toml"), "--no-cache"])
    assert code == 2
    assert capsys.readouterr().err.startswith("annexa: folder not found")
    with pytest.raises(RootMissingError):
        run_scan(share, WorkerPoolExtractor())


# -- a cache that cannot take more -----------------------------------------------------------


@pytest.fixture(params=["when created", "when storing"])
def full_disk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every cache connection finds the disk full: SQLite's own SQLITE_FULL, not a stand-in.

    ``max_page_count`` caps the database file, so the first write that
    needs another page fails with "database or disk is full", exactly as on
    a full disk or an exhausted quota: before the cache's tables can be
    made, or once they are, when the facts read are stored.
    """
    if request.param == "when created":
        real_connection = cache_sqlite.connection

        def connection(path: Path) -> sqlite3.Connection:
            conn = real_connection(path)
            conn.execute("PRAGMA max_page_count = 1")
            return conn

        monkeypatch.setattr(cache_sqlite, "connection", connection)
    else:
        real_prepared = cache_module.prepared

        def prepared(path: Path) -> sqlite3.Connection:
            conn = real_prepared(path)
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            conn.execute(f"PRAGMA max_page_count = {pages}")
            return conn

        monkeypatch.setattr(cache_module, "prepared", prepared)
    return str(request.param)


def crowd(share: Path) -> None:
    """Enough documents that their facts need pages a full disk no longer has."""
    for number in range(40):
        shutil.copy(
            share / "Plans" / "Improvement plan.pdf", share / "Plans" / f"improvement {number}.pdf"
        )


def test_a_full_cache_disk_is_one_warning_and_the_scan_answers_as_without_a_cache(
    share: Path, tmp_path: Path, full_disk: str
) -> None:
    for number in range(40):  # enough facts to need pages the disk no longer has
        shutil.copy(
            share / "Plans" / "Improvement plan.pdf", share / "Plans" / f"improvement {number}.pdf"
        )
    warnings: list[str] = []
    cache = open_cache(tmp_path / "cache", warn=warnings.append)
    with_full_cache = run_scan(share, Meddling(), cache)
    without_cache = run_scan(share, Meddling())
    assert with_full_cache.to_dict() == without_cache.to_dict()
    assert statuses(with_full_cache) == IN_DATE
    assert len(warnings) == 1 and "database or disk is full" in warnings[0], warnings
    assert warnings[0].endswith("; reading every document")


def test_the_command_line_says_the_cache_is_full_once_and_exits_as_without_it(
    share: Path, tmp_path: Path, full_disk: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["scan", str(share), "--spec", str(share.parent / "spec.toml"),
            "--as-of", AS_OF.isoformat(), "--format", "json"]  # fmt: skip
    crowd(share)
    code = main([*args, "--cache-dir", str(tmp_path / "cache")])
    out, err = capsys.readouterr()
    assert code == 0
    assert err.count("annexa: warning:") == 1 and "database or disk is full" in err
    assert main([*args, "--no-cache"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(out)


# -- a folder swapped for a link while annexa watches ---------------------------------------


def test_a_folder_replaced_by_a_link_out_of_root_is_not_followed_when_rechecked(
    share: Path, tmp_path: Path
) -> None:
    """The watcher re-checks the paths it is told of; a folder of ROOT replaced by a
    link to somewhere else must not let a file from there in."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "Improvement plan.pdf"
    secret.write_bytes(pdf_document(["SECRET PLAN", "Date approved: 1 September 2015"]))
    scanner = Scanner(share, load_spec(share.parent / "spec.toml"), extractor=InlineExtractor())
    try:
        scanner.full_scan()
        shutil.rmtree(share / "Plans")
        (share / "Plans").symlink_to(outside, target_is_directory=True)
        scanner.refresh(["Plans/Improvement plan.pdf"])
        report = scanner.report(AS_OF)
    finally:
        scanner.close()
    assert "Plans/Improvement plan.pdf" not in scanner.files
    assert item(report, "F3").status.value == "missing"
    assert "SECRET" not in repr([encode(f) for f in scanner.facts.values()])
