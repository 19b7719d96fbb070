"""Reading Word documents: the text dates hide in, core properties, and hostile packages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from annexa.model import FileEntry
from annexa.model.codec import encode
from annexa.reading.read import read_facts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    stat = path.stat()
    return read_facts(tmp_path, FileEntry(name, stat.st_size, stat.st_mtime_ns))


def body(facts) -> dict[int, str]:
    return {b.page: b.text for b in facts.blocks if b.where == "body"}


def append_xml(document: docx.document.Document, xml: str) -> None:
    """Add raw WordprocessingML before the final section properties."""
    element = parse_xml(xml)
    document.element.body.sectPr.addprevious(element)


def package(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{target}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def document_xml(inner: str) -> str:
    return f'<?xml version="1.0"?><w:document {NS}><w:body>{inner}</w:body></w:document>'


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


# -- what is read ---------------------------------------------------------------


def test_body_table_headers_and_footers_are_read(tmp_path):
    document = docx.Document()
    document.add_paragraph("Self-evaluation of social work practice")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Date approved"
    table.cell(0, 1).text = "12 March 2015"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Next review: March 2016"
    section.footer.paragraphs[0].text = "Children's Services"
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "First page header: OFFICIAL"
    document.settings.odd_and_even_pages_header_footer = True
    section.even_page_footer.paragraphs[0].text = "Even page footer: version 3"

    facts = read(tmp_path, "sef.docx", save(document))

    assert facts.error is None and facts.kind == "docx"
    assert body(facts)[1].splitlines() == [
        "Self-evaluation of social work practice",
        "Date approved\t12 March 2015",
    ]
    headers = {b.text for b in facts.blocks if b.where == "header"}
    footers = {b.text for b in facts.blocks if b.where == "footer"}
    assert {"Next review: March 2016", "First page header: OFFICIAL"} <= headers
    assert {"Children's Services", "Even page footer: version 3"} <= footers
    assert all(b.page is None for b in facts.blocks if b.where in ("header", "footer"))


def test_page_breaks_number_the_pages_and_page_four_is_not_read(tmp_path):
    document = docx.Document()
    document.add_paragraph("Page one")
    run = document.add_paragraph("Still page one").add_run()
    run.add_break(WD_BREAK.PAGE)
    run.add_text("Page two after the break")
    document.add_page_break()
    document.add_paragraph("Page three")
    document.add_page_break()
    document.add_paragraph("Page four: Date approved 1 April 2019")

    facts = read(tmp_path, "long.docx", save(document))

    assert body(facts) == {
        1: "Page one\nStill page one",
        2: "Page two after the break",
        3: "Page three",
    }
    assert "Page four" not in facts.text()


def test_word_recorded_page_breaks_count_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("One")
    document.add_page_break()
    # Word records its layout: a rendered break right after the hard one is the same page.
    append_xml(document, f"<w:p {NS}><w:r><w:lastRenderedPageBreak/><w:t>Two</w:t></w:r></w:p>")
    append_xml(
        document,
        f"<w:p {NS}><w:r><w:t>Still two</w:t><w:lastRenderedPageBreak/><w:t>Three</w:t></w:r></w:p>",
    )
    facts = read(tmp_path, "rendered.docx", save(document))
    assert body(facts) == {1: "One", 2: "Two\nStill two", 3: "Three"}


def test_a_new_page_section_starts_a_page_and_a_continuous_one_does_not(tmp_path):
    document = docx.Document()
    document.add_paragraph("Cover")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("Same page")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Next page")
    document.add_section(WD_SECTION.NEW_PAGE)
    # As Word saves it: its rendered break at the top of the new section's page.
    append_xml(
        document, f"<w:p {NS}><w:r><w:lastRenderedPageBreak/><w:t>Third page</w:t></w:r></w:p>"
    )
    facts = read(tmp_path, "sections.docx", save(document))
    assert body(facts) == {1: "Cover\nSame page", 2: "Next page", 3: "Third page"}


def test_old_section_properties_kept_by_tracked_changes_do_not_break_pages(tmp_path):
    document = docx.Document()
    append_xml(
        document,
        f"<w:p {NS}><w:pPr><w:pPrChange w:id='1' w:author='a'><w:pPr><w:sectPr/></w:pPr>"
        "</w:pPrChange></w:pPr><w:r><w:t>One</w:t></w:r></w:p>",
    )
    document.add_paragraph("Still one")
    facts = read(tmp_path, "tracked.docx", save(document))
    assert body(facts) == {1: "One\nStill one"}


def test_content_controls_text_boxes_and_insertions_are_read_once(tmp_path):
    document = docx.Document()
    append_xml(
        document,
        f"<w:sdt {NS}><w:sdtPr><w:date w:fullDate='2015-03-12T00:00:00Z'/></w:sdtPr>"
        "<w:sdtContent><w:p><w:r><w:t>Date approved: 12 March 2015</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    )
    box = "<w:txbxContent><w:p><w:r><w:t>Valid until 31.03.2016</w:t></w:r></w:p></w:txbxContent>"
    append_xml(
        document,
        f"<w:p {NS}><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>Cover text</w:t></w:r></w:p>",
    )
    append_xml(
        document,
        f"<w:p {NS}><w:ins w:id='1' w:author='a'><w:r><w:t>Published: May 2015</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>Published: May 2013</w:delText></w:r></w:del></w:p>",
    )
    facts = read(tmp_path, "controls.docx", save(document))
    text = facts.text()
    assert "Date approved: 12 March 2015" in text
    assert text.count("Valid until 31.03.2016") == 1
    assert "Cover text" in text
    assert "Published: May 2015" in text
    assert "May 2013" not in text


def test_date_fields_show_the_day_of_opening_and_are_left_out(tmp_path):
    document = docx.Document()
    append_xml(
        document,
        f"<w:p {NS}><w:r><w:t xml:space='preserve'>Printed: </w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> DATE \\@ \"d MMMM yyyy\" </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>1 January 2030</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>",
    )
    append_xml(
        document,
        f"<w:p {NS}><w:fldSimple w:instr=' TIME '><w:r><w:t>10:15</w:t></w:r></w:fldSimple></w:p>",
    )
    append_xml(
        document,
        f"<w:p {NS}><w:fldSimple w:instr=' TITLE '><w:r><w:t>Fostering annual report</w:t></w:r></w:fldSimple></w:p>",
    )
    facts = read(tmp_path, "fields.docx", save(document))
    assert "Printed:" in facts.text()
    assert "2030" not in facts.text()
    assert "10:15" not in facts.text()
    assert "Fostering annual report" in facts.text()


def test_core_properties_are_read_raw(tmp_path):
    document = docx.Document()
    document.add_paragraph("Body")
    props = document.core_properties
    props.modified = dt.datetime(2015, 3, 12, 10, 15)
    props.created = dt.datetime(2015, 2, 1, 9, 0)
    props.title = "Sufficiency strategy 2015-18"
    props.content_status = "Draft"
    facts = read(tmp_path, "strategy.docx", save(document))
    assert facts.metadata == (
        ("core:modified", "2015-03-12T10:15:00Z"),
        ("core:created", "2015-02-01T09:00:00Z"),
    )
    assert [b.text for b in facts.blocks if b.where == "title"] == ["Sufficiency strategy 2015-18"]
    assert facts.content_status == "Draft"


def test_a_document_without_core_properties_has_no_metadata_date(tmp_path):
    data = save(docx.Document())
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        parts = {n: original.read(n) for n in original.namelist() if n != "docProps/core.xml"}
    facts = read(tmp_path, "nocore.docx", package(parts))
    assert facts.error is None
    assert facts.metadata == ()
    assert facts.content_status is None


def test_docm_is_read_like_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("Macro-enabled")
    facts = read(tmp_path, "plan.docm", save(document))
    assert facts.kind == "docx" and "Macro-enabled" in facts.text()


def test_main_part_is_found_through_package_relationships(tmp_path):
    data = package(
        {
            "_rels/.rels": RELS.format(target="/content/main.xml"),
            "content/main.xml": document_xml(paragraph("Found by relationship")),
        }
    )
    facts = read(tmp_path, "odd.docx", data)
    assert facts.error is None
    assert body(facts) == {1: "Found by relationship"}


# -- what is refused ---------------------------------------------------------------


def test_a_docx_that_is_not_a_zip_says_so(tmp_path):
    assert (
        read(tmp_path, "text.docx", b"Just some text\n" * 20).error
        == "not a Word document: not a zip file"
    )


def test_an_old_or_password_protected_word_file_says_so(tmp_path):
    facts = read(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert (
        facts.error
        == "not a Word document: a password-protected or old-format (.doc/.xls) Office file"
    )


def test_a_zip_without_document_body_says_so(tmp_path):
    facts = read(
        tmp_path, "hollow.docx", package({"docProps/core.xml": "<x/>", "readme.txt": "hi"})
    )
    assert facts.error == "not a Word document: no document body"


def test_empty_and_random_docx_files_are_unreadable_with_a_reason(tmp_path):
    assert read(tmp_path, "empty.docx", b"").error == "empty file"
    noise = read(tmp_path, "noise.docx", bytes(range(256)) * 50)
    assert noise.error == "not a Word document: not a zip file"


def test_a_zip_bomb_is_refused_before_unzipping(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("_rels/.rels", RELS.format(target="word/document.xml"))
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(document_xml("").encode()[:-20])
            chunk = b" " * (1 << 20)
            for _ in range(70):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    assert path.stat().st_size < 1_000_000
    stat = path.stat()
    facts = read_facts(tmp_path, FileEntry("bomb.docx", stat.st_size, stat.st_mtime_ns))
    assert facts.error == "too large when unzipped (73 MB)"


def test_a_zip_of_too_many_parts_is_refused(tmp_path):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", document_xml(paragraph("x")))
        for number in range(10_001):
            archive.writestr(f"junk/{number}", b"")
    stat = path.stat()
    facts = read_facts(tmp_path, FileEntry("many.docx", stat.st_size, stat.st_mtime_ns))
    assert facts.error == "too many parts in the zip (10,002)"


def test_an_external_entity_never_reads_the_file_it_names(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PASSWORD-OF-THE-DIRECTOR")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f"<w:document {NS}><w:body>{paragraph('Before &x; after')}</w:body></w:document>"
    )
    facts = read(tmp_path, "xxe.docx", package({"word/document.xml": xml}))
    assert "PASSWORD-OF-THE-DIRECTOR" not in repr(encode(facts))
    assert (
        facts.error
        == "not a Word document: refused as unsafe (its XML declares a DTD, which Office never writes)"
    )


def test_an_entity_hidden_behind_a_long_comment_is_still_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PASSWORD-OF-THE-DIRECTOR")
    xml = (
        f'<?xml version="1.0"?><!--{"x" * 40_000}--><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f"<w:document {NS}><w:body>{paragraph('Before &x; after')}</w:body></w:document>"
    )
    facts = read(tmp_path, "xxe2.docx", package({"word/document.xml": xml}))
    assert "PASSWORD-OF-THE-DIRECTOR" not in repr(encode(facts))


def test_a_billion_laughs_is_not_expanded(tmp_path):
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    for padding in ("", f"<!--{'x' * 40_000}-->"):
        xml = (
            f'<?xml version="1.0"?>{padding}<!DOCTYPE w:document [{entities}]>'
            f"<w:document {NS}><w:body>{paragraph('&j;')}</w:body></w:document>"
        )
        facts = read(tmp_path, "lol.docx", package({"word/document.xml": xml}))
        assert "lollollol" not in facts.text()
        assert len(repr(encode(facts))) < 10_000


@pytest.mark.parametrize("name", ["broken.docx"])
def test_damaged_xml_is_a_one_line_reason(tmp_path, name):
    facts = read(tmp_path, name, package({"word/document.xml": "<w:document><w:body><w:p>"}))
    assert facts.error == "not a Word document: damaged XML (a part is cut short or garbled)"


@pytest.mark.parametrize(
    ("prolog", "verdict"),
    [
        (b'<?xml version="1.0"?><w:document/>', False),
        (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><x/>', True),
        (b"<!--" + b"x" * 100_000 + b"--><!DOCTYPE x><x/>", True),  # behind a long comment
        (b"<?pi " + b"y" * 70_000 + b"?>\n<!ENTITY e 'x'><x/>", True),
        ("<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE x><x/>".encode("utf-16"), True),
        (b"<x>text mentioning <!DOCTYPE in a comment is fine</x>", False),
        (b"<!-- never closed", None),
    ],
)
def test_a_dtd_anywhere_in_the_prolog_is_found_however_long_the_comments(prolog, verdict):
    from annexa.reading.ooxml import prolog_dtd

    chunks = [prolog[i : i + 4096] for i in range(0, len(prolog), 4096)]
    assert prolog_dtd(chunks) is verdict
    assert prolog_dtd([prolog]) is verdict


def test_small_parts_are_walked_as_the_streaming_parser_walks_them():
    from lxml import etree

    from annexa.reading.ooxml import parse_events, small_part_events

    def walk(events):  # type: ignore[no-untyped-def]
        seen = []
        try:
            for event, element in events:
                seen.append((event, element.tag, "".join(element.itertext())))
        except etree.XMLSyntaxError:
            seen.append(("error", None, None))
        return seen

    whole = (
        b'<?xml version="1.0"?><r xmlns="urn:x"><a>1<!-- note --><b>2</b></a><?pi x?><c>3</c></r>'
    )
    damaged = b'<r xmlns="urn:x"><a>1</a><b>2</c></r>'  # a relationships part cut by a bad tag
    for data in (whole, damaged):
        assert walk(small_part_events(data)) == walk(parse_events(io.BytesIO(data)))
    assert walk(small_part_events(damaged))[-1] == ("error", None, None)


def test_a_body_damaged_inside_its_zip_is_unreadable_in_plain_words(tmp_path):
    document = docx.Document()
    for number in range(200):
        document.add_paragraph(f"Paragraph {number}: the service reviewed its plans this year.")
    data = bytearray(save(document))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + info.compress_size - 8):
        data[offset] ^= 0x5A  # bytes changed on the way: the body no longer unzips
    facts = read(tmp_path, "plan.docx", bytes(data))
    assert facts.error == (
        "damaged Word document: a part will not unzip (the copy is cut short or damaged)"
    )
