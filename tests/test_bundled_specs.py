"""The specs that ship with annexa: they load, hold Annex A's items, and find real file names.

The name tables below are file names councils actually give these documents.
Each name must land on exactly the items listed for it, and every pattern of
a bundled spec must find at least one of them: a pattern nobody's file would
match is dead weight, and two items claiming one everyday name would make a
council's report contradict itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annexa.model.durations import Duration
from annexa.spec import bundled_spec_names, load_spec
from annexa.spec.catalogue import init_text, list_bundled

# ---------------------------------------------------------------------------
# The ILACS document spec
# ---------------------------------------------------------------------------

# Annex A's "typical document library", in the ids the spec gives them,
# with the default rule the table sets: (title, max_age or period).
ILACS_ITEMS = {
    "A1": ("Self-evaluation of social work practice", "12 months"),
    "A2": ("Children's services structure chart", "3 months"),
    "A3": ("Key contacts and senior leaders list", "3 months"),
    "A4": ("Performance scorecard and management information", "2 months"),
    "A5": ("Quality assurance framework", "24 months"),
    "A6": ("Case audit summaries", "3 months"),
    "A7": ("Independent reviewing officer (IRO) annual report", "financial-year"),
    "A8": ("Safeguarding partnership (LSCB) annual report", "financial-year"),
    "A9": ("LADO annual report", "financial-year"),
    "A10": ("Virtual School Head annual report", "academic-year"),
    "A11": ("Private fostering annual report", "financial-year"),
    "A12": ("Complaints annual report (children's social care)", "financial-year"),
    "A13": ("Workforce data (caseloads, vacancies, agency staff)", "3 months"),
    "A14": ("Improvement plan or action plan", "6 months"),
    "A15": ("Fostering service statement of purpose", "12 months"),
    "A16": ("Adoption agency statement of purpose or agency report", "12 months"),
    "A17": ("Placement sufficiency strategy", "12 months"),
    "A18": ("Corporate parenting strategy", "12 months"),
    "A19": ("Care leavers' local offer", "12 months"),
    "A20": ("Early help strategy", "12 months"),
    "A21": ("Exploitation and missing strategy or protocol", "24 months"),
    "A22": ("Threshold document (continuum of need)", "24 months"),
    "A23": ("External or peer review reports", "12 months"),
    "A24": ("Last inspection or focused visit letter", "4 years"),
}

# Real-world names (with their folders, as found on council shares) -> the
# items they must match, and only those.
ILACS_NAMES: dict[str, tuple[str, ...]] = {
    # A1 self-evaluation
    "01 Leadership/Self-evaluation of social work practice - July 2015.docx": ("A1",),
    "Annex A/SEF June 2014.pdf": ("A1",),
    "ILACS SEF 2019.docx": ("A1",),
    "Self Assessment - Childrens Social Care 2023.pdf": ("A1",),
    "SEF.pdf": ("A1",),
    # A2 structure chart
    "Children's Services structure chart - July 2015.pdf": ("A2",),
    "CSC Org Chart Sept 2023.pdf": ("A2",),
    "Organisational structure - Children and Families.pdf": ("A2",),
    "Staffing structure Sept 2023.docx": ("A2",),
    "Senior management structure.pdf": ("A2",),
    "Early help service structure.pdf": ("A2",),
    # A3 key contacts
    "Key contacts for inspectors.docx": ("A3",),
    "Senior leaders contact list.docx": ("A3",),
    "Inspection contact details.docx": ("A3",),
    "Who's who in Children's Services.pdf": ("A3",),
    "Senior leaders list - Sept 2023.pdf": ("A3",),
    "Senior managers list.docx": ("A3",),
    # A4 performance
    "Performance scorecard - August 2015.pdf": ("A4",),
    "Childrens Services Score Card Q1.xlsx": ("A4",),
    "Monthly performance report August 2023.pdf": ("A4",),
    "Performance data - July 2023.xlsx": ("A4",),
    "CSC Performance Pack Aug 2023.pdf": ("A4",),
    "Performance digest Q2.pdf": ("A4",),
    "Performance summary for Ofsted.docx": ("A4",),
    "Performance dashboard.xlsx": ("A4",),
    "Management information - August 2023.pdf": ("A4",),
    "MI report Aug 2023.pdf": ("A4",),
    "CSC MI pack.xlsx": ("A4",),
    # A5 QA framework
    "QA Framework 2022.pdf": ("A5",),
    "Quality Assurance Framework.docx": ("A5",),
    "Practice Quality Framework v3.pdf": ("A5",),
    "Quality assurance strategy.docx": ("A5",),
    "Quality Assurance Policy.pdf": ("A5",),
    # A6 audits
    "Audits/Case audit summary - August 2015.pdf": ("A6",),
    "Audit summaries Q1 2023-24.docx": ("A6",),
    "Multi-agency audit report - neglect.pdf": ("A6",),
    "Audit findings July 2023.pdf": ("A6",),
    "Thematic audit - domestic abuse.docx": ("A6",),
    # A7 IRO
    "Annual reports/2013-14/IRO Annual Report 2013-14.pdf": ("A7",),
    "Borsetshire IRO report 2022-23.pdf": ("A7",),
    "Annual Report of the IRO Service 2014-15.pdf": ("A7",),
    "IRO Service Annual Review 2014-15.docx": ("A7",),
    "2014-15 IRO annual report.pdf": ("A7",),
    "Independent Reviewing Officers Annual Report 2014-15.pdf": ("A7",),
    "Independent Reviewing Service annual report.pdf": ("A7",),
    "Annual report - Independent Reviewing Officers 2014-15.pdf": ("A7",),
    # A8 safeguarding partnership
    "Borsetshire LSCB Annual Report 2014-15.pdf": ("A8",),
    "Annual Report of the LSCB 2014-15.pdf": ("A8",),
    "LSCP Annual Report 2019-20.pdf": ("A8",),
    "LSCP Yearly Report 2021-22.pdf": ("A8",),
    "Annual report of Borsetshire LSCP 2020.pdf": ("A8",),
    "Safeguarding Children Board Annual Report 2016-17.pdf": ("A8",),
    "Local Safeguarding Children Partnership yearly report 2022-23.pdf": ("A8",),
    "Annual Report of the Local Safeguarding Children Board 2014-15.pdf": ("A8",),
    "Safeguarding Partnership Annual Report 2020-21.pdf": ("A8",),
    "Borsetshire Safeguarding Partnership Yearly Report 2022-23.pdf": ("A8",),
    "MASA annual report 2021-22.pdf": ("A8",),
    "MASA yearly report 2022-23.docx": ("A8",),
    "Multi-agency safeguarding arrangements report 2022-23.pdf": ("A8",),
    # A9 LADO
    "LADO Annual Report 2012-13.docx": ("A9",),
    "LADO report 2014-15.pdf": ("A9",),
    "Annual report of the LADO 2014-15.pdf": ("A9",),
    "Designated Officer report 2022-23.pdf": ("A9",),
    "Local Authority Designated Officer annual report 2014-15.pdf": ("A9",),
    "Annual report - Local Authority Designated Officer 2014-15.docx": ("A9",),
    "Allegations Annual Report 2014-15.pdf": ("A9",),
    "Managing allegations report 2022-23.pdf": ("A9",),
    # A10 virtual school
    "Virtual School Head Annual Report 2013-14.pdf": ("A10",),
    "Virtual School Headteacher's Report 2014-15.docx": ("A10",),
    "Annual Report of the Virtual School 2014-15.pdf": ("A10",),
    "VSH report 2022-23.pdf": ("A10",),
    "VSH Annual Report 2021-22.docx": ("A10",),
    "Annual report VSH 2014-15.pdf": ("A10",),
    # A11 private fostering
    "Private Fostering Annual Report 2014-15.pdf": ("A11",),
    "Private fostering report 2014-15.docx": ("A11",),
    "Annual report on private fostering 2014-15.pdf": ("A11",),
    "Private fostering annual report to the LSCB 2014-15.pdf": ("A11",),
    # A12 complaints
    "Children's Social Care Complaints Annual Report 2014-15 DRAFT v0.3.docx": ("A12",),
    "Complaints report 2014-15.pdf": ("A12",),
    "Annual report - complaints and representations 2014-15.pdf": ("A12",),
    "Representations and complaints annual report 2014-15.pdf": ("A12",),
    "Comments compliments and complaints annual report 2014-15.pdf": ("A12",),
    "Representations report 2014-15.pdf": ("A12",),
    # A13 workforce
    "Workforce data - August 2015.pdf": ("A13",),
    "Workforce report Q1.xlsx": ("A13",),
    "Social work workforce profile.pdf": ("A13",),
    "Workforce dashboard August 2023.xlsx": ("A13",),
    "Workforce information for Ofsted.docx": ("A13",),
    "Workforce summary.pdf": ("A13",),
    "Caseloads by team - August 2023.xlsx": ("A13",),
    "Vacancy and agency report.xlsx": ("A13",),
    "Vacancies August 2023.pdf": ("A13",),
    "Agency staff numbers.xlsx": ("A13",),
    "Agency worker tracker.xlsx": ("A13",),
    "Staffing report Sept 2023.docx": ("A13",),
    "Staffing data Q2.xlsx": ("A13",),
    # A14 improvement plan
    "Children's Services Improvement Plan 2015-16.pdf": ("A14",),
    "Improvement programme highlight report.pdf": ("A14",),
    "Practice improvement action tracker.docx": ("A14",),
    "Post inspection action plan.docx": ("A14",),
    "Ofsted action plan - Sept 2023.docx": ("A14",),
    "Service action plan 2023-24.docx": ("A14",),
    # A15 fostering statement of purpose
    "Fostering Service Statement of Purpose 2015.pdf": ("A15",),
    "Statement of purpose - fostering service.docx": ("A15",),
    "Fostering/Statement of Purpose 2023.pdf": ("A15",),
    # A16 adoption statement of purpose or agency report
    "Adoption Agency Statement of Purpose.docx": ("A16",),
    "Statement of Purpose - Adoption 2023.pdf": ("A16",),
    "Adoption/Statement of purpose.docx": ("A16",),
    "Adoption agency report April to September 2023.pdf": ("A16",),
    "Adoption agency annual report 2022-23.pdf": ("A16",),
    "Adoption service report.docx": ("A16",),
    # A17 sufficiency
    "Placement Sufficiency Strategy 2012-2015.pdf": ("A17",),
    "Sufficiency Strategy 2022-2025.pdf": ("A17",),
    "Looked After Children Sufficiency Statement.docx": ("A17",),
    # A18 corporate parenting
    "Corporate Parenting Strategy 2015-2018.pdf": ("A18",),
    "Corporate parenting plan 2022-25.docx": ("A18",),
    "Our Corporate Parenting Pledge.pdf": ("A18",),
    # A19 care leavers' local offer
    "Care Leavers Local Offer.pdf": ("A19",),
    "Care leavers offer 2023.pdf": ("A19",),
    "Leaving care offer.docx": ("A19",),
    # A20 early help strategy
    "Early Help Strategy 2014-2017.docx": ("A20",),
    "Early help and prevention strategy 2022-2025.pdf": ("A20",),
    "Early Intervention Strategy.pdf": ("A20",),
    # A21 exploitation and missing
    "CSE and Missing Protocol.pdf": ("A21",),
    "Child Exploitation Strategy 2022-2025.pdf": ("A21",),
    "Exploitation protocol.docx": ("A21",),
    "Exploitation and missing strategy 2023.pdf": ("A21",),
    "Missing and exploitation procedures.docx": ("A21",),
    "Missing children strategy.pdf": ("A21",),
    "Missing Children Protocol.docx": ("A21",),
    "Missing from home and care procedure.docx": ("A21",),
    "Children missing from home - joint protocol.pdf": ("A21",),
    "Children missing from care.pdf": ("A21",),
    "CSE strategy 2014.pdf": ("A21",),
    "Borsetshire CSE strategy.docx": ("A21",),
    "CSE protocol.pdf": ("A21",),
    "Pan-Borsetshire CSE protocol.pdf": ("A21",),
    # A22 threshold
    "Continuum of Need - Early Help Toolkit.pdf": ("A22",),
    "Threshold document 2022.pdf": ("A22",),
    "Levels of Need guidance.docx": ("A22",),
    "Early Help Toolkit.pdf": ("A22",),
    "Right Help Right Time.pdf": ("A22",),
    # A23 external review
    "LGA Safeguarding Peer Review - November 2013.pdf": ("A23",),
    "Peer challenge letter.pdf": ("A23",),
    "External review of the front door.pdf": ("A23",),
    "Diagnostic review report.pdf": ("A23",),
    # A24 last inspection
    "Ofsted inspection report - March 2012.pdf": ("A24",),
    "Ofsted letter - focused visit.pdf": ("A24",),
    "Inspection letter 2022.pdf": ("A24",),
    "ILACS inspection report 2019.pdf": ("A24",),
    "Inspection findings.pdf": ("A24",),
    "Focused visit 2021.pdf": ("A24",),
    "Monitoring visit letter 2020.pdf": ("A24",),
    # Everyday files and near misses that belong to no document item.
    "Team away day notes.docx": (),
    "LSCB Board minutes 2015-07-14.docx": (),
    "IRO handbook.pdf": (),
    "Environment strategy.pdf": (),
    "LADO referral form.docx": (),
    "Virtual School PEP guidance.pdf": (),
    "Fostering Service Annual Report 2014-15.pdf": (),
    "Adult Social Care Local Account.pdf": (),
    "Self-evaluation of social work practice.xlsx": (),  # not a document format
    "Performance scorecard.csv": (),
}

# ---------------------------------------------------------------------------
# The data lists spec
# ---------------------------------------------------------------------------

COMMON_COLUMNS = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
LIST_TITLES = {
    1: "Contacts",
    2: "Early help",
    3: "Referrals",
    4: "Assessments",
    5: "Section 47 enquiries and ICPCs",
    6: "Children in need",
    7: "Child protection",
    8: "Children in care",
    9: "Care leavers",
    10: "Adoption",
    11: "Adopters",
}
ALL_LISTS = tuple(f"L{n}" for n in range(1, 12))

LIST_NAMES: dict[str, tuple[str, ...]] = {
    # Whole workbooks after Ofsted's template: every list, the sheet check decides.
    "Annex A/Annex A 2015-09-16.xlsx": ALL_LISTS,
    "Annex_A_child_level_data.xlsm": ALL_LISTS,
    "AnnexA.xlsx": ALL_LISTS,
    "AnnexA_lists_Sept2015.xlsm": ALL_LISTS,
    "ILACS Annex A.xlsm": ALL_LISTS,
    "Child level data lists 2015-09-16.xlsx": ALL_LISTS,
    # One file per list, in each way SQL extracts and people number them.
    **{
        name: (f"L{n}",)
        for n, title in LIST_TITLES.items()
        for name in (
            f"Annex A lists/List {n} {title}.csv",
            f"List_{n}.xlsx",
            f"List-{n} - 2015-09-16.csv",
            f"list{n}.csv",
            *((f"List 0{n} - {title}.csv", f"list0{n}.xlsm") if n < 10 else ()),
        )
    },
    # Not data lists: a PDF of a list, another annex, a checklist workbook.
    "List 7 Child protection.pdf": (),
    "Annex B data.xlsx": (),
    "Annex A guidance.csv": (),
}


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", bundled_spec_names())
def test_every_bundled_spec_loads_without_error(name: str) -> None:
    spec = load_spec(name)
    assert spec.items
    assert spec.version
    assert spec.source == name


def test_annexa_ships_the_documents_spec_and_the_data_lists_spec() -> None:
    assert {"ilacs", "ilacs-lists"} <= set(bundled_spec_names())


def test_ilacs_spec_has_every_document_of_annex_a_with_its_default_rule() -> None:
    spec = load_spec("ilacs")
    found = {}
    for rule in spec.items:
        found[rule.id] = (rule.title, rule.period or str(rule.max_age))
    assert found == ILACS_ITEMS


def test_ilacs_annual_reports_are_expected_six_months_after_their_year() -> None:
    spec = load_spec("ilacs")
    for rule in spec.items:
        if rule.period:
            assert rule.grace == Duration(6, "months"), rule.id
            assert rule.section == "Statutory annual reports", rule.id


def test_ilacs_external_scrutiny_items_are_optional_and_the_rest_required() -> None:
    spec = load_spec("ilacs")
    optional = {rule.id for rule in spec.items if not rule.required}
    assert optional == {"A23", "A24"}


def test_ilacs_items_have_a_section_and_an_owner_to_chase() -> None:
    for rule in load_spec("ilacs").items:
        assert rule.section, rule.id
        assert rule.owner, rule.id


def test_ilacs_reads_uk_dates_and_ends_plan_periods_in_march() -> None:
    for rule in load_spec("ilacs").items:
        assert rule.dating.date_order == "DMY"
        assert rule.dating.year_end == "march"
        assert rule.dating.date_sources == ("content", "filename", "metadata")
        assert "draft" in rule.dating.draft_markers


def test_ambiguous_ilacs_names_need_keywords_in_the_text() -> None:
    spec = load_spec("ilacs")
    assert "placement" in spec.item("A17").keywords  # not school place sufficiency
    assert "care leaver" in spec.item("A19").keywords  # not the SEND local offer
    assert "children" in spec.item("A12").keywords  # not adult social care complaints


@pytest.mark.parametrize("path, expected", sorted(ILACS_NAMES.items()))
def test_ilacs_patterns_send_a_real_file_name_to_its_item_only(
    path: str, expected: tuple[str, ...]
) -> None:
    spec = load_spec("ilacs")
    assert spec.items_matching(path) == expected


def test_every_ilacs_pattern_finds_at_least_one_real_file_name() -> None:
    _assert_every_pattern_used("ilacs", ILACS_NAMES)


def test_ilacs_lists_spec_has_the_eleven_lists_with_titles() -> None:
    spec = load_spec("ilacs-lists")
    assert [rule.id for rule in spec.items] == list(ALL_LISTS)
    for number, title in LIST_TITLES.items():
        rule = spec.item(f"L{number}")
        assert rule.title == f"List {number}: {title}"
        assert rule.sheet == f"List {number}"


def test_data_lists_are_spreadsheets_no_older_than_the_wednesday_before() -> None:
    for rule in load_spec("ilacs-lists").items:
        assert rule.formats == frozenset({"xlsx", "xlsm", "csv"})
        assert rule.max_age == Duration(5, "days")
        assert rule.due_soon == Duration(0, "days")
        assert rule.dating.date_sources == ("content", "filename", "metadata")


def test_every_child_list_has_the_childs_details_but_adopters_do_not() -> None:
    spec = load_spec("ilacs-lists")
    for number in range(1, 11):
        assert set(COMMON_COLUMNS) <= set(spec.item(f"L{number}").columns)
    adopters = spec.item("L11").columns
    assert "Individual adopter identifier" in adopters
    assert "Child Unique ID" not in adopters


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "ANNEX-A-LISTS.md"


def _reference_headings() -> dict[int, list[str]]:
    """List number -> its headings, from the reference table of ANNEX-A-LISTS.md."""
    lists: dict[int, list[str]] = {}
    current = 0
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        found = re.match(r"## List (\d+) ", line)
        if found:
            current = int(found.group(1))
            lists[current] = []
        elif current and re.match(r"\| \d+ \| ", line):
            lists[current].append(line.split(" | ")[1].strip())
    return lists


@pytest.mark.skipif(
    not REFERENCE.is_file(), reason="shared/ANNEX-A-LISTS.md is not beside the project"
)
def test_each_list_has_every_heading_of_ofsteds_template_in_its_order() -> None:
    spec = load_spec("ilacs-lists")
    reference = _reference_headings()
    assert sorted(reference) == list(range(1, 12))
    for number, headings in reference.items():
        assert list(spec.item(f"L{number}").columns) == headings, f"List {number}"


def test_the_previous_template_is_chosen_by_a_spec_key_and_differs_in_list_9_only(
    tmp_path: Path,
) -> None:
    current = load_spec("ilacs-lists")
    path = tmp_path / "previous.toml"
    path.write_text('[spec]\nextends = "ilacs-lists"\n\n[defaults]\ntemplate = "previous"\n')
    previous = load_spec(path)
    for rule in current.items:
        if rule.id != "L9":
            assert previous.item(rule.id).columns == rule.columns
    added = set(current.item("L9").columns) - set(previous.item("L9").columns)
    assert added == {
        "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
        "Allocated Personal Advisor",
        "Latest Pathway Plan Review Date",
        "Latest Date of Contact",
    }
    assert len(current.item("L9").columns) == len(previous.item("L9").columns) + 4


def test_list_specific_columns_are_those_of_ofsteds_template() -> None:
    spec = load_spec("ilacs-lists")
    assert {"Date of Contact", "Contact Source"} <= set(spec.item("L1").columns)
    assert "Referral NFA?" in spec.item("L3").columns
    assert "Date of the Last Statutory Visit" in spec.item("L7").columns
    assert "Suitability of Accommodation" in spec.item("L9").columns


@pytest.mark.parametrize("path, expected", sorted(LIST_NAMES.items()))
def test_list_patterns_keep_list_1_apart_from_lists_10_and_11(
    path: str, expected: tuple[str, ...]
) -> None:
    spec = load_spec("ilacs-lists")
    assert spec.items_matching(path) == expected


def test_every_data_list_pattern_finds_at_least_one_real_file_name() -> None:
    _assert_every_pattern_used("ilacs-lists", LIST_NAMES)


def test_list_bundled_reports_name_title_version_and_item_count() -> None:
    listed = {entry.name: entry for entry in list_bundled()}
    assert set(listed) == set(bundled_spec_names())
    ilacs = listed["ilacs"]
    assert ilacs.title == "Ofsted ILACS Annex A documents"
    assert ilacs.version == load_spec("ilacs").version
    assert ilacs.items == len(ILACS_ITEMS)
    assert listed["ilacs-lists"].items == 11
    assert ilacs.path.name == "ilacs.toml" and ilacs.path.is_file()


@pytest.mark.parametrize("name", bundled_spec_names())
def test_spec_init_text_loads_as_a_users_annexa_toml(name: str, tmp_path) -> None:
    path = tmp_path / "annexa.toml"
    path.write_text(init_text(name), encoding="utf-8")
    spec = load_spec(path)
    assert [rule.id for rule in spec.items] == [rule.id for rule in load_spec(name).items]
    assert f'extends = "{name}"' in init_text(name)


@pytest.mark.parametrize("name", bundled_spec_names())
def test_every_example_in_spec_init_text_loads_once_uncommented(name: str, tmp_path) -> None:
    toml_line = re.compile(r'^# ((\[\[?\w+\]\]?)|(\w+ = .*)|( {4}".*",)|(\]))$')
    lines = [
        toml_line.sub(r"\1", line) if toml_line.match(line) else line
        for line in init_text(name).splitlines()
    ]
    uncommented = "\n".join(lines)
    assert "[[waiver]]\n" in uncommented and "exclude = [" in uncommented
    path = tmp_path / "annexa.toml"
    path.write_text(uncommented, encoding="utf-8")
    spec = load_spec(path)
    base = load_spec(name)
    assert len(spec.items) == len(base.items)  # one excluded, one added
    assert "X1" in {rule.id for rule in spec.items}
    assert len(spec.waivers) == 1
    first = spec.item(base.items[0].id)
    assert first.owner == "Jo Smith, Head of Quality Assurance"
    assert first.max_age != base.items[0].max_age


def test_spec_init_of_an_unknown_name_is_refused() -> None:
    with pytest.raises(KeyError):
        init_text("no-such-spec")


def _assert_every_pattern_used(name: str, table: dict[str, tuple[str, ...]]) -> None:
    spec = load_spec(name)
    unused = []
    for rule in spec.items:
        for pattern, matcher in zip(rule.patterns, rule.matchers, strict=True):
            if not any(rule.matches(path) and matcher.match(path) for path in table):
                unused.append(f"{rule.id}: {pattern}")
    assert unused == []
