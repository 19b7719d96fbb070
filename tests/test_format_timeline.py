"""The HTML report's timeline: every item's life as a bar, readable without colour."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from lxml import html

from annexa.formats.html import render
from annexa.formats.timeline import WIDTH, Window
from annexa.model import Report
from tests.golden.fixture_report import AS_OF, fixture_report


def _page(report: Report | None = None) -> html.HtmlElement:
    return html.fromstring(render(report or fixture_report()))


def _section(page: html.HtmlElement) -> html.HtmlElement:
    (section,) = page.xpath("//section[@aria-labelledby='timeline']")
    return section


def _rows(page: html.HtmlElement) -> dict[str, html.HtmlElement]:
    rows = _section(page).xpath(".//tbody/tr[th[@scope='row']]")
    return {row.xpath("th")[0].text_content().split()[0]: row for row in rows}


def _rects(row: html.HtmlElement, pattern: str) -> list[tuple[float, float]]:
    return [
        (float(r.get("x")), float(r.get("x")) + float(r.get("width")))
        for r in row.xpath(".//rect")
        if r.get("fill") == f"url(#{pattern})"
    ]


def test_window_runs_from_three_months_before_to_twelve_after_the_as_of_date() -> None:
    window = Window(AS_OF)
    assert (window.start, window.end) == (dt.date(2015, 6, 16), dt.date(2016, 9, 16))
    assert window.x(window.start) == 0 and window.x(window.end) == WIDTH
    assert window.x(dt.date(2010, 1, 1)) == 0 and window.x(dt.date(2030, 1, 1)) == WIDTH


def test_every_item_has_a_row_in_spec_order_with_its_status_in_words() -> None:
    rows = _rows(_page())
    assert list(rows) == [item.id for item in fixture_report().items]
    for item in fixture_report().items:
        words = " ".join(rows[item.id].xpath("td")[-1].text_content().split())
        assert words.startswith(f"{item.status.symbol} {item.status.label}")


def test_a_bar_runs_from_the_items_date_to_its_expiry_in_words_beside_it() -> None:
    window = Window(AS_OF)
    a2 = _rows(_page())["A2"]  # dated 1 July 2015, expires 1 October 2015
    (bar,) = _rects(a2, "tl-in")
    assert bar == (window.x(dt.date(2015, 7, 1)), window.x(dt.date(2015, 10, 2)))
    assert "until 1 Oct 2015" in a2.text_content()


def test_the_due_soon_stretch_is_striped_and_ends_at_the_expiry() -> None:
    window = Window(AS_OF)
    (soon,) = _rects(_rows(_page())["A2"], "tl-soon")  # due_soon is 1 month
    assert soon == (window.x(dt.date(2015, 9, 1)), window.x(dt.date(2015, 10, 2)))


def test_time_out_of_date_is_cross_hatched_up_to_the_as_of_date() -> None:
    window = Window(AS_OF)
    a4 = _rows(_page())["A4"]  # expired 30 April 2015, before the window
    assert _rects(a4, "tl-late") == [(0.0, window.x(AS_OF + dt.timedelta(days=1)))]
    assert _rects(a4, "tl-in") == []  # its life ended before the window starts
    assert "expired 30 Apr 2015" in a4.text_content()


def test_the_as_of_date_is_marked_in_every_row_and_named_in_the_header() -> None:
    page = _page()
    x = str(Window(AS_OF).x(AS_OF))
    for row in _rows(page).values():
        assert [line for line in row.xpath(".//line") if line.get("x1") == x]
    (mark,) = _section(page).xpath(".//thead//span[@class='asof']")
    assert mark.text_content() == "▼ 16 Sep 2015"


def test_items_without_dates_have_no_bar_and_say_so() -> None:
    a3 = _rows(_page())["A3"]  # missing
    assert a3.xpath(".//rect") == []
    assert "no expiry known" in a3.text_content()


def test_colour_is_never_the_only_cue_each_kind_of_bar_has_a_pattern_and_words() -> None:
    section = _section(_page())
    patterns = {p.get("id"): p for p in section.xpath(".//pattern")}
    assert set(patterns) == {"tl-in", "tl-soon", "tl-late"}
    # due soon is striped and out of date crossed: each has lines, not just a fill colour
    assert patterns["tl-soon"].xpath(".//path") and patterns["tl-late"].xpath(".//path")
    legend = " ".join(section.xpath(".//ul[@class='legend']")[0].text_content().split())
    for words in ("in date", "due soon", "out of date", "as-of date"):
        assert words in legend
    for use in section.xpath(".//ul[@class='legend']//rect/@fill"):
        assert use.startswith("url(#tl-")


def test_months_and_years_label_the_axis() -> None:
    axis = _section(_page()).xpath(".//thead//div[@class='axis']")[0]
    months = [s.text_content() for s in axis.xpath(".//div[contains(@class,'months')]/span")]
    assert [m for m in months if m] == [
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun",
        "Jul", "Aug",
    ]  # fmt: skip
    years = [s.text_content() for s in axis.xpath(".//div[contains(@class,'years')]/span")]
    assert years == ["2015", "2016"]


def test_the_timeline_has_no_script_no_link_and_no_text_inside_its_bars() -> None:
    section = _section(_page())
    assert not section.xpath(".//script | .//a | .//@href | .//image | .//foreignObject")
    assert not section.xpath(".//td[@class='track']//text")


def test_a_title_with_markup_is_text_in_the_timeline() -> None:
    report = fixture_report()
    odd = dataclasses.replace(report.items[0], title="<svg onload=alert(1)>")
    page = _page(dataclasses.replace(report, items=(odd,)))
    assert "<svg onload=alert(1)>" in _rows(page)["A1"].xpath("th")[0].text_content()
    assert not [e for e in page.iter() if "onload" in e.attrib]


def test_print_keeps_the_timeline_on_pages_of_its_own_with_its_header_repeated() -> None:
    (style,) = _page().xpath("//style")
    assert re.search(r"section\.timeline\s*{\s*break-before:\s*page", style.text)
    assert "thead { display: table-header-group; }" in style.text


def test_no_items_no_timeline() -> None:
    report = Report("/srv", "Empty", "e.toml", AS_OF, ())
    assert not _page(report).xpath("//section[@aria-labelledby='timeline']")
