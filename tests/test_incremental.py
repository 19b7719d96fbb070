"""Work done once: the pattern index, memoised judgement, and watch's one-file refresh.

Each shortcut must give exactly the answer of doing the work again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annexa.finding.globs import GlobError, compile_glob
from annexa.finding.literal_index import build_index, required_literals
from annexa.judging.items import evaluate
from annexa.model import Facts, FileEntry, Status, TextBlock
from annexa.model.durations import Duration
from annexa.pipeline import Scanner
from annexa.reading.read import read_facts
from annexa.spec import load_spec
from annexa.spec.rules import DatingOptions, ItemRule, Spec
from tests.makedocs import make_docx, make_pdf

AS_OF = dt.date(2015, 9, 16)


def rule(item_id: str, *patterns: str, formats: Sequence[str] = ("pdf", "docx")) -> ItemRule:
    return ItemRule(
        id=item_id,
        title=item_id,
        patterns=tuple(patterns),
        matchers=tuple(compile_glob(p) for p in patterns),
        formats=frozenset(formats),
        max_age=Duration(12, "months"),
        due_soon=Duration(30, "days"),
        dating=DatingOptions(),
    )


def brute_force(rules: Sequence[ItemRule], path: str) -> tuple[str, ...]:
    return tuple(r.id for r in rules if any(m.match(path) for m in r.matchers))


# -- the pattern index ----------------------------------------------------------


def test_a_pattern_needs_the_literal_text_between_its_wildcards():
    assert required_literals("**/*IRO*annual*") == ["iro", "annual"]
    assert required_literals("Leadership/**/SEF?2015.pdf") == ["leadership", "sef", "2015.pdf"]
    assert required_literals("**/*list[!0-9]7*") == ["list", "7"]
    assert required_literals("**/*[]x]*report*") == ["report"]


def test_non_ascii_letters_end_a_literal_because_case_rules_differ_there():
    # "ſ" (long s) matches "s" when case is ignored; the literal must not demand "ſelf".
    assert required_literals("**/*ſelf*") == ["elf"]


def test_the_index_finds_what_trying_every_pattern_finds_on_council_names():
    rules = [
        rule("A1", "**/*self*eval*", "**/SEF*"),
        rule("A2", "**/*structure*"),
        rule("A7", "**/*IRO*annual*"),
        rule("L7", "**/*list*7*", "**/*annex*a*"),
        rule("Z", "**/*"),
        rule("Q", "Leadership/**/??.pdf"),
    ]
    index = build_index(rules)
    paths = [
        "Leadership/Self Evaluation 2015.pdf",
        "SEF draft.docx",
        "Structure chart.pdf",
        "Reports/IRO Annual Report 2014-15.pdf",
        "Data/Annex A List 7.pdf",
        "Leadership/x/AB.pdf",
        "notes.pdf",
        "Leadership/ſelf evaluation.pdf",
        "Leadership/SELF EVAL.pdf",
    ]
    for path in paths:
        assert index.match(path) == brute_force(rules, path), path


_GLOB_PIECES = st.sampled_from(
    [
        "*",
        "?",
        "**/",
        "a",
        "b",
        "ab",
        "abc",
        "A",
        "S",
        "s",
        "ſ",
        "K",
        "k",
        "é",
        ".",
        "[ab]",
        "[!a]",
        "x/",
        "-",
    ]
)
_PATH_PIECES = st.sampled_from(
    ["a", "b", "c", "A", "B", "S", "s", "ſ", "K", "k", "é", ".", "/", "x", "abc", "ABC", "-"]
)


@settings(max_examples=400, deadline=None)
@given(
    patterns=st.lists(
        st.lists(_GLOB_PIECES, min_size=1, max_size=8).map("".join), min_size=1, max_size=6
    ),
    paths=st.lists(
        st.lists(_PATH_PIECES, min_size=1, max_size=12).map("".join), min_size=1, max_size=10
    ),
)
def test_the_index_answers_exactly_as_trying_every_pattern(patterns, paths):
    rules = []
    for number, pattern in enumerate(patterns):
        try:
            rules.append(rule(f"R{number}", pattern))
        except GlobError:
            continue
    index = build_index(rules)
    for path in paths:
        path = path.strip("/").replace("//", "/") or "a"
        assert index.match(path) == brute_force(rules, path), (patterns, path)


def test_match_items_keeps_spec_order_and_checks_the_extension(tmp_path):
    (tmp_path / "spec.toml").write_text(
        '[spec]\nname = "t"\n'
        '[[item]]\nid = "B"\ntitle = "b"\npatterns = ["**/*plan*"]\n'
        '[[item]]\nid = "A"\ntitle = "a"\npatterns = ["**/*strategy*"]\n'
        '[[item]]\nid = "L"\ntitle = "l"\npatterns = ["**/*plan*"]\nformats = ["xlsx"]\n',
        encoding="utf-8",
    )
    spec = load_spec(tmp_path / "spec.toml")
    assert spec.items_matching("Strategy and plan.pdf") == ("B", "A")
    assert spec.items_matching("Strategy and plan.xlsx") == ("L",)
    assert spec.items_matching("Strategy and plan.txt") == ()
    assert spec.items_matching("plan") == ()


# -- memoised judgement -----------------------------------------------------------------


def _facts(entry: FileEntry, text: str) -> Facts:
    return Facts(
        entry.path, entry.size, entry.mtime_ns, "pdf", blocks=(TextBlock("body", 1, text),)
    )


def test_evaluating_again_with_new_facts_for_the_same_file_judges_them_afresh():
    spec = _spec_of(rule("A1", "**/*policy*"))
    entry = FileEntry("policy.pdf", 100, 1_400_000_000_000_000_000)
    files = {entry.path: entry}
    old = evaluate(spec, files, {entry.path: _facts(entry, "Date approved: 1 March 2013")}, AS_OF)
    new = evaluate(spec, files, {entry.path: _facts(entry, "Date approved: 1 March 2015")}, AS_OF)
    assert old.items[0].status is Status.OUT_OF_DATE
    assert new.items[0].status is Status.OK
    assert new.items[0].date == dt.date(2015, 3, 1)


def test_evaluating_again_on_a_later_day_judges_on_that_day():
    spec = _spec_of(rule("A1", "**/*policy*"))
    entry = FileEntry("policy.pdf", 100, 1_400_000_000_000_000_000)
    facts = {entry.path: _facts(entry, "Date approved: 1 March 2015")}
    files = {entry.path: entry}
    assert evaluate(spec, files, facts, AS_OF).items[0].status is Status.OK
    later = evaluate(spec, files, facts, dt.date(2016, 4, 1))
    assert later.items[0].status is Status.OUT_OF_DATE


def _spec_of(*rules: ItemRule) -> Spec:
    return Spec(name="t", version=None, source="test", items=tuple(rules))


# -- watch: one saved file is read and judged alone -------------------------------------------


class CountingExtractor:
    def __init__(self) -> None:
        self.read: list[str] = []

    def extract(
        self,
        root: Path,
        entries: Sequence[FileEntry],
        *,
        on_done: Callable[[Facts], None] | None = None,
    ) -> dict[str, Facts]:
        out = {}
        for entry in entries:
            self.read.append(entry.path)
            out[entry.path] = read_facts(Path(root), entry)
            if on_done is not None:
                on_done(out[entry.path])
        return out

    def close(self) -> None:
        pass


def test_a_saved_document_is_read_again_alone(tmp_path):
    root = tmp_path / "share"
    make_pdf(root / "Self evaluation.pdf", ["Date approved: 12 March 2014"])
    make_docx(root / "Structure chart.docx", ["Date: 1 July 2015"])
    (root / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "spec.toml").write_text(
        '[spec]\nname = "t"\n'
        '[[item]]\nid = "A1"\ntitle = "SEF"\npatterns = ["**/*self*eval*"]\n'
        '[[item]]\nid = "A2"\ntitle = "Chart"\npatterns = ["**/*structure*"]\n',
        encoding="utf-8",
    )
    extractor = CountingExtractor()
    scanner = Scanner(root, load_spec(tmp_path / "spec.toml"), extractor=extractor)
    scanner.full_scan()
    assert scanner.report(AS_OF).items[0].status is Status.OUT_OF_DATE
    extractor.read.clear()

    make_pdf(root / "Self evaluation.pdf", ["Date approved: 12 March 2015"])
    delta = scanner.refresh(["Self evaluation.pdf", "Structure chart.docx", "notes.txt"])
    assert delta.changed == ["Self evaluation.pdf"]
    assert extractor.read == ["Self evaluation.pdf"]
    report = scanner.report(AS_OF)
    assert report.items[0].status is Status.OK
    assert report.items[0].date == dt.date(2015, 3, 12)

    extractor.read.clear()
    assert not scanner.refresh(["Structure chart.docx"])
    assert extractor.read == []


def test_the_next_file_is_handed_to_a_reader_before_on_done_runs(tmp_path):
    """on_done (dating, storing in the cache) runs while the worker reads the next file."""
    from annexa.reading.pool import WorkerPoolExtractor

    for number in range(3):
        (tmp_path / f"{number}.csv").write_text("Date approved,12/03/2015\n", encoding="utf-8")
    entries = [FileEntry(f"{n}.csv", (tmp_path / f"{n}.csv").stat().st_size, n) for n in range(3)]
    pool = WorkerPoolExtractor(workers=1)
    busy_during_on_done: list[bool] = []

    def on_done(facts: Facts) -> None:
        busy_during_on_done.append(any(w.entry is not None for w in pool._workers))

    try:
        found = pool.extract(tmp_path, entries, on_done=on_done)
    finally:
        pool.close()
    assert sorted(found) == ["0.csv", "1.csv", "2.csv"]
    assert busy_during_on_done == [True, True, False]  # the last has nothing after it


# -- reading ahead: dating and hashing in the reader processes --------------------------------


def test_readers_date_and_hash_ahead_so_the_main_process_does_neither(tmp_path, monkeypatch):
    import annexa.judging.memo
    from annexa.cache.store import open_cache
    from annexa.pipeline import scan

    root = tmp_path / "share"
    make_pdf(root / "Self evaluation.pdf", ["Date approved: 12 March 2015"])
    make_docx(root / "Structure chart.docx", ["Date: 1 July 2015"])
    (tmp_path / "spec.toml").write_text(
        '[spec]\nname = "t"\n'
        '[[item]]\nid = "A1"\ntitle = "SEF"\npatterns = ["**/*self*eval*"]\n'
        '[[item]]\nid = "A2"\ntitle = "Chart"\npatterns = ["**/*structure*"]\n',
        encoding="utf-8",
    )
    spec = load_spec(tmp_path / "spec.toml")
    expected = scan(root, spec, AS_OF, extractor=CountingExtractor()).to_dict()

    parent_dating: list[str] = []
    real = annexa.judging.memo.read_dates
    monkeypatch.setattr(
        annexa.judging.memo,
        "read_dates",
        lambda f, p, o, m: parent_dating.append(p) or real(f, p, o, m),
    )
    cache = open_cache(tmp_path / "cache")
    scanner = Scanner(root, spec, cache=cache)  # its own reader processes
    try:
        scanner.full_scan()
        report = scanner.report(AS_OF)
    finally:
        scanner.close()
    assert parent_dating == []
    assert cache.stats.digests_given == 2 and cache.stats.hashed == 0
    assert {type(f) for f in scanner.facts.values()} == {Facts}
    assert report.to_dict() == expected


def test_read_ahead_gives_the_facts_read_facts_gives(tmp_path):
    from annexa.reading.worker_job import ReadAhead, read_ahead

    make_pdf(tmp_path / "a.pdf", ["Date approved: 12 March 2015"])
    st = (tmp_path / "a.pdf").stat()
    entry = FileEntry("a.pdf", st.st_size, st.st_mtime_ns)
    ahead = read_ahead(tmp_path, entry, (DatingOptions(),))
    assert isinstance(ahead, ReadAhead)
    assert ahead.plain() == read_facts(tmp_path, entry)
    assert ahead.dates[0][1].issue[0].value == dt.date(2015, 3, 12)
    assert ahead.digest is not None
