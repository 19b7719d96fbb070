"""The HTML report: self-contained, accessible, printable, and never fooled by a file name."""

from __future__ import annotations

import dataclasses
import re

from lxml import html

from annexa.formats.html import render
from annexa.model import Status
from tests.golden.fixture_report import (
    HOSTILE_HTML,
    HOSTILE_NEWLINE_ANSI,
    fixture_report,
)


def _page(report=None) -> html.HtmlElement:  # type: ignore[no-untyped-def]
    return html.fromstring(render(report or fixture_report()))


def _row(page: html.HtmlElement, item_id: str) -> html.HtmlElement:
    (row,) = page.xpath(f"//tr[@id='item-{item_id}']")
    return row


def _cells(row: html.HtmlElement) -> list[str]:
    return [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]


def _text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_file_named_like_an_html_tag_appears_as_text_not_as_an_element() -> None:
    page = _page()
    assert not page.xpath("//img | //script | //iframe | //object | //embed")
    assert not [a for a in page.iter() if any(k.startswith("on") for k in a.attrib)]
    assert HOSTILE_HTML in _text(_row(page, "A4"))
    assert "<script>alert('evidence')</script>" in _text(_row(page, "A4"))


def test_names_from_spec_are_escaped_in_attributes_too() -> None:
    report = fixture_report()
    hostile = dataclasses.replace(report.items[0], id='x" onmouseover="alert(1)')
    page = _page(dataclasses.replace(report, items=(hostile, *report.items[1:])))
    (row,) = page.xpath("//tr[starts-with(@id, 'item-x')]")
    assert row.get("id") == 'item-x" onmouseover="alert(1)'
    assert row.get("onmouseover") is None


def test_page_is_self_contained_with_no_script_and_nothing_fetched() -> None:
    text = render(fixture_report())
    page = html.fromstring(text)
    assert not page.xpath("//script | //link | //img | //iframe | //@src")
    assert all(href.startswith("#") for href in page.xpath("//@href"))
    (style,) = page.xpath("//style")
    assert "url(" not in style.text and "@import" not in style.text
    (csp,) = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_page_is_in_british_english_with_the_spec_and_as_of_date_in_the_title() -> None:
    page = _page()
    assert page.get("lang") == "en-GB"
    assert page.findtext(".//title") == (
        "Ofsted ILACS Annex A documents: Annex A check as of 16 September 2015"
    )


def test_every_table_has_a_caption_and_every_header_a_scope() -> None:
    page = _page()
    tables = page.xpath("//table")
    assert tables
    for table in tables:
        assert table.find("caption") is not None and table.find("caption").text_content().strip()
    for th in page.xpath("//th"):
        assert th.get("scope") in ("col", "row", "rowgroup")


def test_status_is_given_in_words_and_symbols_not_only_colour() -> None:
    page = _page()
    for item in fixture_report().items:
        row_text = _text(_row(page, item.id))
        assert f"{item.status.symbol} {item.status.label}" in row_text


def test_items_are_grouped_by_section_in_spec_order() -> None:
    page = _page()
    captions = [c.text_content() for c in page.xpath("//table[contains(@class,'items')]/caption")]
    assert captions == [
        "Leadership and governance",
        "Performance and quality",
        "Annual reports",
        "Child-level data",
        "Other items",
    ]
    leadership = page.xpath("//table[contains(@class,'items')]")[0]
    assert [r.get("id") for r in leadership.xpath(".//tr[@id]")] == [
        "item-A1",
        "item-A2",
        "item-A3",
    ]


def test_item_row_shows_uk_dates_reason_action_evidence_and_file() -> None:
    row = _text(_row(_page(), "A1"))
    assert "30 June 2015 (in the document)" in row
    assert "30 June 2016" in row
    assert "In date until 30 June 2016: approved 30 June 2015" in row
    assert (
        "'Date approved', page 1 (in the document)" in row and "Date approved: 30 June 2015" in row
    )
    assert "File: Leadership/Self-evaluation 2015.docx" in row
    assert "Superseded: Leadership/Self-evaluation 2014.docx" in row
    assert "2015-06-30" not in row
    action = _text(_row(_page(), "A2"))
    assert "upload the new version by 1 October 2015" in action


