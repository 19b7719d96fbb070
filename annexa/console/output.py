"""Reports on their way out: to the screen as the console can show them, or to a file.

The formats turn a Report into text and decide nothing; this module gives
each the choices that are not its own: the text report's layout for this
console (``annexa.console.screen``), the ``--fail-on`` level for the JUnit
file, and, in a GitHub Actions log, a fence around everything that is not
meant as workflow commands. A file name such as ``::error title=x::y.docx``
or ``##[error]x.docx`` printed at the start of a line would otherwise be
obeyed by the runner as an annotation; between ``::stop-commands::TOKEN``
and ``::TOKEN::`` the runner reads nothing as a command, and the token is
random, so no file name can end the fence early.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import TextIO

from annexa.console.screen import detect
from annexa.formats import get_formatter
from annexa.model import Report

# The formats whose failures follow --fail-on.
_FAIL_ON_FORMATS = frozenset({"junit"})
# What GitHub Actions should read as workflow commands; everything else is fenced.
_COMMAND_FORMATS = frozenset({"github"})


def rendered(name: str, report: Report, *, fail_on: str = "error") -> str:
    """The report in format ``name``, as written to a file: plain, no colour."""
    formatter = get_formatter(name)
    if name in _FAIL_ON_FORMATS:
        return formatter(report, fail_on=fail_on)  # type: ignore[call-arg]
    return formatter(report)


def show(
    stream: TextIO,
    name: str,
    report: Report,
    *,
    fail_on: str = "error",
    colour: str = "auto",
    quiet: bool = False,
    env: Mapping[str, str] | None = None,
) -> None:
    """Write the report in format ``name`` to ``stream`` (the screen, a pipe, a CI log)."""
    env = os.environ if env is None else env
    screen = detect(stream, colour=colour, env=env)
    if name == "text":
        from annexa.formats.text import render

        text = render(report, colour=screen.colour, layout=screen.layout(quiet=quiet))
    else:
        text = rendered(name, report, fail_on=fail_on)
    if text and not text.endswith("\n"):
        text += "\n"
    if text and screen.github_actions and name not in _COMMAND_FORMATS:
        text = fence(text)
    if "\r\n" in text and _write_bytes(stream, text):
        return
    stream.write(text)
    stream.flush()


def _write_bytes(stream: TextIO, text: str) -> bool:
    """Write text that carries its own line endings (CSV, iCalendar: CRLF) past the
    stream's newline translation, which on Windows would make every CRLF a CR CR LF.
    False when the stream has no byte buffer to write to."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return False
    stream.flush()
    buffer.write(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    buffer.flush()
    return True


def fence(text: str, token: str | None = None) -> str:
    """``text`` between ``::stop-commands::TOKEN`` and ``::TOKEN::``: GitHub obeys no line of it."""
    token = token or secrets.token_hex(16)
    return f"::stop-commands::{token}\n{text}::{token}::\n"
