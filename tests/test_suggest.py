"""Concrete next steps: a name and a folder for the file an item needs, and the item a stray file looks like.

The names must be ones annexa itself would count: every suggestion is
checked here against the spec's own matching, so a suggestion that would
leave the item missing fails the test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from annexa.model import Report, Status
from annexa.pipeline import scan
from annexa.spec import load_spec
from tests.test_evaluate import SEF, Folder, spec_from

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"
AS_OF = dt.date(2015, 9, 16)


@pytest.fixture(scope="module")
def demo_spec():
    return load_spec(DEMO / "annexa.toml")


@pytest.fixture(scope="module")
def demo_report(demo_spec) -> Report:
    return scan(DEMO, demo_spec, AS_OF)


def item(report: Report, item_id: str):
    return next(i for i in report.items if i.id == item_id)


def test_missing_annual_report_is_suggested_in_its_year_folder_beside_the_others(
    demo_report: Report, demo_spec
) -> None:
    # The other annual reports live in "04 Annual reports/<year>"; the
    # 2013-14 private fostering report is the one wanted now.
    suggestion = item(demo_report, "A11").suggestion
    assert suggestion is not None
    assert suggestion.folder == "04 Annual reports/2013-14"
    assert suggestion.name == "Private fostering annual report 2013-14.pdf"
    assert demo_spec.items_matching(suggestion.path) == ("A11",)


def test_out_of_date_annual_report_is_suggested_for_the_year_after_the_one_it_covers(
    demo_report: Report,
) -> None:
    lado = item(demo_report, "A9")  # covers 2012-13, kept in 04 Annual reports/2012-13
    assert lado.suggestion is not None
    assert lado.suggestion.path == "04 Annual reports/2013-14/LADO annual report 2013-14.pdf"


def test_out_of_date_document_is_suggested_beside_the_old_one_with_the_month(
    demo_report: Report,
) -> None:
    strategy = item(demo_report, "A17")
    assert strategy.suggestion is not None
    assert strategy.suggestion.folder == "05 Children in care"
    assert strategy.suggestion.name == "Placement sufficiency strategy - September 2015.pdf"


def test_every_suggested_name_would_count_for_its_item(demo_report: Report, demo_spec) -> None:
    suggested = [i for i in demo_report.items if i.suggestion is not None]
    assert suggested, "the demo has items that need a new file"
    for result in suggested:
        assert result.id in demo_spec.items_matching(result.suggestion.path), result.suggestion


def test_items_that_need_no_new_file_get_no_suggestion(demo_report: Report) -> None:
    for result in demo_report.items:
        if result.status in (Status.OK, Status.UNREADABLE, Status.DRAFT, Status.UNDATED):
            assert result.suggestion is None, result.id


def test_a_title_that_no_pattern_matches_falls_back_to_a_pattern_in_words(tmp_path) -> None:
    spec = spec_from(
        tmp_path,
        """
        [[item]]
        id = "A3"
        title = "Key people"
        patterns = ["Contacts/**/*who*s*who*"]
        """,
    )
    result = Folder().item(spec, "A3")
    assert result.suggestion is not None
    assert result.suggestion.folder == "Contacts"
    assert result.suggestion.name == "Who s who - September 2015.pdf"
    assert spec.items_matching(result.suggestion.path) == ("A3",)


def test_names_never_hold_characters_windows_refuses(tmp_path) -> None:
    spec = spec_from(
        tmp_path,
        """
        [[item]]
        id = "L7"
        title = "List 7: child protection / CP plans?"
        patterns = ["**/*list*7*"]
        formats = ["xlsx", "csv"]
        columns = ["Child Unique ID"]
        """,
    )
    suggestion = Folder().item(spec, "L7").suggestion
    assert suggestion is not None
    assert suggestion.name == "List 7 child protection CP plans 2015-09-16.xlsx"


def test_a_stray_file_is_recognised_by_initials_short_words_and_a_short_year(
    tmp_path: Path, demo_spec
) -> None:
    root = tmp_path / "Annex A"
    shutil.copytree(DEMO, root)
    stray = root / "04 Annual reports" / "2014-15" / "PF annual rpt 14-15 FINAL.pdf"
    shutil.copyfile(
        root / "04 Annual reports/2014-15/Borsetshire LSCB Annual Report 2014-15.pdf", stray
    )
    report = scan(root, demo_spec, AS_OF)
    path = "04 Annual reports/2014-15/PF annual rpt 14-15 FINAL.pdf"
    assert path in report.unmatched
    hint = report.nearest_for(path)
    assert hint is not None
    assert (hint.item, hint.name) == ("A11", "Private fostering annual report 2014-15.pdf")
    assert hint.advice == (
        "'PF annual rpt 14-15 FINAL.pdf' looks like A11 Private fostering annual report: "
        "name it 'Private fostering annual report 2014-15.pdf'."
    )
    assert demo_spec.items_matching(f"04 Annual reports/2014-15/{hint.name}") == ("A11",)


def test_a_file_whose_name_fits_but_whose_text_lacks_the_keywords_says_so(
    demo_report: Report,
) -> None:
    hint = demo_report.nearest_for("Education/School Place Sufficiency Assessment 2015.pdf")
    assert hint is not None
    assert hint.item == "A17" and hint.name is None
    assert "its text has none of the words that item needs ('placement'" in hint.advice


def test_unrelated_files_are_not_given_a_likeness(demo_report: Report) -> None:
    hinted = {hint.file for hint in demo_report.nearest}
    for path in (
        "Misc/Room booking form.docx",
        "Misc/Team away day notes.docx",
        "06 Early help and safeguarding/LSCB/LSCB Board minutes 2015-07-14.docx",
        "01 Leadership/Minutes/Children's Services Leadership Team minutes 2015-08-11.docx",
        # a data list is not the early help strategy, whatever its name shares
        "Data lists/Notification week/List 2 Early help 2015-09-15.csv",
    ):
        assert path in demo_report.unmatched
        assert path not in hinted, path


def test_a_suggestion_for_a_missing_item_without_siblings_uses_root(tmp_path) -> None:
    spec = spec_from(tmp_path, SEF)
    suggestion = Folder().item(spec, "A1").suggestion
    assert suggestion is not None
    assert (suggestion.folder, suggestion.name) == ("", "Self-evaluation - September 2015.pdf")
