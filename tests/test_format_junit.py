"""The JUnit report: what Jenkins, GitLab and GitHub's reporters read, one test per item.

Jenkins' xunit plugin validates a JUnit file against its ``junit-10.xsd``
and drops a file that fails it, so every report here is validated against
that schema, kept unchanged in ``tests/consumers`` (see its README). GitLab
and dorny/test-reporter read ``testsuites > testsuite > testcase`` and no
deeper; mikepenz/action-junit-report links a case to a file through the
``file`` attribute of the case or of its suite.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from annexa.formats.junit import outcome, render, xml_text
from annexa.model import Severity
from tests.golden.fixture_report import fixture_report

XSD = Path(__file__).resolve().parent / "consumers" / "junit-10.xsd"
_SCHEMA = etree.XMLSchema(etree.parse(str(XSD)))


def _parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def _case(root: etree._Element, item_id: str) -> etree._Element:
    (case,) = [c for c in root.iter("testcase") if c.get("name").split(" ", 1)[0] == item_id]
    return case


def _suite(root: etree._Element, item_id: str) -> etree._Element:
    return _case(root, item_id).getparent()


@pytest.mark.parametrize("fail_on", ["error", "warning", "never"])
def test_report_is_valid_against_jenkins_xunit_schema(fail_on: str) -> None:
    _SCHEMA.assertValid(_parse(render(fixture_report(), fail_on=fail_on)))


def test_the_schema_rejects_what_jenkins_drops() -> None:
    text = render(fixture_report())
    assert _SCHEMA.validate(_parse(text))
    assert not _SCHEMA.validate(_parse(text.replace("<testsuites ", '<testsuites skipped="3" ', 1)))
    assert not _SCHEMA.validate(_parse(text.replace("<testcase ", '<testcase file="x.pdf" ', 1)))
    assert not _SCHEMA.validate(_parse(text.replace(' name="A1 ', ' title="A1 ', 1)))


def test_cases_sit_two_levels_deep_as_gitlab_and_dorny_read_them() -> None:
    root = _parse(render(fixture_report()))
    assert root.tag == "testsuites"
    assert {child.tag for child in root} == {"testsuite"}
    for suite in root:
        assert {child.tag for child in suite} <= {"testcase", "properties", "system-out"}


def test_one_case_per_item_in_spec_order_under_a_root_named_after_the_spec() -> None:
    root = _parse(render(fixture_report()))
    assert root.get("name") == "annexa: Ofsted ILACS Annex A documents"
    cases = list(root.iter("testcase"))
    assert [c.get("name") for c in cases] == [f"{i.id} {i.title}" for i in fixture_report().items]


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        ("error", {Severity.ERROR}),
        ("warning", {Severity.ERROR, Severity.WARNING}),
        ("never", set()),
    ],
)
def test_failing_cases_are_exactly_the_items_at_or_above_fail_on(
    fail_on: str, failing: set[Severity]
) -> None:
    report = fixture_report()
    root = _parse(render(report, fail_on=fail_on))
    failed = {
        c.get("name").split(" ", 1)[0]
        for c in root.iter("testcase")
        if c.find("failure") is not None
    }
    assert failed == {item.id for item in report.items if item.severity in failing}
    assert int(root.get("failures")) == len(failed)


def test_with_fail_on_warning_every_warning_item_fails_with_its_reason() -> None:
    root = _parse(render(fixture_report(), fail_on="warning"))
    warned = [item for item in fixture_report().items if item.severity is Severity.WARNING]
    assert len(warned) == 3
    for item in warned:
        failure = _case(root, item.id).find("failure")
        assert failure.get("type") == item.status.value
        assert failure.get("message") == item.reason


def test_warning_items_pass_by_default_with_their_reason_in_system_out() -> None:
    root = _parse(render(fixture_report()))
    for item in fixture_report().items:
        if item.severity is Severity.WARNING:
            case = _case(root, item.id)
            assert case.find("failure") is None and case.find("skipped") is None
            assert case.findtext("system-out").startswith(f"{item.status.label}: {item.reason}")


def test_an_optional_item_in_date_passes_and_a_missing_one_is_skipped() -> None:
    root = _parse(render(fixture_report()))
    assert len(_case(root, "F2")) == 0  # no <skipped>, no <failure>: passed
    assert outcome(next(i for i in fixture_report().items if i.id == "F2")) == "passed"
    optional = _case(root, "F1").find("skipped")
    assert optional.get("message").startswith("not required (missing): No file found")


def test_a_waived_item_is_skipped_with_the_waiver_as_message() -> None:
    waived = _case(_parse(render(fixture_report(), fail_on="warning")), "A7").find("skipped")
    assert waived.get("message").startswith("Waived until 31 October 2015")


def test_a_case_with_a_file_can_be_linked_through_its_suite() -> None:
    root = _parse(render(fixture_report()))
    assert _suite(root, "A4").get("file") == "Performance/<img src=x onerror=alert(1)>.docx"
    assert _suite(root, "A3").get("file") is None  # missing: no file to link


def test_counts_agree_with_the_cases() -> None:
    root = _parse(render(fixture_report()))
    cases = list(root.iter("testcase"))
    assert int(root.get("tests")) == len(cases) == 12
    assert int(root.get("failures")) == sum(c.find("failure") is not None for c in cases) == 5
    assert (root.get("errors"), root.get("time")) == ("0", "0")
    for suite in root.findall("testsuite"):
        mine = suite.findall("testcase")
        assert int(suite.get("tests")) == len(mine)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in mine)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in mine)
    skipped = sum(int(s.get("skipped")) for s in root.findall("testsuite"))
    assert skipped == sum(c.find("skipped") is not None for c in cases) == 2


def test_an_unknown_fail_on_level_is_refused() -> None:
    with pytest.raises(ValueError, match="fail_on"):
        render(fixture_report(), fail_on="warnings")


def test_classname_is_the_section_or_annex_a() -> None:
    root = _parse(render(fixture_report()))
    assert _case(root, "A1").get("classname") == "Leadership and governance"
    assert _case(root, "F1").get("classname") == "Annex A"


def test_error_item_fails_with_the_reason_as_message_and_status_as_type() -> None:
    item = next(i for i in fixture_report().items if i.id == "A4")
    failure = _case(_parse(render(fixture_report())), "A4").find("failure")
    assert failure.get("message") == item.reason
    assert failure.get("type") == "out_of_date"
    assert "What to do: Upload a current Performance scorecard" in failure.text
    assert "File: Performance/<img src=x onerror=alert(1)>.docx" in failure.text


def test_expired_waiver_does_not_skip_the_item() -> None:
    case = _case(_parse(render(fixture_report())), "A8")
    assert case.find("failure") is not None
    assert "Waiver expired on 31 August 2015" in case.find("failure").text


def test_item_in_date_passes_silently() -> None:
    case = _case(_parse(render(fixture_report())), "A1")
    assert len(case) == 0


def test_unreadable_and_unmatched_files_and_notices_are_in_the_run_suite() -> None:
    (run,) = [s for s in _parse(render(fixture_report())) if s.get("name") == "annexa"]
    assert run.get("tests") == "0"
    assert run.find("properties/property[@name='as_of']").get("value") == "2015-09-16"
    out = run.findtext("system-out")
    assert "Could not read Data/List 3.pdf: encrypted PDF: password required" in out
    assert "Matches no item: Misc/meeting\\n\\x1b[31mnotes.docx" in out
    assert "Notice: The waiver for A8 expired on 31 August 2015" in out


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\ufffe", "\uffff", "\ud800", "\x0b"])
def test_characters_xml_forbids_never_reach_the_document(bad: str) -> None:
    report = fixture_report()
    item = dataclasses.replace(report.items[3], title=f"Score{bad}card", reason=f"Out{bad} of date")
    text = render(dataclasses.replace(report, items=(item,), spec_name=f"Spec{bad}"))
    root = _parse(text)  # a strict parser: raises on any forbidden character
    _SCHEMA.assertValid(root)
    assert bad not in xml_text(f"a{bad}b")


def test_report_with_no_items_is_still_a_valid_empty_suite() -> None:
    report = dataclasses.replace(fixture_report(), items=(), unmatched=(), errors=(), notices=())
    root = _parse(render(report))
    _SCHEMA.assertValid(root)
    assert root.get("tests") == "0"
