"""The JSON report, schema ``annexa-report/1`` (the product contract; docs/ci.md).

Paths are ROOT-relative with ``/``; bytes of a file name that were not UTF-8
are written as ``\\xNN`` so every consumer can parse the file as text.
"""

from __future__ import annotations

import json
from typing import Any

from annexa.model import Report
from annexa.words.textsafe import to_unicode


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return to_unicode(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def render(report: Report, *, colour: bool = False) -> str:
    return json.dumps(_clean(report.to_dict()), indent=2, ensure_ascii=False) + "\n"
