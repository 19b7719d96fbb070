"""What watch keeps follows the folder, not the day: the current version of each file, and a
bounded log. (The memory itself is measured by benchmarks/watch_memory.py.)"""

from __future__ import annotations

import gc
from pathlib import Path

from annexa.model import Facts
from annexa.pipeline import Scanner
from annexa.reading.inline import InlineExtractor
from annexa.spec import load_spec
from annexa.tui.app import ACTIVITY_LINES
from tests.hostile import AS_OF
from tests.test_faults import FILES, IN_DATE, statuses
from tests.test_faults import share as share
from tests.tui_helpers import SIZE, first_report, make_app, sync


def test_saving_every_file_again_and_again_keeps_one_version_of_each(share: Path) -> None:
    scanner = Scanner(share, load_spec(share.parent / "spec.toml"), extractor=InlineExtractor())
    try:
        scanner.full_scan()
        scanner.report(AS_OF)
        for save in range(5):
            for path in FILES:
                with open(share / path, "ab") as document:
                    document.write(b"\n%% saved again\n" if path.endswith(".pdf") else b"\0" * 8)
            # a copy saved under a new name each time, the last one removed
            plan = share / "Plans" / "Improvement plan.pdf"
            (share / "Plans" / f"Improvement plan v{save}.pdf").write_bytes(plan.read_bytes())
            if save:
                (share / "Plans" / f"Improvement plan v{save - 1}.pdf").unlink()
            names = [
                f"Plans/Improvement plan v{save}.pdf",
                f"Plans/Improvement plan v{save - 1}.pdf",
            ]
            scanner.refresh([*FILES, *names])
            report = scanner.report(AS_OF)
        gc.collect()
        alive = [o for o in gc.get_objects() if type(o) is Facts]
    finally:
        scanner.close()
    assert statuses(report) == IN_DATE
    assert sorted(scanner.facts) == sorted([*FILES, "Plans/Improvement plan v4.pdf"])
    assert len(scanner.memo) == len(scanner.facts)  # nothing kept for a file that is gone
    assert len(alive) == len(scanner.facts)  # no older version of any file kept anywhere


@sync
async def test_the_activity_log_keeps_the_newest_lines_only(tmp_path: Path) -> None:
    app = make_app(tmp_path / "annex")
    async with app.run_test(size=SIZE) as pilot:
        await first_report(pilot)
        for number in range(ACTIVITY_LINES + 200):
            app.log_activity(f"policy {number}.pdf saved: A1 still in date")
        await pilot.pause()
        assert len(app.activity) == ACTIVITY_LINES
        assert app.activity[-1].endswith(
            f"policy {ACTIVITY_LINES + 199}.pdf saved: A1 still in date"
        )
