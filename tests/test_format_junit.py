"""The JUnit report: what Jenkins, GitLab and Azure DevOps read, one test case per item.

There is no official JUnit XML schema; the tools read the Ant format that
Jenkins' junit-10.xsd describes. ``_JUNIT_XSD`` below is that shape written
more strictly (counts are numbers, a case's outcome comes before its output,
the suite's counts are required), so a report that passes it passes the
looser readers too.
"""

from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from annexa.formats.junit import render, xml_text
from annexa.model import Severity
from tests.golden.fixture_report import fixture_report

_JUNIT_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:simpleType name="count"><xs:restriction base="xs:nonNegativeInteger"/></xs:simpleType>
  <xs:simpleType name="seconds">
    <xs:restriction base="xs:decimal"><xs:minInclusive value="0"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="outcome" mixed="true">
    <xs:attribute name="message" type="xs:string"/>
    <xs:attribute name="type" type="xs:string"/>
  </xs:complexType>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="tests" type="count"/>
      <xs:attribute name="failures" type="count"/>
      <xs:attribute name="errors" type="count"/>
      <xs:attribute name="skipped" type="count"/>
      <xs:attribute name="disabled" type="count"/>
      <xs:attribute name="time" type="seconds"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="properties" minOccurs="0">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:attribute name="name" type="xs:string" use="required"/>
                  <xs:attribute name="value" type="xs:string" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:element name="testcase" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:choice minOccurs="0">
                <xs:element name="skipped" type="outcome"/>
                <xs:element name="error" type="outcome"/>
                <xs:element name="failure" type="outcome"/>
              </xs:choice>
              <xs:element name="system-out" type="xs:string" minOccurs="0"/>
              <xs:element name="system-err" type="xs:string" minOccurs="0"/>
            </xs:sequence>
            <xs:attribute name="name" type="xs:string" use="required"/>
            <xs:attribute name="classname" type="xs:string" use="required"/>
            <xs:attribute name="time" type="seconds" use="required"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="system-out" type="xs:string" minOccurs="0"/>
        <xs:element name="system-err" type="xs:string" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="count" use="required"/>
      <xs:attribute name="failures" type="count" use="required"/>
      <xs:attribute name="errors" type="count" use="required"/>
      <xs:attribute name="skipped" type="count" use="required"/>
      <xs:attribute name="time" type="seconds" use="required"/>
      <xs:attribute name="timestamp" type="xs:dateTime"/>
      <xs:attribute name="hostname" type="xs:string"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""

_SCHEMA = etree.XMLSchema(etree.fromstring(_JUNIT_XSD))


def _parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def _case(root: etree._Element, item_id: str) -> etree._Element:
    (case,) = [c for c in root.iter("testcase") if c.get("name").split(" ", 1)[0] == item_id]
    return case


def test_report_is_valid_against_the_common_junit_schema() -> None:
    root = _parse(render(fixture_report()))
    _SCHEMA.assertValid(root)


def test_the_schema_used_here_rejects_what_ci_tools_cannot_read() -> None:
    bad = _parse(render(fixture_report()).replace('failures="5"', 'failures="five"', 1))
    assert not _SCHEMA.validate(bad)
    unnamed = _parse(render(fixture_report()).replace(' name="A1 ', ' title="A1 ', 1))
    assert not _SCHEMA.validate(unnamed)


def test_one_suite_named_after_the_spec_with_one_case_per_item() -> None:
    root = _parse(render(fixture_report()))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "Ofsted ILACS Annex A documents"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [f"{i.id} {i.title}" for i in fixture_report().items]


def test_classname_is_the_section_or_annex_a() -> None:
    root = _parse(render(fixture_report()))
    assert _case(root, "A1").get("classname") == "Leadership and governance"
    assert _case(root, "F1").get("classname") == "Annex A"


def test_suite_counts_agree_with_its_cases() -> None:
    root = _parse(render(fixture_report()))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == 12
    assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases) == 5
    assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in cases) == 3
    assert suite.get("errors") == "0"
    assert suite.get("time") == "0"
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")
    }


def test_error_item_fails_with_the_reason_as_message_and_status_as_type() -> None:
    item = next(i for i in fixture_report().items if i.id == "A4")
    failure = _case(_parse(render(fixture_report())), "A4").find("failure")
    assert failure.get("message") == item.reason
    assert failure.get("type") == "out_of_date"
    assert "What to do: Upload a current Performance scorecard" in failure.text
    assert "File: Performance/<img src=x onerror=alert(1)>.docx" in failure.text


def test_warning_items_pass_with_their_reason_in_system_out() -> None:
    root = _parse(render(fixture_report()))
    for item in fixture_report().items:
        if item.severity is Severity.WARNING:
            case = _case(root, item.id)
            assert case.find("failure") is None and case.find("skipped") is None
            assert case.findtext("system-out").startswith(f"{item.status.label}: {item.reason}")


def test_waived_and_not_required_items_are_skipped_with_a_message() -> None:
    root = _parse(render(fixture_report()))
    waived = _case(root, "A7").find("skipped")
    assert waived.get("message").startswith("Waived until 31 October 2015")
    optional = _case(root, "F1").find("skipped")
    assert optional.get("message").startswith("not required (missing): No file found")
    assert _case(root, "F2").find("skipped") is not None


def test_expired_waiver_does_not_skip_the_item() -> None:
    case = _case(_parse(render(fixture_report())), "A8")
    assert case.find("failure") is not None
    assert "Waiver expired on 31 August 2015" in case.find("failure").text


def test_item_in_date_passes_silently() -> None:
    case = _case(_parse(render(fixture_report())), "A1")
    assert len(case) == 0


def test_unreadable_and_unmatched_files_and_notices_are_in_the_suite_output() -> None:
    out = _parse(render(fixture_report())).find("testsuite").findtext("system-out")
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
    assert root.find("testsuite").get("tests") == "0"
