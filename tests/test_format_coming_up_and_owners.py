"""'Coming up' and 'Who needs to do what' in the HTML and Markdown reports."""

from __future__ import annotations

import dataclasses
import datetime as dt

from lxml import html

from annexa.formats import html as html_report
from annexa.formats import markdown
from annexa.model import Report, Status
from tests.golden.fixture_report import fixture_report


def _page(report: Report | None = None) -> html.HtmlElement:
    return html.fromstring(html_report.render(report or fixture_report()))


def _text(element: html.HtmlElement) -> str:
    """The words of an element, a space between cells as a reader hears them."""
    cells = element.xpath("th|td") or [element]
    return " ".join(" ".join(cell.text_content().split()) for cell in cells)


def _coming_rows(page: html.HtmlElement) -> list[html.HtmlElement]:
    return page.xpath("//section[@aria-labelledby='coming-up']//tbody/tr")


def test_html_coming_up_is_report_coming_up_soonest_first() -> None:
    report = fixture_report()
    rows = _coming_rows(_page(report))
    ids = [row.xpath("td")[0].xpath("a")[0].text for row in rows]
    assert ids == [item.id for item in report.coming_up()] == ["L7", "A7", "A2"]
    first = _text(rows[0])
    assert first.startswith("19 September 2015 in 3 days")
    assert "last day in date" in first  # in date up to and including that day


def test_html_coming_up_says_what_happens_and_what_to_do_for_an_item_in_date() -> None:
    report = fixture_report()
    (a1,) = [i for i in report.items if i.id == "A1"]
    soon = dataclasses.replace(a1, expires=dt.date(2015, 11, 30))
    (row,) = _coming_rows(_page(dataclasses.replace(report, items=(soon,))))
    text = _text(row)
    assert "30 November 2015 in 75 days" in text
    assert "Review Self-evaluation 2015.docx and upload the new version by 30 November 2015." in (
        text
    )
    assert "Head of Quality Assurance" in text


def test_html_coming_up_says_so_when_nothing_falls_due() -> None:
    report = fixture_report()
    later = tuple(i for i in report.items if i.expires is None or i.expires > dt.date(2016, 1, 1))
    page = _page(dataclasses.replace(report, items=later))
    section = page.xpath("//section[@aria-labelledby='coming-up']")[0]
    assert "Nothing falls due by 15 December 2015." in _text(section)


def test_html_who_needs_to_do_what_groups_items_needing_action_by_owner() -> None:
    page = _page()
    boxes = page.xpath("//section[@aria-labelledby='who']//div[@class='owner-list']")
    heads = [_text(box.xpath("h3")[0]) for box in boxes]
    assert heads == [
        "Business Support Manager (2 items)",
        "Head of Performance & Intelligence (1 item)",
        "LADO (1 item)",
        "No owner named in the spec (4 items)",
    ]
    support = [_text(li) for li in boxes[0].xpath(".//li")]
    assert support == [
        "A3 Key contacts and senior leaders (∅ missing): Upload the Key contacts and senior "
        "leaders. Save it as Leadership/Key contacts and senior leaders - September 2015.pdf",
        "A2 Children’s services structure chart (◔ due soon): Review 2015-07-01 Structure chart "
        "– children’s services.pdf and upload the new version by 1 October 2015.",
    ]


def test_who_lists_exactly_the_items_needing_action() -> None:
    report = fixture_report()
    page = _page(report)
    listed = [
        li.xpath("strong")[0].text_content().split()[0]
        for li in page.xpath("//section[@aria-labelledby='who']//li")
    ]
    needing = [i.id for i in report.items if i.severity is not None]
    assert sorted(listed) == sorted(needing)


def test_nobody_has_anything_to_do_no_who_section() -> None:
    report = fixture_report()
    fine = tuple(dataclasses.replace(i, status=Status.OK, severity=None) for i in report.items)
    page = _page(dataclasses.replace(report, items=fine))
    assert not page.xpath("//section[@aria-labelledby='who']")
    assert "### Who needs to do what" not in markdown.render(
        dataclasses.replace(report, items=fine)
    )


def test_markdown_coming_up_table_and_owner_lists_ready_to_paste() -> None:
    text = markdown.render(fixture_report())
    coming = text.split("### Coming up in the next 90 days", 1)[1].split("###", 1)[0]
    rows = [line for line in coming.splitlines() if line.startswith("| ") and "**" in line]
    assert [row.split("**")[1] for row in rows] == ["L7", "A7", "A2"]
    assert rows[0].startswith("| 19 September 2015 (in 3 days) | **L7** List 7: child protection")
    who = text.split("### Who needs to do what", 1)[1].split("<details>", 1)[0]
    assert "**Business Support Manager** (2 items)" in who
    assert (
        "- **A3** Key contacts and senior leaders (∅ missing): Upload the Key contacts and "
        "senior leaders." in who
    )
    assert who.index("**LADO**") < who.index("**No owner named in the spec**")


def test_markdown_owner_names_are_escaped() -> None:
    report = fixture_report()
    (a3,) = [i for i in report.items if i.id == "A3"]
    odd = dataclasses.replace(a3, owner="@everyone <b>boss</b> | #1")
    text = markdown.render(dataclasses.replace(report, items=(odd,)))
    who = text.split("### Who needs to do what", 1)[1]
    assert "<b>" not in who and "@everyone" not in who
    assert "\\<b\\>" in who
