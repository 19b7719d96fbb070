"""The fast Word reader reads what lxml reads, or hands the part to lxml.

annexa reads a Word body with a tokenizer over the raw XML (five times
faster than lxml events, see docs/speed.md). These tests hold it to the lxml
walker it replaced: on any WordprocessingML Word could write (generated
here, with entities, odd prefixes, every element the walker knows, pages
and section breaks) both give the same lines on the same pages; on XML the
tokenizer is not sure of it declines, and lxml reads the part as before.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annexa.model import FileEntry
from annexa.reading.docx import wordml
from annexa.reading.read import read_facts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def lxml_pages(data: bytes, count_pages: bool = True, limit: int = wordml.BODY_CHAR_LIMIT):
    return wordml._walk_lxml(io.BytesIO(data), count_pages, limit)


def fast_pages(data: bytes, count_pages: bool = True, limit: int = wordml.BODY_CHAR_LIMIT):
    return wordml.walk_bytes(data, count_pages, limit)


def document(inner: str, w: str = "w", uri: str = W, declaration: bool = True) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' if declaration else ""
    return (
        f'{head}<{w}:document xmlns:{w}="{uri}" xmlns:mc="{MC}" '
        f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
        f"<{w}:body>{inner}</{w}:body></{w}:document>"
    ).encode()


# -- the generator: WordprocessingML as Word (and other writers) save it -----------------------

_TEXT = st.text(
    alphabet=st.sampled_from([*"abcDE 0123456789:/.-,\u00a0\té€&<>\"'", "\U0001f600", "\n"]),
    max_size=30,
)


@st.composite
def escaped(draw, text: str) -> str:  # type: ignore[no-untyped-def]
    """XML-escape ``text``, choosing among the ways writers do it."""
    out = []
    for char in text:
        if char == "&":
            out.append(draw(st.sampled_from(["&amp;", "&#38;", "&#x26;"])))
        elif char == "<":
            out.append(draw(st.sampled_from(["&lt;", "&#60;"])))
        elif char == ">":
            out.append(draw(st.sampled_from([">", "&gt;"])))
        elif char in "\"'":
            out.append(draw(st.sampled_from([char, "&quot;" if char == '"' else "&apos;"])))
        elif ord(char) > 127 and draw(st.booleans()):
            out.append(f"&#{ord(char)};" if draw(st.booleans()) else f"&#x{ord(char):X};")
        elif char == "\n":
            out.append(draw(st.sampled_from(["\n", "\r\n", "&#10;", "&#13;"])))
        else:
            out.append(char)
    return "".join(out)


class Xml:
    """Builds one part's XML with a chosen prefix, quoting and empty-element style."""

    def __init__(self, draw, w: str) -> None:  # type: ignore[no-untyped-def]
        self.draw = draw
        self.w = w

    def attrs(self, pairs: list[tuple[str, str]]) -> str:
        draw = self.draw
        pairs = list(pairs)
        if draw(st.booleans()):
            pairs.append(("w:rsidR", "00A1B2C3"))
        if draw(st.integers(0, 5)) == 0:
            pairs.append(("w14:paraId", "1A>2B"))  # a ">" inside a value is legal XML
        out = []
        for name, value in pairs:
            name = name.replace("w:", f"{self.w}:", 1) if name.startswith("w:") else name
            quote = draw(st.sampled_from(['"', "'"]))
            value = value.replace(quote, "&quot;" if quote == '"' else "&apos;")
            out.append(f" {name}={quote}{value}{quote}")
        return "".join(out)

    def empty(self, name: str, pairs: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
        attrs = self.attrs(list(pairs))
        q = name if ":" in name else f"{self.w}:{name}"
        if self.draw(st.booleans()):
            return f"<{q}{attrs}/>"
        return f"<{q}{attrs}></{q}>"

    def el(self, name: str, inner: str, pairs: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
        q = name if ":" in name else f"{self.w}:{name}"
        return f"<{q}{self.attrs(list(pairs))}>{inner}</{q}>"

    def text(self, name: str = "t") -> str:
        value = self.draw(escaped(self.draw(_TEXT)))
        pairs = [("xml:space", "preserve")] if self.draw(st.booleans()) else []
        if not value and self.draw(st.booleans()):
            return self.empty(name, pairs)
        return self.el(name, value, pairs)


@st.composite
def run(draw, x: Xml, depth: int) -> str:  # type: ignore[no-untyped-def]
    items = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(
            st.sampled_from(
                ["t", "t", "t", "tab", "br", "cr", "nbh", "lrpb", "fld", "instr", "deltext", "box"]
            )
        )
        if kind == "t":
            items.append(x.text())
        elif kind == "tab":
            items.append(x.empty("tab"))
        elif kind == "br":
            kind_attr = draw(st.sampled_from([None, "page", "column", "textWrapping"]))
            items.append(x.empty("br", [("w:type", kind_attr)] if kind_attr else []))
        elif kind == "cr":
            items.append(x.empty("cr"))
        elif kind == "nbh":
            items.append(x.empty("noBreakHyphen"))
        elif kind == "lrpb":
            items.append(x.empty("lastRenderedPageBreak"))
        elif kind == "fld":
            items.append(
                x.empty(
                    "fldChar",
                    [("w:fldCharType", draw(st.sampled_from(["begin", "separate", "end"])))],
                )
            )
        elif kind == "instr":
            items.append(
                x.el(
                    "instrText",
                    draw(
                        st.sampled_from(
                            [" DATE \\@ &quot;d MMMM&quot; ", " TIME ", " PAGE ", " TITLE "]
                        )
                    ),
                )
            )
        elif kind == "deltext":
            items.append(x.text("delText"))
        elif kind == "box" and depth < 2:
            inner = draw(blocks(x, depth + 1))
            box = x.el("txbxContent", inner)
            items.append(
                x.el(
                    "mc:AlternateContent",
                    x.el("mc:Choice", x.el("drawing", x.el("wps:txbx", box)), [("Requires", "wps")])
                    + x.el("mc:Fallback", x.el("pict", box)),
                )
            )
    props = (
        x.el("rPr", x.empty("b") + x.empty("sz", [("w:val", "24")])) if draw(st.booleans()) else ""
    )
    return x.el("r", props + "".join(items))


@st.composite
def paragraph(draw, x: Xml, depth: int) -> str:  # type: ignore[no-untyped-def]
    props = []
    if draw(st.integers(0, 4)) == 0:
        value = draw(st.sampled_from([None, "1", "0", "false", "on"]))
        props.append(x.empty("pageBreakBefore", [("w:val", value)] if value else []))
    if draw(st.integers(0, 4)) == 0:
        props.append(x.el("tabs", x.empty("tab", [("w:val", "left"), ("w:pos", "720")])))
    if draw(st.integers(0, 5)) == 0:
        props.append(x.el("rPr", x.empty("del", [("w:id", "1"), ("w:author", "a")])))
    if draw(st.integers(0, 5)) == 0:
        props.append(x.el("pPrChange", x.el("pPr", x.el("sectPr", "")), [("w:id", "2")]))
    if draw(st.integers(0, 5)) == 0:
        kind = draw(st.sampled_from([None, "continuous", "nextPage", "evenPage", "nextColumn"]))
        props.append(x.el("sectPr", x.empty("type", [("w:val", kind)]) if kind else ""))
    inline = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(
            st.sampled_from(["r", "r", "r", "ins", "del", "moveFrom", "fldSimple", "hyperlink"])
        )
        content = draw(run(x, depth))
        if kind == "r":
            inline.append(content)
        elif kind == "fldSimple":
            instr = draw(st.sampled_from([" DATE ", " TIME \\@ &quot;HH:mm&quot; ", " TITLE ", ""]))
            inline.append(x.el("fldSimple", content, [("w:instr", instr)]))
        else:
            inline.append(x.el(kind, content, [("w:id", "3"), ("w:author", "a")]))
    ppr = x.el("pPr", "".join(props)) if props else ""
    return x.el("p", ppr + "".join(inline))


@st.composite
def blocks(draw, x: Xml, depth: int = 0) -> str:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(draw(st.integers(0, 5 if depth == 0 else 2))):
        kind = draw(st.sampled_from(["p", "p", "p", "tbl", "sdt"]))
        if kind == "p" or depth >= 2:
            out.append(draw(paragraph(x, depth)))
        elif kind == "tbl":
            rows = []
            for _ in range(draw(st.integers(1, 2))):
                cells = [
                    x.el("tc", draw(blocks(x, depth + 1)) or draw(paragraph(x, depth + 1)))
                    for _ in range(draw(st.integers(1, 3)))
                ]
                rows.append(x.el("tr", "".join(cells)))
            out.append(x.el("tbl", "".join(rows)))
        else:
            out.append(x.el("sdt", x.el("sdtContent", draw(blocks(x, depth + 1)))))
    return "".join(out)


@st.composite
def word_xml(draw) -> bytes:  # type: ignore[no-untyped-def]
    w = draw(st.sampled_from(["w", "w", "ns0", "x"]))
    uri = draw(st.sampled_from([W, W, W_STRICT]))
    x = Xml(draw, w)
    body = draw(blocks(x))
    if draw(st.booleans()):
        kind = draw(st.sampled_from([None, "continuous", "nextPage"]))
        body += x.el("sectPr", x.empty("type", [("w:val", kind)]) if kind else "")
    return document(body, w=w, uri=uri, declaration=draw(st.booleans()))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_xml(), st.booleans(), st.sampled_from([60_000, 200, 40]))
def test_the_fast_reader_reads_word_xml_as_lxml_does(data, count_pages, limit):
    fast = fast_pages(data, count_pages, limit)
    assert fast is not None, "the tokenizer declined XML that Word writes"
    assert fast == lxml_pages(data, count_pages, limit)


@settings(max_examples=200, deadline=None)
@given(word_xml(), st.integers(1, 400))
def test_reading_in_pieces_gives_the_same_lines(data, size):
    class Trickle(io.BytesIO):
        def read(self, n: int = -1) -> bytes:
            return super().read(min(n, size) if n > 0 else size)

    stream = Trickle(data)
    pages = wordml.walk_bytes(stream.read(size), True, wordml.BODY_CHAR_LIMIT, stream)
    assert pages == lxml_pages(data)


# -- what the tokenizer leaves to lxml, with the same result ----------------------------------


def test_comments_cdata_and_processing_instructions_go_to_lxml():
    inner = "<w:p><w:r><w:t>Date approved: <!-- a note -->12 March 2015</w:t></w:r></w:p>"
    for xml in (
        document(inner),
        document("<w:p><w:r><w:t><![CDATA[Date & time]]></w:t></w:r></w:p>"),
        document("<?mso-hint x?><w:p><w:r><w:t>Approved</w:t></w:r></w:p>"),
    ):
        assert fast_pages(xml) is None
        assert wordml.walk(io.BytesIO(xml), True, 60_000) == lxml_pages(xml)


def test_unknown_entities_and_characters_xml_forbids_go_to_lxml():
    for inner in ("Caf&eacute;", "bell&#7;", "bell\x07", "&#0;"):
        xml = document(f"<w:p><w:r><w:t>{inner}</w:t></w:r></w:p>")
        assert fast_pages(xml) is None


def test_utf16_and_other_encodings_go_to_lxml():
    xml = document("<w:p><w:r><w:t>Approved 12 March 2015</w:t></w:r></w:p>", declaration=False)
    utf16 = (
        '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16")
        + xml.decode().encode("utf-16")[2:]
    )
    assert fast_pages(utf16) is None
    latin = xml.replace(b"<w:document", b'<?xml version="1.0" encoding="ISO-8859-1"?><w:document')
    assert fast_pages(latin) is None
    assert wordml.walk(io.BytesIO(utf16), True, 60_000) == {1: ["Approved 12 March 2015"]}


def test_a_prefix_bound_to_two_namespaces_goes_to_lxml():
    xml = document(
        '<w:p><w:r><w:t>One</w:t></w:r></w:p><w:p xmlns:w="urn:other"><w:t>Two</w:t></w:p>'
    )
    assert fast_pages(xml) is None
    assert wordml.walk(io.BytesIO(xml), True, 60_000) == lxml_pages(xml)


def test_text_with_markup_inside_goes_to_lxml():
    xml = document("<w:p><w:r><w:t>Date<w:x/> approved</w:t></w:r></w:p>")
    assert fast_pages(xml) is None


def test_tags_that_do_not_nest_go_to_lxml():
    xml = document("<w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:tc></w:p>")
    assert fast_pages(xml) is None


def test_a_part_that_says_nothing_and_is_cut_short_goes_to_lxml():
    assert fast_pages(b"<w:document><w:body><w:p>") is None
    cut = document("<w:p><w:r></w:r></w:p>")[:-20]
    assert fast_pages(cut) is None
    whole = document("<w:p><w:r></w:r></w:p>")
    assert fast_pages(whole) == {} == lxml_pages(whole)


def test_a_docx_with_a_comment_in_its_body_reads_as_before(tmp_path):
    xml = document(
        "<!-- generated --><w:p><w:r><w:t>Date approved: 12 March 2015</w:t></w:r></w:p>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xml)
    (tmp_path / "c.docx").write_bytes(out.getvalue())
    stat = (tmp_path / "c.docx").stat()
    facts = read_facts(tmp_path, FileEntry("c.docx", stat.st_size, stat.st_mtime_ns))
    assert facts.error is None
    assert [b.text for b in facts.blocks] == ["Date approved: 12 March 2015"]
