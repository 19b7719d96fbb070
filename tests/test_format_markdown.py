"""The Markdown report: compact for a PR comment or job summary, and never fooled by a name.

The rendered checks use markdown-it-py (installed with Textual) with tables,
strikethrough and raw HTML on, as GitHub's renderer has them.
"""

from __future__ import annotations

import dataclasses

import pytest
from lxml import html
from markdown_it import MarkdownIt

from annexa.formats.markdown import md, md_line, render
from tests.golden.fixture_report import (
    HOSTILE_HTML,
    HOSTILE_MARKUP,
    HOSTILE_PIPE,
    MARKDOWN_SOUP,
    fixture_report,
)

_RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _rendered(text: str) -> html.HtmlElement:
    return html.fromstring(f"<div>{_RENDERER.render(text)}</div>")


def _shown(text: str) -> str:
    """What a reader sees when Markdown renders ``text``."""
    return _rendered(text).text_content().strip()


@pytest.mark.parametrize(
    "name",
    [
        HOSTILE_HTML,
        HOSTILE_MARKUP,
        HOSTILE_PIPE,
        MARKDOWN_SOUP,
        '=HYPERLINK("x").docx',
        "back\\slash &amp; $x$ and $y$.pdf",
        "**/*self*eval*",
        "Notes for @jsmith and @org/team.docx",
        "See #123 and council/annex#45.pdf",
        "www.borsetshire.gov.uk minutes.pdf",
        "Copy of https://example.org/x.pdf",
        "jo@example.org list.csv",
    ],
)
def test_a_name_renders_exactly_as_written(name: str) -> None:
    page = _rendered(f"| File |\n|---|\n| {md(name)} |\n")
    (cell,) = page.xpath("//td")
    assert cell.text_content() == name
    assert not cell.xpath(".//*"), "the name must render as text with no markup inside"


@pytest.mark.parametrize(
    ("name", "linkable"),
    [
        ("Notes for @jsmith.docx", "@jsmith"),
        ("From @org/team.docx", "@org"),
        ("Minutes #123.pdf", "#123"),
        ("council/annex#45.pdf", "#45"),
        ("www.borsetshire.gov.uk.pdf", "www."),
        ("Copy of HTTPS://example.org.pdf", "HTTPS://"),
        ("jo@example.org.csv", "@example"),
    ],
)
def test_github_finds_no_mention_issue_or_address_to_link_in_a_name(
    name: str, linkable: str
) -> None:
    # GitHub links these in the rendered text, where no backslash escape
    # reaches: the text nodes it looks at must not hold them whole.
    page = _rendered(f"| File |\n|---|\n| {md(name)} |\n")
    (cell,) = page.xpath("//td")
    assert cell.text_content() == name
    assert not any(linkable in text for text in cell.xpath(".//text()"))


@pytest.mark.parametrize(
    "text", ["# not a heading", "- not a list", "+ not a list", "1. not a list", "> quote", "=x"]
)
def test_text_at_the_start_of_a_line_cannot_become_a_heading_or_list(text: str) -> None:
    page = _rendered(f"- {md_line(text)}\n")
    (item,) = page.xpath("//li")
    assert item.text_content() == text
    assert not item.xpath(".//*")


def test_newlines_in_names_cannot_end_a_table_row() -> None:
    assert "\n" not in md("Misc/meeting\n\x1b[31mnotes.docx")
    assert _shown(md("Misc/meeting\n\x1b[31mnotes.docx")) == "Misc/meeting\\n\\x1b[31mnotes.docx"


def test_report_renders_with_no_markup_from_file_names() -> None:
    page = _rendered(render(fixture_report()))
    assert not page.xpath("//img | //script | //a | //em | //del | //h1")
    # The only strong text is ours: the headline, the item ids and the owners' names.
    strong = [s.text_content() for s in page.xpath("//strong")]
    assert strong[:2] == [
        "16 September 2015",
        "8 of 12 items need action: 5 errors and 3 warnings.",
    ]
    items = fixture_report().items
    owners = {item.owner for item in items if item.owner} | {"No owner named in the spec"}
    ids = {item.id for item in items}
    assert ids <= set(strong[2:]) <= ids | owners


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    page = _rendered(render(fixture_report()))
    tables = page.xpath("//table")
    assert len(tables) == 6
    for table in tables:
        width = len(table.xpath("thead/tr/th"))
        for row in table.xpath("tbody/tr"):
            assert len(row.xpath("td")) == width


def test_items_needing_action_come_first_worst_first_with_what_to_do() -> None:
    page = _rendered(render(fixture_report()))
    todo = page.xpath("//h3[starts-with(., 'Needs action')]/following-sibling::table[1]")[0]
    rows = todo.xpath("tbody/tr")
    assert [r.xpath("td")[0].text_content().split()[0] for r in rows] == [
        "A3",
        "A4",
        "A8",
        "A9",
        "L7",
        "A2",
        "A6",
        "A5",
    ]
    first = [c.text_content() for c in rows[0].xpath("td")]
    assert first[1] == "∅ missing"
    assert "→ Upload the Key contacts and senior leaders." in first[2]
    assert first[3] == "Business Support Manager"


def test_items_not_needing_action_are_folded_away_in_details() -> None:
    text = render(fixture_report())
    folded = text.split("<details>")[1]
    assert "<summary>4 other items: in date, waived or not required</summary>" in folded
    needs_action = text.split("### Needs action", 1)[1].split("###", 1)[0]
    for item_id in ("A1", "A7", "F1", "F2"):
        assert f"**{item_id}**" in folded
        assert f"**{item_id}**" not in needs_action


def test_summary_counts_and_files_that_need_a_look() -> None:
    text = render(fixture_report())
    page = _rendered(text)
    counts = page.xpath("//table")[0]
    heads = [th.text_content() for th in counts.xpath("thead/tr/th")]
    values = [int(td.text_content()) for td in counts.xpath("tbody/tr/td")]
    assert dict(zip(heads, values, strict=True)) == {
        "✓ in date": 2,
        "◔ due soon": 1,
        "✗ out of date": 2,
        "∅ missing": 2,
        "? undated": 1,
        "✎ draft": 1,
        "! unreadable": 1,
        "◧ incomplete": 1,
        "~ waived": 1,
        "match no item": 6,
        "unreadable files": 2,
    }
    assert "<summary>2 files could not be read</summary>" in text
    assert "<summary>6 files match no item</summary>" in text
    assert "- The waiver for A8 expired on 31 August 2015; it is judged normally." in text


def test_dates_are_written_the_uk_way() -> None:
    text = render(fixture_report())
    assert "30 June 2015 (in the document) | 30 June 2016" in text
    assert "2015-06-30" not in text


def test_a_clean_report_has_no_action_table() -> None:
    report = fixture_report()
    fine = tuple(dataclasses.replace(i, severity=None) for i in report.items)
    text = render(dataclasses.replace(report, items=fine, notices=()))
    assert "Needs action" not in text
    assert "No item needs action: all 12 items checked." in text


def test_long_file_lists_are_cut_short_so_a_comment_still_fits() -> None:
    report = dataclasses.replace(
        fixture_report(), unmatched=tuple(f"Misc/file {n}.pdf" for n in range(5000))
    )
    text = render(report)
    assert len(text) < 65_536
    assert "| Misc/file 99.pdf |" in text and "| Misc/file 100.pdf |" not in text
    assert "… and 4900 more: the HTML and JSON reports list every file." in text
    assert "<summary>5000 files match no item</summary>" in text
