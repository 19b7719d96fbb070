"""Warnings given while watching reach the screen, and stay after it, one line each."""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from annexa.watch.notices import Notices
from tests.processes import new_mark, wait_until
from tests.test_stops import DEMO, LEAVE_ALTERNATE_SCREEN, Terminal, environment, linux_only
from tests.tui_helpers import SIZE, first_report, make_app, sync, until

CACHE_TROUBLE = (
    "the cache at /somewhere could not be used (it is read-only); reading every document"
)


def test_notices_are_kept_once_each_in_order_and_told_to_every_listener() -> None:
    notices = Notices()
    heard: list[str] = []
    notices.add("first")
    notices.listen(heard.append)  # hears what came before, then what comes
    notices.add("second")
    notices.add("first")
    assert heard == ["first", "second"]
    assert notices.messages == ("first", "second")


@sync
async def test_a_warning_from_another_thread_shows_in_the_activity_log_and_the_header(
    tmp_path: Path,
) -> None:
    notices = Notices()
    app = make_app(tmp_path / "annex", notices=notices)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        giver = threading.Thread(target=notices.add, args=(CACHE_TROUBLE,))
        giver.start()
        giver.join(timeout=10)
        await until(pilot, lambda: app.warnings == [CACHE_TROUBLE], what="the warning")
        await pilot.pause()
        assert any(line.endswith(f"Warning: {CACHE_TROUBLE}") for line in app.activity)
        state = app.query_one("#state", Static).render()
        assert f"⚠ {CACHE_TROUBLE}" in str(state)


@sync
async def test_a_warning_given_before_the_screen_opened_is_shown_too(tmp_path: Path) -> None:
    notices = Notices()
    notices.add(CACHE_TROUBLE)
    app = make_app(tmp_path / "annex", notices=notices)
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await until(pilot, lambda: app.warnings == [CACHE_TROUBLE], what="the warning")


@linux_only
@pytest.mark.slow
@pytest.mark.skipif(not DEMO.is_dir(), reason="the demo authority is not built")
def test_a_cache_warning_is_on_the_watch_screen_and_on_stderr_after_quitting(
    tmp_path: Path,
) -> None:
    root = tmp_path / "Annex A"
    shutil.copytree(DEMO, root)
    (tmp_path / "a file").write_text("in the way", encoding="utf-8")
    cache_dir = tmp_path / "a file" / "cache"  # cannot be made: the cache is bypassed
    as_of = (DEMO.parent / "demo-authority.as-of").read_text().strip()
    terminal = Terminal(
        [sys.executable, "-m", "annexa", "watch", str(root), "--as-of", as_of,
         "--cache-dir", str(cache_dir)],
        environment(tmp_path, new_mark()),
    )  # fmt: skip
    try:
        # on the screen (where exactly is the pilot tests' business: the raw
        # output wraps and styles the text)
        assert wait_until(lambda: b"could not be used" in terminal.text(), 120), terminal.text()[
            -2000:
        ]
        before = len(terminal.text())
        os.write(terminal.fd, b"q")
        code = terminal.exit_code(60)
        after = terminal.text()[before:]
    finally:
        terminal.close()
    assert code == 0
    after = after[after.rindex(LEAVE_ALTERNATE_SCREEN) :]  # what is left on the terminal
    said = re.sub(r"\x1b\[[0-9;?<>=$]*[a-zA-Z~]", "", after.decode(errors="replace"))
    lines = [line for line in said.replace("\r", "").split("\n") if "annexa:" in line]
    assert lines == [
        f"annexa: warning: the cache at {cache_dir / 'facts-v2.sqlite3'} could not be used "
        "(its folder cannot be created: not a directory); reading every document"
    ]
