"""The whole chain on the demo authority: a real folder, the real pipeline, the real watcher.

A copy of ``fixtures/demo-authority`` goes to a temporary folder (annexa never
writes to the fixture itself). Adding the missing private fostering report
must turn its row from missing to in date, with native events and with polling.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from annexa.pipeline import Scanner
from annexa.reading.inline import InlineExtractor
from annexa.spec import load_spec
from annexa.tui.app import WatchApp
from tests.tui_helpers import NOON, SIZE, cursor_placed, sync, until

DEMO = Path(__file__).parents[1] / "fixtures" / "demo-authority"
AS_OF_FILE = DEMO.parent / "demo-authority.as-of"
ANNUAL = "04 Annual reports/2014-15"
NEW_REPORT = f"{ANNUAL}/Private Fostering Annual Report 2014-15.pdf"

pytestmark = pytest.mark.skipif(not DEMO.is_dir(), reason="the demo authority is not built")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "Annex A"
    shutil.copytree(DEMO, root)
    return root


def demo_app(root: Path, poll: float | None) -> WatchApp:
    as_of = dt.date.fromisoformat(AS_OF_FILE.read_text().strip())
    spec = load_spec(root / "annexa.toml")
    scanner = Scanner(root, spec, extractor=InlineExtractor())
    return WatchApp(
        root,
        scanner,
        spec_label=spec.name,
        as_of=as_of,
        poll=poll,
        spec_path=root / "annexa.toml",
        clock=lambda: NOON,
    )


def status_of(app: WatchApp, item_id: str) -> str:
    return app.query_one("#items", DataTable).get_cell(item_id, "status").plain


@pytest.mark.parametrize("poll", [None, 0.5], ids=["native", "polling"])
@sync
async def test_adding_the_missing_report_turns_its_row_in_date(
    demo: Path, poll: float | None
) -> None:
    app = demo_app(demo, poll)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.report is not None and app.watch_state is not None, 30)
        assert status_of(app, "A11") == "∅ missing"
        shutil.copyfile(
            demo / ANNUAL / "Borsetshire LSCB Annual Report 2014-15.pdf", demo / NEW_REPORT
        )
        await until(pilot, lambda: status_of(app, "A11") == "✓ in date", 30, "A11 in date")
        assert any(
            "Private Fostering Annual Report 2014-15.pdf added: A11 now in date" in line
            for line in app.activity
        )
        (demo / NEW_REPORT).unlink()
        await until(pilot, lambda: status_of(app, "A11") == "∅ missing", 30, "A11 missing again")


@sync
async def test_editing_the_spec_file_reloads_it(demo: Path) -> None:
    app = demo_app(demo, None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.report is not None, 30)
        spec_file = demo / "annexa.toml"
        good = spec_file.read_text()
        spec_file.write_text(good + '\n[[item]]\nid = "A11"\npatern = "oops"\n')
        await until(pilot, lambda: bool(app.spec_problems), 30, "the spec errors")
        assert any("patern" in problem for problem in app.spec_problems)
        spec_file.write_text(
            good.replace('owner = "Fostering Service Manager (Ruth Osei)"', 'owner = "Someone new"')
        )
        await until(
            pilot,
            lambda: (
                app.report.items
                and not app.spec_problems
                and app._items["A11"].owner == "Someone new"
            ),
            30,
            "the new spec",
        )


def test_demo_main_screen(snap_compare, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen a newcomer sees first, on the demo at its as-of date."""
    monkeypatch.chdir(demo.parent)
    app = demo_app(Path(demo.name), None)

    async def ready(pilot) -> None:
        await until(pilot, lambda: cursor_placed(app) and app.watch_state is not None, 30)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.slow
@sync
async def test_burst_of_500_documents_leaves_the_screen_correct(demo: Path) -> None:
    app = demo_app(demo, None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.report is not None and app.watch_state is not None, 30)
        before = len(app._items["A7"].files)
        data = (demo / ANNUAL / "Borsetshire LSCB Annual Report 2014-15.pdf").read_bytes()
        burst = demo / "04 Annual reports" / "burst"
        burst.mkdir()
        for n in range(500):
            (burst / f"IRO Annual Report 2014-15 copy {n:03}.pdf").write_bytes(data)
        await until(pilot, lambda: len(app._items["A7"].files) == before + 500, 120, "all 500 read")
        assert status_of(app, "A7") == "✓ in date"
        await pilot.press("2")  # the screen still answers keys
        assert app.query_one("#tabs").active == "unmatched-tab"
        shutil.rmtree(burst)
        await until(pilot, lambda: len(app._items["A7"].files) == before, 120, "all 500 gone")
        assert status_of(app, "A7") == "~ waived"
