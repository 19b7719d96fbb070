"""The spec schema (what an editor checks) and ``annexa spec check`` accept the same values.

A value that one accepts and the other refuses sends a user round in
circles: the editor underlines a spec annexa runs, or stays quiet about one
annexa rejects. Hypothesis puts assorted TOML values (strings in many
shapes, numbers, booleans, dates, date-times, lists) into each key of a
valid spec, one key at a time, and both must agree.

What the schema cannot say is left out on purpose and listed in the schema's
description: duplicate ids, glob syntax, waivers for unknown items.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, FormatChecker

from annexa.schemas import load_schema
from annexa.spec import SpecError, load_spec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BASE: dict[str, Any] = {
    "spec": {"name": "Test"},
    "defaults": {"max_age": "12 months"},
    "item": [{"id": "A1", "title": "Self-evaluation", "patterns": ["**/*self*eval*"]}],
    "waiver": [{"item": "A1", "reason": "Board meets in October", "until": dt.date(2015, 10, 31)}],
    "column": [{"name": "Child Unique ID", "type": "id"}],
}

# Keys whose values the schema describes, by where they sit in BASE.
KEYS: list[tuple[str, str]] = [
    *(("spec", key) for key in ("name", "version", "description")),
    *(
        ("defaults", key)
        for key in (
            "formats",
            "max_age",
            "due_soon",
            "date_sources",
            "date_order",
            "year_end",
            "draft_markers",
            "template",
            "check_rows",
            "fresh_within",
        )
    ),
    *(
        ("item", key)
        for key in (
            "title",
            "section",
            "keywords",
            "required",
            "owner",
            "count",
            "period",
            "grace",
            "sheet",
            "columns",
            "formats",
            "max_age",
            "due_soon",
            "date_sources",
            "date_order",
            "year_end",
            "draft_markers",
            "previous_columns",
            "template",
            "check_rows",
            "fresh_within",
        )
    ),
    *(("waiver", key) for key in ("reason", "until", "approved_by")),
    *(("column", key) for key in ("name", "required", "other_names")),
]

WORDS = st.sampled_from(
    [
        "",
        " ",
        "x",
        "12 months",
        " 3 weeks ",
        "1 year",
        "0 days",
        "12months",
        "a year",
        "12 monthss",
        "-1 days",
        "99999 days",
        "DMY",
        "dmy",
        "Dmy",
        " ymd ",
        "march",
        "March",
        "MARCH",
        "december",
        "financial-year",
        "school-year",
        "content",
        " content",
        "filename",
        "metadata",
        "mtime",
        "email",
        "pdf",
        "docx",
        ".pdf",
        "PDF",
        "draft",
        "2015-10-31",
        " 2015-10-31",
        "2015-10-31T10:00:00",
        "20151031",
        "2015-W44-6",
        "31/10/2015",
        "2015-02-30",
        "List 7",
        "current",
        "Previous",
        "2020",
        "whole number",
    ]
)
SCALARS = st.one_of(
    WORDS,
    st.integers(min_value=-2, max_value=3),
    st.sampled_from([1.5, 2024.1, 0.0]),
    st.booleans(),
    st.sampled_from([dt.date(2015, 10, 31), dt.date(2016, 2, 29)]),
    st.sampled_from([dt.datetime(2015, 10, 31, 0, 0), dt.datetime(2015, 10, 31, 17, 30)]),
    st.just(dt.time(10, 0)),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.lists(WORDS, min_size=1, max_size=3))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string escapes as JSON does
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"


def _toml(document: dict[str, Any]) -> str:
    lines: list[str] = []
    for table, body in document.items():
        rows = body if isinstance(body, list) else [body]
        for row in rows:
            lines.append(f"[[{table}]]" if isinstance(body, list) else f"[{table}]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in row.items()]
            lines.append("")
    return "\n".join(lines)


def _as_editors_see_it(value: Any) -> Any:
    """TOML dates reach a schema checker as ISO strings (as in Taplo)."""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_editors_see_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_editors_see_it(item) for item in value]
    return value


VALIDATOR = Draft4Validator(load_schema("spec"), format_checker=FormatChecker())


def _verdicts(text: str, folder: Path) -> tuple[bool, bool]:
    path = folder / "spec.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_spec(path)
        loader_ok = True
    except SpecError:
        loader_ok = False
    document = _as_editors_see_it(tomllib.loads(text))
    schema_ok = not list(VALIDATOR.iter_errors(document))
    return schema_ok, loader_ok


def test_the_base_spec_passes_both(tmp_path: Path) -> None:
    assert _verdicts(_toml(BASE), tmp_path) == (True, True)


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=st.sampled_from(KEYS), value=VALUES)
def test_schema_and_spec_check_agree_on_every_value(
    tmp_path: Path, key: tuple[str, str], value: Any
) -> None:
    table, name = key
    document = json.loads(json.dumps(BASE, default=str))
    document["waiver"][0]["until"] = dt.date(2015, 10, 31)
    target = document[table][0] if isinstance(document[table], list) else document[table]
    target[name] = value
    text = _toml(document)
    schema_ok, loader_ok = _verdicts(text, tmp_path)
    assert schema_ok == loader_ok, (
        f"{table}.{name} = {_toml_value(value)}: "
        f"schema {'accepts' if schema_ok else 'rejects'}, "
        f"spec check {'accepts' if loader_ok else 'rejects'}"
    )
