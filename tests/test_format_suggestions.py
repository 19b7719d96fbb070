"""The shared reports say where to save a missing file, and what an unmatched file looks like.

A manager forwards the HTML or Markdown report to whoever must act: the live
view's concrete next steps must travel with it.
"""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from annexa.formats import html as html_report
from annexa.formats import markdown, text
from annexa.model import NearestItem, Report, Status, Suggestion
from tests.watch_fakes import sample_report

SAVE_AS = Suggestion("04 Annual reports/2014-15", "IRO annual report 2014-15.pdf")
ADVICE = "'iro rpt.pdf' looks like A7 IRO annual report: name it 'IRO annual report 2014-15.pdf'."


def _report() -> Report:
    report = sample_report()
    items = tuple(
        dataclasses.replace(item, suggestion=SAVE_AS) if item.id == "A7" else item
        for item in report.items
    )
    assert any(item.id == "A7" and item.status is Status.MISSING for item in items)
    hint = NearestItem("Misc/iro rpt.pdf", "A7", "IRO annual report", SAVE_AS.name, ADVICE)
    return dataclasses.replace(
        report, items=items, unmatched=("Misc/iro rpt.pdf", "Misc/notes.txt"), nearest=(hint,)
    )


@pytest.mark.parametrize(
    ("render", "unescape"),
    [
        (text.render, str),
        (markdown.render, lambda s: s.replace("\\", "")),
        (html_report.render, lambda s: html.unescape(re.sub("<[^>]+>", "", s))),
    ],
    ids=["text", "markdown", "html"],
)
def test_each_shared_report_names_the_file_to_save_and_the_item_a_stray_file_looks_like(
    render, unescape
) -> None:
    shown = unescape(render(_report()))
    assert "Save it as 04 Annual reports/2014-15/IRO annual report 2014-15.pdf" in shown
    assert ADVICE in shown
    named = set(re.findall(r"Save it as ([^\n|]+?\.pdf)", shown))
    assert named == {SAVE_AS.path}, "only the item that needs a file gets a name"


def test_the_csv_report_gives_each_item_that_needs_a_file_its_path_to_save_it_as() -> None:
    import csv
    import io

    from annexa.formats import csv_report

    rows = list(csv.DictReader(io.StringIO(csv_report.render(_report()))))
    assert {row["id"]: row["save_as"] for row in rows if row["save_as"]} == {"A7": SAVE_AS.path}


@pytest.mark.parametrize("name", ["github", "junit", "sarif", "codequality"])
def test_ci_reports_name_the_file_to_save_too(name: str) -> None:
    import importlib

    module = importlib.import_module(f"annexa.formats.{name}")
    shown = module.render(_report())
    assert "Save it as 04 Annual reports/2014-15/IRO annual report 2014-15.pdf" in shown
