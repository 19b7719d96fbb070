"""First pages as council documents lay them out, written for annexa's tests.

Every case here is in the project's own words (an imaginary "Anyshire"),
laid out the ways real council documents are: a month and year alone on the
cover, a date beside the title, a running footer, periods written with
months, a document-control table, a version history, a foreword that names
the year. Each is rendered twice, as a PDF (reportlab, read back through
PDFium as annexa reads any PDF) and as a Word file (python-docx), and the
PDFs carry the faults of real text layers: a word hyphenated across a line
break, letters spaced out, ligatures, a table given one cell a line, a
running header and footer repeated on every page.

A case says what a careful reader would take from it: the date and its
precision, the period, the expiry, whether it is a draft, and the status
under a rule on given days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from annexa.model import Status

D = dt.date


# ---------------------------------------------------------------------------
# What a page holds, whatever the format
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of its own: a heading, a date, a caption (a paragraph in Word)."""

    text: str
    size: int = 11


@dataclass(frozen=True)
class Para:
    """Prose: wrapped to the page's width in a PDF, one paragraph in Word."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table; ``stacked`` PDFs give each cell its own line, as many exports do."""

    rows: tuple[tuple[str, ...], ...]
    stacked: bool = False


@dataclass(frozen=True)
class Spaced:
    """A letter-spaced heading: letters drawn apart in a PDF, typed apart in Word."""

    text: str
    size: int = 18


@dataclass(frozen=True)
class Broken:
    """One line the PDF breaks in two ("Sep-" / "tember 2016"); Word keeps it whole."""

    first: str
    second: str
    size: int = 18


Piece = Line | Para | Table | Spaced | Broken


@dataclass(frozen=True)
class Document:
    pages: tuple[tuple[Piece, ...], ...]
    header: str | None = None  # printed at the top of every page
    footer: str | None = None  # printed at the foot of every page, with its page number


@dataclass(frozen=True)
class Case:
    """A document, the rule it is judged under, and what a careful reader finds in it."""

    name: str
    document: Document
    rule: str  # a key of RULES
    issue: tuple[dt.date, str, str] | None  # value, precision, basis
    expires: dt.date | None  # the item's expiry (a period item's next report due date)
    checks: tuple[tuple[dt.date, Status], ...]
    period: str | None = None  # a period item's period ("2014-15")
    stated: tuple[dt.date, dt.date] | None = None  # a stated period's start and end
    draft: bool = False
    where: str | None = None  # where the deciding evidence sits, when it matters
    formats: tuple[str, ...] = ("pdf", "docx")


RULES = {
    "statement": 'title = "Statement of purpose"\nmax_age = "12 months"',
    "protocol": 'title = "Protocol"\nmax_age = "24 months"',
    "strategy": 'title = "Strategy"\nmax_age = "12 months"',
    "framework": 'title = "Quality assurance framework"\nmax_age = "24 months"',
    "agency": 'title = "Adoption agency report"\nmax_age = "12 months"',
    "annual-fy": 'title = "Annual report"\nperiod = "financial-year"\ngrace = "6 months"',
    "annual-ay": 'title = "Annual report"\nperiod = "academic-year"\ngrace = "6 months"',
}

