"""Every status is legible: at least 4.5:1 contrast on screen, in colour and with NO_COLOR.

The contrast is measured on what the terminal is sent: the screen is
rendered, Textual's own output filters applied (with ``NO_COLOR`` it turns
every colour into its grey), and each status word's foreground compared
with the background it is drawn on, with WCAG's formula. Nothing here
trusts a colour table: a theme or a style that lets "out of date" fade into
its background fails.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual.color import Color

from annexa.model import ItemResult, Report, Status
from annexa.tui.palette import MINIMUM_CONTRAST, contrast, legible, status_styles
from tests.tui_helpers import first_report, make_app, sync
from tests.watch_fakes import sample_report

WORDS = {f"{status.symbol} {status.label}": status for status in Status}


def every_status(as_of: dt.date) -> Report:
    """The sample report with the two statuses it lacks added, so all nine are on screen."""
    report = sample_report(as_of)
    extra = (
        ItemResult("A11", "Quality assurance framework", "Leadership and governance",
                   Status.UNDATED, Status.UNDATED.severity, "no date found", file="QA.docx"),
        ItemResult("L7", "List 7", "Data lists", Status.INCOMPLETE, Status.INCOMPLETE.severity,
                   "the sheet lacks a column", file="Lists.xlsx"),
    )  # fmt: skip
    return dataclasses.replace(report, items=report.items + extra)


def _rgb(color: RichColor | None) -> Color | None:
    if color is None:
        return None
    triplet = color.get_truecolor()
    return Color(triplet.red, triplet.green, triplet.blue)


def status_contrasts(app, *, grey: bool = False) -> dict[tuple[Status, str], float]:
    """The lowest contrast of each status word on screen, by status and where it is.

    ``grey``: check that the colours sent are greys (NO_COLOR did reach the screen).
    """
    found: dict[tuple[Status, str], float] = {}
    strips = app.screen._compositor.render_strips()  # with the app's filters applied
    for y, strip in enumerate(strips):
        for segment in strip:
            for words, status in WORDS.items():
                if words not in segment.text or segment.style is None:
                    continue
                fg, bg = _rgb(segment.style.color), _rgb(segment.style.bgcolor)
                assert fg is not None and bg is not None, f"{words} has no colour of its own"
                if segment.style.reverse:
                    fg, bg = bg, fg
                if grey:
                    assert fg.r == fg.g == fg.b and bg.r == bg.g == bg.b, (words, fg, bg)
                key = (status, "cursor row" if y == _cursor_line(app) else "screen")
                found[key] = min(found.get(key, 99.0), contrast(fg, bg))
    return found


def _cursor_line(app) -> int:
    table = app.query_one("#items")
    return table.region.y + 1 + table.cursor_row - round(table.scroll_y)


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize(
    "theme", ["annexa-dark", "annexa-light", "annexa-high-contrast", "textual-dark", "nord"]
)
@sync
async def test_every_status_reaches_4_5_to_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(tmp_path / "annex", make=every_status)
    async with app.run_test(size=(160, 45)) as pilot:
        await first_report(pilot)
        app.theme = theme
        await pilot.pause()
        found = status_contrasts(app, grey=no_color)
    on_screen = {status for status, _where in found}
    assert on_screen == set(Status), f"not every status was on screen: {on_screen}"
    weak = {key: round(ratio, 2) for key, ratio in found.items() if ratio < MINIMUM_CONTRAST}
    assert not weak, f"below {MINIMUM_CONTRAST}:1 in {theme}: {weak}"


def test_a_colour_too_faint_for_its_background_is_moved_until_it_is_legible() -> None:
    background = Color.parse("#121212")
    faint = Color.parse("#B93C5B")  # Textual's error red: 2.9:1 on that background
    assert contrast(faint, background) < MINIMUM_CONTRAST
    fixed = legible(faint, [background])
    assert contrast(fixed, background) >= MINIMUM_CONTRAST
    assert contrast(fixed.monochrome, background.monochrome) >= MINIMUM_CONTRAST
    assert fixed.r > fixed.g, "still a red"


def test_status_styles_keep_weight_without_any_colour() -> None:
    styles = status_styles({})
    assert styles[Status.MISSING].bold and styles[Status.OUT_OF_DATE].bold
    assert not styles[Status.DUE_SOON].bold
    assert styles[Status.WAIVED].italic
