"""The facts cache: a second scan reads nothing, and no cache trouble stops a scan."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from annexa.cache import dates as cache_dates
from annexa.cache import sqlite as cache_sqlite
from annexa.cache import store as cache_module
from annexa.cache.store import FILE_NAME, FactsCacheDB, open_cache
from annexa.model import Facts, FileEntry, Report
from annexa.model.failures import FailureKind
from annexa.model.files import EXTRACTOR_VERSION
from annexa.pipeline import scan
from annexa.reading.pool import WorkerPoolExtractor
from annexa.reading.read import read_facts
from annexa.spec import load_spec
from tests.makedocs import make_docx, make_pdf
from tests.unprivileged import as_unprivileged_user

AS_OF = dt.date(2015, 9, 16)
PROJECT = Path(__file__).resolve().parents[1]

SPEC = """\
[spec]
name = "Cache test"

[[item]]
id = "A1"
title = "Self-evaluation"
patterns = ["**/*self*eval*"]

[[item]]
id = "A2"
title = "Structure chart"
patterns = ["**/*structure*"]

[[item]]
id = "A3"
title = "Policies"
patterns = ["**/policy*"]
count = 2
"""


class CountingExtractor:
    """Reads in this process and remembers every file it opened."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def extract(
        self,
        root: Path,
        entries: Sequence[FileEntry],
        *,
        on_done: Callable[[Facts], None] | None = None,
    ) -> dict[str, Facts]:
        out: dict[str, Facts] = {}
        for entry in entries:
            self.read.append(entry.path)
            facts = read_facts(Path(root), entry)
            out[entry.path] = facts
            if on_done is not None:
                on_done(facts)
        return out

    def close(self) -> None:
        pass


@pytest.fixture
def share(tmp_path: Path) -> Path:
    return make_share(tmp_path)


def make_share(tmp_path: Path) -> Path:
    """Four dated documents and a note, under ``tmp_path/share``, with the spec beside it."""
    root = tmp_path / "share"
    make_pdf(
        root / "Leadership" / "Self evaluation.pdf",
        ["Self-evaluation", "Date approved: 12 March 2015"],
    )
    make_docx(root / "Structure chart.docx", ["Structure", "Date: 1 July 2015"])
    make_docx(root / "Policies" / "policy one.docx", ["Policy one", "Date approved: 1 May 2015"])
    make_pdf(root / "Policies" / "policy two.pdf", ["Policy two", "Date approved: 2 May 2015"])
    (root / "notes.txt").write_text("not evidence", encoding="utf-8")
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


class Run:
    """One scan with a counting extractor and a fresh cache object on the same folder."""

    def __init__(self, share: Path, cache_dir: Path, version: int = EXTRACTOR_VERSION) -> None:
        self.warnings: list[str] = []
        self.extractor = CountingExtractor()
        self.cache = open_cache(cache_dir, warn=self.warnings.append, version=version)
        spec = load_spec(share.parent / "spec.toml")
        self.report: Report = scan(share, spec, AS_OF, extractor=self.extractor, cache=self.cache)

    @property
    def read(self) -> list[str]:
        return sorted(self.extractor.read)

    def item(self, item_id: str):  # type: ignore[no-untyped-def]
        return next(i for i in self.report.items if i.id == item_id)


DOCUMENTS = [
    "Leadership/Self evaluation.pdf",
    "Policies/policy one.docx",
    "Policies/policy two.pdf",
    "Structure chart.docx",
]


# -- hits, misses, invalidation ------------------------------------------------


def test_a_second_scan_of_an_unchanged_folder_opens_no_document(share, cache_dir):
    first = Run(share, cache_dir)
    second = Run(share, cache_dir)
    assert first.read == DOCUMENTS
    assert second.read == []
    assert second.cache.stats.hits == len(DOCUMENTS)
    assert second.report.to_dict() == first.report.to_dict()
    assert first.warnings == second.warnings == []


def test_the_cache_knows_which_folders_it_holds_so_a_warm_scan_starts_no_reader(
    share, cache_dir, tmp_path
):
    first = Run(share, cache_dir)
    assert first.cache.holds_root(share)
    assert first.cache.holds_root(share / "Policies")
    other = tmp_path / "other share"
    other.mkdir()
    assert not first.cache.holds_root(other)
    assert not first.cache.holds_root(Path(str(share) + " old"))  # a sibling, not a sub-folder


