"""Open a file with the system's viewer (Word, Acrobat, Excel), without a shell.

A failure (no viewer, no desktop session over SSH) is a message for the
user, never a crash of the screen they keep open all day.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def open_with_viewer(path: Path, *, platform: str = sys.platform) -> str | None:
    """Ask the system to open ``path``; None when asked, else why it could not be."""
    if not path.exists():
        return f"{path.name} is no longer there."
    try:
        if platform == "win32":
            os.startfile(str(path))  # type: ignore[attr-defined]
            return None
        command = ["open", str(path)] if platform == "darwin" else ["xdg-open", str(path)]
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except FileNotFoundError:
        return "No program to open files was found (xdg-open is not installed)."
    except OSError as exc:
        return f"The file could not be opened: {exc.strerror or exc}."
    return None
