"""The JUnit XML report: one test per item, for Jenkins, GitLab and GitHub's test reporters.

CI systems already know how to show JUnit results: a red test per missing
or out-of-date document, with the reason as its message, lands in the same
place as a failing unit test. The shape is the one every consumer reads:
Jenkins' xunit plugin validates against ``junit-10.xsd`` and drops a file
that fails it; GitLab, mikepenz/action-junit-report and dorny/test-reporter
read ``<testsuites>`` holding ``<testsuite>`` elements that hold
``<testcase>`` elements, and dorny reads no deeper than that.

- Each item is a ``<testsuite>`` of one ``<testcase>``. The suite carries
  ``file=`` (the item's file, relative to ROOT) where there is one: the
  schema allows ``file`` on a suite, not on a case, and the GitHub reporters
  link a case to its suite's file.
- The cases that fail are exactly the items at or above ``--fail-on``
  (``fail_on``): with ``error`` (the default) the errors, with ``warning``
  the errors and the warnings, with ``never`` none. A ``<failure>``'s
  ``message`` is the reason and ``type`` the status (``out_of_date``).
- An item that needs action but is below ``--fail-on`` passes, with the
  reason in ``<system-out>``.
- A waived item, and one with ``required = false`` that would otherwise
  need action, is ``<skipped>``; an optional item that is in date passes.
- A last suite named ``annexa`` holds no test: the run's properties (as of,
  root, spec, version) and, in ``<system-out>``, notices and the files that
  could not be read or match no item.

``errors`` is always 0: in JUnit an error is a test that could not run, and
annexa reports unreadable documents as failures of their items instead.
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
    save_as_words,
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
    if item.suggestion is not None:
        lines.append(save_as_words(item))
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


FAIL_ON = ("error", "warning", "never")


def outcome(item: ItemResult, fail_on: str = "error") -> str:
    """How CI should count an item: "failure", "skipped" or "passed"."""
    if item.status is Status.WAIVED or (not item.required and item.status is not Status.OK):
        return "skipped"
    failing = {"error": {Severity.ERROR}, "warning": {Severity.ERROR, Severity.WARNING}}
    if item.severity in failing.get(fail_on, set()):
        return "failure"
    return "passed"


def _counts(outcomes: list[str]) -> dict[str, str]:
    return {
        "tests": str(len(outcomes)),
        "failures": str(outcomes.count("failure")),
        "errors": "0",
    }


def _item_suite(root: ET.Element, item: ItemResult, result: str, timestamp: str) -> None:
    attributes = {"name": _case_name(item), **_counts([result])}
    attributes.update(skipped=str(int(result == "skipped")), time="0", timestamp=timestamp)
    if item.file:
        attributes["file"] = xml_text(item.file)
    suite = ET.SubElement(root, "testsuite", attributes)
    case = ET.SubElement(
        suite,
        "testcase",
        classname=xml_text(item.section or NO_SECTION),
        name=_case_name(item),
        time="0",
    )
    if result == "skipped":
        ET.SubElement(case, "skipped", message=_skip_message(item))
    elif result == "failure":
        failure = ET.SubElement(
            case, "failure", message=xml_text(flat(item.reason)), type=item.status.value
        )
        failure.text = _details(item)
    elif item.status is not Status.OK:
        ET.SubElement(case, "system-out").text = _details(item)


def render(report: Report, *, colour: bool = False, fail_on: str = "error") -> str:
    """The XML document; the items at or above ``fail_on`` fail. ``colour`` is ignored."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    outcomes = [outcome(item, fail_on) for item in report.items]
    timestamp = f"{report.as_of.isoformat()}T00:00:00"
    root = ET.Element(
        "testsuites",
        {"name": xml_text(f"annexa: {report.spec_name}"), **_counts(outcomes), "time": "0"},
    )
    for item, result in zip(report.items, outcomes, strict=True):
        _item_suite(root, item, result, timestamp)

    run = ET.SubElement(
        root,
        "testsuite",
        {"name": "annexa", **_counts([]), "skipped": "0", "time": "0", "timestamp": timestamp},
    )
    properties = ET.SubElement(run, "properties")
    for name, value in (
        ("as_of", report.as_of.isoformat()),
        ("root", report.root),
        ("spec", report.spec_source),
        ("spec_name", report.spec_name),
        ("annexa", report.tool_version),
        ("fail_on", fail_on),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    out_lines = [f"Notice: {flat(notice)}" for notice in report.notices]
    out_lines += [f"Could not read {safe(e.file)}: {flat(e.error)}" for e in report.errors]
    out_lines += [f"Matches no item: {safe(path)}" for path in report.unmatched]
    if out_lines:
        ET.SubElement(run, "system-out").text = _xml_lines(out_lines)

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
