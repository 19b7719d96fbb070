"""The calendar: an iCalendar file that calendar programs read, and read the same way twice.

Parsed with the ``icalendar`` library (what Python calendar tools use), and,
where Debian's ``khal`` is installed, imported into a real calendar twice to
show that a second import updates events instead of adding copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest

from annexa.formats.ics import event_uid, fold, render
from annexa.model import Report
from annexa.pipeline import scan
from annexa.spec import load_spec
from tests.golden.fixture_report import HOSTILE_HTML, HOSTILE_MARKUP, fixture_report

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"
DEMO_AS_OF = dt.date.fromisoformat(
    (PROJECT / "fixtures" / "demo-authority.as-of").read_text(encoding="utf-8").strip()
)


@pytest.fixture(scope="module")
def demo() -> Report:
    return scan(DEMO, load_spec(DEMO / "annexa.toml"), DEMO_AS_OF)


def _events(text: str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text.encode("utf-8"))
    return list(calendar.walk("VEVENT"))


def test_demo_calendar_has_one_all_day_event_per_dated_item(demo: Report) -> None:
    events = _events(render(demo))
    dated = {item.id: item.expires for item in demo.items if item.expires is not None}
    assert len(dated) == 22  # the demo's undated and missing items have no date to show
    starts = {str(e["SUMMARY"]).split(" ", 1)[0]: e.decoded("DTSTART") for e in events}
    assert starts == dated
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)


def test_summary_names_the_item_and_what_happens(demo: Report) -> None:
    summaries = {str(e["SUMMARY"]) for e in _events(render(demo))}
    assert "A2 Children's services structure chart goes out of date" in summaries
    assert "A7 Independent reviewing officer (IRO) annual report falls due" in summaries
    assert "A23 External or peer review reports (optional) goes out of date" in summaries


def test_description_says_what_to_do_the_file_and_the_owner(demo: Report) -> None:
    (a2,) = [e for e in _events(render(demo)) if str(e["SUMMARY"]).startswith("A2 ")]
    lines = str(a2["DESCRIPTION"]).split("\n")
    assert lines[0] == "Last day in date: 1 October 2015."
    assert lines[1] == (
        "What to do: Review Children's Services structure chart - July 2015.pdf and upload "
        "the new version by 1 October 2015."
    )
    assert (
        "File: 01 Leadership/Structure charts/Children's Services structure chart - July 2015.pdf"
        in lines
    )
    assert "Owner: Business Support Manager" in lines


def test_an_item_in_date_says_what_will_need_doing(demo: Report) -> None:
    (a1,) = [e for e in _events(render(demo)) if str(e["SUMMARY"]).startswith("A1 ")]
    assert (
        "What to do: Review Self-evaluation of social work practice - July 2015.docx and "
        "upload the new version by 14 July 2016." in str(a1["DESCRIPTION"])
    )


def test_reminder_goes_off_at_nine_on_the_day_the_item_becomes_due_soon(demo: Report) -> None:
    events = {str(e["SUMMARY"]).split(" ", 1)[0]: e for e in _events(render(demo))}
    (alarm,) = events["A2"].walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    # due_soon is 30 days: 30 days before 1 October 2015 is 1 September, at 09:00.
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=29, hours=15)
    fire = dt.datetime(2015, 10, 1) + alarm.decoded("TRIGGER")
    assert fire == dt.datetime(2015, 9, 1, 9, 0)


def test_no_reminder_for_an_event_already_past(demo: Report) -> None:
    events = {str(e["SUMMARY"]).split(" ", 1)[0]: e for e in _events(render(demo))}
    assert events["A17"].decoded("DTSTART") < DEMO_AS_OF
    assert list(events["A17"].walk("VALARM")) == []


def test_reminder_follows_the_items_own_warning_time() -> None:
    from annexa.model.durations import Duration

    report = fixture_report()
    (a1,) = [i for i in report.items if i.id == "A1"]
    weeks = dataclasses.replace(a1, due_soon=Duration(2, "weeks"))
    report = dataclasses.replace(report, items=(weeks,))
    (event,) = _events(render(report))
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=13, hours=15)


def test_uids_are_stable_across_runs_and_as_of_dates(demo: Report) -> None:
    first = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(render(demo))}
    again = scan(DEMO, load_spec(DEMO / "annexa.toml"), DEMO_AS_OF)
    second = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(render(again))}
    assert first == second
    assert len(set(first.values())) == len(first)
    later = scan(DEMO, load_spec(DEMO / "annexa.toml"), DEMO_AS_OF + dt.timedelta(days=40))
    third = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(render(later))}
    assert third == first


def test_uid_names_spec_item_and_what_falls_due_never_the_date() -> None:
    uid = event_uid("Borsetshire Annex A documents", "A2", "expires")
    assert uid == event_uid("Borsetshire Annex A documents", "A2", "expires")
    assert uid != event_uid("Borsetshire Annex A documents", "A3", "expires")
    assert uid != event_uid("Another council", "A2", "expires")
    assert uid.endswith("@annexa")


def test_same_inputs_give_the_same_bytes_and_dtstamp_is_the_as_of_date(demo: Report) -> None:
    text = render(demo)
    assert render(scan(DEMO, load_spec(DEMO / "annexa.toml"), DEMO_AS_OF)) == text
    stamps = {e.decoded("DTSTAMP") for e in _events(text)}
    assert stamps == {dt.datetime(2015, 9, 16, tzinfo=dt.timezone.utc)}


def test_lines_end_crlf_and_fold_at_75_octets() -> None:
    text = render(fixture_report())
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert "\n" not in "".join(lines) and "\r" not in "".join(lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines), "long descriptions are folded"


def test_folding_never_splits_a_utf8_character() -> None:
    line = "SUMMARY:" + "£–’" * 40
    folded = fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")  # each line is whole UTF-8 on its own
    assert folded.replace("\r\n ", "") == line


def test_names_are_plain_text_with_commas_semicolons_and_backslashes_escaped() -> None:
    report = fixture_report()
    (a1,) = [i for i in report.items if i.id == "A1"]
    odd = dataclasses.replace(
        a1,
        title="Self-evaluation; draft, v2 \\ final\nEND:VEVENT",
        file="Leadership/a,b;c\\d.docx",
        owner="Head of QA; Deputy, acting",
    )
    text = render(dataclasses.replace(report, items=(odd,)))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:A1 Self-evaluation\\; draft\\, v2 \\\\ final\\\\nEND:VEVENT goes" in unfolded
    assert text.split("\r\n").count("END:VEVENT") == 1  # a name cannot end the event
    (event,) = _events(text)
    assert str(event["SUMMARY"]).startswith("A1 Self-evaluation; draft, v2 \\ final\\nEND:VEVENT")
    description = str(event["DESCRIPTION"])
    assert "File: Leadership/a,b;c\\d.docx" in description
    assert "Owner: Head of QA; Deputy, acting" in description


def test_hostile_file_names_stay_text_and_no_html_is_written() -> None:
    text = render(fixture_report())
    assert "X-ALT-DESC" not in text and "\x1b" not in text
    descriptions = " ".join(str(e["DESCRIPTION"]) for e in _events(text))
    assert HOSTILE_HTML in descriptions
    assert HOSTILE_MARKUP not in descriptions  # A5 has no date: no event at all


def test_calendar_says_what_it_is_for_outlook() -> None:
    calendar = icalendar.Calendar.from_ical(render(fixture_report()).encode("utf-8"))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Annex A: Ofsted ILACS Annex A documents"
    assert str(calendar["PRODID"]).startswith("-//annexa//")


def test_a_spec_with_no_dated_item_gives_an_empty_but_valid_calendar() -> None:
    report = Report("/srv/share", "Empty spec", "empty.toml", dt.date(2015, 9, 16), ())
    calendar = icalendar.Calendar.from_ical(render(report).encode("utf-8"))
    assert list(calendar.walk("VEVENT")) == []


# -- a real calendar program -------------------------------------------------


def _khal_config(folder: Path) -> Path:
    calendar = folder / "calendar"
    calendar.mkdir()
    config = folder / "khal.conf"
    config.write_text(
        "[calendars]\n[[annexa]]\n"
        f"path = {calendar}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {folder / 'khal.db'}\n",
        encoding="utf-8",
    )
    return config


def _khal(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    khal = shutil.which("khal")
    assert khal is not None
    env = {**os.environ, "TZ": "Europe/London", "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [khal, "-c", str(config), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
        check=False,
    )


@pytest.mark.skipif(
    shutil.which("khal") is None, reason="khal is not installed (apt-get install khal)"
)
def test_khal_imports_the_calendar_and_a_second_import_updates_it(
    demo: Report, tmp_path: Path
) -> None:
    config = _khal_config(tmp_path)
    first = tmp_path / "first.ics"
    first.write_text(render(demo), encoding="utf-8", newline="")
    result = _khal(config, "import", "--batch", "-a", "annexa", str(first))
    assert result.returncode == 0, result.stderr
    stored = sorted((tmp_path / "calendar").iterdir())
    assert len(stored) == 22

    later = scan(DEMO, load_spec(DEMO / "annexa.toml"), DEMO_AS_OF + dt.timedelta(days=20))
    second = tmp_path / "second.ics"
    second.write_text(render(later), encoding="utf-8", newline="")
    result = _khal(config, "import", "--batch", "-a", "annexa", str(second))
    assert result.returncode == 0, result.stderr
    assert sorted((tmp_path / "calendar").iterdir()) == stored  # updated, not duplicated

    listed = _khal(config, "list", "2015-10-01", "1d")
    assert listed.returncode == 0, listed.stderr
    assert "A2 Children's services structure chart goes out of date" in listed.stdout
    assert "Now: out of date" in listed.stdout  # the second import's words replaced the first's
