"""A save is many events: they are gathered until the folder is quiet, 3 s at most."""

from __future__ import annotations

from annexa.watch.debounce import Changes, Debouncer


def test_batch_waits_for_a_quiet_second() -> None:
    d = Debouncer(quiet=1.0, max_wait=3.0)
    d.add({"a.docx"}, now=10.0)
    d.add({"a.docx"}, now=10.6)
    assert not d.due(11.5)
    assert d.due(11.6)
    assert d.take() == Changes(frozenset({"a.docx"}))


def test_batch_is_due_after_three_seconds_even_if_events_keep_coming() -> None:
    d = Debouncer(quiet=1.0, max_wait=3.0)
    for step in range(10):
        d.add({f"file{step}.pdf"}, now=10.0 + step * 0.5)
        if 10.0 + step * 0.5 >= 13.0:
            break
    assert d.due(13.0)
    assert len(d.take().paths) == 7


def test_taking_a_batch_empties_the_debouncer() -> None:
    d = Debouncer()
    d.add({"a.pdf"}, now=1.0, rescan=True)
    batch = d.take()
    assert batch.rescan and batch.paths == {"a.pdf"}
    assert not d.pending
    assert d.deadline() is None
    assert not d.take()


def test_nothing_added_means_nothing_pending() -> None:
    d = Debouncer()
    d.add(set(), now=1.0)
    assert not d.pending
