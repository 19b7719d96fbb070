"""The HTML report in a real browser: every item's row, no console error, an A4 printout.

Uses Debian's ``chromium`` in headless mode. Where it is missing the session
tries to install it (as root, with apt-get, as .ci/run does); the tests skip,
saying why, only when that is not possible. Chromium logs console messages,
Content-Security-Policy violations included, to stderr as ``CONSOLE`` lines:
a report that tried to run a script or fetch anything would produce one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html
from pypdf import PdfReader

from annexa.formats.html import render
from tests.golden.fixture_report import HOSTILE_HTML, fixture_report

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--no-default-browser-check",
)
_TIMEOUT = 120


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _install_chromium() -> str:
    """Try apt-get as .ci/run does; return why it could not be done."""
    if not shutil.which("apt-get"):
        return "apt-get is not available"
    if os.geteuid() != 0:
        return "installing it needs root (apt-get install chromium)"
    command = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for attempt in (command, ["apt-get", "update"], command):
        try:
            result = subprocess.run(attempt, capture_output=True, text=True, timeout=900, env=env)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{' '.join(attempt)} failed: {exc}"
        if attempt is command and result.returncode == 0 and _find_chromium():
            return ""
    return "apt-get install chromium failed"


@pytest.fixture(scope="session")
def chromium() -> str:
    found = _find_chromium()
    if found is None:
        why = _install_chromium()
        found = _find_chromium()
        if found is None:
            pytest.skip(f"Chromium is not installed and could not be installed: {why}")
    return found


def _run(chromium: str, tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [
            chromium,
            *_FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _write(tmp_path: Path, text: str, name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_item_row_is_in_the_browser_and_the_console_is_clean(
    chromium: str, tmp_path: Path
) -> None:
    page = _write(tmp_path, render(fixture_report()))
    result = _run(chromium, tmp_path, page.as_uri(), "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert _console(result.stderr) == []
    dom = html.fromstring(result.stdout)
    rows = dom.xpath("//tr[starts-with(@id, 'item-')]/@id")
    assert rows == [f"item-{item.id}" for item in fixture_report().items]
    assert not dom.xpath("//img | //script")
    a4 = " ".join(dom.xpath("//tr[@id='item-A4']")[0].text_content().split())
    assert HOSTILE_HTML in a4


def test_the_console_check_sees_a_script_error(chromium: str, tmp_path: Path) -> None:
    """Guards the test above: a page with a broken script must show up as a console line."""
    page = _write(tmp_path, "<!DOCTYPE html><p>x</p><script>notDefined()</script>", "bad.html")
    result = _run(chromium, tmp_path, page.as_uri(), "--dump-dom")
    assert any("notDefined" in line for line in _console(result.stderr))


def test_report_prints_to_a4(chromium: str, tmp_path: Path) -> None:
    page = _write(tmp_path, render(fixture_report()))
    pdf = tmp_path / "report.pdf"
    result = _run(
        chromium,
        tmp_path,
        page.as_uri(),
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
    )
    assert pdf.is_file(), result.stderr[-2000:]
    reader = PdfReader(pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842), "A4 is 595 × 842 points"
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Ofsted ILACS Annex A documents" in text
    for item in fixture_report().items:
        assert item.id in text


def test_timeline_prints_on_its_own_pages_with_the_as_of_mark_on_each(
    chromium: str, tmp_path: Path
) -> None:
    page = _write(tmp_path, render(fixture_report()))
    pdf = tmp_path / "report.pdf"
    result = _run(
        chromium, tmp_path, page.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer"
    )
    assert pdf.is_file(), result.stderr[-2000:]
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    starts = [n for n, text in enumerate(pages) if text.lstrip().startswith("Timeline")]
    assert len(starts) == 1, "the timeline starts at the top of a page"
    first = pages[starts[0]]
    assert "▼ 16 Sep 2015" in first and "in date" in first and "due soon" in first
    for item in fixture_report().items:
        assert f"{item.id} " in "".join(pages[starts[0] :])


def test_timeline_bars_are_drawn_on_screen_in_their_patterns(chromium: str, tmp_path: Path) -> None:
    """The bars' patterns live in one hidden SVG and the bars in others: a browser that did
    not resolve the references would draw nothing, and only pixels can show it. The page
    holds the timeline alone, so every coloured pixel is a bar or a legend swatch."""
    image = pytest.importorskip("PIL.Image")
    from annexa.formats import timeline

    page = _write(
        tmp_path,
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        ":root { --rule: #ccc; --muted: #555; --ink: #000; } table { width: 100%; }"
        + timeline.CSS
        + "</style></head><body>"
        + "\n".join(timeline.timeline(fixture_report()))
        + "</body></html>",
    )
    shot = tmp_path / "shot.png"
    result = _run(
        chromium,
        tmp_path,
        page.as_uri(),
        f"--screenshot={shot}",
        "--window-size=1280,1200",
        "--hide-scrollbars",
    )
    assert shot.is_file(), result.stderr[-2000:]
    data = image.open(shot).convert("RGB").tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]

    def near(rgb: tuple[int, int, int]) -> int:
        return sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, rgb, strict=True)) < 60)

    assert near((0x2E, 0x8B, 0x4A)) > 2000  # in date: solid green
    assert near((0x9A, 0x6A, 0x00)) > 200  # due soon: dark amber stripes
    assert near((0xA4, 0x12, 0x1B)) > 200  # out of date: red cross-hatching
