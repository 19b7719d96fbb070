"""SARIF 2.1.0 for code scanning, and GitLab Code Quality: what their readers accept.

The SARIF log is validated against the OASIS schema (kept unchanged in
``tests/consumers``), and held to what GitHub code scanning also asks: a
rule for every ``ruleId``, a region on every location, a fingerprint. The
Code Quality report is held to the fields GitLab documents as required.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator, FormatChecker

from annexa.formats import get_formatter
from annexa.model import Severity
from tests.golden.fixture_report import fixture_report

CONSUMERS = Path(__file__).resolve().parent / "consumers"
SARIF_SCHEMA = json.loads((CONSUMERS / "sarif-schema-2.1.0.json").read_text("utf-8"))

# GitLab's "Code Quality report format": an array of issues with these fields.
CODE_QUALITY_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def _sarif(report=None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return json.loads(get_formatter("sarif")(report or fixture_report()))


def _errors(schema: dict[str, Any], instance: Any) -> list[str]:
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_sarif_validates_against_the_oasis_schema() -> None:
    assert _errors(SARIF_SCHEMA, _sarif()) == []


def test_the_oasis_schema_rejects_a_broken_log() -> None:
    log = _sarif()
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(_errors(SARIF_SCHEMA, log)) == 2


def test_one_result_per_item_needing_action_with_its_level() -> None:
    report = fixture_report()
    results = _sarif()["runs"][0]["results"]
    needing = [item for item in report.items if item.severity is not None]
    assert [r["ruleId"] for r in results] == [item.id for item in needing]
    for result, item in zip(results, needing, strict=True):
        assert result["level"] == ("error" if item.severity is Severity.ERROR else "warning")
        assert item.reason in result["message"]["text"]


def test_every_item_has_rule_metadata_and_every_result_its_rule() -> None:
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [item.id for item in fixture_report().items]
    a4 = rules[[r["id"] for r in rules].index("A4")]
    assert a4["shortDescription"]["text"] == "Performance scorecard"
    assert a4["properties"]["section"] == "Performance and quality"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_locations_are_root_relative_uris_with_a_line_for_github() -> None:
    results = {r["ruleId"]: r for r in _sarif()["runs"][0]["results"]}
    location = results["A4"]["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 1}
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert unquote(location["artifactLocation"]["uri"]) == (
        "Performance/<img src=x onerror=alert(1)>.docx"
    )
    assert " " not in results["A2"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_a_missing_item_is_placed_at_a_spec_kept_in_root_and_nowhere_otherwise() -> None:
    report = dataclasses.replace(fixture_report(), root="share", spec_source="share/annexa.toml")
    results = {r["ruleId"]: r for r in _sarif(report)["runs"][0]["results"]}
    uri = results["A3"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "annexa.toml"
    bundled = {r["ruleId"]: r for r in _sarif()["runs"][0]["results"]}
    assert "locations" not in bundled["A3"]


def test_fingerprints_are_stable_and_distinct() -> None:
    first, second = _sarif(), _sarif()
    prints = [r["partialFingerprints"]["annexaItem/v1"] for r in first["runs"][0]["results"]]
    assert prints == [
        r["partialFingerprints"]["annexaItem/v1"] for r in second["runs"][0]["results"]
    ]
    assert len(set(prints)) == len(prints)


@pytest.mark.parametrize("name", ["gitlab", "codequality"])
def test_code_quality_report_has_the_fields_gitlab_requires(name: str) -> None:
    issues = json.loads(get_formatter(name)(fixture_report()))
    assert _errors(CODE_QUALITY_SCHEMA, issues) == []
    needing = [item for item in fixture_report().items if item.severity is not None]
    assert len(issues) == len(needing)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    by_severity = {issue["check_name"]: issue["severity"] for issue in issues}
    assert by_severity["annexa.out_of_date"] == "major"
    assert by_severity["annexa.due_soon"] == "minor"


def test_code_quality_places_each_issue_at_its_file() -> None:
    issues = json.loads(get_formatter("gitlab")(fixture_report()))
    paths = [issue["location"]["path"] for issue in issues]
    assert "Performance/<img src=x onerror=alert(1)>.docx" in paths
    assert "." in paths  # A3 is missing and the spec is bundled: the project folder


def test_nothing_needing_action_gives_empty_results() -> None:
    report = dataclasses.replace(
        fixture_report(), items=tuple(i for i in fixture_report().items if i.severity is None)
    )
    assert json.loads(get_formatter("gitlab")(report)) == []
    log = _sarif(report)
    assert log["runs"][0]["results"] == [] and _errors(SARIF_SCHEMA, log) == []