def test_without_a_cache_every_scan_reads_every_document(share):
    spec = load_spec(share.parent / "spec.toml")
    for _ in range(2):
        extractor = CountingExtractor()
        scan(share, spec, AS_OF, extractor=extractor, cache=None)
        assert sorted(extractor.read) == DOCUMENTS


def test_a_document_saved_again_is_read_again(share, cache_dir):
    Run(share, cache_dir)
    make_pdf(
        share / "Leadership" / "Self evaluation.pdf",
        ["Self-evaluation", "Date approved: 1 June 2015"],
    )
    again = Run(share, cache_dir)
    assert again.read == ["Leadership/Self evaluation.pdf"]
    assert again.item("A1").date == dt.date(2015, 6, 1)


def test_a_document_saved_again_with_other_bytes_of_the_same_size_is_read_again(share, cache_dir):
    Run(share, cache_dir)
    path = share / "Policies" / "policy two.pdf"
    data = bytearray(path.read_bytes())
    data[11] ^= 0x01  # in the binary comment after the header
    path.write_bytes(bytes(data))
    again = Run(share, cache_dir)
    assert again.read == ["Policies/policy two.pdf"]
    assert again.cache.stats.hashed >= 1  # it was compared with the cached bytes, then read


def test_a_document_touched_but_not_changed_is_not_read_again(share, cache_dir):
    Run(share, cache_dir)
    path = share / "Structure chart.docx"
    stamp = path.stat().st_mtime + 60
    os.utime(path, (stamp, stamp))
    again = Run(share, cache_dir)
    assert again.read == []
    assert again.cache.stats.copies == 1  # recognised by its bytes


