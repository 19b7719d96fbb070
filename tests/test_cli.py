"""The command line as CI and managers use it: exit codes, formats, one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annexa.cli import main
from tests.makedocs import make_docx, make_pdf

SPEC = """\
[spec]
name = "Test Annex A"

[[item]]
id = "A1"
title = "Self-evaluation"
section = "Leadership"
patterns = ["**/*self*eval*"]

[[item]]
id = "A2"
title = "Structure chart"
section = "Leadership"
patterns = ["**/*structure*"]
max_age = "3 months"
"""


@pytest.fixture
def share(tmp_path: Path) -> Path:
    """A folder with one item in date, one due soon, and an unmatched file."""
    root = tmp_path / "share"
    make_pdf(
        root / "Leadership" / "Self evaluation 2015.pdf",
        ["Self-evaluation", "Date approved: 12 March 2015"],
    )
    make_docx(root / "Structure chart.docx", ["Children's services structure", "Date: 1 July 2015"])
    (root / "Misc").mkdir()
    (root / "Misc" / "notes.txt").write_text("hello", encoding="utf-8")
    (root / "~$Structure chart.docx").write_bytes(b"owner file")
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    return root


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def scan_args(share: Path, *extra: str) -> list[str]:
    return ["scan", str(share), "--spec", str(share.parent / "spec.toml"), "--no-cache", *extra]


def test_json_report_follows_the_contract(share, capsys):
    code, out, _ = run(capsys, *scan_args(share, "--as-of", "2015-09-16", "--format", "json"))
    report = json.loads(out)
    assert report["schema"] == "annexa-report/1" and report["as_of"] == "2015-09-16"
    assert report["spec"] == {"name": "Test Annex A", "source": str(share.parent / "spec.toml")}
    a1, a2 = report["items"]
    assert (a1["id"], a1["status"], a1["severity"], a1["date"], a1["expires"]) == (
        "A1",
        "ok",
        None,
        "2015-03-12",
        "2016-03-12",
    )
    assert a1["file"] == "Leadership/Self evaluation 2015.pdf"
    assert a1["evidence"]["label"] == "Date approved" and a1["evidence"]["page"] == 1
    assert (a2["status"], a2["severity"], a2["expires"]) == ("due_soon", "warning", "2015-10-01")
    assert report["unmatched"] == ["Misc/notes.txt"]  # the ~$ owner file is ignored entirely
    assert report["summary"]["ok"] == 1 and report["summary"]["due_soon"] == 1
    assert code == 0  # a warning does not fail with the default --fail-on error


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_decides_the_exit_code_for_warnings(share, capsys, fail_on, expected):
    code, _, _ = run(
        capsys, *scan_args(share, "--as-of", "2015-09-16", "--fail-on", fail_on, "--format", "json")
    )
    assert code == expected


def test_errors_exit_1_unless_fail_on_never(share, capsys):
    assert run(capsys, *scan_args(share, "--as-of", "2016-09-16", "--format", "json"))[0] == 1
    assert (
        run(
            capsys,
            *scan_args(share, "--as-of", "2016-09-16", "--fail-on", "never", "--format", "json"),
        )[0]
        == 0
    )


def test_text_report_is_plain_when_piped_and_says_what_to_do(share, capsys):
    code, out, _ = run(capsys, *scan_args(share, "--as-of", "2015-12-16"))
    assert "\x1b[" not in out
    assert "1 in date · 1 out of date" in out
    assert "Out of date since 2 October 2015 (dated 1 July 2015, reviewed every 3 months)." in out
    assert "→ Upload a current version: Structure chart.docx expired on 1 October 2015." in out
    assert "Misc/notes.txt" in out and "~$" not in out
    assert code == 1


def test_several_formats_from_one_scan(share, capsys, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    _code, out, _ = run(
        capsys,
        *scan_args(
            share,
            "--as-of",
            "2015-09-16",
            "--format",
            f"json:{out_dir / 'r.json'}",
            "--format",
            "text",
        ),
    )
    assert json.loads((out_dir / "r.json").read_text(encoding="utf-8"))["summary"]["due_soon"] == 1
    assert "Structure chart" in out


def test_only_one_format_may_go_to_the_screen(share, capsys):
    code, _, err = run(capsys, *scan_args(share, "--format", "json", "--format", "text"))
    assert code == 2 and err.count("\n") == 1 and "at most one --format can go to the screen" in err


def test_a_report_is_never_written_inside_the_folder_checked(share, capsys):
    code, _, err = run(capsys, *scan_args(share, "--format", f"json:{share / 'report.json'}"))
    assert code == 2 and "never changes that folder" in err
    assert not (share / "report.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "does-not-exist"], "annexa: folder not found: does-not-exist\n"),
        (
            ["scan", ".", "--as-of", "16/09/2015"],
            "annexa: --as-of must be a date written YYYY-MM-DD, not '16/09/2015'\n",
        ),
        (["scan", ".", "--format", "pdf"], "annexa: unknown format 'pdf'; use one of"),
        (["scan", ".", "--fail-on", "sometimes"], "annexa: argument --fail-on: invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, args, message):
    code, _, err = run(capsys, *args)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1


def test_invalid_spec_exits_2_listing_every_problem_as_file_line_message(share, capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[item]]\nid = "A1"\ntitle = "x"\npatern = ["*"]\nmax_age = "soon"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "scan", str(share), "--spec", str(bad))
    lines = err.splitlines()
    assert code == 2
    assert lines[0].startswith(f"{bad}:1: item 'A1': 'patterns' is required")
    assert any(line.startswith(f"{bad}:4:") and "did you mean 'patterns'" in line for line in lines)
    assert any(line.startswith(f"{bad}:5:") and "'max_age'" in line for line in lines)
    assert lines[-1] == f"annexa: the spec {bad} has 3 problems"


def test_spec_check_reports_ok_or_every_problem(tmp_path, capsys, share):
    code, out, _ = run(capsys, "spec", "check", str(share.parent / "spec.toml"))
    assert code == 0 and "OK, Test Annex A: 2 items" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('[[item]]\nid = "A1"\n', encoding="utf-8")
    code, out, err = run(capsys, "spec", "check", str(bad))
    assert code == 2 and out.count(f"{bad}:1:") == 2 and "2 problems found" in err


def test_root_annexa_toml_is_used_when_no_spec_is_given(share, capsys):
    (share.parent / "spec.toml").rename(share / "annexa.toml")
    _code, out, _ = run(
        capsys, "scan", str(share), "--no-cache", "--as-of", "2015-09-16", "--format", "json"
    )
    report = json.loads(out)
    assert report["spec"]["name"] == "Test Annex A" and report["unmatched"] == ["Misc/notes.txt"]


def test_an_internal_error_exits_3_with_one_line_and_a_traceback_file(share, capsys, monkeypatch):
    import annexa.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(annexa.pipeline, "scan", broken)
    code, _, err = run(capsys, *scan_args(share))
    assert code == 3 and err.count("\n") == 1
    assert "internal error (RuntimeError: boom)" in err
    trace = Path(err.split("the details are in ")[1].split(". Please")[0])
    assert "Traceback" in trace.read_text(encoding="utf-8")
    trace.unlink()


def test_scan_as_json_imports_neither_textual_nor_rich(share):
    code = (
        "import sys; from annexa.cli import main; "
        f"rc = main(['scan', {str(share)!r}, '--spec', {str(share.parent / 'spec.toml')!r}, '--no-cache', "
        "'--format', 'json', '--as-of', '2015-09-16']); "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print('LOADED', loaded, file=sys.stderr); sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stderr


def _fingerprint(root: Path) -> dict[str, tuple[str, int]]:
    return {
        str(path.relative_to(root)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_scan_leaves_root_byte_for_byte_and_mtime_for_mtime_unchanged(share, capsys):
    before = _fingerprint(share)
    listing = sorted(os.listdir(share))
    run(capsys, *scan_args(share, "--as-of", "2015-09-16", "--format", "json"))
    assert _fingerprint(share) == before and sorted(os.listdir(share)) == listing


def test_python_dash_m_annexa_runs_the_cli(share):
    result = subprocess.run(
        [sys.executable, "-m", "annexa", "spec", "check", str(share.parent / "spec.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "OK" in result.stdout


@pytest.fixture
def start_order(monkeypatch):  # type: ignore[no-untyped-def]
    """What a scan starts first: the readers' fork server or reading the spec."""
    import annexa.cli as cli
    from annexa.reading import pool

    events: list[str] = []
    monkeypatch.setattr(pool, "start_fork_server", lambda modules: events.append("readers"))
    real = cli.load_spec_for

    def load(*args, **kwargs):  # type: ignore[no-untyped-def]
        events.append("spec")
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "load_spec_for", load)
    return events


