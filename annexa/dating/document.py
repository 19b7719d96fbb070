"""Placeholder: implemented by the dating work (see annexa/dating/__init__.py)."""

from __future__ import annotations

from annexa.model import DocumentDates, Facts
from annexa.spec.rules import DatingOptions


def read_dates(
    facts: Facts | None, path: str, options: DatingOptions, mtime_ns: int
) -> DocumentDates:
    raise NotImplementedError
