"""Reports sent to the screen keep their own line endings on every platform."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from annexa.console.output import show
from annexa.model import ItemResult, Report, Status


def _report() -> Report:
    item = ItemResult(
        "A1", "Self-evaluation", None, Status.OK, None, "In date.", expires=dt.date(2015, 10, 1)
    )
    return Report(".", "spec", "spec", dt.date(2015, 9, 16), (item,))


@pytest.mark.parametrize("name", ["csv", "ics"])
def test_crlf_formats_on_a_windows_console_are_not_doubled(name):
    """Windows' text streams turn every "\\n" into "\\r\\n"; a CSV or calendar printed to
    the screen (or redirected in cmd.exe) must still end each line with one CRLF."""
    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="cp1252", errors="backslashreplace", newline="\r\n")
    show(console, name, _report(), env={})
    data = raw.getvalue()
    assert b"\r\n" in data
    assert b"\r\r\n" not in data
