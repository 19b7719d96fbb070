"""The rules of the product contract's dating and status sections, one test each.

evaluate() is pure, so these tests build files and their extracted facts in
memory: a document "whose first page says 'Date approved: 12 March 2013'" is
a Facts with that line, exactly what the extractor would hand over.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from annexa.judging.items import evaluate
from annexa.model import Facts, FileEntry, Severity, Sheet, Status, TextBlock
from annexa.model.failures import FailureKind
from annexa.spec import load_spec

AS_OF = dt.date(2015, 9, 16)
MTIME = 1_420_070_400 * 10**9  # 1 January 2015, a neutral saved time


def spec_from(tmp_path: Path, items: str, head: str = "") -> object:
    path = tmp_path / "spec.toml"
    path.write_text(textwrap.dedent(head) + "\n" + textwrap.dedent(items), encoding="utf-8")
    return load_spec(path)


SEF = """\
[[item]]
id = "A1"
title = "Self-evaluation"
section = "Leadership"
patterns = ["**/*self*eval*"]
"""

IRO = """\
[[item]]
id = "A7"
title = "IRO annual report"
patterns = ["**/*IRO*annual*"]
period = "financial-year"
grace = "6 months"
"""


class Folder:
    """Files and their facts, as inventory and extraction would hand them over."""

    def __init__(self) -> None:
        self.files: dict[str, FileEntry] = {}
        self.facts: dict[str, Facts] = {}

    def doc(
        self,
        path: str,
        *lines: str,
        metadata: tuple[tuple[str, str], ...] = (),
        error: str | None = None,
        mtime_ns: int = MTIME,
        header: str | None = None,
        sheets: tuple[Sheet, ...] = (),
    ) -> Folder:
        entry = FileEntry(path, 1000, mtime_ns)
        blocks = [TextBlock("body", 1, "\n".join(lines))] if lines else []
        if header:
            blocks.append(TextBlock("footer", None, header))
        kind = path.rsplit(".", 1)[-1].lower()
        self.files[path] = entry
        self.facts[path] = Facts(
            path,
            1000,
            mtime_ns,
            kind,
            error=error,
            blocks=tuple(blocks),
            metadata=metadata,
            sheets=sheets,
        )
        return self

    def judge(self, spec, as_of: dt.date = AS_OF):
        return evaluate(spec, self.files, self.facts, as_of, root="/share")

    def item(self, spec, item_id: str, as_of: dt.date = AS_OF):
        return next(i for i in self.judge(spec, as_of).items if i.id == item_id)


# --- statuses ---------------------------------------------------------------


def test_present_and_in_date_is_ok(tmp_path):
    spec = spec_from(tmp_path, SEF)
    item = (
        Folder()
        .doc("Leadership/Self evaluation 2015.pdf", "Date approved: 12 March 2015")
        .item(spec, "A1")
    )
    assert item.status is Status.OK and item.severity is None
    assert item.date == dt.date(2015, 3, 12) and item.expires == dt.date(2016, 3, 12)
    assert (
        item.date_source == "content"
        and item.evidence.label == "Date approved"
        and item.evidence.page == 1
    )
    assert item.reason.startswith("In date until 12 March 2016")


def test_older_than_max_age_is_out_of_date_and_says_since_when_in_words(tmp_path):
    spec = spec_from(tmp_path, SEF)
    item = Folder().doc("Self evaluation.pdf", "Date approved: 1 August 2014").item(spec, "A1")
    assert item.status is Status.OUT_OF_DATE and item.severity is Severity.ERROR
    assert item.expires == dt.date(2015, 8, 1)
    assert (
        item.reason
        == "Out of date since 2 August 2015 (approved 1 August 2014, reviewed every 12 months)."
    )
    assert item.action == "Upload a current version: Self evaluation.pdf expired on 1 August 2015."


def test_a_document_is_in_date_up_to_and_including_its_expiry_date(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = Folder().doc("Self evaluation.pdf", "Date approved: 1 August 2014")
    assert folder.item(spec, "A1", dt.date(2015, 8, 1)).status is Status.DUE_SOON
    assert folder.item(spec, "A1", dt.date(2015, 8, 2)).status is Status.OUT_OF_DATE


def test_due_soon_when_expiry_falls_within_due_soon(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = Folder().doc("Self evaluation.pdf", "Date approved: 1 October 2014")
    item = folder.item(spec, "A1")
    assert item.status is Status.DUE_SOON and item.severity is Severity.WARNING
    assert "1 October 2015 (in 15 days)" in item.reason
    assert folder.item(spec, "A1", dt.date(2015, 8, 31)).status is Status.OK  # 31 days before


def test_no_matching_file_is_missing_and_names_what_was_looked_for(tmp_path):
    spec = spec_from(tmp_path, SEF)
    item = Folder().doc("Other/notes.pdf", "Date: 1 May 2015").item(spec, "A1")
    assert item.status is Status.MISSING and item.severity is Severity.ERROR
    assert item.reason == (
        "No file found: annexa looked in every folder for a PDF or Word file "
        "with a name like 'self eval'."
    )
    assert "*" not in item.reason, "patterns are put in words"
    assert item.action == "Upload the self-evaluation."


def test_no_trusted_date_is_undated(tmp_path):
    spec = spec_from(tmp_path, SEF)
    item = (
        Folder()
        .doc("Self evaluation.docx", "Our practice is strong.", "Call 01632 960123")
        .item(spec, "A1")
    )
    assert item.status is Status.UNDATED and item.severity is Severity.WARNING
    assert "in its text, in its file name or in its document properties" in item.reason


def test_unlabelled_dates_are_not_used(tmp_path):
    spec = spec_from(tmp_path, SEF)
    item = Folder().doc("Self evaluation.pdf", "The board met on 12 March 2015.").item(spec, "A1")
    assert item.status is Status.UNDATED


def test_newest_file_marked_draft_is_draft_and_names_the_signed_off_version(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = (
        Folder()
        .doc("Self evaluation 2015 DRAFT v0.3.docx", "Date: 1 September 2015")
        .doc("Self evaluation 2014.pdf", "Date approved: 1 December 2014")
    )
    item = folder.item(spec, "A1")
    assert item.status is Status.DRAFT and item.severity is Severity.WARNING
    assert item.file == "Self evaluation 2015 DRAFT v0.3.docx"
    assert "Self evaluation 2014.pdf, is in date until 1 December 2015" in item.reason
    assert item.superseded == ("Self evaluation 2014.pdf",)


def test_unreadable_newest_file_is_unreadable_with_its_reason_and_listed_in_errors(tmp_path):
    spec = spec_from(tmp_path, SEF)
    report = (
        Folder()
        .doc("2015-09-01 Self evaluation.pdf", error="encrypted PDF: password required")
        .judge(spec)
    )
    (item,) = report.items
    assert item.status is Status.UNREADABLE and item.severity is Severity.ERROR
    assert "encrypted PDF: password required" in item.reason
    assert [(e.file, e.error) for e in report.errors] == [
        ("2015-09-01 Self evaluation.pdf", "encrypted PDF: password required")
    ]


def test_sheet_or_columns_lacking_is_incomplete_and_names_them(tmp_path):
    spec = spec_from(
        tmp_path,
        """\
        [[item]]
        id = "L7"
        title = "List 7: child protection"
        patterns = ["**/*annex*a*"]
        formats = ["xlsx", "csv"]
        sheet = "List 7"
        columns = ["Child Unique ID", "Date of the Last Statutory Visit", "Was the Child Seen Alone?"]
        date_sources = ["filename"]
        max_age = "5 days"
        """,
    )
    sheets = (
        Sheet("List_1", 2, ("Child Unique ID",), ("L1",), "List 1"),
        Sheet("List_7", 2, ("CHILD UNIQUE ID ", "Gender"), ("L7",), "List 7"),
    )
    item = Folder().doc("2015-09-14 Annex A.xlsx", sheets=sheets).item(spec, "L7")
    assert item.status is Status.INCOMPLETE and item.severity is Severity.ERROR
    assert item.reason.startswith(
        "List 7 lacks the columns 'Date of the Last Statutory Visit', 'Was the Child Seen Alone?'"
    )


def test_list_1_never_matches_a_sheet_list_11(tmp_path):
    spec = spec_from(
        tmp_path,
        """\
        [[item]]
        id = "L1"
        title = "List 1: contacts"
        patterns = ["**/*annex*a*"]
        formats = ["xlsx"]
        sheet = "List 1"
        date_sources = ["filename"]
        """,
    )
    sheets = (Sheet("List_11", 1, ("Child Unique ID",), ("L11",), "List 11"),)
    item = Folder().doc("2015-09-14 Annex A.xlsx", sheets=sheets).item(spec, "L1")
    assert item.status is Status.INCOMPLETE and "has no sheet 'List 1'" in item.reason


def test_active_waiver_turns_a_failure_into_waived(tmp_path):
    spec = spec_from(
        tmp_path,
        SEF
        + '\n[[waiver]]\nitem = "A1"\nreason = "to the board on 14 October"\nuntil = 2015-10-31\napproved_by = "Head of Service"\n',
    )
    item = Folder().item(spec, "A1")
    assert item.status is Status.WAIVED and item.severity is None
    assert item.waiver.active and item.waiver.applied
    assert item.reason.startswith(
        "Waived until 31 October 2015: to the board on 14 October, approved by Head of Service."
    )
    assert "Without the waiver it would be missing" in item.reason


def test_expired_waiver_no_longer_applies_and_says_so(tmp_path):
    spec = spec_from(
        tmp_path, SEF + '\n[[waiver]]\nitem = "A1"\nreason = "late"\nuntil = 2015-08-31\n'
    )
    report = Folder().judge(spec)
    (item,) = report.items
    assert item.status is Status.MISSING and item.severity is Severity.ERROR
    assert item.reason.startswith(
        "The waiver ended on 31 August 2015, so it no longer covers this item."
    )
    assert item.waiver.active is False
    assert report.notices == (
        "The waiver for A1 ended on 31 August 2015: A1 counts as usual again.",
    )


def test_waiver_is_still_active_on_its_until_date(tmp_path):
    spec = spec_from(
        tmp_path, SEF + '\n[[waiver]]\nitem = "A1"\nreason = "late"\nuntil = 2015-09-16\n'
    )
    assert Folder().item(spec, "A1").status is Status.WAIVED


def test_not_required_item_keeps_its_status_without_severity(tmp_path):
    spec = spec_from(tmp_path, SEF.replace('section = "Leadership"', "required = false"))
    report = Folder().judge(spec)
    assert report.items[0].status is Status.MISSING and report.items[0].severity is None
    assert report.worst() is None


# --- count ------------------------------------------------------------------

AUDITS = """\
[[item]]
id = "A6"
title = "Case audit summary"
patterns = ["**/*audit*"]
count = 2
max_age = "3 months"
"""


def test_fewer_files_than_count_is_missing(tmp_path):
    spec = spec_from(tmp_path, AUDITS)
    item = Folder().doc("Audit July.pdf", "Date: 1 July 2015").item(spec, "A6")
    assert item.status is Status.MISSING and "Only 1 of the 2 files needed" in item.reason


def test_enough_files_but_too_few_in_date_is_out_of_date(tmp_path):
    spec = spec_from(tmp_path, AUDITS)
    folder = (
        Folder()
        .doc("Audit July.pdf", "Date: 1 July 2015")
        .doc("Audit Jan.pdf", "Date: 1 January 2015")
    )
    item = folder.item(spec, "A6")
    assert (
        item.status is Status.OUT_OF_DATE
        and "Only 1 of the 2 files needed are in date" in item.reason
    )
    folder.doc("Audit Aug.pdf", "Date: 1 August 2015")
    assert folder.item(spec, "A6").status is Status.OK


# --- dates --------------------------------------------------------------------


def test_month_precision_date_counts_as_end_of_month(tmp_path):
    spec = spec_from(tmp_path, SEF)
    item = Folder().doc("Self evaluation.pdf", "Date: March 2015").item(spec, "A1")
    assert item.date == dt.date(2015, 3, 31) and item.expires == dt.date(2016, 3, 31)


def test_expiry_in_content_ends_the_documents_life_earlier(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = Folder().doc(
        "Self evaluation.pdf", "Date approved: March 2015", "Next review: July 2015"
    )
    item = folder.item(spec, "A1")
    assert item.status is Status.OUT_OF_DATE and item.expires == dt.date(2015, 7, 31)
    assert item.reason.startswith(
        "Out of date since 1 August 2015 (its 'Next review' is July 2015)"
    )


def test_review_date_in_a_footer_is_an_expiry(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = Folder().doc(
        "Self evaluation.pdf", "Date approved: 1 May 2015", header="Review date: Sept 2015"
    )
    item = folder.item(spec, "A1")
    assert item.expires == dt.date(2015, 9, 30) and item.status is Status.DUE_SOON


def test_plan_period_in_the_file_name_ends_a_strategy_at_the_end_of_march(tmp_path):
    spec = spec_from(
        tmp_path,
        '[[item]]\nid = "A16"\ntitle = "Sufficiency strategy"\npatterns = ["**/*sufficiency*"]\n',
    )
    folder = Folder().doc("Sufficiency strategy 2012-2015.pdf", "Date approved: 10 January 2015")
    item = folder.item(spec, "A16")
    assert item.status is Status.OUT_OF_DATE and item.expires == dt.date(2015, 3, 31)
    assert "plan period 2012-2015 ends on 31 March 2015" in item.reason


def test_plan_period_ends_in_december_with_year_end_december(tmp_path):
    spec = spec_from(
        tmp_path,
        '[[item]]\nid = "A16"\ntitle = "Sufficiency strategy"\npatterns = ["**/*sufficiency*"]\nyear_end = "december"\n',
    )
    folder = Folder().doc("Sufficiency strategy 2012-2015.pdf", "Date approved: 10 January 2015")
    assert folder.item(spec, "A16").expires == dt.date(2015, 12, 31)


def test_date_sources_are_trusted_in_the_spec_order(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = Folder().doc(
        "2015-06-01 Self evaluation.pdf",
        "Date approved: 12 March 2015",
        metadata=(("pdf:ModDate", "D:20150801120000Z"),),
    )
    assert folder.item(spec, "A1").date == dt.date(2015, 3, 12)  # content first
    spec2 = spec_from(tmp_path, SEF + 'date_sources = ["filename", "content"]\n')
    assert folder.item(spec2, "A1").date == dt.date(2015, 6, 1)
    spec3 = spec_from(tmp_path, SEF + 'date_sources = ["metadata"]\n')
    item = folder.item(spec3, "A1")
    assert item.date == dt.date(2015, 8, 1) and item.date_source == "metadata"


def test_modification_time_is_used_only_when_the_spec_lists_it(tmp_path):
    mtime = int(dt.datetime(2015, 7, 1, 12, tzinfo=dt.timezone.utc).timestamp()) * 10**9
    folder = Folder().doc("Self evaluation.docx", "No dates here", mtime_ns=mtime)
    assert folder.item(spec_from(tmp_path, SEF), "A1").status is Status.UNDATED
    spec = spec_from(tmp_path, SEF + 'date_sources = ["content", "mtime"]\n')
    item = folder.item(spec, "A1")
    assert (
        item.date == dt.date(2015, 7, 1)
        and item.date_source == "mtime"
        and item.status is Status.OK
    )


# --- periods ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (dt.date(2015, 8, 30), Status.OK),
        (dt.date(2015, 9, 16), Status.DUE_SOON),
        (dt.date(2015, 9, 30), Status.DUE_SOON),
        (dt.date(2015, 10, 1), Status.OUT_OF_DATE),
    ],
)
def test_period_report_expires_when_the_next_periods_report_falls_due(tmp_path, as_of, status):
    spec = spec_from(tmp_path, IRO)
    folder = Folder().doc("Annual reports/IRO Annual Report 2013-14.pdf", "Published: July 2014")
    item = folder.item(spec, "A7", as_of)
    assert item.expires == dt.date(2015, 9, 30) and item.status is status
    assert item.period == "2013-14"


def test_out_of_date_period_report_says_which_report_to_upload(tmp_path):
    spec = spec_from(tmp_path, IRO)
    item = Folder().doc("IRO annual report 2013-14.pdf").item(spec, "A7", dt.date(2015, 10, 5))
    assert item.reason.startswith(
        "Out of date since 1 October 2015: the newest report covers 2013-14 (its file name)"
    )
    assert item.action == "Upload the 2014-15 IRO annual report; it was due by 30 September 2015."


def test_newest_period_represents_the_item_and_older_ones_are_superseded(tmp_path):
    spec = spec_from(tmp_path, IRO)
    folder = Folder().doc("IRO annual report 2013-14.pdf").doc("IRO annual report 2014-15.pdf")
    item = folder.item(spec, "A7")
    assert item.status is Status.OK and item.file == "IRO annual report 2014-15.pdf"
    assert item.expires == dt.date(2016, 9, 30) and item.superseded == (
        "IRO annual report 2013-14.pdf",
    )


def test_academic_year_reports_run_september_to_august(tmp_path):
    spec = spec_from(
        tmp_path,
        IRO.replace("financial-year", "academic-year").replace("IRO*annual", "virtual*school"),
    )
    item = (
        Folder()
        .doc("Virtual School annual report 2013-14.pdf")
        .item(spec, "A7", dt.date(2015, 9, 16))
    )
    assert (
        item.expires == dt.date(2016, 2, 29) and item.status is Status.OK
    )  # 31 Aug 2015 + 6 months


def test_period_without_a_name_is_taken_from_the_issue_date(tmp_path):
    spec = spec_from(tmp_path, IRO)
    item = Folder().doc("IRO annual report.pdf", "Published: July 2015").item(spec, "A7")
    assert item.period == "2014-15" and item.status is Status.OK


def test_missing_period_report_names_the_report_expected(tmp_path):
    spec = spec_from(tmp_path, IRO)
    item = Folder().item(spec, "A7")
    assert item.status is Status.MISSING
    assert (
        item.action
        == "Upload the 2013-14 IRO annual report now, and the 2014-15 one by 30 September 2015."
    )


# --- matching and the report ----------------------------------------------------


def test_keywords_drop_files_that_match_by_name_only(tmp_path):
    spec = spec_from(tmp_path, SEF + 'keywords = ["self-evaluation"]\n')
    folder = Folder().doc(
        "Self evaluation tool for schools.pdf", "Date: 1 May 2015", "School improvement"
    )
    report = folder.judge(spec)
    assert report.items[0].status is Status.MISSING
    assert report.unmatched == ("Self evaluation tool for schools.pdf",)


def test_newest_file_represents_the_item_and_others_are_superseded(tmp_path):
    spec = spec_from(tmp_path, SEF)
    folder = (
        Folder()
        .doc("Self evaluation 2013.pdf", "Date approved: 12 March 2013")
        .doc("Self evaluation 2015.pdf", "Date approved: 12 March 2015")
        .doc("Self evaluation 2014.pdf", "Date approved: 12 March 2014")
    )
    item = folder.item(spec, "A1")
    assert item.file == "Self evaluation 2015.pdf" and item.status is Status.OK
    assert item.superseded == ("Self evaluation 2014.pdf", "Self evaluation 2013.pdf")


def test_one_file_can_satisfy_several_items(tmp_path):
    spec = spec_from(
        tmp_path,
        '[[item]]\nid = "X"\ntitle = "x"\npatterns = ["**/*annex*"]\n[[item]]\nid = "Y"\ntitle = "y"\npatterns = ["**/*.pdf"]\n',
    )
    report = Folder().doc("Annex A.pdf", "Date: 1 September 2015").judge(spec)
    assert [i.status for i in report.items] == [Status.OK, Status.OK]
    assert spec.items_matching("Annex A.pdf") == ("X", "Y")


def test_unmatched_files_are_listed_and_summary_counts_statuses(tmp_path):
    spec = spec_from(tmp_path, SEF + "\n" + IRO)
    report = (
        Folder().doc("Misc/notes.txt").doc("Self evaluation.pdf", "Date: 1 May 2015").judge(spec)
    )
    assert report.unmatched == ("Misc/notes.txt",)
    summary = report.summary
    assert summary["ok"] == 1 and summary["missing"] == 1 and summary["unmatched_files"] == 1


def test_evaluate_is_pure_same_inputs_same_report(tmp_path):
    spec = spec_from(tmp_path, SEF + "\n" + IRO)
    folder = (
        Folder().doc("Self evaluation.pdf", "Date: 1 May 2015").doc("IRO annual report 2014-15.pdf")
    )
    assert folder.judge(spec) == folder.judge(spec)


def test_missing_items_warn_when_a_folder_could_not_be_listed(tmp_path):
    from annexa.model import FileError

    spec = spec_from(tmp_path, SEF)
    folder = Folder()
    report = evaluate(
        spec,
        folder.files,
        folder.facts,
        AS_OF,
        errors=[
            FileError(
                "Leadership",
                "folder cannot be listed: permission denied",
                FailureKind.PERMISSION,
                folder=True,
            )
        ],
    )
    assert report.items[0].status is Status.MISSING
    assert report.notices == (
        "Some folders could not be listed (Leadership): items reported missing may be in them.",
    )
