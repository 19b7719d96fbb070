"""Names in an evidence pack: in item order, and ones Windows can unpack."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PureWindowsPath

from hypothesis import given
from hypothesis import strategies as st

from annexa.pack.names import MAX_NAME, UniqueNames, packed_name, padded_ids, safe_name

_DEVICES = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])$", re.I)


def windows_problem(name: str) -> str:
    """Why Windows would refuse or change ``name``, or "" when it would keep it as it is."""
    if not name:
        return "empty"
    if re.search(r'[<>:"/\\|?*\x00-\x1f]', name):
        return "a reserved character"
    if name[-1] in ". ":
        return "a trailing dot or space"
    if _DEVICES.match(name.split(".", 1)[0].rstrip(" ")):
        return "a device name"
    if len(name) > MAX_NAME:
        return "too long"
    if PureWindowsPath(name).name != name or PureWindowsPath(name).is_absolute():
        return "a path, not a name"
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "not text"
    return ""


def test_a_name_reads_item_first_then_the_original_name() -> None:
    assert (
        packed_name("A01 Self-evaluation of social work practice", "SEF July 2015.docx")
        == "A01 Self-evaluation of social work practice - SEF July 2015.docx"
    )


def test_ids_are_padded_so_a_zip_listing_sorts_in_item_order() -> None:
    padded = padded_ids(["A1", "A2", "A10", "L7", "L11", "X", "B123"])
    assert padded == {
        "A1": "A01",
        "A2": "A02",
        "A10": "A10",
        "L7": "L07",
        "L11": "L11",
        "X": "X",
        "B123": "B123",
    }
    assert sorted(padded[i] for i in ("A1", "A10", "A2")) == ["A01", "A02", "A10"]


def test_reserved_characters_become_readable_substitutes() -> None:
    name = packed_name("L07 List 7: child protection", 'a<b>c:d"e/f\\g|h?i*j.xlsx')
    assert name == "L07 List 7 - child protection - a_b_c -d'e-f-g-h_i_j.xlsx"
    assert windows_problem(name) == ""


def test_trailing_dots_and_spaces_go() -> None:
    assert safe_name("notes. . ") == "notes"
    assert packed_name("A1 Plan. ", "plan ...pdf").endswith("plan.pdf")


def test_device_names_are_never_given_whatever_the_extension() -> None:
    for device in ("CON", "con.pdf", "NUL.tar.gz", "COM1.docx", "lpt9", "AUX .txt", "COM¹.pdf"):
        assert windows_problem(safe_name(device)) == "", device
    assert safe_name("CON.pdf") == "_CON.pdf"


def test_control_characters_and_bytes_that_were_not_utf8_are_written_out() -> None:
    name = packed_name("A1 Plan", "meeting\n\x1b[31mnotes caf\udce9.docx")
    assert windows_problem(name) == ""
    assert "\x1b" not in name and "\n" not in name and "\udce9" not in name


def test_long_names_are_cut_keeping_the_extension_and_the_item() -> None:
    name = packed_name("A12 " + "Complaints annual report " * 6, "x" * 300 + ".docx")
    assert len(name) <= MAX_NAME
    assert name.startswith("A12 Complaints") and name.endswith(".docx")


def test_names_are_unique_even_when_case_and_accents_are_written_differently() -> None:
    names = UniqueNames(["index.html"])
    assert names.claim("Index.HTML") == "Index (2).HTML"
    assert names.claim("A01 Plan - report.pdf") == "A01 Plan - report.pdf"
    assert names.claim("A01 PLAN - REPORT.PDF") == "A01 PLAN - REPORT (2).PDF"
    composed = "A02 Caf\u00e9.pdf"
    decomposed = unicodedata.normalize("NFD", composed)
    assert names.claim(composed) == composed
    assert names.claim(decomposed) != decomposed


@given(st.text(max_size=300), st.text(max_size=300))
def test_any_item_and_file_name_give_a_name_windows_keeps(item: str, original: str) -> None:
    assert windows_problem(packed_name(item, original)) == ""


@given(st.lists(st.text(min_size=1, max_size=40), max_size=30))
def test_claimed_names_never_collide_on_windows(wanted: list[str]) -> None:
    names = UniqueNames()
    given_out = [names.claim(safe_name(w)) for w in wanted]
    keys = [unicodedata.normalize("NFC", n).casefold() for n in given_out]
    assert len(set(keys)) == len(keys)
