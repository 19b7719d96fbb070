"""The shipped JSON Schemas describe what annexa really writes and reads.

The report schema is held to the producer (``Report.to_dict()`` through the
JSON format) in both directions: every report validates, and every key the
producer writes is one the schema describes. The spec schema is held to the
loader: it knows exactly the keys the loader accepts, and every bundled
spec validates, so an editor's completion never suggests a key annexa
rejects or misses one it takes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

from annexa.formats import get_formatter
from annexa.schemas import load_schema, schema_path
from annexa.spec import loader
from tests.golden.fixture_report import fixture_report

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SPECS = Path(__file__).resolve().parents[1] / "specs"


def _report_validator(schema: dict[str, Any] | None = None) -> Draft202012Validator:
    return Draft202012Validator(schema or load_schema("report"), format_checker=FormatChecker())


def _spec_validator() -> Draft4Validator:
    return Draft4Validator(load_schema("spec"), format_checker=FormatChecker())


def _closed(schema: Any) -> Any:
    """The schema with every described object closed to keys it does not list."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if "properties" in closed and closed.get("type") == "object":
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(value) for value in schema]
    return schema


def _fixture_json() -> dict[str, Any]:
    return json.loads(get_formatter("json")(fixture_report()))


def _errors(validator: Any, instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_schemas_are_valid_schemas_of_their_drafts() -> None:
    Draft202012Validator.check_schema(load_schema("report"))
    Draft4Validator.check_schema(load_schema("spec"))
    assert schema_path("report").name == "report.schema.json"


def test_fixture_report_validates() -> None:
    assert _errors(_report_validator(), _fixture_json()) == []


def test_report_schema_describes_every_key_the_producer_writes() -> None:
    closed = _report_validator(_closed(load_schema("report")))
    assert _errors(closed, _fixture_json()) == []
    assert _errors(closed, fixture_report().to_dict()) == []


def test_report_schema_allows_fields_added_within_the_same_schema_number() -> None:
    data = _fixture_json()
    data["new_top_level_field"] = 1
    data["items"][0]["new_item_field"] = "x"
    assert _errors(_report_validator(), data) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema",), "annexa-report/2"),
        (("as_of",), "16/09/2015"),
        (("items", 0, "status"), "expired"),
        (("items", 0, "severity"), "fatal"),
        (("items", 0, "expires"), "next year"),
        (("items", 0, "evidence", "page"), 0),
        (("items", 6, "waiver", "active"), "yes"),
        (("summary", "ok"), -1),
        (("errors", 0), {"file": "x.pdf"}),
    ],
)
def test_a_wrong_report_fails_validation(path: tuple[Any, ...], value: Any) -> None:
    data = _fixture_json()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert _errors(_report_validator(), data)


@pytest.mark.parametrize("key", ["items", "summary", "as_of", "unmatched"])
def test_a_report_missing_a_contract_field_fails_validation(key: str) -> None:
    data = _fixture_json()
    del data[key]
    assert _errors(_report_validator(), data)


def _toml(text: str) -> dict[str, Any]:
    return _strings(tomllib.loads(text))


def _strings(value: Any) -> Any:
    """TOML dates become ISO strings, as editors' schema checkers see them."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strings(item) for item in value]
    return value


@pytest.mark.parametrize("spec", sorted(SPECS.glob("*.toml")), ids=lambda p: p.name)
def test_every_bundled_spec_validates(spec: Path) -> None:
    assert _errors(_spec_validator(), _strings(tomllib.loads(spec.read_text("utf-8")))) == []


PRODUCT_EXAMPLE = """
[spec]
name = "Ofsted ILACS Annex A documents"
version = "2024.1"
description = "The documents an ILACS inspection asks for"

[defaults]
formats = ["pdf", "docx"]
max_age = "12 months"
due_soon = "30 days"
date_sources = ["content", "filename", "metadata"]
date_order = "DMY"
year_end = "march"
draft_markers = ["draft"]

[[item]]
id = "A1"
title = "Self-evaluation of social work practice"
section = "Leadership and governance"
patterns = ["**/*self*eval*", "**/SEF*"]
keywords = ["self-evaluation"]
required = true
owner = "Head of Quality Assurance"
count = 1

[[item]]
id = "A7"
title = "IRO annual report"
patterns = ["**/*IRO*annual*"]
period = "financial-year"
grace = "6 months"

[[waiver]]
item = "A7"
reason = "2014-15 report goes to the partnership board on 14 October"
until = 2015-10-31
approved_by = "Head of Service"

