"""A program in a detached tmux session, its screen read as a person sees it.

The benchmarks that drive ``annexa watch`` run it in a real terminal this
way: start it, send keys, read the screen (with its colours, if asked),
resize the window, end the session.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from pathlib import Path


class TmuxSession:
    """``shell`` running in the tmux session ``name``, ``size`` columns by rows."""

    def __init__(
        self,
        name: str,
        shell: str,
        *,
        size: tuple[int, int] = (160, 45),
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        width, height = size
        command = ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height)]
        for attempt in range(5):  # the tmux server of the last session may still be exiting
            done = subprocess.run([*command, shell], cwd=cwd, env=env, capture_output=True)
            if done.returncode == 0:
                return
            time.sleep(0.5 * (attempt + 1))
        raise RuntimeError(f"tmux would not start: {done.stderr!r}")

    def text(self, colours: bool = False) -> str:
        """The screen as it stands; with ``colours``, its escape sequences too."""
        args = ["tmux", "capture-pane", "-p", "-t", self.name] + (["-e"] if colours else [])
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(
            ["tmux", "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)],
            check=True,
        )

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False, capture_output=True)
