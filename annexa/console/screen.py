"""What the console at the end of a stream can show: the one place that decides.

A council laptop's console is not always UTF-8: ``annexa scan > report.txt``
in cmd.exe writes cp1252, a server's cron job may run under the C locale
(ASCII), and a CI log is a pipe that still shows colour. So, once per run:

- the streams never fail on a character they cannot encode: it is written
  as an escape (``\\xe9``) instead of ending the run in an error;
- where the status symbols (✓ ✗ →) cannot be encoded, the text report uses
  words in brackets and ASCII ("[out of date]", "->"), and says nothing more;
- colour follows ``--color`` (auto, always, never), then ``NO_COLOR``, then
  ``FORCE_COLOR``, then whether the stream is a terminal;
- a terminal's width shapes the table; piped output keeps one line per row;
- paths are shown with the platform's separator (``\\`` on Windows).
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from annexa.formats.text import Layout
from annexa.model import Status

# Everything the text report and the progress bar draw beyond ASCII.
SYMBOLS = "".join(status.symbol for status in Status) + "→—…·█░"

COLOUR_CHOICES = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class Screen:
    """What one output stream can show."""

    unicode: bool  # the stream can encode every symbol annexa draws
    colour: bool
    width: int | None  # a terminal's columns; None when the stream is not a terminal
    github_actions: bool  # the stream ends in a GitHub Actions log

    def layout(self, *, quiet: bool = False) -> Layout:
        """The text report's layout for this stream."""
        return Layout(width=self.width, ascii=not self.unicode, sep=os.sep, only_action=quiet)


def make_safe(stream: TextIO) -> None:
    """Let ``stream`` write any text: what its encoding lacks becomes an escape (``\\xe9``)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    try:
        if getattr(stream, "errors", "strict") in ("strict", None):
            reconfigure(errors="backslashreplace")
    except (ValueError, OSError):  # a closed or detached stream: nothing will be written
        pass


def can_encode(stream: TextIO, text: str = SYMBOLS) -> bool:
    """Whether ``stream``'s encoding holds every character of ``text``."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        codecs.lookup(encoding)
        text.encode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def wants_colour(
    stream: TextIO, choice: str = "auto", env: Mapping[str, str] | None = None
) -> bool:
    """``--color``, then NO_COLOR (no-color.org), then FORCE_COLOR, then a terminal or not."""
    env = os.environ if env is None else env
    if choice == "always":
        return True
    if choice == "never" or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb" or not is_terminal(stream):
        return False
    return _ansi_works(stream)


def terminal_width(stream: TextIO, env: Mapping[str, str] | None = None) -> int | None:
    """The terminal's columns (``COLUMNS`` overrides), or None when not a terminal."""
    if not is_terminal(stream):
        return None
    env = os.environ if env is None else env
    try:
        columns = int(env.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        return None


def detect(stream: TextIO, *, colour: str = "auto", env: Mapping[str, str] | None = None) -> Screen:
    """What ``stream`` can show, from its encoding, whether it is a terminal and the environment."""
    env = os.environ if env is None else env
    return Screen(
        unicode=can_encode(stream),
        colour=wants_colour(stream, colour, env),
        width=terminal_width(stream, env),
        github_actions=env.get("GITHUB_ACTIONS") == "true",
    )


def _ansi_works(stream: TextIO) -> bool:
    """On Windows, turn on the console's ANSI colours (off in the old console); elsewhere True."""
    if sys.platform != "win32":
        return True
    try:  # pragma: no cover - Windows only
        import ctypes
        import msvcrt

        enable_vt = 0x0004  # ENABLE_VIRTUAL_TERMINAL_PROCESSING
        handle = msvcrt.get_osfhandle(stream.fileno())
        kernel32 = ctypes.windll.kernel32
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        return bool(mode.value & enable_vt) or bool(
            kernel32.SetConsoleMode(handle, mode.value | enable_vt)
        )
    except Exception:  # pragma: no cover
        return False
