"""Only labelled dates count, and the label says whether a date is an issue or an expiry."""

from __future__ import annotations

import datetime as dt

import pytest

from annexa.dating import read_dates
from annexa.model import TextBlock
from tests.dating_helpers import body, content, expiry_dates, facts_with, issue_dates, options

D = dt.date
DAY = D(2015, 3, 12)

ISSUE_LABELS = [
    "Date", "Dated", "Date approved", "Approved", "Approved on", "Approval date",
    "Date of approval", "Published", "Date published", "Publication date", "Issued",
    "Issue date", "Date of issue", "Last reviewed", "Last review", "Reviewed", "Date reviewed",
    "Review completed", "Last updated", "Updated", "Date updated", "Version date",
    "Date of version", "Effective from", "Effective date", "Date effective", "Ratified",
    "Date ratified", "Agreed", "Date agreed", "Signed off", "Date signed off", "Produced",
    "Date produced", "Date of publication", "Adopted", "Endorsed", "Last review date",
    "Date of last review", "Document date",
    # document-control wording of UK council templates
    "Edition", "First published", "Date first published", "Publication", "Date of issue of this version",
    "Revision date", "Last amended", "Amended", "Date last updated", "Date of last update",
    "Approved date", "Date of ratification", "Sign-off date", "Sign off date", "Date signed",
    "Date created", "Date written", "Date of document", "Date of report", "Valid from",
    "In force from", "Applies from", "Implemented", "Refreshed", "Last refreshed",
]  # fmt: skip

EXPIRY_LABELS = [
    "Next review", "Next review date", "Date of next review", "Review date", "Due for review",
    "To be reviewed", "Review due", "Review by", "Valid until", "Valid to", "Expires",
    "Expiry date", "Date of expiry", "Renewal date", "Next review due", "Date for next review",
    "Review due by", "Expiry",
    # document-control wording of UK council templates
    "To be reviewed by", "Next review by", "Due for review by", "Date due for review",
    "Scheduled review date", "Next revision date", "Revision due", "Next update by",
    "Expiration date", "In force until", "Valid through",
]  # fmt: skip


@pytest.mark.parametrize("label", ISSUE_LABELS)
def test_issue_label_gives_an_issue_date(label):
    found = content(f"{label}: 12 March 2015")
    assert [d.value for d in found.issue] == [DAY]
    assert found.expiry == ()
    assert found.issue[0].label.lower() == label.lower()


@pytest.mark.parametrize("label", EXPIRY_LABELS)
def test_expiry_label_gives_an_expiry_date(label):
    found = content(f"{label}: 12 March 2016")
    assert [d.value for d in found.expiry] == [D(2016, 3, 12)]
    assert found.issue == ()
    assert found.expiry[0].label.lower() == label.lower()


def test_labels_are_case_insensitive_and_shown_in_sentence_case():
    (found,) = content("DATE APPROVED: 12 March 2015").issue
    assert found.label == "Date approved"
    (found,) = content("date   approved: 12 March 2015").issue
    assert found.label == "Date approved"


def test_bare_review_date_means_the_next_review():
    assert expiry_dates("Review date: Sept 2016") == [D(2016, 9, 30)]
    assert issue_dates("Review date: Sept 2016") == []


def test_date_reviewed_is_when_the_last_review_happened():
    assert issue_dates("Date reviewed: 01/09/2015") == [D(2015, 9, 1)]


def test_last_review_date_is_an_issue_date():
    found = content("Last review date: 01/09/2015")
    assert [d.value for d in found.issue] == [D(2015, 9, 1)]
    assert found.expiry == ()


def test_date_of_review_is_ambiguous_and_not_read():
    found = content("Date of review: March 2016")
    assert (found.issue, found.expiry) == ((), ())


def test_next_review_date_is_not_read_as_a_date_label():
    found = content("Next review date: 12/03/2016")
    assert found.issue == ()
    assert [d.label for d in found.expiry] == ["Next review date"]


