"""One real ``annexa scan`` writing every report format at once, as a CI job does.

Runs the command line in a subprocess on a small folder of real Word
documents, so the whole path is covered: scan, judge, format, write. The
reports of one run must tell the same story, and a file named like an
HTML tag must reach the HTML report as text.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree, html

from annexa.schemas import load_schema
from tests.makedocs import make_docx

HOSTILE = "<img src=x onerror=alert(1)>.docx"

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

[[item]]
id = "A3"
title = "Key contacts"
patterns = ["**/*contact*"]

[[item]]
id = "A4"
title = "Performance scorecard"
section = "Performance"
patterns = ["**/*onerror*"]
"""

FORMATS = {
    "json": "r.json",
    "junit": "j.xml",
    "github": "g.txt",
    "markdown": "m.md",
    "html": "r.html",
    "csv": "c.csv",
    "sarif": "s.sarif",
    "gitlab": "q.json",
}


@pytest.fixture
def scanned(tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """A folder with an item in date, one due soon, one missing and one out of date."""
    root = tmp_path / "share"
    make_docx(root / "Leadership" / "Self evaluation 2015.docx", ["Date approved: 12 March 2015"])
    make_docx(root / "Structure chart.docx", ["Children's services structure", "Date: 1 July 2015"])
    make_docx(root / "Performance" / HOSTILE, ["Performance scorecard", "Date: 1 January 2014"])
    (root / "Misc").mkdir()
    (root / "Misc" / "notes.txt").write_text("hello", encoding="utf-8")
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [sys.executable, "-m", "annexa", "scan", str(root), "--spec", str(spec)]
    args += ["--as-of", "2015-09-16", "--no-cache"]
    for name, file in FORMATS.items():
        args += ["--format", f"{name}:{out / file}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    return result, out


def test_one_scan_writes_every_report_and_they_agree(scanned) -> None:  # type: ignore[no-untyped-def]
    result, out = scanned
    assert result.returncode == 1, result.stderr  # errors found; the run itself worked
    assert result.stdout == ""
    for file in FORMATS.values():
        assert (out / file).is_file(), f"{file} was not written"

    report = json.loads((out / "r.json").read_text("utf-8"))
    validator = Draft202012Validator(load_schema("report"), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(report)] == []
    status = {item["id"]: item["status"] for item in report["items"]}
    assert status == {"A1": "ok", "A2": "due_soon", "A3": "missing", "A4": "out_of_date"}
    errors = [i["id"] for i in report["items"] if i["severity"] == "error"]
    warnings = [i["id"] for i in report["items"] if i["severity"] == "warning"]

    suites = etree.parse(str(out / "j.xml")).getroot()
    assert int(suites.get("failures")) == len(errors) == 2
    assert int(suites.get("tests")) == len(report["items"])

    sarif = json.loads((out / "s.sarif").read_text("utf-8"))
    assert sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == sorted(errors + warnings)
    quality = json.loads((out / "q.json").read_text("utf-8"))
    assert sorted(issue["check_name"] for issue in quality) == [
        "annexa.due_soon",
        "annexa.missing",
        "annexa.out_of_date",
    ]

    lines = (out / "g.txt").read_text("utf-8").splitlines()
    assert sum(line.startswith("::error ") for line in lines) == len(errors)
    assert sum(line.startswith("::warning ") for line in lines) == len(warnings) == 1

    raw = (out / "c.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf" * 2)
    assert b"\r\n" in raw and b"\r\r\n" not in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["id"] for r in rows if r["severity"] == "error"] == errors
    assert [r["id"] for r in rows if r["severity"] == "warning"] == warnings

    markdown = (out / "m.md").read_text("utf-8")
    page = html.fromstring((out / "r.html").read_text("utf-8"))
    for item_id in status:
        assert f"**{item_id}**" in markdown
        assert page.xpath(f"//tr[@id='item-{item_id}']")


def test_a_file_named_like_an_html_tag_appears_in_the_html_report_as_text(scanned) -> None:  # type: ignore[no-untyped-def]
    result, out = scanned
    assert result.returncode == 1, result.stderr
    text = (out / "r.html").read_text("utf-8")
    page = html.fromstring(text)
    assert not page.xpath("//img | //script")
    (row,) = page.xpath("//tr[@id='item-A4']")
    assert f"Performance/{HOSTILE}" in row.text_content()
    assert "&lt;img src=x onerror=alert(1)&gt;.docx" in text


PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"


def test_demo_junit_and_sarif_are_accepted_by_their_consumers(tmp_path: Path) -> None:
    """The issue's bar: junit-10.xsd, --fail-on warning fails every error and warning, SARIF 2.1.0."""
    from jsonschema import Draft4Validator

    as_of = (PROJECT / "fixtures" / "demo-authority.as-of").read_text("utf-8").strip()
    args = [sys.executable, "-m", "annexa", "scan", str(DEMO), "--as-of", as_of, "--no-cache"]
    args += ["--fail-on", "warning", "--format", f"junit:{tmp_path / 'j.xml'}"]
    args += ["--format", f"sarif:{tmp_path / 's.sarif'}", "--format", f"json:{tmp_path / 'r.json'}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stderr

    consumers = Path(__file__).resolve().parent / "consumers"
    xsd = etree.XMLSchema(etree.parse(str(consumers / "junit-10.xsd")))
    junit = etree.parse(str(tmp_path / "j.xml"))
    xsd.assertValid(junit)
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    needing = {item["id"] for item in report["items"] if item["severity"] is not None}
    assert len(needing) == 7  # 4 errors, 3 warnings in the demo
    failed = {
        case.get("name").split(" ", 1)[0]
        for case in junit.getroot().iter("testcase")
        if case.find("failure") is not None
    }
    assert failed == needing

    sarif = json.loads((tmp_path / "s.sarif").read_text("utf-8"))
    schema = json.loads((consumers / "sarif-schema-2.1.0.json").read_text("utf-8"))
    assert [e.message for e in Draft4Validator(schema).iter_errors(sarif)] == []
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == needing
