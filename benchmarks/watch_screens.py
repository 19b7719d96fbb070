"""What ``annexa watch`` shows on the screens people have, read from a real terminal.

Runs the demo authority in tmux at 80 x 24 (PuTTY), 100 x 30, 120 x 30
(Windows Terminal), 160 x 45 and 200 x 60, then resizes one session through
all of them while it runs, and reads the screen with ``tmux capture-pane
-e`` as a person would see it, colours included. For each size it prints:

- how many items are visible (rows with a state and an id);
- how many of those rows end with the end of their file's name;
- the lowest contrast of each state word against its background (WCAG),
  in the default theme and with ``NO_COLOR``;
- what one key (``n``) leaves on screen: the items that need action.

A measurement, not a test (tests/test_tui_demo.py and test_tui_contrast.py
hold the bars). Needs tmux. Nothing in fixtures/ is written.

    python benchmarks/watch_screens.py
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmux import TmuxSession  # noqa: E402

DEMO = PROJECT / "fixtures" / "demo-authority"
AS_OF = (PROJECT / "fixtures" / "demo-authority.as-of").read_text().strip()
SIZES = [(80, 24), (100, 30), (120, 30), (160, 45), (200, 60)]
SESSION = f"annexa-screens-{os.getpid()}"

STATES = ("in date", "due soon", "out of date", "missing", "undated", "draft", "unreadable",
          "incomplete", "waived")  # fmt: skip
ROW = re.compile(r"[✓◔✗∅?✎!◧~] (" + "|".join(STATES) + r")\s+(A\d{1,2})\b")
SGR = re.compile(r"\x1b\[([0-9;]*)m")


class Terminal(TmuxSession):
    def __init__(self, root: Path, size: tuple[int, int], no_color: bool) -> None:
        env = "NO_COLOR=1 " if no_color else ""
        command = [sys.executable, "-m", "annexa", "watch", str(root), "--as-of", AS_OF]
        shell = f"{env}COLORTERM=truecolor {shlex.join(command)}; sleep 30"
        super().__init__(SESSION, shell, size=size, cwd=PROJECT)

    def wait(self, predicate, timeout: float = 60.0) -> str:  # type: ignore[no-untyped-def]
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            text = self.text()
            if predicate(text):
                time.sleep(0.5)  # let the layout settle
                return self.text()
            time.sleep(0.1)
        raise TimeoutError(self.text())

    def close(self) -> None:
        self.kill()


def rows(screen: str) -> list[tuple[str, str, str]]:
    """(state, id, line) of each item row on screen."""
    return [
        (m.group(1), m.group(2), line) for line in screen.splitlines() if (m := ROW.search(line))
    ]


def file_names(root: Path) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "annexa", "scan", str(root), "--as-of", AS_OF, "--format", "json"],
        capture_output=True, text=True, check=False, cwd=PROJECT,
    )  # fmt: skip
    return {i["id"]: (i["file"] or "").rsplit("/", 1)[-1] for i in json.loads(done.stdout)["items"]}


def ends_readable(line: str, name: str) -> bool:
    shown = line.rstrip(" ▇▁▂▃▄▅▆█▉▊▋▌▍▎▏▐").rsplit("  ", 1)[-1].lstrip("…")
    return bool(name) and len(shown) >= 12 and name.endswith(shown)


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def state_contrasts(coloured: str) -> dict[str, float]:
    """The lowest contrast of each state word, from the terminal's own colours.

    tmux writes only what changes from one cell to the next, across lines too.
    """
    found: dict[str, float] = {}
    fg: tuple[int, int, int] | None = None
    bg: tuple[int, int, int] | None = None
    reverse = False
    for line in coloured.splitlines():
        position = 0
        for match in [*SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            text = line[position:end]
            for state in STATES:
                for symbol_state in re.finditer(r"[✓◔✗∅?✎!◧~] " + re.escape(state), text):
                    if fg and bg:
                        a, b = (bg, fg) if reverse else (fg, bg)
                        found[state] = min(found.get(state, 99.0), contrast(a, b))
                    del symbol_state
            if match is None:
                break
            position = match.end()
            fg, bg, reverse = _apply(match.group(1), fg, bg, reverse)
    return found


def _apply(codes: str, fg, bg, reverse):  # type: ignore[no-untyped-def]
    parts = [int(p) if p else 0 for p in codes.split(";")] if codes else [0]
    n = 0
    while n < len(parts):
        code = parts[n]
        if code == 0:
            fg, bg, reverse = None, None, False
        elif code == 7:
            reverse = True
        elif code == 27:
            reverse = False
        elif code in (38, 48) and n + 4 < len(parts) and parts[n + 1] == 2:
            rgb = (parts[n + 2], parts[n + 3], parts[n + 4])
            fg, bg = (rgb, bg) if code == 38 else (fg, rgb)
            n += 4
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        n += 1
    return fg, bg, reverse


def ready(text: str) -> bool:
    return "● watching" in text and bool(rows(text))


def measure(terminal: Terminal, names: dict[str, str]) -> dict[str, object]:
    screen = terminal.text()
    shown = rows(screen)
    readable = sum(1 for _state, item, line in shown if ends_readable(line, names.get(item, "")))
    with_file = sum(1 for _state, item, _line in shown if names.get(item))
    return {"items": len(shown), "names readable": f"{readable} of {with_file}"}


def main() -> int:
    if shutil.which("tmux") is None:
        print("tmux is needed", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="annexa-screens-"))
    root = work / "Annex A"
    shutil.copytree(DEMO, root)
    names = file_names(root)
    try:
        for no_color in (False, True):
            label = "NO_COLOR" if no_color else "colour"
            for size in SIZES:
                terminal = Terminal(root, size, no_color)
                try:
                    terminal.wait(ready)
                    figures = measure(terminal, names)
                    low = state_contrasts(terminal.text(colours=True))
                    worst = min(low.items(), key=lambda pair: pair[1]) if low else ("-", 0)
                    line = (
                        f"{label:8} {size[0]:>3} x {size[1]:<3} items visible {figures['items']:>2}, "
                        f"file name's end readable {figures['names readable']}, "
                        f"lowest state contrast {worst[1]:.2f}:1 ({worst[0]}; {len(low)} states seen)"
                    )
                    if not no_color:
                        terminal.keys("n")
                        after = terminal.wait(lambda t: "Needs action" in t and rows(t))
                        states = {state for state, _item, _line in rows(after)}
                        line += f"; after 'n': {len(rows(after))} rows, states {sorted(states)}"
                    print(line, flush=True)
                finally:
                    terminal.close()
        terminal = Terminal(root, (120, 30), False)
        try:
            terminal.wait(ready)
            for size in [*SIZES, (120, 30)]:
                terminal.resize(*size)
                time.sleep(1.0)
                figures = measure(terminal, names)
                print(
                    f"resized  {size[0]:>3} x {size[1]:<3} items visible {figures['items']:>2}, "
                    f"file name's end readable {figures['names readable']}",
                    flush=True,
                )
        finally:
            terminal.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