def test_a_new_size_alone_is_read_again(share, cache_dir):
    Run(share, cache_dir)
    path = share / "Policies" / "policy two.pdf"
    before = path.stat()
    with path.open("ab") as out:
        out.write(b"\n% appended\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert Run(share, cache_dir).read == ["Policies/policy two.pdf"]


def test_a_new_annexa_that_reads_documents_differently_reads_them_again(share, cache_dir):
    Run(share, cache_dir)
    newer = Run(share, cache_dir, version=EXTRACTOR_VERSION + 1)
    assert newer.read == DOCUMENTS
    assert Run(share, cache_dir, version=EXTRACTOR_VERSION + 1).read == []
    assert Run(share, cache_dir).read == []  # the older annexa's rows were kept apart


# -- renamed and copied files ---------------------------------------------------


def test_a_renamed_document_is_not_read_again(share, cache_dir):
    Run(share, cache_dir)
    (share / "Leadership" / "Self evaluation.pdf").rename(
        share / "Leadership" / "SELF EVAL final.pdf"
    )
    again = Run(share, cache_dir)
    assert again.read == []
    assert again.cache.stats.copies == 1
    assert again.item("A1").file == "Leadership/SELF EVAL final.pdf"
    assert again.item("A1").date == dt.date(2015, 3, 12)
    assert Run(share, cache_dir).cache.stats.hits == len(DOCUMENTS)  # now found by its name


def test_a_document_moved_to_another_folder_is_not_read_again(share, cache_dir):
    Run(share, cache_dir)
    (share / "Archive").mkdir()
    shutil.move(share / "Structure chart.docx", share / "Archive" / "Structure chart.docx")
    assert Run(share, cache_dir).read == []


def test_a_copied_document_is_not_read_again(share, cache_dir):
    Run(share, cache_dir)
    shutil.copyfile(
        share / "Policies" / "policy one.docx", share / "Policies" / "policy one copy.docx"
    )
    again = Run(share, cache_dir)
    assert again.read == []
    assert "Policies/policy one copy.docx" in again.item("A3").files


def test_a_document_of_the_same_size_with_other_bytes_is_read(share, cache_dir):
    Run(share, cache_dir)
    original = share / "Policies" / "policy two.pdf"
    data = bytearray(original.read_bytes())
    data[11] ^= 0x01  # in the binary comment after the header
    (share / "Policies" / "policy three.pdf").write_bytes(bytes(data))
    again = Run(share, cache_dir)
    assert again.read == ["Policies/policy three.pdf"]
    assert again.cache.stats.copies == 0


def test_a_first_scan_hashes_no_file_to_look_for_copies(share, cache_dir):
    cache = FactsCacheDB(cache_dir)
    entries = [_entry(share, path) for path in DOCUMENTS]
    assert cache.get_many(share, entries) == {}
    assert cache.stats.hashed == 0
    cache.close()


def test_scanning_one_folder_of_a_share_uses_what_the_whole_share_read(share, cache_dir):
    Run(share, cache_dir)
    extractor = CountingExtractor()
    spec = load_spec(share.parent / "spec.toml")
    report = scan(share / "Policies", spec, AS_OF, extractor=extractor, cache=open_cache(cache_dir))
    assert extractor.read == []
    assert sorted(next(i for i in report.items if i.id == "A3").files) == [
        "policy one.docx",
        "policy two.pdf",
    ]


# -- dates kept with the facts -----------------------------------------------------


@pytest.fixture
def dating_calls(monkeypatch):  # type: ignore[no-untyped-def]
    """Counts read_dates calls; each run's Scanner starts from an empty memo, as a new
    process does."""
    import annexa.judging.memo

    calls: list[str] = []
    real = annexa.judging.memo.read_dates

    def counting(facts, path, options, mtime_ns):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(facts, path, options, mtime_ns)

    monkeypatch.setattr(annexa.judging.memo, "read_dates", counting)

    def new_process() -> None:
        calls.clear()

    new_process()
    return calls, new_process


def test_a_warm_scan_takes_dates_from_the_cache_instead_of_reading_them(
    share, cache_dir, dating_calls
):
    calls, new_process = dating_calls
    first = Run(share, cache_dir)
    assert sorted(calls) == DOCUMENTS
    new_process()
    second = Run(share, cache_dir)
    assert calls == []
    assert second.cache.stats.dates_hits == len(DOCUMENTS)
    assert second.report.to_dict() == first.report.to_dict()


def test_dates_are_read_again_by_an_annexa_that_dates_differently(
    share, cache_dir, dating_calls, monkeypatch
):
    calls, new_process = dating_calls
    Run(share, cache_dir)
    new_process()
    monkeypatch.setattr(cache_module, "dating_fingerprint", lambda: b"other dating code")
    assert Run(share, cache_dir).read == []
    assert sorted(calls) == DOCUMENTS


def test_a_renamed_document_is_dated_again_under_its_new_name(share, cache_dir, dating_calls):
    calls, new_process = dating_calls
    Run(share, cache_dir)
    (share / "Structure chart.docx").rename(share / "Structure chart 2013-04-01.docx")
    new_process()
    again = Run(share, cache_dir)
    assert again.read == []  # the same bytes: not read again
    assert calls == ["Structure chart 2013-04-01.docx"]  # but its name may carry a date


def test_dates_are_keyed_on_the_dating_code_itself(tmp_path):
    names = {path.name for path in cache_dates.dating_sources()}
    assert {"labels.py", "content.py", "document.py", "dates.py", "files.py"} <= names
    code = [tmp_path / "labels.py", tmp_path / "parse.py"]
    code[0].write_text("LABELS = ['date approved']\n", encoding="utf-8")
    code[1].write_text("ORDER = 'DMY'\n", encoding="utf-8")
    before = cache_dates.fingerprint(code, "0.1.0")
    code[0].write_text("LABELS = ['date approved', 'ratified']\n", encoding="utf-8")
    assert cache_dates.fingerprint(code, "0.1.0") != before
    assert cache_dates.fingerprint(code, "0.2.0") != cache_dates.fingerprint(code, "0.1.0")


# -- failures -------------------------------------------------------------------


def _entry(root: Path, rel: str) -> FileEntry:
    st = (root / rel).stat()
    return FileEntry(rel, st.st_size, st.st_mtime_ns)


def _failed(entry: FileEntry, reason: str, kind: FailureKind) -> Facts:
    return Facts(
        entry.path,
        entry.size,
        entry.mtime_ns,
        "pdf",
        error=reason,
        error_kind=kind,
        extractor_version=EXTRACTOR_VERSION,
    )


def test_a_file_that_cannot_be_read_is_not_tried_again_until_it_changes(share, cache_dir):
    entry = _entry(share, "Policies/policy two.pdf")
    cache = FactsCacheDB(cache_dir)
    cache.put_many(
        share, [_failed(entry, "encrypted PDF: password required", FailureKind.ENCRYPTED)]
    )
    found = cache.get_many(share, [entry])
    assert found[entry.path].error == "encrypted PDF: password required"
    cache.close()


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("timed out after 20 s", FailureKind.TIMED_OUT),
        ("needs more memory than the 1024 MB allowed", FailureKind.OUT_OF_MEMORY),
        ("the reader crashed (signal 11)", FailureKind.READER_FAILED),
        ("file vanished before it could be read", FailureKind.VANISHED),
        ("permission denied", FailureKind.PERMISSION),
        ("in use by another program", FailureKind.LOCKED),
    ],
)
def test_a_failure_of_the_moment_is_tried_again(share, cache_dir, reason, kind):
    entry = _entry(share, "Policies/policy two.pdf")
    cache = FactsCacheDB(cache_dir)
    cache.put_many(share, [_failed(entry, reason, kind)])
    assert cache.get_many(share, [entry]) == {}
    assert cache.stats.skipped == 1
    cache.close()


