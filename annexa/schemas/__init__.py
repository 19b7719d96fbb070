"""The JSON Schemas annexa ships: its JSON report and its spec format.

``report.schema.json`` (draft 2020-12) describes ``annexa-report/1`` for
anyone who consumes ``--format json``. ``spec.schema.json`` is written in
draft 4, the newest draft Taplo (the engine of VS Code's Even Better TOML)
reads, so an editor offers completion and checks for a spec that starts
with a ``#:schema`` line pointing at it (see docs/ci.md); it lives beside the
bundled specs (``annexa.spec.bundled``). Both ship inside the package, so an
installed annexa can always say where they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMAS: dict[str, str] = {
    "report": "report.schema.json",
    "spec": "spec.schema.json",
}


def schema_path(name: str) -> Path:
    """The file of the schema called ``name`` ("report" or "spec"); KeyError otherwise."""
    file_name = SCHEMAS[name]
    if name == "spec":
        from annexa.spec.bundled import bundled_specs_dir

        folder = bundled_specs_dir()
        if folder is not None:
            return folder / file_name
    return Path(__file__).resolve().parent / file_name


def load_schema(name: str) -> dict[str, Any]:
    """The schema called ``name``, parsed."""
    with open(schema_path(name), encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema
