"""The JUnit XML report: one test case per item, for Jenkins, GitLab and Azure DevOps.

CI systems already know how to show JUnit results: a red test per missing
or out-of-date document, with the reason as its message, lands in the same
place as a failing unit test. The shape is the common one those tools read
(a ``<testsuites>`` root holding one ``<testsuite>``, whose ``tests``,
``failures``, ``errors``, ``skipped`` and ``time`` agree with its cases):

- an item with severity ``error`` is a ``<failure>`` whose ``message`` is the
  reason and ``type`` the status (``out_of_date``);
- a warning (due soon, undated, draft) passes, with the reason in
  ``<system-out>``: it must not break the build unless ``--fail-on warning``;
- a waived item and one with ``required = false`` is ``<skipped>``;
- an item in date passes.

``errors`` is always 0: in JUnit an error is a test that could not run, and
annexa reports unreadable documents as failures of their items instead.
Unmatched and unreadable files and notices go in the suite's ``<system-out>``.
XML 1.0 cannot hold most control characters even as references, so text
passes through ``printable()`` and anything XML still forbids is dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from annexa.formats._common import (
    dated_words,
    evidence_words,
    flat,
    safe,
    uk_date,
    waiver_words,
)
from annexa.model import ItemResult, Report, Severity, Status

# JUnit's classname for an item without a section.
NO_SECTION = "Annex A"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str | None) -> str:
    """Text XML 1.0 can carry: displayable, and without the characters it forbids."""
    return _NOT_XML.sub("", safe(text))


def _xml_lines(lines: list[str]) -> str:
    """Lines already made displayable, joined by real newlines that XML keeps."""
    return _NOT_XML.sub("", "\n".join(lines))


def _case_name(item: ItemResult) -> str:
    return xml_text(f"{item.id} {item.title}")


def _details(item: ItemResult) -> str:
    """The longer story under a failure or a warning: what to do and where to look."""
    lines = [f"{item.status.label}: {flat(item.reason)}"]
    if item.action:
        lines.append(f"What to do: {flat(item.action)}")
    if item.owner:
        lines.append(f"Owner: {safe(item.owner)}")
    if item.file:
        lines.append(f"File: {safe(item.file)}")
    if item.date:
        lines.append(f"Dated: {dated_words(item)}")
    if item.expires:
        lines.append(f"Expires: {uk_date(item.expires)}")
    if item.evidence is not None:
        lines.append(f'Evidence: {evidence_words(item.evidence)}: "{flat(item.evidence.text)}"')
    if item.superseded:
        lines.append("Superseded: " + ", ".join(safe(path) for path in item.superseded))
    if item.waiver is not None:
        lines.append(waiver_words(item.waiver))
    return _xml_lines(lines)


def _skip_message(item: ItemResult) -> str:
    if item.status is Status.WAIVED and item.waiver is not None:
        return xml_text(waiver_words(item.waiver))
    return xml_text(f"not required ({item.status.label}): {flat(item.reason)}")


def outcome(item: ItemResult) -> str:
    """How CI should count an item: "failure", "skipped" or "passed"."""
    if not item.required or item.status is Status.WAIVED:
        return "skipped"
    if item.severity is Severity.ERROR:
        return "failure"
    return "passed"


def _testcase(suite: ET.Element, item: ItemResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(item.section or NO_SECTION),
        name=_case_name(item),
        time="0",
    )
    result = outcome(item)
    if result == "skipped":
        ET.SubElement(case, "skipped", message=_skip_message(item))
    elif result == "failure":
        failure = ET.SubElement(
            case, "failure", message=xml_text(flat(item.reason)), type=item.status.value
        )
        failure.text = _details(item)
    elif item.status is not Status.OK:
        ET.SubElement(case, "system-out").text = _details(item)


def render(report: Report, *, colour: bool = False) -> str:
    """The XML document. ``colour`` is ignored."""
    outcomes = [outcome(item) for item in report.items]
    counts = {
        "tests": str(len(outcomes)),
        "failures": str(outcomes.count("failure")),
        "errors": "0",
        "skipped": str(outcomes.count("skipped")),
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": "annexa", **counts})
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": xml_text(report.spec_name),
            **counts,
            "timestamp": f"{report.as_of.isoformat()}T00:00:00",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("as_of", report.as_of.isoformat()),
        ("root", report.root),
        ("spec", report.spec_source),
        ("annexa", report.tool_version),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    for item in report.items:
        _testcase(suite, item)

    out_lines = [f"Notice: {flat(notice)}" for notice in report.notices]
    out_lines += [f"Could not read {safe(e.file)}: {flat(e.error)}" for e in report.errors]
    out_lines += [f"Matches no item: {safe(path)}" for path in report.unmatched]
    if out_lines:
        ET.SubElement(suite, "system-out").text = _xml_lines(out_lines)

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
