"""The demo authority: a real scan gives every status its generator intended.

fixtures/make_demo.py writes the demo folder and, beside it, the status each
item should have on the demo's as-of date. These tests scan the committed
folder through the real pipeline (inventory, worker extraction, dating,
evaluation) and compare item by item, so the demo a newcomer runs first
cannot quietly stop showing what annexa does.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annexa.finding.walk import scan_tree
from annexa.formats.json_report import render
from annexa.model import Report, Severity, Status
from annexa.pipeline import scan
from annexa.reading.read import read_facts
from annexa.spec import load_spec

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"
EXPECTED_FILE = PROJECT / "fixtures" / "demo-authority-expected.json"
GENERATOR = PROJECT / "fixtures" / "make_demo.py"
EXPECTED = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
AS_OF = dt.date.fromisoformat(EXPECTED["as_of"])
# The demo's own settings file, which annexa never reports on.
SETTINGS = {"annexa.toml"}


@pytest.fixture(scope="module")
def report() -> Report:
    return scan(DEMO, load_spec(DEMO / "annexa.toml"), AS_OF)


def test_demo_as_of_file_holds_the_date_the_expectations_are_for() -> None:
    as_of_file = PROJECT / "fixtures" / "demo-authority.as-of"
    assert as_of_file.read_text(encoding="utf-8") == f"{AS_OF.isoformat()}\n"


def test_expectations_cover_every_item_of_the_demo_spec() -> None:
    spec = load_spec(DEMO / "annexa.toml")
    assert list(EXPECTED["items"]) == [rule.id for rule in spec.items]


@pytest.mark.parametrize("item_id", list(EXPECTED["items"]))
def test_each_demo_item_has_the_status_its_generator_intended(report: Report, item_id: str) -> None:
    result = next(item for item in report.items if item.id == item_id)
    assert result.status.value == EXPECTED["items"][item_id], result.reason


@pytest.mark.parametrize("item_id", list(EXPECTED["items"]))
def test_each_demo_item_is_represented_by_its_newest_file_with_older_ones_superseded(
    report: Report, item_id: str
) -> None:
    result = next(item for item in report.items if item.id == item_id)
    assert result.file == EXPECTED["files"][item_id]
    assert sorted(result.superseded) == EXPECTED["superseded"][item_id]


def test_demo_shows_every_status_except_incomplete_which_needs_data_lists(
    report: Report,
) -> None:
    shown = {item.status for item in report.items}
    assert shown == set(Status) - {Status.INCOMPLETE}


def test_demo_scan_fails_a_build_as_annexa_scan_exits_1(report: Report) -> None:
    assert report.worst() == Severity.ERROR


def test_active_waiver_covers_the_late_iro_report_and_expired_one_is_reported(
    report: Report,
) -> None:
    iro = next(item for item in report.items if item.id == "A7")
    assert iro.severity is None
    assert iro.waiver is not None and iro.waiver.applied
    lado = next(item for item in report.items if item.id == "A9")
    assert lado.severity == Severity.ERROR
    assert lado.waiver is not None and not lado.waiver.active
    assert "The waiver ended on 30 June 2015" in lado.reason


def test_optional_out_of_date_peer_review_has_no_severity(report: Report) -> None:
    peer = next(item for item in report.items if item.id == "A23")
    assert peer.status == Status.OUT_OF_DATE
    assert peer.severity is None


def test_unmatched_files_are_the_ones_no_item_claims(report: Report) -> None:
    assert sorted(report.unmatched) == EXPECTED["unmatched"]


def test_lock_file_and_thumbs_db_appear_nowhere_in_the_report(report: Report) -> None:
    for ignored in EXPECTED["ignored"]:
        assert (DEMO / ignored).is_file()  # present on disk ...
    text = render(report)
    assert "~$" not in text  # ... and absent from every part of the report
    assert "Thumbs.db" not in text


LISTS = EXPECTED["lists"]
LISTS_AS_OF = dt.date.fromisoformat(LISTS["as_of"])


@pytest.fixture(scope="module")
def lists_report() -> Report:
    """The data lists spec on the lists folder, on the first day of the inspection."""
    return scan(DEMO / LISTS["root"], load_spec("ilacs-lists"), LISTS_AS_OF)


def _lists_item(report: Report, item_id: str):
    return next(item for item in report.items if item.id == item_id)


def test_demo_lists_are_judged_list_by_list_on_the_first_day_of_inspection(
    lists_report: Report,
) -> None:
    assert {item.id: item.status.value for item in lists_report.items} == LISTS["items"]
    assert {item.id: item.file for item in lists_report.items} == LISTS["files"]
    assert lists_report.unmatched == ()


def test_demo_list_lacking_columns_names_them_in_the_specs_order(lists_report: Report) -> None:
    ((item_id, lacking),) = LISTS["missing_columns"].items()
    item = _lists_item(lists_report, item_id)
    name = LISTS["files"][item_id].rsplit("/", 1)[-1]
    number = item_id[1:]
    assert item.reason == (
        f"List {number} lacks the columns {', '.join(repr(c) for c in lacking)} ({name})."
    )


def test_demo_list_produced_too_early_says_since_when_and_why(lists_report: Report) -> None:
    (item_id,) = [i for i, status in LISTS["items"].items() if status == "out_of_date"]
    item = _lists_item(lists_report, item_id)
    assert item.date_source == "filename"
    assert item.reason == (
        f"Out of date since {LISTS_AS_OF.day} {LISTS_AS_OF:%B %Y} "
        f"(dated {item.date.day} {item.date:%B %Y} in its file name, valid for 5 days)."
    )
    assert item.expires == LISTS_AS_OF - dt.timedelta(days=1)


def test_demo_lists_give_the_same_answer_from_the_demos_own_folder() -> None:
    """The lists spec finds the same files from the top of the demo, where the
    documents are no item of it."""
    whole = scan(DEMO, load_spec("ilacs-lists"), LISTS_AS_OF)
    assert {item.id: item.status.value for item in whole.items} == LISTS["items"]
    assert {item.id: item.file for item in whole.items} == {
        item_id: f"{LISTS['root']}/{file}" for item_id, file in LISTS["files"].items()
    }


def test_demo_documents_and_lists_together_show_every_status(
    report: Report, lists_report: Report
) -> None:
    shown = {item.status for item in report.items} | {item.status for item in lists_report.items}
    assert shown == set(Status)


def test_annexa_scan_of_the_demo_lists_reports_each_problem_by_name(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annexa",
            "scan",
            str(DEMO / LISTS["root"]),
            "--spec",
            "ilacs-lists",
            "--as-of",
            LISTS["as_of"],
            "--cache-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "9 in date · 1 out of date · 1 incomplete" in result.stdout
    assert "List 7 lacks the columns 'Date of the Last Statutory Visit'" in result.stdout
    assert "Out of date since 21 September 2015 (dated 15 September 2015" in result.stdout


def test_demo_stays_small_enough_to_ship_in_the_repository() -> None:
    size = sum(path.stat().st_size for path in DEMO.rglob("*") if path.is_file())
    assert size < 2 * 1024 * 1024


def _generate(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(folder)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / "demo-authority"


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_generator_writes_identical_files_each_time(tmp_path: Path) -> None:
    first = _files(_generate(tmp_path / "one"))
    second = _files(_generate(tmp_path / "two"))
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_committed_demo_is_what_the_generator_writes(tmp_path: Path) -> None:
    """Compared by what annexa reads (text, properties), not bytes, which a
    new reportlab or python-docx release may change without changing the demo."""
    fresh = _generate(tmp_path)
    assert json.loads((tmp_path / EXPECTED_FILE.name).read_text(encoding="utf-8")) == EXPECTED
    committed = _files(DEMO)
    generated = _files(fresh)
    assert committed.keys() == generated.keys()
    for name in SETTINGS | set(EXPECTED["ignored"]):
        assert committed[name] == generated[name], name
    old = scan_tree(DEMO).files
    new = scan_tree(fresh).files
    assert old.keys() == new.keys()
    for path in old:
        before, after = read_facts(DEMO, old[path]), read_facts(fresh, new[path])
        assert (
            before.blocks,
            before.metadata,
            before.content_status,
            before.error,
            before.sheets,
        ) == (
            after.blocks,
            after.metadata,
            after.content_status,
            after.error,
            after.sheets,
        ), path