def test_date_of_next_review_is_not_read_as_date():
    found = content("Date of next review: March 2016")
    assert found.issue == ()
    assert [d.value for d in found.expiry] == [D(2016, 3, 31)]


@pytest.mark.parametrize(
    "written",
    ["Date approved: 12 March 2015", "Date approved - 12 March 2015",
     "Date approved – 12 March 2015", "Date approved | 12 March 2015",
     "Date approved\t12 March 2015", "Date approved       12 March 2015",
     "Date approved 12 March 2015", "Approved on 12 March 2015", "Date approved:12 March 2015",
     "Date approved (dd/mm/yyyy): 12/03/2015"],
)  # fmt: skip
def test_label_and_date_may_be_separated_by_punctuation_or_a_cell_gap(written):
    assert issue_dates(written) == [DAY]


def test_by_introduces_the_date_after_an_expiry_label():
    assert expiry_dates("Next review: by March 2016") == [D(2016, 3, 31)]


def test_approved_by_someone_on_a_date_reads_the_date():
    assert issue_dates("Approved by Cabinet on 12 March 2015") == [DAY]
    assert issue_dates("Date approved by the Safeguarding Board: 12/03/2015") == [DAY]


def test_a_label_followed_by_other_words_has_no_date():
    assert content("Approved by J Smith, Head of Service").issue == ()
    assert content("Date of the meeting is to be confirmed, 12 March 2015").issue == ()


def test_unlabelled_dates_in_sentences_and_in_the_body_are_not_used():
    # A full page of text is no cover: a date alone or in a sentence below its
    # title lines, or on a later page, says nothing about the document.
    prose = "The board agreed the plan and the partners shared their data with it.\n" * 12
    page_one = f"{prose}On 12 March 2015 the board met.\n14/04/2015\nMarch 2016\n{prose}"
    facts = facts_with(body(page_one), body("14/04/2015\nMarch 2016\nText", 2))
    found = read_dates(facts, "doc.pdf", options(), 0)
    assert (found.issue, found.expiry) == ((), ())


def test_first_date_in_the_text_does_not_win():
    text = "Minutes of 3 January 2014\nRef 2014/03/01\nDate approved: 12 March 2015"
    assert issue_dates(text) == [DAY]


def test_reference_phone_and_version_numbers_are_not_dates():
    text = "Ref: 2015-1234\nTel: 01234 567890\nVersion 2015.3.1\nDate: Tel 01234 567890"
    assert (content(text).issue, content(text).expiry) == ((), ())


def test_value_alone_on_the_next_line_belongs_to_a_lone_label():
    found = content("Date approved\n12 March 2015\nNext review date:\n\nMarch 2016")
    assert [d.value for d in found.issue] == [DAY]
    assert [d.value for d in found.expiry] == [D(2016, 3, 31)]
    assert found.issue[0].text == "Date approved 12 March 2015"


def test_lone_label_reaches_a_value_two_blank_lines_below_but_no_further():
    # The label search skips lines far from any digit (docs/speed.md); a lone
    # label's value may sit up to three lines below it, blank lines included.
    prose = "The partnership agreed the priorities and last updated the plan.\n" * 40
    found = content(f"{prose}Date approved\n\n\n12 March 2015\n{prose}")
    assert [d.value for d in found.issue] == [DAY]
    assert content(f"{prose}Date approved\n\n\n\n12 March 2015\n{prose}").issue == ()


def test_next_line_is_not_used_when_the_label_shares_its_line():
    assert issue_dates("Date approved by the board\n12 March 2015") == []


def test_next_line_is_not_used_under_a_row_of_bare_labels():
    # A table with its header row above its value row: which date is which is unknown.
    found = content("Date approved\nNext review\n12/03/2015\n12/03/2016")
    assert (found.issue, found.expiry) == ((), ())


def test_document_control_table_rows_read_each_label():
    text = "Version\t1.0\nDate approved\t12/03/2015\nNext review date\t12/03/2016\nOwner\tJ Smith"
    found = content(text)
    assert [d.value for d in found.issue] == [DAY]
    assert [d.value for d in found.expiry] == [D(2016, 3, 12)]


