"""Every report format, on one fixed Report: golden files, and agreement with the JSON.

The golden files show, byte for byte, what users get; a change to one is a
change to the product, made on purpose with ``make golden`` and read in
review. The agreement tests hold every format to the JSON report's count
of errors and warnings, so CI, the manager's HTML and the spreadsheet can
never tell different stories about the same scan.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys

import pytest
from lxml import etree, html

from annexa.formats import get_formatter
from annexa.model import Report, Severity, Status
from tests.golden.fixture_report import fixture_report
from tests.golden.regenerate import GOLDEN, read_golden, rendered


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_format_matches_its_golden_file(name: str) -> None:
    assert rendered(name) == read_golden(name), (
        f"the {name} report changed; if that was intended, run `make golden` and review "
        "`git diff tests/golden`"
    )


def _clean_report() -> Report:
    """Every item in date: nothing to act on."""
    base = fixture_report()
    items = tuple(
        item.__class__(
            id=item.id,
            title=item.title,
            section=item.section,
            status=Status.OK,
            severity=None,
            reason="In date until 30 June 2016.",
            file=item.file,
            date=dt.date(2015, 6, 30),
            date_source="content",
            expires=dt.date(2016, 6, 30),
        )
        for item in base.items
    )
    return Report(base.root, base.spec_name, base.spec_source, base.as_of, items)


def _empty_report() -> Report:
    return Report("/srv/share", "Empty spec", "empty.toml", dt.date(2015, 9, 16), ())


REPORTS = {
    "fixture": fixture_report,
    "all in date": _clean_report,
    "no items": _empty_report,
}


def _truth(report: Report) -> dict[str, object]:
    """What the JSON report says: ids, and which items are errors and warnings."""
    data = json.loads(get_formatter("json")(report))
    items = data["items"]
    return {
        "ids": [item["id"] for item in items],
        "errors": [item["id"] for item in items if item["severity"] == "error"],
        "warnings": [item["id"] for item in items if item["severity"] == "warning"],
        "skipped": [
            item["id"]
            for item in items
            if item["status"] == "waived" or (not item["required"] and item["status"] != "ok")
        ],
    }


@pytest.fixture(params=sorted(REPORTS))
def report(request: pytest.FixtureRequest) -> Report:
    return REPORTS[request.param]()


def test_junit_failures_are_the_json_errors(report: Report) -> None:
    truth = _truth(report)
    root = etree.fromstring(get_formatter("junit")(report).encode("utf-8"))
    cases = list(root.iter("testcase"))
    failed = [c.get("name").split(" ", 1)[0] for c in cases if c.find("failure") is not None]
    skipped = [c.get("name").split(" ", 1)[0] for c in cases if c.find("skipped") is not None]
    assert [c.get("name").split(" ", 1)[0] for c in cases] == truth["ids"]
    assert failed == truth["errors"]
    assert skipped == truth["skipped"]
    assert int(root.get("failures")) == len(truth["errors"])
    assert int(root.get("tests")) == len(truth["ids"])


def test_github_annotations_are_the_json_errors_and_warnings(report: Report) -> None:
    truth = _truth(report)
    lines = get_formatter("github")(report).splitlines()
    ids = {
        kind: [
            re.match(r"::\w+ title=([^ ]+) ", line).group(1)
            for line in lines
            if line.startswith(f"::{kind} ")
        ]
        for kind in ("error", "warning")
    }
    assert sorted(ids["error"]) == sorted(truth["errors"])
    assert sorted(ids["warning"]) == sorted(truth["warnings"])
    assert lines[-1].startswith("::notice ")


def test_csv_rows_by_severity_are_the_json_counts(report: Report) -> None:
    truth = _truth(report)
    rows = list(csv.DictReader(io.StringIO(get_formatter("csv")(report), newline="")))
    assert [row["id"] for row in rows] == truth["ids"]
    assert [row["id"] for row in rows if row["severity"] == "error"] == truth["errors"]
    assert [row["id"] for row in rows if row["severity"] == "warning"] == truth["warnings"]


def test_markdown_lists_every_item_and_exactly_the_ones_needing_action(report: Report) -> None:
    truth = _truth(report)
    text = get_formatter("markdown")(report)
    for item_id in truth["ids"]:
        assert f"**{item_id}**" in text
    needs = text.split("### Needs action", 1)
    action_rows = (
        re.findall(r"^\| \*\*([^*]+)\*\*", needs[1].split("<details>")[0], re.M)
        if len(needs) > 1
        else []
    )
    assert sorted(action_rows) == sorted(truth["errors"] + truth["warnings"])


def test_html_has_a_row_per_item_and_a_todo_row_per_error_and_warning(report: Report) -> None:
    truth = _truth(report)
    page = html.fromstring(get_formatter("html")(report))
    rows = page.xpath("//table[contains(@class, 'items')]//tr[@id]")
    assert [row.get("id") for row in rows] == [f"item-{i}" for i in truth["ids"]]
    todo = page.xpath("//section[@aria-labelledby='todo']//tbody/tr/th//text()")
    assert sorted(todo) == sorted(truth["errors"] + truth["warnings"])
    failing = page.xpath("//table[contains(@class, 'items')]//tr[contains(@class, 'error')]/@id")
    assert failing == [f"item-{i}" for i in truth["errors"]]


def test_fixture_covers_every_status_and_both_severities() -> None:
    report = fixture_report()
    assert {item.status for item in report.items} == set(Status)
    assert {item.severity for item in report.items} == {None, Severity.ERROR, Severity.WARNING}
    waivers = [item.waiver for item in report.items if item.waiver]
    assert {(w.active, w.applied) for w in waivers} >= {(True, True), (False, False)}
    assert any(not item.required for item in report.items)
    assert any(item.evidence and item.evidence.page for item in report.items)
    assert any(item.superseded for item in report.items)
    assert report.unmatched and report.errors and report.notices


def test_report_formats_load_neither_textual_nor_rich() -> None:
    """CI runs `annexa scan --format junit` on machines where a TUI has no business loading."""
    code = (
        "import sys\n"
        "from annexa.formats import get_formatter\n"
        "for name in ('html', 'markdown', 'csv', 'junit', 'github'):\n"
        "    get_formatter(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
