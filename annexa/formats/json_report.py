"""The JSON report, schema ``annexa-report/1`` (the product contract; docs/ci.md).

Paths are ROOT-relative with ``/``; bytes of a file name that were not UTF-8
are written as ``\\xNN`` so every consumer can parse the file as text. The
first key, ``$schema``, names the report's JSON Schema by its ``$id``
(``annexa.schemas.schema_path("report")`` is the file, shipped with annexa).
"""

from __future__ import annotations

import json
from typing import Any

from annexa.model import Report
from annexa.words.textsafe import to_unicode

SCHEMA_ID = "urn:annexa:schema:annexa-report/1"
"""The ``$id`` of annexa/schemas/report.schema.json; a test holds the two together."""


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return to_unicode(value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def render(report: Report, *, colour: bool = False) -> str:
    data = {"$schema": SCHEMA_ID, **_clean(report.to_dict())}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
