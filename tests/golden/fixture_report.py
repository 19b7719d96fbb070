"""A fixed Report, built by hand, that every report format is golden-tested on.

It holds one item in every status, a waiver in use and one that has expired,
items that are not required, evidence with a page, superseded files,
unmatched and unreadable files, notices, and file names chosen to break a
careless format: HTML (``<img src=x onerror=alert(1)>``), Rich/Textual markup
(``[bold]``), Markdown tables (``a|b``), spreadsheet formulas
(``=HYPERLINK(...)``), a newline and an ANSI escape, bytes that were not
UTF-8, and the £ and en dash that Excel mangles without a byte-order mark.
Built by hand rather than by ``evaluate`` so the formats' tests do not move
when the judgement's wording does.
"""

from __future__ import annotations

import datetime as dt

from annexa.model import (
    Evidence,
    FileError,
    ItemResult,
    NearestItem,
    Report,
    RowProblem,
    Status,
    Suggestion,
    WaiverState,
)
from annexa.model.durations import Duration

AS_OF = dt.date(2015, 9, 16)

HOSTILE_HTML = "Performance/<img src=x onerror=alert(1)>.docx"
HOSTILE_MARKUP = "Quality/[bold]y[/].pdf"
HOSTILE_PIPE = "Plans/a|b.pdf"
HOSTILE_FORMULA = '=HYPERLINK("x").docx'
HOSTILE_NEWLINE_ANSI = "Misc/meeting\n\x1b[31mnotes.docx"
POUND_EN_DASH = "Data/Annex A lists £ 2015–16.xlsx"
NOT_UTF8 = "Misc/caf\udce9 menu.pdf"
MONTH = Duration(1, "months")  # the due_soon of the dated items (a data list's: 2 days)
MARKDOWN_SOUP = "Misc/# @everyone *bold* _x_ `code` [link](http://example.com) ~~s~~.pdf"


def _item(
    id: str,
    title: str,
    section: str | None,
    status: Status,
    reason: str,
    *,
    required: bool = True,
    **rest: object,
) -> ItemResult:
    severity = status.severity if required else None
    if rest.get("expires") is not None:
        rest.setdefault(
            "due_soon", MONTH if status is not Status.INCOMPLETE else Duration(2, "days")
        )
    return ItemResult(
        id=id,
        title=title,
        section=section,
        status=status,
        severity=severity,
        reason=reason,
        required=required,
        **rest,  # type: ignore[arg-type]
    )