def test_two_labels_on_one_line_are_both_read():
    found = content("Date approved: 12/03/2015   Review date: 12/03/2016")
    assert [d.value for d in found.issue] == [DAY]
    assert [d.value for d in found.expiry] == [D(2016, 3, 12)]


@pytest.mark.parametrize("qualifier", ["Start", "End", "Due", "Target", "Completion", "Birth"])
def test_a_date_that_is_some_other_date_is_not_the_document_date(qualifier):
    assert issue_dates(f"{qualifier} date: 12 March 2015") == []


def test_meeting_date_dates_minutes():
    assert issue_dates("Meeting date: 12 March 2015") == [DAY]
    assert issue_dates("Author: J Smith   Date: 12 March 2015") == [DAY]


def test_promised_approval_is_not_an_issue_date():
    assert issue_dates("To be approved: June 2015") == []
    assert issue_dates("Not yet published: June 2015") == []


def test_previous_review_date_is_not_the_next_review():
    assert expiry_dates("Previous review date: March 2014") == []


def test_connecting_words_count_only_at_the_start_of_a_line():
    assert issue_dates("Published in May 2014") == [D(2014, 5, 31)]
    assert issue_dates("The last strategy was published in May 2012 by the council.") == []


def test_labelled_date_in_header_keeps_where_and_page():
    facts = facts_with(
        TextBlock("body", 1, "Contents"),
        TextBlock("header", None, "Children's Services | Review date: Sept 2016"),
        TextBlock("footer", 2, "Date approved: 12/03/2015   Page 2 of 9"),
    )
    found = read_dates(facts, "doc.pdf", options(), 0)
    (expiry,) = found.expiry
    assert (expiry.where, expiry.page, expiry.label) == ("header", None, "Review date")
    (issue,) = found.issue
    assert (issue.where, issue.page, issue.source) == ("footer", 2, "content")
    assert issue.text == "Date approved: 12/03/2015 Page 2 of 9"


def test_date_repeated_on_every_page_is_one_candidate_with_the_first_page():
    facts = facts_with(*(TextBlock("body", page, "Date: 12/03/2015") for page in (1, 2, 3)))
    (found,) = read_dates(facts, "doc.pdf", options(), 0).issue
    assert found.page == 1


def test_candidates_keep_document_order():
    text = "Date approved: 12 March 2015\nLast reviewed: 01/09/2015\nUpdated: January 2015"
    assert issue_dates(text) == [DAY, D(2015, 9, 1), D(2015, 1, 31)]


def test_evidence_text_is_trimmed_to_a_line_and_keeps_the_label():
    line = "x " * 100 + "Date approved: 12 March 2015 " + "y " * 100
    (found,) = content(line).issue
    assert len(found.text) <= 120
    assert "Date approved: 12 March 2015" in found.text


def test_label_inside_a_longer_word_is_not_a_label():
    assert issue_dates("Update: 12/03/2015\nCandidate 12/03/2015\nPredated 12/03/2015") == []


def test_text_whose_lower_case_changes_length_still_reads_the_right_date():
    # "İ".lower() is two characters: positions must still point at the label.
    assert issue_dates("İİİ Date approved: 12 March 2015 İ") == [DAY]


def test_non_breaking_spaces_count_as_spaces():
    assert issue_dates("Date\u00a0approved:\u00a012\u00a0March\u00a02015") == [DAY]


def test_a_paragraph_that_opens_with_a_label_and_goes_on_is_prose():
    text = (
        "Published in January 2014, the national guidance sets out what local authorities "
        "must do for children who are privately fostered."
    )
    assert issue_dates(text) == []
    assert issue_dates("Published in January 2014") == [D(2014, 1, 31)]


def test_ligatures_and_superscript_ordinals_do_not_hide_a_label():
    assert issue_dates("Ratiﬁed: 1ˢᵗ April 2015") == [D(2015, 4, 1)]
    assert issue_dates("Eﬀective from 1 April 2015") == [D(2015, 4, 1)]