[[item]]
id = "L7"
title = "List 7: child protection"
patterns = ["**/*list*7*", "**/*annex*a*"]
formats = ["xlsx", "xlsm", "csv"]
sheet = "List 7"
columns = ["Child Unique ID", "Child Protection Plan Start Date"]
max_age = "5 days"
"""


def test_the_spec_example_in_the_product_contract_validates() -> None:
    assert _errors(_spec_validator(), _toml(PRODUCT_EXAMPLE)) == []


def test_a_spec_that_extends_another_may_override_an_item_by_id_alone() -> None:
    text = (
        '[spec]\nextends = "ilacs"\nexclude = ["A3"]\n\n[[item]]\nid = "A1"\nmax_age = "6 months"\n'
    )
    assert _errors(_spec_validator(), _toml(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        '[[item]]\nid = "A1"\ntitle = "x"\npatern = ["*"]\n',  # misspelt key
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\nmax_age = "a year"\n',
        '[[item]]\nid = "A1"\npatterns = ["*"]\n',  # no title, and no base spec
        '[[item]]\nid = "A 1"\ntitle = "x"\npatterns = ["*"]\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\nperiod = "school-year"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\ncount = 0\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\ndate_sources = ["email"]\n',
        '[spec]\nname = "x"\nauthor = "me"\n[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n',
        '[defaults]\ntitle = "x"\n[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[[waiver]]\nitem = "A1"\nreason = "r"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[[waiver]]\nitem = "A1"\n'
        'reason = "r"\nuntil = "31/10/2015"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[report]\nformat = "html"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[[column]]\nname = "A"\ntype = "number"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[[column]]\ntype = "date"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\n[[column]]\nname = "A"\ncodes = [1]\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\ntemplate = "2019"\n',
        '[[item]]\nid = "A1"\ntitle = "x"\npatterns = ["*"]\nwindow = "half a year"\n',
    ],
)
def test_a_spec_the_loader_would_reject_fails_validation(text: str) -> None:
    assert _errors(_spec_validator(), _toml(text))


def test_spec_schema_knows_exactly_the_keys_the_loader_accepts() -> None:
    schema = load_schema("spec")
    props = schema["properties"]
    assert set(props) == set(loader.TOP_KEYS)
    assert set(props["spec"]["properties"]) == set(loader.SPEC_KEYS)
    assert set(props["defaults"]["properties"]) == set(loader.DEFAULT_KEYS)
    assert set(props["item"]["items"]["properties"]) == set(loader.ITEM_KEYS)
    assert set(props["waiver"]["items"]["properties"]) == set(loader.WAIVER_KEYS)
    assert set(props["column"]["items"]["properties"]) == set(loader.COLUMN_KEYS)


def test_spec_schema_uses_only_what_taplo_reads() -> None:
    """Taplo (Even Better TOML) reads draft 4, and ignores every key beside a $ref."""
    text = schema_path("spec").read_text("utf-8")
    schema = json.loads(text)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    for word in ('"$defs"', '"$ref"', '"const"', '"if"', '"then"', '"unevaluatedProperties"'):
        assert word not in text


def test_each_bundled_spec_names_the_shipped_schema_by_a_path_that_resolves() -> None:
    """The ``#:schema`` line is relative to the spec file, and the schema sits beside
    the specs, in the repository (specs/) and installed (annexa/specs) alike."""
    from annexa.spec.bundled import bundled_specs_dir

    folder = bundled_specs_dir()
    assert folder is not None and folder == SPECS
    specs = sorted(folder.glob("*.toml"))
    assert specs
    for spec in specs:
        first = spec.read_text("utf-8").splitlines()[0]
        assert first.startswith("#:schema "), spec.name
        target = (spec.parent / first.removeprefix("#:schema ").strip()).resolve()
        assert target == schema_path("spec").resolve(), spec.name
        assert target.parent == folder, "the schema travels with the specs"


def test_the_wheel_carries_the_specs_and_their_schema_inside_the_package() -> None:
    """The wheel maps specs/ to annexa/specs whole, so the relative ``#:schema`` line
    means the same installed as in the source; nothing else comes from outside."""
    config = tomllib.loads((SPECS.parent / "pyproject.toml").read_text("utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["annexa"]
    assert wheel["force-include"] == {"specs": "annexa/specs"}
    sdist = config["tool"]["hatch"]["build"]["targets"]["sdist"]
    assert "specs" in sdist["include"]


def test_an_installed_annexa_finds_its_specs_and_schema_inside_the_package(
    tmp_path: Path,
) -> None:
    """Laid out as the wheel lays it out (no checkout around it), annexa finds the
    specs and the spec schema in annexa/specs."""
    import os
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site-packages"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(SPECS.parent / "annexa", site / "annexa", ignore=ignore)
    shutil.copytree(SPECS, site / "annexa" / "specs")
    probe = (
        "import json; from annexa.spec import bundled_spec_names, bundled_spec_path;"
        "from annexa.schemas import schema_path;"
        "print(json.dumps([bundled_spec_names(), str(bundled_spec_path('ilacs')),"
        " str(schema_path('spec'))]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    installed = site / "annexa" / "specs"
    assert json.loads(run.stdout) == [
        ["ilacs", "ilacs-lists"],
        str(installed / "ilacs.toml"),
        str(installed / "spec.schema.json"),
    ]


def test_the_json_report_names_its_schema_by_the_schemas_id() -> None:
    from annexa.formats.json_report import SCHEMA_ID

    data = _fixture_json()
    assert next(iter(data)) == "$schema"
    assert data["$schema"] == SCHEMA_ID == load_schema("report")["$id"]