def fixture_report() -> Report:
    """The Report the golden files are rendered from."""
    leadership = "Leadership and governance"
    performance = "Performance and quality"
    annual = "Annual reports"
    data = "Child-level data"
    items = (
        _item(
            "A1",
            "Self-evaluation of social work practice",
            leadership,
            Status.OK,
            "In date until 30 June 2016: approved 30 June 2015, reviewed every 12 months.",
            file="Leadership/Self-evaluation 2015.docx",
            files=("Leadership/Self-evaluation 2015.docx", "Leadership/Self-evaluation 2014.docx"),
            superseded=("Leadership/Self-evaluation 2014.docx",),
            date=dt.date(2015, 6, 30),
            date_source="content",
            expires=dt.date(2016, 6, 30),
            evidence=Evidence("content", "Date approved", 1, "Date approved: 30 June 2015", "body"),
            owner="Head of Quality Assurance",
        ),
        _item(
            "A2",
            "Children’s services structure chart",
            leadership,
            Status.DUE_SOON,
            "Goes out of date after 1 October 2015 (in 15 days): dated 1 July 2015 in its file "
            "name, reviewed every 3 months.",
            action="Review 2015-07-01 Structure chart – children’s services.pdf and upload the "
            "new version by 1 October 2015.",
            file="Leadership/2015-07-01 Structure chart – children’s services.pdf",
            files=("Leadership/2015-07-01 Structure chart – children’s services.pdf",),
            date=dt.date(2015, 7, 1),
            date_source="filename",
            expires=dt.date(2015, 10, 1),
            evidence=Evidence("filename", None, None, "2015-07-01", "name"),
            owner="Business Support Manager",
        ),
        _item(
            "A3",
            "Key contacts and senior leaders",
            leadership,
            Status.MISSING,
            "No file found (looked for **/*key*contact*, **/*senior*leader* as PDF or Word).",
            action="Upload the Key contacts and senior leaders.",
            owner="Business Support Manager",
            suggestion=Suggestion(
                "Leadership", "Key contacts and senior leaders - September 2015.pdf"
            ),
        ),
        _item(
            "A4",
            "Performance scorecard",
            performance,
            Status.OUT_OF_DATE,
            "Out of date since 1 May 2015 (last reviewed 28 February 2015, reviewed every "
            "2 months).",
            action="Upload a current Performance scorecard: <img src=x onerror=alert(1)>.docx "
            "expired on 30 April 2015.",
            file=HOSTILE_HTML,
            files=(HOSTILE_HTML, "Performance/Scorecard January 2015.docx"),
            superseded=("Performance/Scorecard January 2015.docx",),
            date=dt.date(2015, 2, 28),
            date_source="content",
            expires=dt.date(2015, 4, 30),
            evidence=Evidence(
                "content",
                "Last reviewed",
                2,
                "Last reviewed: February 2015 <script>alert('evidence')</script>",
                "footer",
            ),
            owner="Head of Performance & Intelligence",
        ),
        _item(
            "A5",
            "Quality assurance framework",
            performance,
            Status.UNDATED,
            "[bold]y[/].pdf has no date annexa can trust: none was found in its text, in its "
            "file name or in its document properties.",
            action="Add a line such as 'Date approved: 12 March 2015' or 'Next review: March "
            "2016' to its first page, or start its file name with the date (2015-03-12 ...).",
            file=HOSTILE_MARKUP,
            files=(HOSTILE_MARKUP,),
        ),
        _item(
            "A6",
            "Improvement plan",
            performance,
            Status.DRAFT,
            "The newest file, a|b.pdf, is marked as a draft ('DRAFT' on its first page); the "
            "previous version, Improvement plan 2014.pdf, is in date until 31 March 2016.",
            action="Replace the draft with the signed-off version once it is approved.",
            file=HOSTILE_PIPE,
            files=(HOSTILE_PIPE, "Plans/Improvement plan 2014.pdf"),
            superseded=("Plans/Improvement plan 2014.pdf",),
            date=dt.date(2015, 8, 3),
            date_source="content",
            expires=dt.date(2016, 8, 3),
            evidence=Evidence("content", "Date", 1, "Date: 3 August 2015", "body"),
        ),
        _item(
            "A7",
            "Independent reviewing officer (IRO) annual report",
            annual,
            Status.WAIVED,
            "Waived until 31 October 2015: 2014-15 report goes to the partnership board on "
            "14 October, approved by Head of Service. Without the waiver it would be out of "
            "date: Out of date since 1 October 2015: the newest report covers 2013-14 (file "
            "name); the 2014-15 report was due by 30 September 2015.",
            action="Upload the 2014-15 Independent reviewing officer (IRO) annual report; it "
            "was due by 30 September 2015. (Waived until 31 October 2015.)",
            file="Annual reports/IRO annual report 2013-14.pdf",
            files=("Annual reports/IRO annual report 2013-14.pdf",),
            period="2013-14",
            expires=dt.date(2015, 9, 30),
            waiver=WaiverState(
                "2014-15 report goes to the partnership board on 14 October",
                dt.date(2015, 10, 31),
                "Head of Service",
                active=True,
                applied=True,
            ),
            owner="IRO Service Manager",
        ),
        _item(
            "A8",
            "LADO annual report",
            annual,
            Status.OUT_OF_DATE,
            "Waiver expired on 31 August 2015, judged normally. Out of date since 1 October "
            "2014: the newest report covers 2012-13 (file name); the 2013-14 report was due by "
            "30 September 2014.",
            action="Upload the 2013-14 LADO annual report; it was due by 30 September 2014.",
            file="Annual reports/LADO annual report 2012-13.pdf",
            files=("Annual reports/LADO annual report 2012-13.pdf",),
            period="2012-13",
            expires=dt.date(2014, 9, 30),
            waiver=WaiverState(
                "Awaiting sign-off by the LSCB chair",
                dt.date(2015, 8, 31),
                None,
                active=False,
                applied=False,
            ),
            owner="LADO",
        ),
        _item(
            "A9",
            "Private fostering annual report",
            annual,
            Status.UNREADABLE,
            'The newest file, =HYPERLINK("x").docx, cannot be read: not a Word document '
            "(damaged, or a different format renamed to .docx).",
            action="Save a copy annexa can open (for a PDF, one without a password) in its place.",
            file=HOSTILE_FORMULA,
            files=(HOSTILE_FORMULA,),
        ),
        _item(
            "L7",
            "List 7: child protection",
            data,
            Status.INCOMPLETE,
            "Sheet 'List 7' has no column 'Date of the Last Statutory Visit' (Annex A lists "
            "£ 2015–16.xlsx).",
            action="Produce the list again from Ofsted's template so that it has every sheet "
            "and column.",
            file=POUND_EN_DASH,
            files=(POUND_EN_DASH,),
            date=dt.date(2015, 9, 14),
            date_source="filename",
            expires=dt.date(2015, 9, 19),
            # Checked against the columns it has: the JSON report lists the rows.
            row_problems=(
                RowProblem(
                    "List 7",
                    7,
                    "Child Protection Plan Start Date",
                    "not_a_date",
                    "'Child Protection Plan Start Date' is not a date",
                ),
                RowProblem("List 7", 31, "", "duplicate_row", "the row repeats row 12"),
            ),
            row_problems_total=15,
        ),
        _item(
            "F1",
            "Fostering statement of purpose",
            None,
            Status.MISSING,
            "No file found (looked for **/*fostering*purpose* as PDF or Word).",
            action="Upload the Fostering statement of purpose.",
            required=False,
        ),
        _item(
            "F2",
            "Adoption agency statement of purpose",
            None,
            Status.OK,
            "In date until 31 March 2016: its 'Next review' is March 2016.",
            file="Adoption/Statement of purpose.pdf",
            files=("Adoption/Statement of purpose.pdf",),
            date=dt.date(2015, 4, 1),
            date_source="metadata",
            expires=dt.date(2016, 3, 31),
            evidence=Evidence("content", "Next review", 3, "Next review: March 2016", "body"),
            waiver=WaiverState(
                "Agency restructure", dt.date(2015, 12, 31), None, active=True, applied=False
            ),
            required=False,
        ),
    )
    return Report(
        root="/srv/share/annex-a",
        spec_name="Ofsted ILACS Annex A documents",
        spec_source="ilacs",
        as_of=AS_OF,
        items=items,
        unmatched=(
            "Misc/notes.txt",
            HOSTILE_NEWLINE_ANSI,
            "Misc/Budget £ 2015–16.xlsx",
            NOT_UTF8,
            MARKDOWN_SOUP,
            "Misc/- 1. list-looking name.pdf",
        ),
        errors=(
            FileError("Data/List 3.pdf", "encrypted PDF: password required"),
            FileError("Misc/broken\r\nname <b>.pdf", "not a PDF file (damaged or renamed)"),
        ),
        notices=("The waiver for A8 expired on 31 August 2015; it is judged normally.",),
        tool_version="0.1.0",
        nearest=(
            NearestItem(
                "Misc/- 1. list-looking name.pdf",
                "A3",
                "Key contacts and senior leaders",
                "Key contacts and senior leaders - September 2015.pdf",
                "'- 1. list-looking name.pdf' looks like A3 Key contacts and senior leaders: "
                "name it 'Key contacts and senior leaders - September 2015.pdf'.",
            ),
        ),
    )