def test_a_first_scan_starts_the_readers_before_its_own_start_up(share, capsys, start_order):
    cache = share.parent / "cache"
    spec = str(share.parent / "spec.toml")
    args = ["scan", str(share), "--spec", spec, "--cache-dir", str(cache), "--fail-on", "never"]
    assert run(capsys, *args)[0] == 0
    assert start_order[:2] == ["readers", "spec"]  # the pool may ask again: the server is up
    start_order.clear()
    assert run(capsys, *args)[0] == 0  # the cache file exists now: the cache decides later
    assert start_order == ["spec"]
    start_order.clear()
    assert run(capsys, *scan_args(share, "--fail-on", "never"))[0] == 0  # --no-cache: read all
    assert start_order[:2] == ["readers", "spec"]


def test_the_readers_started_early_load_what_the_scan_readers_run(share):
    from annexa.cli import READER_MODULE
    from annexa.pipeline import Scanner
    from annexa.reading.pool import _modules_of, preload_for
    from annexa.spec import load_spec

    scanner = Scanner(share, load_spec(share.parent / "spec.toml"))
    try:
        read = scanner.extractor._read  # type: ignore[attr-defined]
        assert preload_for(_modules_of(read)) == preload_for([READER_MODULE])
    finally:
        scanner.close()