def test_items_needing_action_are_listed_first_worst_first_with_what_to_do() -> None:
    page = _page()
    ids = page.xpath("//section[@aria-labelledby='todo']//tbody/tr/th//text()")
    assert ids == ["A3", "A4", "A8", "A9", "L7", "A2", "A6", "A5"]
    first = _text(page.xpath("//section[@aria-labelledby='todo']//tbody/tr")[0])
    assert "Upload the Key contacts and senior leaders." in first
    assert "Business Support Manager" in first


def test_report_with_nothing_to_do_says_so() -> None:
    report = fixture_report()
    fine = tuple(dataclasses.replace(i, status=Status.OK, severity=None) for i in report.items)
    page = _page(dataclasses.replace(report, items=fine))
    todo = _text(page.xpath("//section[@aria-labelledby='todo']")[0])
    assert "Nothing: every required item is present and in date." in todo
    assert "No item needs action" in _text(page.xpath("//p[contains(@class,'headline')]")[0])


def test_summary_counts_every_status_that_occurs_with_a_bar_each() -> None:
    page = _page()
    rows = page.xpath("//table[contains(@class,'counts')]/tbody/tr")
    counts = {
        " ".join(r.xpath("th")[0].text_content().split()): int(r.xpath("td")[0].text) for r in rows
    }
    summary = fixture_report().summary
    assert counts == {f"{s.symbol} {s.label}": summary[s.value] for s in Status if summary[s.value]}
    assert len(
        page.xpath("//table[contains(@class,'counts')]//span[contains(@class,'bar')]")
    ) == len(rows)
    assert "8 of 12 items need action: 5 errors and 3 warnings." in _text(page)


def test_unmatched_and_unreadable_files_waivers_and_notices_are_listed() -> None:
    page = _page()
    unreadable = [
        _cells(r) for r in page.xpath("//section[@aria-labelledby='unreadable']//tbody/tr")
    ]
    assert unreadable == [
        ["Data/List 3.pdf", "encrypted PDF: password required"],
        ["Misc/broken\\r\\nname <b>.pdf", "not a PDF file (damaged or renamed)"],
    ]
    unmatched = page.xpath("//section[@aria-labelledby='unmatched']//li")
    assert len(unmatched) == len(fixture_report().unmatched)
    waivers = [_cells(r)[:4] for r in page.xpath("//section[@aria-labelledby='waivers']//tbody/tr")]
    assert waivers == [
        ["A7", "31 October 2015", "in use", "Head of Service"],
        ["A8", "31 August 2015", "expired", ""],
        ["F2", "31 December 2015", "not needed", ""],
    ]
    notices = _text(page.xpath("//section[@aria-labelledby='notices']")[0])
    assert "The waiver for A8 expired on 31 August 2015" in notices


def test_control_characters_in_names_are_shown_as_visible_escapes() -> None:
    text = render(fixture_report())
    assert "\x1b" not in text and "\r" not in text
    assert "Misc/meeting\\n\\x1b[31mnotes.docx" in text
    assert HOSTILE_NEWLINE_ANSI not in text
    assert "caf\\xe9 menu.pdf" in text


def test_not_required_items_say_so() -> None:
    row = _text(_row(_page(), "F1"))
    assert "∅ missing" in row and "not required" in row


def test_print_stylesheet_is_a4_and_repeats_table_headers() -> None:
    (style,) = _page().xpath("//style")
    assert re.search(r"@page\s*{[^}]*size:\s*A4", style.text)
    assert "thead { display: table-header-group; }" in style.text
