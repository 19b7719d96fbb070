"""A draft is marked in its name, its Word status or its first page, never by prose."""

from __future__ import annotations

import pytest

from annexa.dating import read_dates
from annexa.model import TextBlock
from tests.dating_helpers import body, facts_with, options


def draft_of(name: str = "Plan.docx", *blocks: TextBlock, markers=("draft",), **fields):
    facts = facts_with(*blocks, **fields) if blocks or fields else None
    return read_dates(facts, f"Plans/{name}", options(markers=markers), 0).draft


@pytest.mark.parametrize(
    "name",
    ["Strategy_DRAFT_v2.docx", "Strategy DRAFT.docx", "Plan (draft).pdf", "draft-plan.pdf",
     "Plan.draft.pdf", "Draft Strategy.docx", "Plan-Draft-3.docx", "First draft of plan.docx"],
)  # fmt: skip
def test_marker_as_a_whole_word_in_the_file_name_marks_a_draft(name):
    mark = draft_of(name)
    assert mark is not None
    assert (mark.marker, mark.where, mark.text) == ("draft", "filename", name)


@pytest.mark.parametrize("name", ["Redrafted plan.pdf", "Draftsman notes.pdf", "Overdraft.pdf",
                                  "Drafts2.docx", "Not a draft.pdf", "Non-draft plan.pdf"])  # fmt: skip
def test_marker_inside_a_word_or_denied_is_not_a_draft(name):
    assert draft_of(name) is None


def test_only_the_file_name_is_searched_not_the_folders():
    assert read_dates(None, "Drafts/Draft/Plan.pdf", options(), 0).draft is None


def test_word_content_status_marks_a_draft():
    mark = draft_of("Plan.docx", content_status="Draft")
    assert (mark.where, mark.text) == ("properties", "Draft")


def test_word_content_status_that_is_not_a_marker_is_not_a_draft():
    assert draft_of("Plan.docx", content_status="Content Status") is None
    assert draft_of("Plan.docx", content_status="Final") is None


def test_short_line_on_page_one_marks_a_draft():
    mark = draft_of("Plan.pdf", body("Sufficiency Strategy\nDRAFT FOR CONSULTATION\nContents"))
    assert (mark.where, mark.text) == ("content", "DRAFT FOR CONSULTATION")


def test_status_cell_on_page_one_marks_a_draft():
    assert draft_of("Plan.pdf", body("Status:\tDraft")) is not None


def test_long_prose_mentioning_a_draft_is_not_a_draft():
    text = "The draft plan was consulted on with partners over the summer of 2015."
    assert draft_of("Plan.pdf", body(text)) is None


def test_header_or_footer_marks_a_draft_on_any_line():
    block = TextBlock(
        "footer", None, "Page 1 of 12\nThis document is a draft for discussion at the board"
    )
    mark = draft_of("Plan.docx", block)
    assert mark is not None and mark.where == "content"


def test_draft_marker_on_a_later_page_is_not_read():
    assert draft_of("Plan.pdf", body("Plan", 1), body("DRAFT", 2)) is None


def test_version_history_rows_on_page_one_are_not_drafts():
    text = "Version history\n0.1\tFirst draft\tJ Smith\n0.2 Draft for comment\n1.0\tFinal\tJ Smith"
    assert draft_of("Plan.docx", body(text)) is None
    assert draft_of("Plan.pdf", body("Version\nDate\nFirst draft\nInitial draft")) is None


def test_custom_markers_are_whole_words_too():
    markers = ("draft", "for consultation", "not approved")
    assert draft_of("Plan for consultation.docx", markers=markers).marker == "for consultation"
    assert draft_of("Plan_for_consultation.docx", markers=markers).marker == "for consultation"
    assert draft_of("Plan.pdf", body("NOT APPROVED"), markers=markers).marker == "not approved"
    assert draft_of("Plan not approvedly.pdf", markers=markers) is None


def test_no_markers_means_no_drafts():
    assert draft_of("Draft plan.docx", markers=()) is None


def test_the_first_match_is_returned_file_name_first():
    mark = draft_of("Draft plan.docx", body("DRAFT"), content_status="Draft")
    assert mark.where == "filename"
    mark = draft_of("Plan.docx", body("DRAFT"), content_status="Draft")
    assert mark.where == "properties"


def test_draft_marks_do_not_depend_on_date_sources():
    found = read_dates(None, "Draft plan.docx", options(("metadata",)), 0)
    assert found.draft is not None


def _versions(*rows: str):  # type: ignore[no-untyped-def]
    from annexa.dating import read_dates
    from tests.dating_helpers import body, facts_with, options

    text = "\n".join(["Early Help Strategy", "Version\tDate\tAuthor\tComments", *rows])
    return read_dates(facts_with(body(text)), "Strategy.pdf", options(), 0)


def test_a_newest_version_numbered_zero_point_something_is_a_draft():
    found = _versions("0.1\t05/06/2017\tJ Smith\tOutline", "0.3\t03/07/2017\tA Patel\tFor comment")
    assert found.draft is not None and found.draft.where == "version"
    assert found.draft.text == "0.3 03/07/2017 A Patel For comment"


def test_a_signed_off_version_is_no_draft_whatever_its_number():
    assert (
        _versions("0.1\t05/06/2017\tJ Smith\tOutline", "1.0\t03/07/2017\tBoard\tIssued").draft
        is None
    )
    assert _versions("0.9\t03/07/2017\tA Patel\tApproved by the Board").draft is None
    final = _versions("0.2\t03/07/2017\tA Patel\tComments").draft
    assert final is not None


def test_a_stated_final_status_outweighs_the_version_table():
    from annexa.dating import read_dates
    from tests.dating_helpers import body, facts_with, options

    text = "Status: Final\nVersion\tDate\n0.2\t03/07/2017"
    assert read_dates(facts_with(body(text)), "S.pdf", options(), 0).draft is None


def test_without_draft_markers_a_version_table_marks_no_draft():
    from annexa.dating import read_dates
    from tests.dating_helpers import body, facts_with, options

    text = "Version\tDate\n0.2\t03/07/2017"
    assert read_dates(facts_with(body(text)), "S.pdf", options(markers=()), 0).draft is None


def test_draft_and_final_words_are_read_through_a_pdf_exporters_ligatures_and_spacing():
    """PDF exports letter-space headings and join "fi" into one glyph; a person reads
    through both, and so must the draft marks (as the date rules do)."""
    mark = draft_of("Plan.pdf", body("Sufficiency Strategy\nD R A F T\nContents"))
    assert mark is not None and (mark.where, mark.text) == ("content", "DRAFT")
    footer = TextBlock("footer", None, "Page 1 of 12\nD R A F T  F O R  C O M M E N T")
    assert draft_of("Plan.docx", footer) is not None
    assert _versions("0.9\t03/07/2017\tBoard\tRatiﬁed by the Board").draft is None
    text = "Status: ﬁnal\nVersion\tDate\n0.2\t03/07/2017"
    assert read_dates(facts_with(body(text)), "S.pdf", options(), 0).draft is None


def test_a_version_table_whose_heading_was_letter_spaced_still_dates_the_document():
    text = "Early Help Strategy\nV E R S I O N\tD A T E\n1.0\t03/07/2017\tBoard"
    found = read_dates(facts_with(body(text)), "Strategy.pdf", options(), 0)
    versions = [d for d in found.issue if d.basis == "version"]
    assert [(d.label, d.value.isoformat()) for d in versions] == [("Version 1.0", "2017-07-03")]
