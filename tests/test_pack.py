"""``annexa pack``: the evidence bundle for the inspectors, built from what annexa judged.

The demo authority is packed once through the real command line; the tests
then open the zip as an inspector would: the index lists every item, the
manifest checks out with ``sha256sum -c``, every document opens, and the
folder that was packed is byte for byte as it was.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import html

from annexa.pack import PackError, build_pack
from annexa.pack.build import write_pack
from annexa.pack.plan import MANIFEST, PackPlan, plan_pack
from annexa.pack.sinks import FolderSink, ZipSink
from annexa.pipeline import Scanner
from annexa.spec import load_spec
from tests.test_pack_names import windows_problem

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"
AS_OF = (PROJECT / "fixtures" / "demo-authority.as-of").read_text(encoding="utf-8").strip()
DEMO_IDS = [f"A{n}" for n in range(1, 25)]


def tree_digest(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with the SHA-256 of its bytes: ROOT's fingerprint."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[rel] = "folder"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def annexa(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annexa", *args, "--cache-dir", str(cache)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


@dataclasses.dataclass
class DemoPack:
    dest: Path
    run: subprocess.CompletedProcess[str]
    before: dict[str, str]  # the demo folder's fingerprint before packing
    after: dict[str, str]


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> DemoPack:
    folder = tmp_path_factory.mktemp("pack")
    before = tree_digest(DEMO)
    dest = folder / "Annex A pack.zip"
    run = annexa("pack", str(dest), str(DEMO), "--as-of", AS_OF, cache=folder / "cache")
    return DemoPack(dest, run, before, tree_digest(DEMO))


@pytest.fixture(scope="module")
def unpacked(demo_pack: DemoPack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(demo_pack.dest) as archive:
        archive.extractall(out)
    return out


def _index_rows(folder: Path) -> list[dict[str, str]]:
    text = (folder / "index.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_pack_is_made_and_the_packed_folder_is_unchanged(demo_pack: DemoPack) -> None:
    assert demo_pack.run.returncode == 0, demo_pack.run.stderr
    assert demo_pack.dest.is_file()
    assert demo_pack.after == demo_pack.before
    assert "Packed 22 files for 24 items" in demo_pack.run.stdout
    assert not [p for p in demo_pack.dest.parent.iterdir() if p.name.endswith(".partial")]


def test_index_lists_every_item_with_what_is_wrong(unpacked: Path) -> None:
    rows = _index_rows(unpacked)
    assert [row["id"] for row in rows] == DEMO_IDS
    by_id = {row["id"]: row for row in rows}
    assert by_id["A1"]["status"] == "ok" and by_id["A1"]["what_is_wrong"] == ""
    assert by_id["A1"]["in_pack"].startswith("A01 Self-evaluation of social work practice - ")
    assert by_id["A11"]["status"] == "missing"
    assert "Not in this pack: no file was found for this item." in by_id["A11"]["what_is_wrong"]
    assert by_id["A14"]["status"] == "unreadable" and by_id["A14"]["in_pack"] == ""
    assert "encrypted PDF: password required" in by_id["A14"]["what_is_wrong"]
    assert by_id["A17"]["what_is_wrong"].startswith("Out of date: Out of date since 1 April 2015")
    assert by_id["A17"]["in_pack"]  # out of date, but the file is there for the inspectors
    assert by_id["A12"]["what_is_wrong"].startswith("Draft: ")


def test_manifest_checks_out_with_sha256sum(unpacked: Path) -> None:
    manifest = (unpacked / MANIFEST).read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1] for line in manifest}
    assert listed == {p.name for p in unpacked.iterdir()} - {MANIFEST}
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((unpacked / name).read_bytes()).hexdigest() == digest
    tool = shutil.which("sha256sum")
    if tool is None:
        pytest.skip("sha256sum (GNU coreutils) is not installed; checked in Python above")
    check = subprocess.run(
        [tool, "-c", MANIFEST], cwd=unpacked, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(manifest)


def test_every_packed_document_opens(unpacked: Path) -> None:
    from docx import Document
    from pypdf import PdfReader

    opened = 0
    for path in unpacked.iterdir():
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1
        elif path.suffix == ".docx":
            assert Document(str(path)).paragraphs is not None
        else:
            continue
        opened += 1
    assert opened == 22


def test_zip_names_are_flat_safe_on_windows_and_read_in_item_order(demo_pack: DemoPack) -> None:
    with zipfile.ZipFile(demo_pack.dest) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    for name in names:
        assert windows_problem(name) == "", name
        assert "/" not in name and ".." not in name.split("/") and not name.startswith("/")
    documents = [n for n in names if n[0] == "A"]
    assert documents == sorted(documents)
    assert [n[:3] for n in documents][:3] == ["A01", "A02", "A03"]
    assert len({n.casefold() for n in names}) == len(names)


def test_index_html_is_the_report_linking_to_the_copies(unpacked: Path) -> None:
    page = html.fromstring((unpacked / "index.html").read_text(encoding="utf-8"))
    assert page.findtext(".//title").endswith("Evidence pack as of 16 September 2015")
    links = [h for h in page.xpath("//a/@href") if not h.startswith("#")]
    assert links
    from urllib.parse import unquote

    for href in links:
        assert (unpacked / unquote(href)).is_file(), href
    rows = page.xpath("//table[contains(@class, 'items')]//tr[@id]")
    assert [r.get("id") for r in rows] == [f"item-{i}" for i in DEMO_IDS]
    (a14,) = page.xpath("//tr[@id='item-A14']")
    assert "Not in this pack" in a14.text_content()
    assert not page.xpath("//script")


def test_pack_inside_root_is_refused_and_root_is_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "share"
    shutil.copytree(DEMO, root)
    before = tree_digest(root)
    for dest in (root / "pack.zip", root / "01 Leadership" / "pack", root):
        result = annexa("pack", str(dest), str(root), "--as-of", AS_OF, cache=tmp_path / "c")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "inside the folder being checked" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert tree_digest(root) == before


def test_pack_through_a_link_into_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "share"
    shutil.copytree(DEMO, root)
    (tmp_path / "shortcut").symlink_to(root, target_is_directory=True)
    result = annexa(
        "pack", str(tmp_path / "shortcut" / "p.zip"), str(root), "--as-of", AS_OF, cache=tmp_path
    )
    assert result.returncode == 2 and "inside the folder being checked" in result.stderr
    assert not (root / "p.zip").exists()


def test_an_existing_destination_is_never_overwritten(tmp_path: Path) -> None:
    existing = tmp_path / "pack.zip"
    existing.write_bytes(b"yesterday's pack")
    folder = tmp_path / "pack"
    folder.mkdir()
    for dest in (existing, folder):
        result = annexa("pack", str(dest), str(DEMO), "--as-of", AS_OF, cache=tmp_path / "c")
        assert result.returncode == 2 and "already exists" in result.stderr
    assert existing.read_bytes() == b"yesterday's pack"
    assert list(folder.iterdir()) == []


def test_a_destination_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = annexa(
        "pack", str(tmp_path / "no" / "such" / "p.zip"), str(DEMO), cache=tmp_path / "c"
    )
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_a_folder_pack_holds_the_same_files_and_checks_out(tmp_path: Path) -> None:
    dest = tmp_path / "Annex A pack"
    result = annexa("pack", str(dest), str(DEMO), "--as-of", AS_OF, cache=tmp_path / "c")
    assert result.returncode == 0, result.stderr
    assert [row["id"] for row in _index_rows(dest)] == DEMO_IDS
    for line in (dest / MANIFEST).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dest / name).read_bytes()).hexdigest() == digest
    copy = next(dest.glob("A01 *"))
    original = DEMO / "01 Leadership" / "Self-evaluation of social work practice - July 2015.docx"
    assert copy.stat().st_mtime_ns == original.stat().st_mtime_ns  # the copy keeps its date


# -- what changes between the scan and the copy ----------------------------------


def _plan(root: Path, spec_path: Path | str, as_of: dt.date):
    spec = load_spec(str(spec_path))
    scanner = Scanner(root, spec)
    try:
        scanner.full_scan()
        report = scanner.report(as_of)
        return plan_pack(report, spec, scanner.files, scanner.facts)
    finally:
        scanner.close()


@pytest.fixture
def copy_of_demo(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    shutil.copytree(DEMO, root)
    return root


@pytest.mark.parametrize("kind", ["zip", "folder"])
def test_files_gone_or_changed_since_the_scan_are_listed_not_a_crash(
    copy_of_demo: Path, tmp_path: Path, kind: str
) -> None:
    root = copy_of_demo
    plan = _plan(root, root / "annexa.toml", dt.date.fromisoformat(AS_OF))
    gone = root / "03 Workforce" / "Workforce data - August 2015.pdf"
    gone.unlink()
    changed = root / "05 Children in care" / "Corporate Parenting Strategy 2015-2018.pdf"
    changed.write_bytes(changed.read_bytes() + b"\n% edited after the scan\n")
    dest = tmp_path / ("pack.zip" if kind == "zip" else "pack")
    result = write_pack(root, plan, dest)
    lines = {line.item.id: line for line in result.lines}
    assert lines["A13"].packed == ()
    assert "it has gone since annexa checked the folder" in lines["A13"].wrong
    assert lines["A18"].packed == ()
    assert "changed after annexa checked it" in lines["A18"].wrong
    assert result.files == 20
    assert len(lines) == 24


class _Touching:
    """A sink that changes the source file while it is being copied, as a busy share might."""

    def __init__(self, inner, victim: Path) -> None:
        self.inner, self.victim = inner, victim

    def add(self, name, source, size, mtime_ns):
        result = self.inner.add(name, source, size, mtime_ns)
        if name.startswith("A02 "):
            stat = self.victim.stat()
            os.utime(self.victim, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        return result

    def __getattr__(self, attr):
        return getattr(self.inner, attr)


@pytest.mark.parametrize("sink", [FolderSink, ZipSink])
def test_a_file_changed_while_being_copied_is_taken_out_or_flagged(
    copy_of_demo: Path, tmp_path: Path, sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of_demo
    victim = (
        root
        / "01 Leadership"
        / "Structure charts"
        / ("Children's Services structure chart - July 2015.pdf")
    )
    plan = _plan(root, root / "annexa.toml", dt.date.fromisoformat(AS_OF))
    monkeypatch.setattr("annexa.pack.build.open_sink", lambda dest: _Touching(sink(dest), victim))
    dest = tmp_path / ("p.zip" if sink is ZipSink else "p")
    result = write_pack(root, plan, dest)
    (a2,) = [line for line in result.lines if line.item.id == "A2"]
    assert "changed while it was being copied" in a2.wrong
    if sink is FolderSink:
        assert a2.packed == () and not list(dest.glob("A02 *"))
    else:
        assert "may not match the folder" in a2.wrong


def _audits(tmp_path: Path) -> tuple[Path, PackPlan]:
    """Three monthly case audits for an item that counts the newest two."""
    root = tmp_path / "share"
    (root / "audits").mkdir(parents=True)
    for month in ("2015-06-01", "2015-07-01", "2015-08-01"):
        (root / "audits" / f"{month} Case audit.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    spec = tmp_path / "spec.toml"
    spec.write_text(
        '[spec]\nname = "Audits"\n[[item]]\nid = "A6"\ntitle = "Case audits"\n'
        'patterns = ["audits/*audit*"]\nformats = ["csv"]\ncount = 2\nmax_age = "12 months"\n',
        encoding="utf-8",
    )
    return root, _plan(root, spec, dt.date(2015, 9, 16))


def test_count_items_pack_the_newest_n_files(tmp_path: Path) -> None:
    root, plan = _audits(tmp_path)
    result = write_pack(root, plan, tmp_path / "p")
    (line,) = result.lines
    assert line.packed == (
        "A06 Case audits - 2015-08-01 Case audit.csv",
        "A06 Case audits - 2015-07-01 Case audit.csv",
    )


def test_the_index_lists_an_items_files_a_line_each(tmp_path: Path) -> None:
    root, plan = _audits(tmp_path)
    write_pack(root, plan, tmp_path / "p")
    (row,) = _index_rows(tmp_path / "p")
    assert row["in_pack"].splitlines() == [
        "A06 Case audits - 2015-08-01 Case audit.csv",
        "A06 Case audits - 2015-07-01 Case audit.csv",
    ]
    assert row["original_file"].splitlines() == [
        "audits/2015-08-01 Case audit.csv",
        "audits/2015-07-01 Case audit.csv",
    ]


def test_one_workbook_for_several_lists_is_packed_once(tmp_path: Path) -> None:
    lists = DEMO / "Data lists" / "Notification week"
    plan = _plan(lists, "ilacs-lists", dt.date(2015, 9, 21))
    result = write_pack(lists, plan, tmp_path / "lists.zip")
    with zipfile.ZipFile(tmp_path / "lists.zip") as archive:
        names = archive.namelist()
    assert "L01 Child-level data lists - Annex A lists 2015-09-17.xlsx" in names
    assert "L02 List 2 - Early help - List 2 Early help 2015-09-15.csv" in names
    assert len([n for n in names if n.endswith(".xlsx")]) == 1
    packed = {line.item.id: line.packed for line in result.lines}
    assert (
        packed["L3"]
        == packed["L11"]
        == ("L01 Child-level data lists - Annex A lists 2015-09-17.xlsx",)
    )
    with zipfile.ZipFile(tmp_path / "lists.zip") as archive:
        archive.extractall(tmp_path / "out")
    from openpyxl import load_workbook

    workbook = load_workbook(
        tmp_path / "out" / "L01 Child-level data lists - Annex A lists 2015-09-17.xlsx",
        read_only=True,
    )
    assert len(workbook.sheetnames) >= 10
    workbook.close()
    for line in (tmp_path / "out" / MANIFEST).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest() == digest


# -- making the pack, all or nothing ------------------------------------------------


def test_an_interrupted_pack_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annexa.pack.build as build

    plan = _plan(DEMO, DEMO / "annexa.toml", dt.date.fromisoformat(AS_OF))
    real = build.copy_into
    calls = []

    def stop_on_third(root, file, sink):
        calls.append(file)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(root, file, sink)

    monkeypatch.setattr(build, "copy_into", stop_on_third)
    for dest in (tmp_path / "p.zip", tmp_path / "p"):
        calls.clear()
        with pytest.raises(KeyboardInterrupt):
            write_pack(DEMO, plan, dest)
        assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_one_line_error_and_no_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    class Full(ZipSink):
        def add(self, name, source, size, mtime_ns):
            raise OSError(errno.ENOSPC, "No space left on device")

    plan = _plan(DEMO, DEMO / "annexa.toml", dt.date.fromisoformat(AS_OF))
    monkeypatch.setattr("annexa.pack.build.open_sink", Full)
    with pytest.raises(PackError, match=r"cannot write the pack .*No space left on device"):
        write_pack(DEMO, plan, tmp_path / "p.zip")
    assert list(tmp_path.iterdir()) == []


def test_progress_is_told_each_file_and_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_pack(
        DEMO,
        load_spec(str(DEMO / "annexa.toml")),
        dt.date.fromisoformat(AS_OF),
        tmp_path / "p.zip",
        pack_progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 22) and seen[-1] == (22, 22)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_unreadable_files_are_left_out_only_when_nobody_could_open_them() -> None:
    plan = _plan(DEMO, DEMO / "annexa.toml", dt.date.fromisoformat(AS_OF))
    (a14,) = [entry for entry in plan.items if entry.item.id == "A14"]
    assert a14.sources == ()
    ((source, why),) = a14.left_out
    assert source.endswith("Children's Services Improvement Plan 2015-16.pdf")
    assert why == "it cannot be opened (encrypted PDF: password required)"


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX's")
def test_the_pack_gets_the_permissions_of_any_new_file_not_a_temporary_ones(
    tmp_path: Path,
) -> None:
    umask = os.umask(0o022)
    try:
        plan = _plan(DEMO, DEMO / "annexa.toml", dt.date.fromisoformat(AS_OF))
        write_pack(DEMO, plan, tmp_path / "p.zip")
        write_pack(DEMO, plan, tmp_path / "p")
    finally:
        os.umask(umask)
    assert (tmp_path / "p.zip").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "p").stat().st_mode & 0o777 == 0o755


def test_the_progress_bar_says_what_it_is_counting() -> None:
    from annexa.console.progress import TerminalProgress

    ticks = iter([0.0, 1.0, 2.0])
    out = io.StringIO()
    bar = TerminalProgress(out, clock=lambda: next(ticks), label="Packing files")
    bar(3, 10)
    assert out.getvalue().startswith("\rPacking files ") and out.getvalue().endswith(" 3/10")
    bar(10, 10)
    assert out.getvalue().endswith("\r\x1b[2K")  # erased when done


def test_pack_summary_survives_a_console_that_cannot_show_every_character(tmp_path: Path) -> None:
    command = ["pack", str(tmp_path / "p.zip"), str(DEMO), "--as-of", AS_OF]
    result = subprocess.run(
        [sys.executable, "-m", "annexa", *command, "--cache-dir", str(tmp_path / "c")],
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("ascii")
    assert "Packed 22 files for 24 items" in text


@pytest.mark.parametrize("kind", ["zip", "folder"])
def test_a_file_that_cannot_be_read_to_the_end_is_named_not_a_crash(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A share that drops in the middle of a copy: the file is named, the pack is made."""
    import errno

    import annexa.pack.copy as copy

    plan = _plan(DEMO, DEMO / "annexa.toml", dt.date.fromisoformat(AS_OF))
    victim = plan.file(
        "01 Leadership/Structure charts/Children's Services structure chart - July 2015.pdf"
    )
    assert victim is not None
    real_read, real_copy = copy._Reading.read, copy.copy_into

    def share_drops(self, size=-1, /):  # type: ignore[no-untyped-def]
        raise copy._SourceError(OSError(errno.EIO, "Input/output error"))

    def copy_into(root, file, sink):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(copy._Reading, "read", share_drops if file is victim else real_read)
        return real_copy(root, file, sink)

    monkeypatch.setattr("annexa.pack.build.copy_into", copy_into)
    dest = tmp_path / ("p.zip" if kind == "zip" else "p")
    result = write_pack(DEMO, plan, dest)
    (a2,) = [line for line in result.lines if line.item.id == "A2"]
    assert a2.packed == ()
    if kind == "folder":
        assert "Not in this pack: " in a2.wrong
        assert "could not be read: the folder cannot be reached (input/output error)" in a2.wrong
        assert not list(dest.glob("A02 *"))
    else:
        assert "incomplete and not in SHA256SUMS.txt: do not use it" in a2.wrong
    assert result.files == 21
