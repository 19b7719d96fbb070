"""No child's identifier, name, date of birth, postcode or free text leaves the reader.

The lists hold children's records, and reports are e-mailed. Unique marker
strings are planted in every kind of personal cell of a council's lists
(identifiers, names of workers and advisers, organisations, dates of birth,
postcodes, and wrong values in coded, dated and counted columns so that
every kind of row problem is reported), then every output annexa makes is
searched for them: each report format, what the CLI prints, the logs, and
the cache file, byte by byte and decompressed.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from annexa.formats import format_names
from annexa.pipeline import scan
from tests.council_lists import AS_OF, Layout, all_lists, plant_27, write_csvs, write_workbook

BIRTH = dt.date(1999, 12, 31)
MARKERS = [
    "ZQXID",  # identifiers
    "Zqxworker",  # workers' and advisers' names
    "Zqxteam",
    "ZQXORGANISATION",  # free text
    "ZQXCODE",  # a value that is not a code
    "ZQXDATE",  # text in a date column
    "ZQXCOUNT",  # text in a count column
    "ZQ99 9XQ",  # a postcode
    "ZQ99",
    "31/12/1999",  # a date of birth, however it might be written
    "1999-12-31",
    "31 December 1999",
    str(BIRTH.toordinal()),
    "36525",  # as an Excel date number
]


def plant_markers(lists) -> None:
    for list_id, rows in lists.rows.items():
        for number, row in enumerate(rows):
            for column in list(row):
                lowered = column.lower()
                if "unique id" in lowered or "identifier" in lowered:
                    row[column] = f"ZQXID{list_id}{number:03d}"
                elif "worker" in lowered or "advisor" in lowered:
                    row[column] = f"Zqxworker {number}"
                elif "team" in lowered:
                    row[column] = f"Zqxteam {number % 3}"
                elif "organisation" in lowered or "fostering for adoption" in lowered:
                    row[column] = f"ZQXORGANISATION {number}"
                elif "postcode" in lowered:
                    row[column] = "ZQ99 9XQ"
                elif column == "Date of Birth" and number == 0:
                    row[column] = BIRTH  # with an age that disagrees: reported, never shown
        rows[1]["Gender"] = "ZQXCODE"
    lists.rows["L1"][2]["Date of Contact"] = "ZQXDATE"
    lists.rows["L3"][2]["Number of Referrals in Last 12 Months"] = "ZQXCOUNT"
    lists.rows["L8"][3]["Child Unique ID"] = lists.rows["L8"][2]["Child Unique ID"]
    lists.rows["L8"][4]["Date of Birth"] = "31/12/1999"


def leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker.lower() in text.lower()]


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("privacy") / "Annex A lists"
    root.mkdir()
    lists = plant_27(all_lists(12))
    plant_markers(lists)
    write_workbook(root, "Annex A 2015-09-17.xlsx", lists, Layout(above="banner"))
    csvs = root / "Extracts"
    csvs.mkdir()
    write_csvs(csvs, lists, Layout(above="none"))
    return root


def test_the_planted_markers_are_in_the_lists_themselves(council: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(council / "Annex A 2015-09-17.xlsx")
    text = " ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)
    assert "ZQXID" in text and "Zqxworker" in text and "ZQ99 9XQ" in text
    assert "ZQXORGANISATION" in text and "ZQXCODE" in text and "1999-12-31" in text


def test_no_report_format_the_cli_writes_nor_what_it_prints_holds_a_childs_data(
    council: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    cache = tmp_path / "cache"
    formats = []
    for name in format_names():
        formats += ["--format", f"{name}:{out / name}"]
    command = [
        sys.executable,
        "-m",
        "annexa",
        "scan",
        str(council),
        "--spec",
        "ilacs-lists",
        "--as-of",
        AS_OF.isoformat(),
        "--cache-dir",
        str(cache),
        *formats,
    ]
    for _run in range(2):  # read, then answered from the cache
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 1, done.stderr
        assert leaks(done.stdout + done.stderr) == []
    written = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    assert sorted(written) == sorted(format_names())
    assert (
        "row_problems" in written["json"] and "'Gender' is not one of its codes" in written["json"]
    )
    for name, text in written.items():
        assert leaks(text) == [], name
    database = next(cache.rglob("*.sqlite3"))
    raw = b"".join(path.read_bytes() for path in database.parent.iterdir() if path.is_file())
    assert [m for m in MARKERS if m.encode() in raw] == []
    with sqlite3.connect(database) as connection:
        blobs = [row[0] for row in connection.execute("SELECT data FROM facts")]
        blobs += [row[0] for row in connection.execute("SELECT data FROM dates")]
    texts = [zlib.decompress(blob).decode("utf-8") for blob in blobs]
    assert any("Date of Contact" in text for text in texts)  # the headings are there, read
    for text in texts:
        assert leaks(text) == []


def test_nothing_logged_while_scanning_holds_a_childs_data(
    council: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    from annexa.spec import load_spec

    with caplog.at_level(logging.DEBUG):
        report = scan(council, load_spec("ilacs-lists"), AS_OF)
    assert sum(item.row_problems_total for item in report.items) >= 27
    captured = capfd.readouterr()
    assert leaks(caplog.text + captured.out + captured.err) == []
    assert leaks(repr(report)) == []
