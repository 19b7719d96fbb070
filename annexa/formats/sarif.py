"""SARIF 2.1.0: the items that need action as code-scanning results (GitHub and others).

One run, whose tool lists a rule per item of the spec (its title, section,
owner and whether it is required), and one result per item that needs
action: level ``error`` or ``warning`` from the item's severity, the reason
and what to do as the message, and the item's file as the location, its
path relative to ROOT (scan the repository root so it matches the
checkout). A missing item has no file: it is placed at the spec when the
spec is kept inside ROOT, and has no location otherwise.

GitHub code scanning wants a region on every location; documents have no
lines that mean anything, so every result points at line 1. Each result
carries a fingerprint made of the spec, the item and its status, so a
code-scanning alert stays one alert from run to run until the status changes.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from annexa.formats._common import (
    finding_fingerprint,
    finding_text,
    flat,
    safe,
    spec_in_root,
    uk_date,
)
from annexa.model import ItemResult, Report, Severity
from annexa.words.textsafe import to_unicode

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT = "annexaItem/v1"


def uri(path: str) -> str:
    """A ROOT-relative path as a relative URI reference (spaces and '#' escaped)."""
    return quote(to_unicode(path), safe="/")


def _pascal(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", re.sub("['’]", "", title))  # "Children's" one word
    return "".join(word[:1].upper() + word[1:] for word in words)


def _rule(item: ItemResult) -> dict[str, Any]:
    section = safe(item.section) or "Annex A"
    owner = f" Owner: {safe(item.owner)}." if item.owner else ""
    required = "" if item.required else " Not required: reported, never failed."
    rule: dict[str, Any] = {
        "id": safe(item.id),
        "shortDescription": {"text": safe(item.title)},
        "fullDescription": {
            "text": f"Annex A item {safe(item.id)}: {safe(item.title)} ({section})."
        },
        "help": {
            "text": f"Keep a current {safe(item.title)} in the folder.{owner}{required}",
        },
        "properties": {"tags": ["annex-a", section], "section": section, "required": item.required},
    }
    name = _pascal(safe(item.title))
    if name:
        rule["name"] = name
    if item.owner:
        rule["properties"]["owner"] = safe(item.owner)
    return rule


def _result(report: Report, item: ItemResult, index: int, spec_file: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": safe(item.id),
        "ruleIndex": index,
        "kind": "fail",
        "level": "error" if item.severity is Severity.ERROR else "warning",
        "message": {"text": finding_text(item)},
        "partialFingerprints": {FINGERPRINT: finding_fingerprint(report, item)[:32]},
        "properties": {"status": item.status.value},
    }
    where = item.file or spec_file
    if where is not None:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(where), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1},
                }
            }
        ]
    if item.expires:
        result["properties"]["expires"] = item.expires.isoformat()
        result["properties"]["expires_words"] = uk_date(item.expires)
    if item.date:
        result["properties"]["date"] = item.date.isoformat()
    return result


def render(report: Report, *, colour: bool = False) -> str:
    """The SARIF log as JSON. ``colour`` is ignored."""
    spec_file = spec_in_root(report)
    results = [
        _result(report, item, index, spec_file)
        for index, item in enumerate(report.items)
        if item.severity is not None
    ]
    driver: dict[str, Any] = {"name": "annexa", "rules": [_rule(item) for item in report.items]}
    if report.tool_version:
        driver["version"] = driver["semanticVersion"] = report.tool_version
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {
                    "as_of": report.as_of.isoformat(),
                    "spec": safe(report.spec_source),
                    "spec_name": safe(report.spec_name),
                    "unreadable_files": [safe(e.file) for e in report.errors],
                    "notices": [flat(notice) for notice in report.notices],
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
