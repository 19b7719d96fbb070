"""The whole chain on the demo authority: a real folder, the real pipeline, the real watcher.

A copy of ``fixtures/demo-authority`` goes to a temporary folder (annexa never
writes to the fixture itself). Adding the missing private fostering report
must turn its row from missing to in date, with native events and with polling.
"""

from __future__ import annotations

import datetime as dt
import re
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


# The screens people have: PuTTY, a laptop, Windows Terminal's default, and larger.
SIZES = [(80, 24), (100, 30), (120, 30), (160, 45), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_demo_main_screen(
    snap_compare, demo: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The screen a newcomer sees first, on the demo at its as-of date, at each size."""
    monkeypatch.chdir(demo.parent)
    app = demo_app(Path(demo.name), None)

    async def ready(pilot) -> None:
        await until(pilot, lambda: cursor_placed(app) and app.watch_state is not None, 30)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


def screen_lines(app: WatchApp) -> list[str]:
    """The screen as a person reads it: one string per terminal line."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


STATUS_WORDS = re.compile(
    r"[✓◔✗∅?✎!◧~] (in date|due soon|out of date|missing|undated|draft|unreadable|incomplete|waived)"
)


def item_lines(app: WatchApp) -> list[str]:
    """The lines of the screen that show an item's row (its status, then its id)."""
    return [line for line in screen_lines(app) if STATUS_WORDS.search(line) and ID.search(line)]


ID = re.compile(r"\bA\d{1,2}\b")


@pytest.mark.parametrize(
    ("size", "least"), [((80, 24), 8), ((120, 30), 12)], ids=["80x24", "120x30"]
)
@sync
async def test_the_list_has_the_room_on_small_screens(
    demo: Path, size: tuple[int, int], least: int
) -> None:
    app = demo_app(demo, None)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: cursor_placed(app), 30)
        await pilot.pause()
        assert len(item_lines(app)) >= least, "\n".join(screen_lines(app))


@sync
async def test_file_names_end_readable_at_120_columns(demo: Path) -> None:
    app = demo_app(demo, None)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: cursor_placed(app), 30)
        await pilot.pause()
        lines = item_lines(app)
        assert lines
        for line in lines:
            item_id = ID.search(line).group(0)
            name = (app._items[item_id].file or "").rsplit("/", 1)[-1]
            if name:
                # the line ends with the name, or with its end after an ellipsis
                shown = line.rstrip(" ▇▁▃▅▆█▉▊▋▌▍▎▏▐").rsplit("  ", 1)[-1].lstrip("…")
                assert name.endswith(shown) and len(shown) >= 12, (name, line)


@sync
async def test_resizing_while_running_lays_the_screen_out_again(demo: Path) -> None:
    app = demo_app(demo, None)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: cursor_placed(app), 30)
        await pilot.pause()
        for size, least in (((80, 24), 8), ((200, 60), 24), ((100, 30), 12), ((120, 30), 12)):
            await pilot.resize_terminal(*size)
            await until(pilot, lambda w=size[0]: app.query_one("#items").size.width == w, 10)
            await pilot.pause(0.2)
            assert len(item_lines(app)) >= least, (size, "\n".join(screen_lines(app)))
            widths = {str(key.value) for key in app.query_one("#items", DataTable).columns}
            assert ("date" in widths) == (size[0] >= 110)


@sync
async def test_the_activity_log_wraps_again_when_the_window_narrows(demo: Path) -> None:
    app = demo_app(demo, None)
    async with app.run_test(size=(200, 60)) as pilot:
        await until(pilot, lambda: cursor_placed(app), 30)
        await pilot.press("6")  # the log on its own tab, 200 columns wide
        await pilot.pause(0.3)
        log = app.query_one("#activity-page")
        words = " ".join(app.activity)
        assert max(len(line.text.rstrip()) for line in log.lines) > 80
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: log.size.width <= 80, 10)
        await pilot.pause(0.3)
        assert max(len(line.text.rstrip()) for line in log.lines) <= log.size.width
        # every word is still there, none clipped
        shown = " ".join(line.text.strip() for line in log.lines)
        assert shown.split() == words.split()


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
        await pilot.press("4")  # the screen still answers keys
        assert app.query_one("#tabs").active == "unmatched"
        shutil.rmtree(burst)
        await until(pilot, lambda: len(app._items["A7"].files) == before, 120, "all 500 gone")
        assert status_of(app, "A7") == "~ waived"