PROSE = (
    "The service works with children, their families and carers across the county, "
    "with partners in health, education and the police. Its managers meet monthly to "
    "look at what the figures and the audits say, and at what children tell us."
)


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    Case(
        "cover-month-year-alone",
        Document(
            (
                (
                    Line("Anyshire County Council", 14),
                    Line("Fostering Service", 18),
                    Line("Statement of Purpose", 26),
                    Line("December 2008", 14),
                ),
                (
                    Line("1. Introduction", 14),
                    Para("In 2007 the service approved 40 households. " + PROSE),
                ),
            ),
            footer="Fostering Service Statement of Purpose",
        ),
        "statement",
        issue=(D(2008, 12, 31), "month", "cover"),
        expires=D(2009, 12, 31),
        checks=((D(2009, 6, 30), Status.OK), (D(2010, 3, 1), Status.OUT_OF_DATE)),
        where="cover",
    ),
    Case(
        "title-with-month-year",
        Document(
            (
                (
                    Line("Anyshire Safeguarding Children Partnership", 12),
                    Line("Missing Children Protocol July 2017", 20),
                    Line("A joint protocol of the council, the police and health partners"),
                    Para(PROSE),
                ),
            )
        ),
        "protocol",
        issue=(D(2017, 7, 31), "month", "cover"),
        expires=D(2019, 7, 31),
        checks=((D(2018, 3, 1), Status.OK), (D(2019, 9, 1), Status.OUT_OF_DATE)),
    ),
    Case(
        "running-footer-with-title",
        Document(
            (
                (
                    Line("Anyshire Adoption Agency", 14),
                    Line("Statement of Purpose", 24),
                    Para(PROSE),
                ),
                (Line("2. Our aims", 14), Para(PROSE)),
                (Line("3. Our staff", 14), Para(PROSE)),
            ),
            footer="Adoption Agency Statement of Purpose December 2008",
        ),
        "statement",
        issue=(D(2008, 12, 31), "month", "running"),
        expires=D(2009, 12, 31),
        checks=((D(2015, 9, 16), Status.OUT_OF_DATE),),
        where="footer",
    ),
    Case(
        "month-range-on-the-cover",
        Document(
            (
                (
                    Line("Independent Reviewing Officer Service", 16),
                    Line("Annual Report", 24),
                    Line("April 2016 – March 2017", 16),
                    Line("Presented to the Corporate Parenting Board"),
                ),
                (
                    Line("Foreword", 14),
                    Para(
                        "In 2015-16 the service chaired 1,200 reviews; this year it chaired 1,310. "
                        + PROSE
                    ),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2018, 9, 30),
        period="2016-17",
        stated=(D(2016, 4, 1), D(2017, 3, 31)),
        checks=((D(2017, 11, 1), Status.OK), (D(2018, 10, 15), Status.OUT_OF_DATE)),
    ),
    Case(
        "ordinal-day-range",
        Document(
            (
                (
                    Line("Local Authority Designated Officer (LADO)", 16),
                    Line("Annual Report", 24),
                    Line("1st April 2014 – 31st March 2015", 14),
                    Para(PROSE),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2016, 9, 30),
        period="2014-15",
        stated=(D(2014, 4, 1), D(2015, 3, 31)),
        checks=((D(2015, 9, 16), Status.OK),),
    ),
    Case(
        "period-label",
        Document(
            (
                (
                    Line("Anyshire Local Safeguarding Children Board", 16),
                    Line("Annual Report", 24),
                    Line("Period 1st April 2014 – 31st March 2015", 12),
                    Para(PROSE),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2016, 9, 30),
        period="2014-15",
        checks=((D(2016, 10, 3), Status.OUT_OF_DATE),),
    ),
    Case(
        "report-covers-the-period",
        Document(
            (
                (
                    Line("Virtual School Annual Report", 22),
                    Line("Children in care and their education", 14),
                    Para(
                        "This report covers the period September 2014 to July 2015 and sets out "
                        "how children in our care did at school. " + PROSE
                    ),
                ),
            )
        ),
        "annual-ay",
        issue=None,
        expires=D(2017, 2, 28),
        period="2014-15",
        checks=((D(2016, 1, 10), Status.OK), (D(2017, 3, 15), Status.OUT_OF_DATE)),
    ),
    Case(
        "period-named-in-the-foreword-on-page-two",
        Document(
            (
                (
                    Line("Anyshire Safeguarding Children Board", 18),
                    Line("Annual Report", 24),
                    Line("Working together to keep children safe", 14),
                ),
                (
                    Line("Foreword by the Independent Chair", 14),
                    Para(
                        "Welcome to the Board's Annual Report for 2013/14. Compared with 2012/13 "
                        "more children were seen within a day of a referral. " + PROSE
                    ),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2015, 9, 30),
        period="2013-14",
        checks=((D(2015, 3, 1), Status.OK), (D(2015, 10, 5), Status.OUT_OF_DATE)),
    ),
    Case(
        "body-sentence-is-history-not-a-plan",
        Document(
            (
                (
                    Line("Adoption Agency Report", 22),
                    Line("October 2012", 14),
                    Para(
                        "In 2011-12, 25 children were adopted and 31 households were approved, the "
                        "highest number since 2008-09. " + PROSE
                    ),
                ),
            )
        ),
        "agency",
        issue=(D(2012, 10, 31), "month", "cover"),
        expires=D(2013, 10, 31),
        checks=((D(2013, 1, 15), Status.OK), (D(2014, 1, 15), Status.OUT_OF_DATE)),
    ),
    Case(
        "edition-label",
        Document(
            (
                (
                    Line("Quality Assurance Framework", 22),
                    Line("Children's Social Care", 14),
                    Line("Edition: March 2018"),
                    Para(PROSE),
                ),
            )
        ),
        "framework",
        issue=(D(2018, 3, 31), "month", "label"),
        expires=D(2020, 3, 31),
        checks=((D(2019, 1, 1), Status.OK), (D(2020, 4, 2), Status.OUT_OF_DATE)),
    ),
    Case(
        "document-control-labels",
        Document(
            (
                (
                    Line("Escalation and Resolution Protocol", 22),
                    Line("Anyshire Safeguarding Partnership", 14),
                ),
                (
                    Line("Document control", 14),
                    Table(
                        (
                            ("Document owner", "Head of Safeguarding"),
                            ("Date of issue", "12/03/2015"),
                            ("Ratified by", "Partnership Executive, 3 March 2015"),
                            ("To be reviewed by", "March 2017"),
                            ("Version", "2.0"),
                        )
                    ),
                    Para(PROSE),
                ),
            )
        ),
        "protocol",
        issue=(D(2015, 3, 12), "day", "label"),
        expires=D(2017, 3, 12),
        checks=((D(2016, 6, 1), Status.OK), (D(2017, 3, 20), Status.OUT_OF_DATE)),
    ),
    Case(
        "newest-version-row-beats-the-cover",
        Document(
            (
                (
                    Line("Corporate Parenting Strategy", 22),
                    Line("2016 – 2019", 16),
                    Line("March 2016", 14),
                ),
                (
                    Line("Version control", 14),
                    Table(
                        (
                            ("Version", "Date", "Author", "Summary of changes"),
                            ("0.1", "11/01/2016", "J Smith", "First draft"),
                            ("0.2", "02/02/2016", "J Smith", "Comments from partners"),
                            ("1.0", "21/03/2016", "J Smith", "Approved by Cabinet"),
                            ("1.1", "14/11/2016", "A Patel", "Action plan refreshed"),
                        )
                    ),
                    Para(PROSE),
                ),
            )
        ),
        "strategy",
        issue=(D(2016, 11, 14), "day", "version"),
        expires=D(2017, 11, 14),
        checks=((D(2017, 6, 1), Status.OK), (D(2017, 12, 1), Status.OUT_OF_DATE)),
    ),
    Case(
        "version-zero-is-a-draft",
        Document(
            (
                (
                    Line("Early Help Strategy", 22),
                    Line("2017-2020", 16),
                    Line("Version history", 12),
                    Table(
                        (
                            ("Version", "Date", "Author", "Comments"),
                            ("0.1", "05/06/2017", "J Smith", "First outline"),
                            ("0.2", "19/06/2017", "J Smith", "Comments from partners"),
                            ("0.3", "03/07/2017", "A Patel", "For consultation"),
                        ),
                        stacked=True,
                    ),
                ),
            )
        ),
        "strategy",
        issue=(D(2017, 7, 3), "day", "version"),
        expires=D(2018, 7, 3),
        draft=True,
        checks=((D(2017, 8, 1), Status.DRAFT),),
    ),
    Case(
        "stated-end-is-the-expiry",
        Document(
            (
                (
                    Line("Anyshire Children's Home", 16),
                    Line("Statement of Purpose", 24),
                    Line("April 2015 – March 2016", 14),
                    Para(PROSE),
                ),
            )
        ),
        "statement",
        issue=None,
        expires=D(2016, 3, 31),
        stated=(D(2015, 4, 1), D(2016, 3, 31)),
        checks=(
            (D(2015, 9, 16), Status.OK),
            (D(2016, 3, 1), Status.DUE_SOON),
            (D(2016, 4, 15), Status.OUT_OF_DATE),
        ),
    ),
    Case(
        "decoys-leave-it-undated",
        Document(
            (
                (
                    Line("Private Fostering Guidance for Professionals", 18),
                    Para(
                        "This guidance replaces the version published in January 2014. It follows "
                        "the statutory guidance issued in 2005 and the Children Act 1989."
                    ),
                    Table((("Date:", ""), ("Version", "2.3"), ("Author", "Service Manager"))),
                    Line("Updated December 201"),
                    Line(
                        "Registered in England and Wales No. 01234567 · Registered charity 1123456",
                        8,
                    ),
                    Line("Tel 01632 960123 · County Hall, Anytown AN1 2BC", 8),
                ),
            )
        ),
        "protocol",
        issue=None,
        expires=None,
        checks=((D(2015, 9, 16), Status.UNDATED),),
    ),
    Case(
        "labelled-beats-the-cover",
        Document(
            (
                (
                    Line("Quality Assurance Framework", 22),
                    Line("June 2015", 14),
                    Table(
                        (("Last updated", "September 2016"), ("Next review due", "September 2018"))
                    ),
                    Para(PROSE),
                ),
            )
        ),
        "framework",
        issue=(D(2016, 9, 30), "month", "label"),
        expires=D(2018, 9, 30),
        checks=((D(2017, 9, 1), Status.OK), (D(2018, 10, 1), Status.OUT_OF_DATE)),
    ),
    Case(
        "academic-year-in-the-title",
        Document(
            (
                (
                    Line("Virtual School Headteacher's Annual Report", 20),
                    Line("Academic Year 2014/15", 16),
                    Para(PROSE),
                ),
            )
        ),
        "annual-ay",
        issue=None,
        expires=D(2017, 2, 28),
        period="2014-15",
        checks=((D(2016, 3, 15), Status.OK), (D(2017, 3, 15), Status.OUT_OF_DATE)),
    ),
    Case(
        "range-broken-over-two-lines",
        Document(
            (
                (
                    Line("Independent Reviewing Officer", 18),
                    Line("Annual Report", 24),
                    Line("April 2016 –", 16),
                    Line("March 2017", 16),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2018, 9, 30),
        period="2016-17",
        checks=((D(2017, 11, 1), Status.OK),),
    ),
    Case(
        "letter-spaced-cover",
        Document(
            (
                (
                    Line("Anyshire Fostering Service", 14),
                    Spaced("STATEMENT OF PURPOSE", 20),
                    Spaced("DECEMBER 2008", 16),
                ),
            )
        ),
        "statement",
        issue=(D(2008, 12, 31), "month", "cover"),
        expires=D(2009, 12, 31),
        checks=((D(2015, 9, 16), Status.OUT_OF_DATE),),
    ),
    Case(
        "month-hyphenated-across-lines",
        Document(
            (
                (
                    Line("Anyshire Safeguarding Partnership", 14),
                    Broken("Missing Children Protocol Sep-", "tember 2016", 18),
                    Para(PROSE),
                ),
            )
        ),
        "protocol",
        issue=(D(2016, 9, 30), "month", "cover"),
        expires=D(2018, 9, 30),
        checks=((D(2017, 9, 1), Status.OK),),
    ),
    Case(
        "period-in-the-running-header",
        Document(
            (
                (
                    Line("Local Authority Designated Officer", 18),
                    Line("Annual Report", 24),
                    Para(PROSE),
                ),
                (Line("1. Allegations this year", 14), Para(PROSE)),
                (Line("2. Timeliness", 14), Para(PROSE)),
            ),
            header="LADO Annual Report 2014/15",
        ),
        "annual-fy",
        issue=None,
        expires=D(2016, 9, 30),
        period="2014-15",
        checks=((D(2016, 1, 1), Status.OK),),
    ),
    Case(
        "plan-span-and-approval",
        Document(
            (
                (
                    Line("Placement Sufficiency Strategy 2015-2018", 20),
                    Line("Approved by Cabinet on 14 April 2015", 12),
                    Para(PROSE),
                ),
            )
        ),
        "strategy",
        issue=(D(2015, 4, 14), "day", "label"),
        expires=D(2016, 4, 14),
        checks=((D(2015, 9, 16), Status.OK), (D(2016, 5, 1), Status.OUT_OF_DATE)),
    ),
    Case(
        "ligatures-and-superscript-ordinals",
        Document(
            (
                (
                    Line("Fostering Service Statement of Purpose", 18),
                    Line("Ratiﬁed by the Fostering Panel: 2 February 2016"),
                    Line("Eﬀective from: 1ˢᵗ March 2016"),
                    Para(PROSE),
                ),
            )
        ),
        "statement",
        issue=(D(2016, 3, 1), "day", "label"),
        expires=D(2017, 3, 1),
        checks=((D(2016, 9, 1), Status.OK),),
    ),
    Case(
        "numeric-period-in-a-table-cell",
        Document(
            (
                (
                    Line("Private Fostering Annual Report", 20),
                    Table(
                        (
                            ("Report", "Private fostering arrangements"),
                            ("Period covered", "01/04/2015 - 31/03/2016"),
                            ("Author", "Service Manager, Children in Care"),
                        )
                    ),
                    Para(PROSE),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2017, 9, 30),
        period="2015-16",
        checks=((D(2016, 11, 1), Status.OK),),
    ),
    Case(
        "printed-date-in-the-footer-is-no-date",
        Document(
            (
                (
                    Line("Children's Homes", 16),
                    Line("Statement of Purpose", 24),
                    Line("May 2013", 14),
                ),
                (Line("1. About the home", 14), Para(PROSE)),
            ),
            footer="Printed: 03/02/2016",
        ),
        "statement",
        issue=(D(2013, 5, 31), "month", "cover"),
        expires=D(2014, 5, 31),
        checks=((D(2015, 9, 16), Status.OUT_OF_DATE),),
    ),
    Case(
        "year-ending",
        Document(
            (
                (
                    Line("Independent Reviewing Officer Annual Report", 18),
                    Line("for the year ending 31 March 2016", 14),
                    Para(PROSE),
                ),
            )
        ),
        "annual-fy",
        issue=None,
        expires=D(2017, 9, 30),
        period="2015-16",
        stated=(D(2015, 4, 1), D(2016, 3, 31)),
        checks=((D(2016, 12, 1), Status.OK),),
    ),
)


def case_named(name: str) -> Case:
    return next(case for case in CASES if case.name == name)


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

_LIGATURE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def render_pdf(document: Document, path: Path) -> Path:
    """The document as a PDF whose text layer has the faults real exports have."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    page_count = len(document.pages)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, page in enumerate(document.pages, 1):
        y = 780.0
        if document.header:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(60, 815, document.header)
        for piece in page:
            y = _draw(pdf, piece, y, stringWidth)
        if document.footer:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(60, 30, document.footer)
            pdf.drawString(480, 30, f"Page {number} of {page_count}")
        pdf.showPage()
    pdf.save()
    return path


def _font(pdf, text: str, size: int) -> None:  # type: ignore[no-untyped-def]
    """Helvetica, or a font that has the ligature glyphs when the text uses them."""
    if text.isascii() or not _LIGATURE_FONT.exists():
        pdf.setFont("Helvetica", size)
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(_LIGATURE_FONT)))
    pdf.setFont("DejaVu", size)


def _draw(pdf, piece: Piece, y: float, width) -> float:  # type: ignore[no-untyped-def]
    if isinstance(piece, Line):
        _font(pdf, piece.text, piece.size)
        pdf.drawString(60, y, piece.text)
        return y - piece.size * 1.8
    if isinstance(piece, Broken):
        pdf.setFont("Helvetica", piece.size)
        pdf.drawString(60, y, piece.first)
        pdf.drawString(60, y - piece.size * 1.3, piece.second)
        return y - piece.size * 3
    if isinstance(piece, Spaced):
        pdf.setFont("Helvetica", piece.size)
        x = 60.0
        gap = piece.size * 0.35
        for char in piece.text:
            if char == " ":
                x += gap * 3
                continue
            pdf.drawString(x, y, char)
            x += width(char, "Helvetica", piece.size) + gap
        return y - piece.size * 1.8
    if isinstance(piece, Para):
        pdf.setFont("Helvetica", 10)
        line = ""
        for word in piece.text.split():
            trial = f"{line} {word}".strip()
            if width(trial, "Helvetica", 10) > 470:
                pdf.drawString(60, y, line)
                y -= 14
                line = word
            else:
                line = trial
        if line:
            pdf.drawString(60, y, line)
            y -= 14
        return y - 8
    pdf.setFont("Helvetica", 10)
    for row in piece.rows:
        for column, cell in enumerate(row):
            drop = 14 * column if piece.stacked else 0
            pdf.drawString(60 + column * 120, y - drop, cell)
        y -= 14 * (len(row) if piece.stacked else 1) + 4
    return y - 8


def render_docx(document: Document, path: Path) -> Path:
    """The document as Word saves it: paragraphs, tables, a header and a footer."""
    import docx
    from docx.shared import Pt

    word = docx.Document()
    for number, page in enumerate(document.pages):
        if number:
            word.add_page_break()
        for piece in page:
            if isinstance(piece, Table):
                table = word.add_table(rows=len(piece.rows), cols=len(piece.rows[0]))
                for r, row in enumerate(piece.rows):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
                continue
            if isinstance(piece, Broken):
                text, size = f"{piece.first[:-1]}{piece.second}", piece.size
            elif isinstance(piece, Spaced):
                text = "  ".join(" ".join(word) for word in piece.text.split())
                size = piece.size
            elif isinstance(piece, Line):
                text, size = piece.text, piece.size
            else:
                text, size = piece.text, 10
            run = word.add_paragraph().add_run(text)
            run.font.size = Pt(size)
    section = word.sections[0]
    if document.header:
        section.header.paragraphs[0].text = document.header
    if document.footer:
        footer = section.footer.paragraphs[0]
        footer.text = f"{document.footer}\tPage "
        _page_field(footer, "1")
    word.core_properties.title = ""
    word.save(str(path))
    return path


def _page_field(paragraph, shown: str) -> None:  # type: ignore[no-untyped-def]
    """A PAGE field as Word saves it: the code, and the number it last showed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child):  # type: ignore[no-untyped-def]
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, shown),
        ("end", None),
    ):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run_with(char)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.text = text
            run_with(element)


def render(case: Case, folder: Path, fmt: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case.name}.{fmt}"
    if fmt == "pdf":
        return render_pdf(case.document, path)
    return render_docx(case.document, path)
