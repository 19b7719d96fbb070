"""Report formats: each turns a Report into text and decides nothing.

A formatter is a function ``(report, *, colour=False) -> str``. The
registry maps the names ``--format`` accepts to them; formats are imported
only when asked for, so ``annexa scan --format json`` loads neither Rich nor
Textual nor any other face.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

from annexa.model import Report


class Formatter(Protocol):
    def __call__(self, report: Report, *, colour: bool = False) -> str: ...


# name -> "module:function", imported on first use.
_REGISTRY: dict[str, str] = {
    "text": "annexa.formats.text:render",
    "json": "annexa.formats.json_report:render",
    "html": "annexa.formats.html:render",
    "markdown": "annexa.formats.markdown:render",
    "csv": "annexa.formats.csv_report:render",
    "junit": "annexa.formats.junit:render",
    "github": "annexa.formats.github:render",
    "sarif": "annexa.formats.sarif:render",
    "gitlab": "annexa.formats.codequality:render",
    "codequality": "annexa.formats.codequality:render",
    "ics": "annexa.formats.ics:render",
}

FORMAT_NAMES: tuple[str, ...] = tuple(_REGISTRY)


def get_formatter(name: str) -> Formatter:
    """The formatter called ``name``; KeyError when there is none."""
    module_name, function = _REGISTRY[name].split(":")
    module = importlib.import_module(module_name)
    formatter: Callable[..., str] = getattr(module, function)
    return formatter


def format_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def file_encoding(name: str) -> str:
    """How a report in format ``name`` is written to a file, by every face.

    CSV carries a UTF-8 byte-order mark: without it Excel on Windows reads the
    file as cp1252 and mangles ’ – £ in titles and file names.
    """
    return "utf-8-sig" if name == "csv" else "utf-8"
