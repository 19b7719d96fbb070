"""Open a file with the system's viewer (Word, Acrobat, Excel), without a shell.

A failure (no viewer, no desktop session over SSH) is a message for the
user, never a crash of the screen they keep open all day. The viewer's
launcher (``xdg-open``, ``open``) is waited for in a background thread, so
it never lingers as a defunct process however many files are opened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path


def open_with_viewer(
    path: Path, *, platform: str = sys.platform, launcher: str | None = None
) -> str | None:
    """Ask the system to open ``path``; None when asked, else why it could not be.

    ``launcher`` replaces ``xdg-open``/``open`` (tests).
    """
    if not path.exists():
        return f"{path.name} is no longer there."
    try:
        if platform == "win32" and launcher is None:
            os.startfile(str(path))  # type: ignore[attr-defined]
            return None
        program = launcher or ("open" if platform == "darwin" else "xdg-open")
        child = subprocess.Popen(
            [program, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        threading.Thread(target=child.wait, name="annexa-open", daemon=True).start()
    except FileNotFoundError:
        return "No program to open files was found (xdg-open is not installed)."
    except OSError as exc:
        return f"The file could not be opened: {exc.strerror or exc}."
    return None
