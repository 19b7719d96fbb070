"""The hostile corpus, scanned end to end with the real reader processes.

Anyone in a council can drop a file in the shared folder. Whatever it is
(a bomb, a loop, a lie, a password, a link out of the folder), the scan must
finish, say in one line why that file cannot be read, judge every other
file as if it were not there, stay inside the time limit per file and the
memory limit per reader, and never let a byte from outside ROOT reach a
report. The corpus is generated (tests/hostile.py), never committed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from annexa.formats import format_names, get_formatter
from annexa.model import Facts, Report
from annexa.model.codec import encode
from annexa.pipeline import Scanner, read_function, scan
from annexa.reading.pool import WorkerPoolExtractor
from annexa.spec import load_spec
from annexa.tui.app import WatchApp
from tests.hostile import (
    AS_OF,
    CASES,
    GOOD,
    HOSTILE,
    SECRET,
    Case,
    Corpus,
    TreeMemory,
    build_corpus,
    read_without_crypto,
    xlsx_shared_strings_bomb,
)
from tests.tui_helpers import NOON, SIZE, first_report

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"),
        reason="the corpus holds a FIFO and the memory is read from /proc (Linux)",
    ),
]

PROJECT = Path(__file__).resolve().parents[1]
TIME_LIMIT = 20.0  # seconds per file: WorkerPoolExtractor's default, as annexa scan runs it
MEMORY_LIMIT_MB = 1024  # per reader process: WorkerPoolExtractor's default
SCAN_BUDGET = 120.0  # the "under two minutes" for the whole hostile scan
TREE_BUDGET_MB = 1536  # the "peak memory under 1.5 GB"


@dataclass
class Scanned:
    report: Report
    facts: dict[str, Facts]
    seconds: float
    memory: TreeMemory


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def scanned(corpus: Corpus) -> Scanned:
    """One scan of the corpus as ``annexa scan`` runs it, but read without AES support.

    The reader processes use ``read_without_crypto``: pypdf behaves as if
    its optional crypto package were not installed, as on a machine where
    it is not.
    """
    spec = load_spec(corpus.spec)
    options = spec.dating_options()
    pool = WorkerPoolExtractor(
        timeout=TIME_LIMIT,
        memory_mb=MEMORY_LIMIT_MB,
        read=partial(read_without_crypto, options=options, lists=spec.list_rules()),
    )
    scanner = Scanner(corpus.root, spec, extractor=pool)
    try:
        with TreeMemory() as memory:
            started = time.perf_counter()
            scanner.full_scan()
            report = scanner.report(AS_OF)
            seconds = time.perf_counter() - started
            memory.sample()
    finally:
        pool.close()
        scanner.close()
    return Scanned(report, dict(scanner.facts), seconds, memory)


def item(report: Report, item_id: str):
    (found,) = [i for i in report.items if i.id == item_id]
    return found


# -- every file gets the status it deserves ---------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.item for c in CASES])
def test_each_file_of_the_hostile_corpus_is_judged_as_it_deserves(
    scanned: Scanned, case: Case
) -> None:
    result = item(scanned.report, case.item)
    assert result.status.value == case.expect, result.reason
    if case.expect == "unreadable":
        error = scanned.facts[case.path].error
        assert error is not None
        assert any(fragment in error for fragment in case.reason), error
        assert [e.error for e in scanned.report.errors if e.file == case.path] == [error]
    if case.expect == "missing":
        assert result.file is None and result.files == ()


def test_every_reason_is_one_line_ending_in_one_full_stop(scanned: Scanned) -> None:
    for result in scanned.report.items:
        assert "\n" not in result.reason and "\r" not in result.reason, result.id
        assert result.reason.endswith((".", ")")), result.reason
        assert not result.reason.endswith(".."), result.reason
    for error in scanned.report.errors:
        assert "\n" not in error.error and len(error.error) <= 200, error


# Reasons that mislead. Both live in modules being rewritten for speed by
# another hand right now; each test names the file to fix.


def test_a_pdf_that_inflates_nothing_is_not_said_to_be_too_large_when_decompressed(
    scanned: Scanned,
) -> None:
    error = scanned.facts["H17 xref garbage.pdf"].error
    assert error is not None and error.startswith("damaged PDF")
    assert "decompressed" not in error


@pytest.mark.parametrize(
    "name", ["H24b hidden laughs.docx", "H31b List 7 hidden laughs 2015-09-15.xlsx"]
)
def test_a_dtd_behind_a_long_comment_is_refused_as_unsafe_xml(scanned: Scanned, name: str) -> None:
    error = scanned.facts[name].error
    assert error is not None and error.endswith(
        "refused as unsafe (its XML declares a DTD, which Office never writes)"
    )


def test_good_files_are_judged_as_if_the_hostile_ones_were_not_there(
    scanned: Scanned, corpus: Corpus, tmp_path: Path
) -> None:
    alone = tmp_path / "Annex A"
    alone.mkdir()
    for case in GOOD:
        shutil.copy2(corpus.root / case.path, alone / case.path)
    report = scan(alone, load_spec(corpus.spec), AS_OF)
    for case in GOOD:
        beside = item(scanned.report, case.item).to_dict()
        assert beside == item(report, case.item).to_dict()
        assert beside["status"] == case.expect


def test_a_list_of_a_million_rows_is_read_and_in_date(scanned: Scanned) -> None:
    (case,) = [c for c in HOSTILE if c.item == "H29"]
    facts = scanned.facts[case.path]
    assert facts.error is None
    (sheet,) = facts.sheets
    assert sheet.name == "List 7"
    assert (sheet.heading_row, sheet.checked) == (2, False)  # headings only: rows never read
    assert sheet.headings == (
        "Child Unique ID",
        "Child Protection Plan Start Date",
        "Date of the Last Statutory Visit",
    )
    assert item(scanned.report, "H29").status.value == "ok"


def test_aes_without_the_crypto_package_says_what_is_missing(scanned: Scanned) -> None:
    assert (
        scanned.facts["H19 aes password.pdf"].error
        == "encrypted PDF: AES needs the 'cryptography' package"
    )


def test_links_out_of_root_and_pipes_are_never_listed_and_loops_are_survived(
    scanned: Scanned,
) -> None:
    listed = {*scanned.facts, *scanned.report.unmatched, *(e.file for e in scanned.report.errors)}
    assert not any(
        "H34" in path or "H35" in path or "H36" in path or "Secret" in path for path in listed
    )
    assert not any(path.startswith(("Loop/", "Outside/")) for path in listed)
    assert sorted(scanned.report.unmatched) == []


# -- nothing from outside ROOT reaches a report --------------------------------------


@pytest.mark.parametrize("name", format_names())
def test_no_byte_from_outside_root_reaches_any_report(scanned: Scanned, name: str) -> None:
    text = get_formatter(name)(scanned.report)
    assert SECRET not in text
    assert "secret.txt" not in text  # not even the name of what the entities point at


def test_no_byte_from_outside_root_reaches_the_facts_a_cache_would_keep(scanned: Scanned) -> None:
    for facts in scanned.facts.values():
        assert SECRET not in json.dumps(encode(facts))


# -- limits ----------------------------------------------------------------------------


def test_the_whole_scan_stays_inside_the_time_and_memory_limits(scanned: Scanned) -> None:
    assert scanned.seconds < SCAN_BUDGET
    timed_out = [f.path for f in scanned.facts.values() if (f.error or "").startswith("timed out")]
    assert timed_out == []  # every hostile file is refused long before the time limit
    assert scanned.memory.peak_kb < TREE_BUDGET_MB * 1024
    readers = scanned.memory.per_pid
    assert readers, "the reader processes were seen"
    assert max(readers.values()) < MEMORY_LIMIT_MB * 1024


def test_a_list_whose_headings_sit_behind_a_gigabyte_of_texts_is_refused_not_streamed(
    corpus: Corpus, tmp_path: Path
) -> None:
    root = tmp_path / "Annex A"
    root.mkdir()
    for case in GOOD:
        shutil.copy2(corpus.root / case.path, root / case.path)
    # Small parts, so no size check refuses it; its title is the last of a
    # gigabyte of shared strings, minutes of streaming away. Excel stores
    # texts in order of first use, so no real list keeps its headings there.
    bomb = "H37 List 7 shared strings bomb 2015-09-15.xlsx"
    (root / bomb).write_bytes(xlsx_shared_strings_bomb(1))
    spec_path = tmp_path / "spec.toml"
    spec_path.write_text(
        corpus.spec.read_text(encoding="utf-8")
        + '\n[[item]]\nid = "H37"\ntitle = "Shared strings bomb"\npatterns = ["**/H37 *"]\n'
        'formats = ["xlsx"]\nsheet = "List 7"\ncolumns = ["Child Unique ID"]\n',
        encoding="utf-8",
    )
    pool = WorkerPoolExtractor(read=read_function(load_spec(spec_path)))
    try:
        report = scan(root, load_spec(spec_path), AS_OF, extractor=pool)
    finally:
        pool.close()
    assert [(e.file, e.error) for e in report.errors] == [
        (bomb, "too large to check: its headings are stored after 2,000,000 other texts")
    ]
    assert item(report, "H37").status.value == "unreadable"
    for case in GOOD:
        assert item(report, case.item).status.value == case.expect


# -- the watch screen reads with the same limits ------------------------------------------


async def _watch_once(root: str, spec_path: str) -> dict[str, object]:
    """The watch screen over ROOT until its first report; how its files were read."""
    spec = load_spec(spec_path)
    scanner = Scanner(Path(root), spec)
    app = WatchApp(
        Path(root), scanner, spec_label=spec.name, as_of=AS_OF, watch=False, clock=lambda: NOON
    )
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        pool = scanner._extractor
        assert app.report is not None
        answer = {
            "pool": type(pool).__name__,
            "fallback": getattr(pool, "fallback_reason", None),
            "statuses": {i.id: i.status.value for i in app.report.items},
        }
        await pilot.press("q")
    return answer


def test_under_the_watch_screen_files_are_read_in_limited_reader_processes(
    corpus: Corpus, scanned: Scanned
) -> None:
    """Textual swaps sys.stderr for an object whose fileno() is -1 while it runs, and
    multiprocessing handed that to the helper process it starts first: no reader
    could start, and every file was read inside annexa with no time or memory
    limit. A fresh process, as ``annexa watch`` is, shows it."""
    code = (
        "import asyncio, json; "
        "from tests.test_hostile_corpus import _watch_once; "
        f"print(json.dumps(asyncio.run(_watch_once({str(corpus.root)!r}, {str(corpus.spec)!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert (answer["pool"], answer["fallback"]) == ("WorkerPoolExtractor", None)
    expected = {i.id: i.status.value for i in scanned.report.items}
    assert answer["statuses"] == expected


# -- the command line, as CI runs it ------------------------------------------------------


def test_the_command_line_scans_the_hostile_corpus_into_every_format(
    corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    formats = [f"--format={name}:{out / ('report.' + name)}" for name in format_names()]
    command = [
        sys.executable, "-m", "annexa", "scan", str(corpus.root), "--spec", str(corpus.spec),
        "--as-of", AS_OF.isoformat(), "--cache-dir", str(tmp_path / "cache"), *formats,
    ]  # fmt: skip
    environment = {**os.environ, "CI": "1", "NO_COLOR": "1"}

    def run() -> tuple[subprocess.CompletedProcess[str], float, TreeMemory]:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=PROJECT, env=environment, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        with TreeMemory(process.pid) as memory:
            stdout, stderr = process.communicate(timeout=SCAN_BUDGET)
        seconds = time.perf_counter() - started
        return (
            subprocess.CompletedProcess(command, process.returncode, stdout, stderr),
            seconds,
            memory,
        )

    cold, seconds, memory = run()
    assert cold.returncode == 1, cold.stderr  # unreadable files are errors
    assert "Traceback" not in cold.stderr and cold.stdout == ""
    assert seconds < SCAN_BUDGET
    assert memory.peak_kb < TREE_BUDGET_MB * 1024
    reports = {
        name: (out / f"report.{name}").read_text(encoding="utf-8-sig") for name in format_names()
    }
    for name, text in reports.items():
        assert SECRET not in text, name
    ElementTree.fromstring(reports["junit"].encode())
    statuses = {i["id"]: i["status"] for i in json.loads(reports["json"])["items"]}
    assert statuses == {case.item: case.expect for case in CASES}

    warm, _, _ = run()  # from the cache the scan left: the same answers
    assert warm.returncode == 1, warm.stderr
    again = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert again == json.loads(reports["json"])


def test_reasons_speak_plainly_not_in_the_xml_parsers_words(scanned: Scanned) -> None:
    jargon = ("XML_PARSE_HUGE", "Premature end", "Resource limit", "xmlCtxt", "line 1, column")
    for path, facts in scanned.facts.items():
        assert not any(word in (facts.error or "") for word in jargon), (path, facts.error)
