"""Council first pages, as PDF and Word files, dated as a careful reader dates them.

The cases (``tests/council_pages.py``) are written for this project, laid out
as real council documents are and read back through annexa's own readers,
broken text layers and all. Each asserts the date and its precision, the
period, the expiry, the draft mark and the status on given days.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from annexa.dating import read_dates
from annexa.judging.file_verdict import pick_issue
from annexa.judging.items import evaluate
from annexa.model import FileEntry
from annexa.reading.read import read_facts
from annexa.spec import load_spec
from annexa.spec.rules import DatingOptions
from tests.council_pages import CASES, RULES, Case, render

CONTENT_ONLY = DatingOptions(date_sources=("content",))
PARAMS = [
    pytest.param(case, fmt, id=f"{case.name}-{fmt}") for case in CASES for fmt in case.formats
]


def _spec(tmp_path: Path, case: Case):  # type: ignore[no-untyped-def]
    text = (
        textwrap.dedent(
            """\
        [spec]
        name = "council pages"
        [defaults]
        formats = ["pdf", "docx"]
        date_sources = ["content"]
        [[item]]
        id = "X"
        patterns = ["**/*"]
        """
        )
        + RULES[case.rule]
        + "\n"
    )
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def _read(tmp_path: Path, case: Case, fmt: str):  # type: ignore[no-untyped-def]
    root = tmp_path / "folder"
    path = render(case, root, fmt)
    stat = path.stat()
    entry = FileEntry(path.name, stat.st_size, stat.st_mtime_ns)
    facts = read_facts(root, entry)
    assert facts.error is None, facts.error
    return entry, facts


@pytest.mark.parametrize(("case", "fmt"), PARAMS)
def test_council_first_page_is_dated_as_a_careful_reader_dates_it(tmp_path, case, fmt):
    entry, facts = _read(tmp_path, case, fmt)
    dates = read_dates(facts, entry.path, CONTENT_ONLY, entry.mtime_ns)
    picked = pick_issue(dates, ("content",), case.checks[0][0])
    found = (picked.value, picked.precision, picked.basis) if picked else None
    assert found == case.issue, (dates.issue, facts.blocks)
    if case.stated is not None:
        assert case.stated in [(s.start, s.end) for s in dates.spans], dates.spans
    assert (dates.draft is not None) == case.draft, dates.draft

    spec = _spec(tmp_path, case)
    for as_of, status in case.checks:
        report = evaluate(spec, {entry.path: entry}, {entry.path: facts}, as_of)
        (item,) = report.items
        assert (item.status, item.expires, item.period) == (status, case.expires, case.period), (
            as_of,
            item.reason,
        )
        if case.where is not None:
            assert item.evidence is not None and item.evidence.where == case.where, item.evidence
