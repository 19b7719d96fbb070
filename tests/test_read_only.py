"""annexa never writes, moves, renames, deletes or re-permissions anything under ROOT.

Every byte (SHA-256), every mtime and ctime, mode, owner, inode and link
count of everything under ROOT is taken before and after: a cold and a
warm ``annexa scan`` to every format, a scan asked to keep its cache and a
report inside ROOT, and ``annexa watch`` sessions (native events and
polling) that walk every tab, search, filter and rescan. ROOT holds the
hostile corpus, the hostile names and the demo council's real documents,
and its own ``annexa.toml``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from annexa.cache.store import open_cache
from annexa.formats import format_names
from annexa.pipeline import Scanner
from annexa.spec import load_spec
from annexa.tui.app import WatchApp
from tests.hostile import (
    AS_OF,
    build_corpus,
    build_names,
    fingerprint,
    names_items_text,
    spec_text,
)
from tests.tui_helpers import NOON, SIZE, first_report, sync, until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="the corpus holds a FIFO (Linux)"
    ),
]

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROOT: the hostile corpus, the hostile names, the demo's documents, an annexa.toml."""
    corpus = build_corpus(tmp_path_factory.mktemp("read-only"))
    build_names(corpus.root / "Names")
    if DEMO.is_dir():
        shutil.copytree(DEMO, corpus.root / "Demo council", symlinks=True)
    (corpus.root / "annexa.toml").write_text(
        spec_text() + "\n" + names_items_text(), encoding="utf-8"
    )
    return corpus.root


def assert_unchanged(root: Path, before: dict) -> None:  # type: ignore[type-arg]
    after = fingerprint(root)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p])
    assert (added, removed, changed) == ([], [], [])


def annexa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annexa", *args],
        cwd=PROJECT,
        env={**os.environ, "CI": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_cold_and_a_warm_scan_to_every_format_change_nothing_under_root(
    root: Path, tmp_path: Path
) -> None:
    before = fingerprint(root)
    out = tmp_path / "reports"
    out.mkdir()
    formats = [f"--format={name}:{out / ('report.' + name)}" for name in format_names()]
    for _ in ("cold", "warm"):
        done = annexa(
            "scan", str(root), "--as-of", AS_OF.isoformat(), *formats, "--format", "text",
            env={"ANNEXA_CACHE_DIR": str(tmp_path / "cache")},
        )  # fmt: skip
        assert done.returncode == 1, done.stderr  # the corpus has errors; the run itself is fine
        assert "Traceback" not in done.stderr
    assert_unchanged(root, before)


def test_a_cache_and_reports_asked_for_inside_root_are_refused_and_nothing_is_written(
    root: Path,
) -> None:
    before = fingerprint(root)
    cache_inside = annexa(
        "scan", str(root), "--as-of", AS_OF.isoformat(), "--cache-dir", str(root / "Cache"),
        "--format", "json",
    )  # fmt: skip
    assert cache_inside.returncode == 1
    assert "inside the folder being checked" in cache_inside.stderr
    report_inside = annexa(
        "scan", str(root), "--as-of", AS_OF.isoformat(), "--no-cache",
        "--format", f"html:{root / 'Names' / 'report.html'}",
    )  # fmt: skip
    assert report_inside.returncode == 2
    assert "will not write" in report_inside.stderr
    assert_unchanged(root, before)


@pytest.mark.parametrize("poll", [None, 0.5], ids=["native events", "polling"])
@sync
async def test_a_watch_session_changes_nothing_under_root(
    root: Path, tmp_path: Path, poll: float | None
) -> None:
    before = fingerprint(root)
    spec = load_spec(root / "annexa.toml")
    opened: list[Path] = []
    app = WatchApp(
        root,
        Scanner(root, spec, cache=open_cache(tmp_path / "cache")),
        spec_label=spec.name,
        as_of=AS_OF,
        poll=poll,
        spec_path=root / "annexa.toml",
        clock=lambda: NOON,
        opener=lambda path: opened.append(path),  # type: ignore[func-returns-value]
    )
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        await until(pilot, lambda: app.watch_state is not None, 30, "the watcher to start")
        first = app.report
        for key in ["down", "down", "pagedown", "o", "2", "down", "3", "down", "1"]:
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("slash")
        await pilot.press(*"report")
        await pilot.press("escape")
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("r")
        await until(pilot, lambda: app.report is not first, 60, "the rescan's report")
        assert app.query_one("#items", DataTable).row_count > 0
        assert opened, "the file of the selected item was handed to the viewer"
        await pilot.press("q")
    assert_unchanged(root, before)