# -- a cache that cannot be used --------------------------------------------------


def test_a_damaged_cache_file_is_rebuilt_with_a_warning(share, cache_dir):
    cache_dir.mkdir()
    garbage = os.urandom(8192)
    (cache_dir / FILE_NAME).write_bytes(garbage)
    run = Run(share, cache_dir)
    assert run.read == DOCUMENTS
    assert len(run.warnings) == 1
    assert "was damaged" in run.warnings[0]
    assert (cache_dir / (FILE_NAME + ".damaged")).read_bytes() == garbage
    assert _rows(cache_dir) == len(DOCUMENTS)
    again = Run(share, cache_dir)
    assert again.read == [] and again.warnings == []


def test_a_damaged_cache_in_use_by_another_annexa_is_bypassed_not_moved(share, cache_dir):
    fcntl = pytest.importorskip("fcntl")
    cache_dir.mkdir()
    garbage = os.urandom(4096)
    (cache_dir / FILE_NAME).write_bytes(garbage)
    fd = os.open(cache_dir / (FILE_NAME + ".lock"), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # as another annexa holds it while it uses the file
        run = Run(share, cache_dir)
    finally:
        os.close(fd)
    assert run.read == DOCUMENTS
    assert run.warnings and "another annexa is using it" in run.warnings[0]
    assert (cache_dir / FILE_NAME).read_bytes() == garbage
    assert run.item("A1").date == dt.date(2015, 3, 12)


def test_another_programs_database_is_left_untouched(share, cache_dir):
    cache_dir.mkdir()
    theirs = cache_dir / FILE_NAME
    with sqlite3.connect(theirs) as conn:
        conn.execute("CREATE TABLE invoices (number INTEGER, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 99.5)")
    conn.close()
    before = theirs.read_bytes()
    run = Run(share, cache_dir)
    assert run.read == DOCUMENTS
    assert run.warnings and "belongs to another program" in run.warnings[0]
    assert "choose another folder with --cache-dir" in run.warnings[0]
    assert theirs.read_bytes() == before
    assert run.item("A2").date == dt.date(2015, 7, 1)


def test_a_locked_cache_is_bypassed_with_a_warning(share, cache_dir, monkeypatch):
    Run(share, cache_dir)
    (share / "Policies" / "policy three.pdf").write_bytes(
        (share / "Policies" / "policy two.pdf").read_bytes() + b"\n"
    )
    monkeypatch.setattr(cache_sqlite, "BUSY_SECONDS", 0.1)
    holder = sqlite3.connect(cache_dir / FILE_NAME, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process writing, and taking its time
        run = Run(share, cache_dir)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run.read == ["Policies/policy three.pdf"]
    assert run.warnings and "database is locked" in run.warnings[0]
    assert "Policies/policy three.pdf" in run.item("A3").files


def test_a_cache_folder_that_cannot_be_created_is_bypassed(share, tmp_path):
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")
    run = Run(share, tmp_path / "a-file" / "cache")
    assert run.read == DOCUMENTS
    assert run.warnings == [
        f"the cache at {tmp_path / 'a-file' / 'cache' / FILE_NAME} could not be used "
        "(its folder cannot be created: not a directory); reading every document"
    ]


def test_a_cache_folder_inside_the_scanned_folder_is_never_written(share):
    inside = share / "Leadership" / "cache"
    run = Run(share, inside)
    assert run.read == DOCUMENTS
    assert not inside.exists()
    assert run.warnings and "inside the folder being checked" in run.warnings[0]


def _scan_in_read_only_folder(root: str, cache_dir: str) -> dict[str, object]:
    warnings: list[str] = []
    extractor = CountingExtractor()
    spec = load_spec(Path(root).parent / "spec.toml")
    report = scan(
        Path(root),
        spec,
        AS_OF,
        extractor=extractor,
        cache=open_cache(cache_dir, warn=warnings.append),
    )
    return {"warnings": warnings, "read": sorted(extractor.read), "report": report.to_dict()}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX file modes and fork")
def test_a_read_only_cache_folder_is_bypassed_and_the_scan_still_answers(share):
    base = Path(tempfile.mkdtemp(prefix="annexa-ro-"))  # a place another user can reach
    try:
        os.chmod(base, 0o755)
        root = base / "share"
        shutil.copytree(share, root)
        shutil.copy(share.parent / "spec.toml", base / "spec.toml")
        cache_dir = base / "cache"
        expected = Run(root, cache_dir)  # a cache made earlier, by someone else
        for path in [base, *base.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        for path in cache_dir.iterdir():
            os.chmod(path, 0o444)
        os.chmod(cache_dir, 0o555)
        if os.geteuid() == 0:
            answer = as_unprivileged_user(_scan_in_read_only_folder, str(root), str(cache_dir))
        else:
            answer = _scan_in_read_only_folder(str(root), str(cache_dir))
        assert "error" not in answer, answer
        assert answer["read"] == DOCUMENTS
        assert len(answer["warnings"]) == 1
        assert "could not be used" in answer["warnings"][0]
        assert answer["warnings"][0].endswith("; reading every document")
        assert answer["report"] == json.loads(json.dumps(expected.report.to_dict(), default=str))
    finally:
        if (base / "cache").exists():
            os.chmod(base / "cache", 0o755)
        shutil.rmtree(base, ignore_errors=True)


# -- reader processes and concurrency -----------------------------------------------


def test_a_warm_scan_starts_no_reader_process(share, cache_dir):
    spec = load_spec(share.parent / "spec.toml")
    cold_pool = WorkerPoolExtractor(workers=1)
    try:
        scan(share, spec, AS_OF, extractor=cold_pool, cache=open_cache(cache_dir))
    finally:
        cold_pool.close()
    warm_pool = WorkerPoolExtractor(workers=1)
    try:
        report = scan(share, spec, AS_OF, extractor=warm_pool, cache=open_cache(cache_dir))
        assert warm_pool.pids == ()
        assert warm_pool._workers == []  # not even one that was started and stopped
    finally:
        warm_pool.close()
    assert next(i for i in report.items if i.id == "A1").date == dt.date(2015, 3, 12)


def test_two_scans_at_once_share_one_cache_without_harm(tmp_path, cache_dir):
    root = tmp_path / "share"
    for number in range(24):
        make_pdf(
            root / f"policy {number:02}.pdf",
            [f"Policy {number}", f"Date approved: {number + 1} May 2015"],
        )
        make_docx(
            root / f"policy {number:02}.docx",
            [f"Policy {number}", f"Date approved: {number + 1} June 2015"],
        )
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    expected = scan(root, load_spec(tmp_path / "spec.toml"), AS_OF).to_dict()
    command = [
        sys.executable, "-m", "annexa", "scan", str(root), "--spec", str(tmp_path / "spec.toml"),
        "--as-of", AS_OF.isoformat(), "--format", "json", "--cache-dir", str(cache_dir),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    for _ in range(2):  # both cold, then both warm
        runs = [
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
            )
            for _ in range(2)
        ]
        for run in runs:
            out, err = run.communicate(timeout=240)
            assert run.returncode in (0, 1), err
            assert "warning" not in err, err
            written = json.loads(out)
            assert written.pop("$schema") == "urn:annexa:schema:annexa-report/1"
            assert written == json.loads(json.dumps(expected, default=str))
    with sqlite3.connect(cache_dir / FILE_NAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert _rows(cache_dir) == 48


def _rows(cache_dir: Path) -> int:
    conn = sqlite3.connect(cache_dir / FILE_NAME)
    try:
        return conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    finally:
        conn.close()


# -- the command line ----------------------------------------------------------------


def test_the_command_line_keeps_its_cache_where_annexa_cache_dir_says(
    share, tmp_path, monkeypatch, capsys
):
    from annexa.cli import main

    monkeypatch.setenv("ANNEXA_CACHE_DIR", str(tmp_path / "env-cache"))
    args = ["scan", str(share), "--spec", str(share.parent / "spec.toml"), "--as-of", "2015-09-16"]
    main([*args, "--format", "json"])
    capsys.readouterr()
    assert _rows(tmp_path / "env-cache") == len(DOCUMENTS)
    main([*args, "--no-cache", "--cache-dir", str(tmp_path / "unused")])
    assert not (tmp_path / "unused").exists()
