"""The activity log says what a change in the folder did, in the users' words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from annexa.model import Status
from annexa.watch.activity import describe_update, summary_line
from tests.watch_fakes import sample_report, with_item


def test_summary_counts_statuses_in_words() -> None:
    assert summary_line(sample_report()) == (
        "1 in date · 1 due soon · 1 out of date · 1 missing · 1 draft · 1 unreadable · 1 waived"
    )


def test_first_report_says_the_folder_was_checked() -> None:
    lines = describe_update(None, sample_report())
    assert lines == [f"Checked the folder: {summary_line(sample_report())}"]


def test_saved_file_that_changes_an_item_names_file_item_and_new_status() -> None:
    before = sample_report()
    after = with_item(before, "A1", status=Status.OK, severity=None)
    lines = describe_update(before, after, changed=["Leadership/Self evaluation 2013.pdf"])
    assert lines == ["Self evaluation 2013.pdf saved: A1 now in date"]


def test_added_file_for_a_missing_item() -> None:
    before = sample_report()
    after = with_item(
        before, "A7", status=Status.OK, severity=None, file="Reports/IRO annual report 2014-15.pdf"
    )
    lines = describe_update(before, after, added=["Reports/IRO annual report 2014-15.pdf"])
    assert lines == ["IRO annual report 2014-15.pdf added: A7 now in date"]


def test_removed_file_makes_its_item_missing() -> None:
    before = sample_report()
    after = with_item(before, "A2", status=Status.MISSING, file=None, files=())
    lines = describe_update(before, after, removed=["Leadership/2015-09-01 Structure chart.pdf"])
    assert lines == ["2015-09-01 Structure chart.pdf removed: A2 now missing"]


def test_saved_file_without_effect_says_the_item_is_unchanged() -> None:
    report = sample_report()
    lines = describe_update(report, report, changed=["Leadership/2015-09-01 Structure chart.pdf"])
    assert lines == ["2015-09-01 Structure chart.pdf saved: A2 still in date"]


def test_file_that_matches_nothing_says_so() -> None:
    report = sample_report()
    lines = describe_update(report, report, added=["Misc/Team photo.jpg"])
    assert lines == ["Team photo.jpg added: matches no item"]


def test_status_change_without_a_file_is_reported_by_item() -> None:
    before = sample_report()
    after = with_item(before, "A2", status=Status.DUE_SOON)
    after = replace(after, as_of=dt.date(2015, 11, 1))
    assert describe_update(before, after) == [
        "A2 Children's services structure chart: now due soon"
    ]


def test_a_burst_is_summarised_not_listed_file_by_file() -> None:
    report = sample_report()
    added = [f"Misc/photo {n}.jpg" for n in range(500)]
    lines = describe_update(report, report, added=added)
    assert len(lines) == 21
    assert lines[-1] == "… and 480 more files changed"


def test_file_names_in_the_log_are_made_printable() -> None:
    report = sample_report()
    lines = describe_update(report, report, added=["Misc/evil\x1b[2Jname.pdf"])
    assert lines == ["evil\\x1b[2Jname.pdf added"]
