"""Read a spec file, check every key, and report every problem at once.

A spec is edited by people who are not programmers, so one run of
``annexa spec check`` lists every problem with its file and line, in words
("ilacs.toml:42: item 'A7': 'patern' is not a known key; did you mean
'patterns'?"), instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annexa.durations import Duration, DurationError
from annexa.globs import GlobError, compile_glob
from annexa.spec.bundled import bundled_spec_path
from annexa.spec.lines import LineMap, map_lines
from annexa.spec.rules import (
    DATE_ORDERS,
    PERIODS,
    YEAR_ENDS,
    DatingOptions,
    ItemRule,
    Spec,
    Waiver,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DATE_SOURCE_NAMES = ("content", "filename", "metadata", "mtime")

BUILTIN_DEFAULTS: dict[str, Any] = {
    "formats": ["pdf", "docx"],
    "max_age": "12 months",
    "due_soon": "30 days",
    "date_sources": ["content", "filename", "metadata"],
    "date_order": "DMY",
    "year_end": "march",
    "draft_markers": ["draft"],
    "grace": "6 months",
    "required": True,
}

# Keys allowed in [defaults]; each may also be set on an item.
DEFAULT_KEYS = (*BUILTIN_DEFAULTS, "owner", "section")
ITEM_KEYS = (
    "id",
    "title",
    "section",
    "patterns",
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
)
SPEC_KEYS = ("name", "version", "extends", "exclude", "description")
WAIVER_KEYS = ("item", "reason", "until", "approved_by")
TOP_KEYS = ("spec", "defaults", "item", "waiver")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


@dataclass(frozen=True, slots=True)
class SpecProblem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line or 1}: {self.message}"


class SpecError(Exception):
    """A spec that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class _Origin:
    """Where a raw value came from, so a merged spec still names the right line."""

    file: str
    lines: LineMap
    table: str
    index: int

    def line(self, key: str | None = None) -> int | None:
        if key is None:
            return self.lines.table(self.table, self.index)
        return self.lines.key(self.table, self.index, key)


@dataclass
class _Raw:
    """One table's values with the origin of each key (a merge may mix files)."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, _Origin] = field(default_factory=dict)
    origin: _Origin | None = None

    def update(self, values: Mapping[str, Any], origin: _Origin) -> None:
        for key, value in values.items():
            self.values[key] = value
            self.origins[key] = origin
        if self.origin is None:
            self.origin = origin


@dataclass
class _Document:
    file: str
    spec: _Raw
    defaults: _Raw
    items: list[_Raw]
    waivers: list[_Raw]


class _Problems:
    def __init__(self) -> None:
        self.items: list[SpecProblem] = []

    def add(self, origin: _Origin | None, key: str | None, message: str, file: str = "") -> None:
        line = origin.line(key) if origin else None
        self.items.append(SpecProblem(origin.file if origin else file, line, message))


def resolve_spec_path(spec: str | Path, root: Path | None = None) -> tuple[Path, str]:
    """Find the spec to use: a path, a bundled name, ROOT/annexa.toml, or the default.

    Returns the path and the source to show in reports (the bundled name, or
    the path as the user gave it).
    """
    text = str(spec)
    candidate = Path(text).expanduser()
    if candidate.is_file():
        return candidate, text
    bundled = bundled_spec_path(text)
    if bundled is not None:
        return bundled, text
    return candidate, text


def load_spec(spec: str | Path, *, display: str | None = None) -> Spec:
    """Load and validate a spec given as a path or a bundled name.

    Raises SpecError listing every problem, each as ``file:line: message``.
    """
    path, source = resolve_spec_path(spec)
    shown = display or (source if bundled_spec_path(source) == path else str(spec))
    problems = _Problems()
    document = _read_document(path, shown, problems, chain=())
    if document is None:
        raise SpecError(problems.items or [SpecProblem(shown, None, "spec could not be read")])
    result = _validate(document, source, problems)
    if problems.items:
        order = {file: n for n, file in enumerate(dict.fromkeys(p.file for p in problems.items))}
        raise SpecError(sorted(problems.items, key=lambda p: (order[p.file], p.line or 0)))
    assert result is not None
    return result


def _read_document(
    path: Path, shown: str, problems: _Problems, chain: tuple[Path, ...]
) -> _Document | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.items.append(
            SpecProblem(shown, None, "no such spec file or bundled spec (see 'annexa spec list')")
        )
        return None
    except OSError as exc:
        problems.items.append(SpecProblem(shown, None, f"cannot read the spec: {exc.strerror}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.items.append(SpecProblem(shown, line, "the spec is not UTF-8 text"))
        return None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.items.append(_syntax_problem(shown, exc))
        return None
    except RecursionError:
        problems.items.append(SpecProblem(shown, None, "the spec is nested too deeply to read"))
        return None
    lines = map_lines(text)
    top = _Origin(shown, lines, "", 0)

    def origin(table: str, index: int = 0) -> _Origin:
        return _Origin(shown, lines, table, index)

    for key in parsed:
        if key not in TOP_KEYS:
            problems.add(
                _Origin(shown, lines, key, 0) if lines.table(key) else top,
                key,
                _unknown(key, TOP_KEYS, "at the top of the spec"),
            )

    spec_table = _table(parsed, "spec", origin("spec"), problems)
    defaults_table = _table(parsed, "defaults", origin("defaults"), problems)
    items = _array(parsed, "item", origin, problems)
    waivers = _array(parsed, "waiver", origin, problems)

    document = _Document(shown, _Raw(), _Raw(), [], [])
    extends = spec_table.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not extends.strip():
            problems.add(origin("spec"), "extends", "'extends' must name a bundled spec or a file")
        else:
            base_path, base_source = _resolve_base(extends, path)
            if base_path.resolve() in chain or base_path.resolve() == path.resolve():
                problems.add(origin("spec"), "extends", f"'extends = {extends!r}' extends itself")
            else:
                base = _read_document(base_path, base_source, problems, (*chain, path.resolve()))
                if base is not None:
                    document = base
                    document.file = shown

    document.spec.update({k: v for k, v in spec_table.items() if k != "extends"}, origin("spec"))
    if "extends" in spec_table:
        document.spec.values.pop("exclude", None)
    document.defaults.update(defaults_table, origin("defaults"))
    excluded = spec_table.get("exclude", [])
    if excluded and isinstance(excluded, list):
        known = {raw.values.get("id") for raw in document.items}
        for item_id in excluded:
            if item_id not in known:
                problems.add(
                    origin("spec"),
                    "exclude",
                    f"'exclude' names {item_id!r}, which the base spec does not have",
                )
        document.items = [raw for raw in document.items if raw.values.get("id") not in excluded]
        document.waivers = [raw for raw in document.waivers if raw.values.get("item") not in excluded]
    elif "exclude" in spec_table and not isinstance(excluded, list):
        problems.add(origin("spec"), "exclude", "'exclude' must be a list of item ids")

    by_id = {
        raw.values.get("id"): raw for raw in document.items if isinstance(raw.values.get("id"), str)
    }
    for index, values in items:
        item_id = values.get("id")
        if extends is not None and isinstance(item_id, str) and item_id in by_id:
            by_id[item_id].update(values, origin("item", index))  # override keys of a base item
            continue
        raw = _Raw()
        raw.update(values, origin("item", index))
        raw.origin = origin("item", index)
        document.items.append(raw)
    for index, values in waivers:
        raw = _Raw()
        raw.update(values, origin("waiver", index))
        raw.origin = origin("waiver", index)
        document.waivers.append(raw)
    return document


def _resolve_base(extends: str, child: Path) -> tuple[Path, str]:
    bundled = bundled_spec_path(extends)
    relative = (child.parent / extends).expanduser()
    if relative.is_file():
        return relative, extends
    if bundled is not None:
        return bundled, extends
    return relative, extends


def _syntax_problem(shown: str, exc: Exception) -> SpecProblem:
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line = int(match.group(1)) if match else getattr(exc, "lineno", None)
    text = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).strip() or "invalid TOML"
    text = text[0].lower() + text[1:]
    return SpecProblem(shown, line, f"TOML syntax error: {text}")


def _table(
    parsed: dict[str, Any], name: str, origin: _Origin, problems: _Problems
) -> dict[str, Any]:
    value = parsed.get(name, {})
    if not isinstance(value, dict):
        problems.add(origin, None, f"'{name}' must be a table ([{name}])")
        return {}
    return value


def _array(
    parsed: dict[str, Any], name: str, origin: Any, problems: _Problems
) -> list[tuple[int, dict[str, Any]]]:
    value = parsed.get(name, [])
    if isinstance(value, dict):
        problems.add(origin(name), None, f"'{name}' must be written [[{name}]], one per {name}")
        return []
    if not isinstance(value, list):
        problems.add(origin(name), None, f"'{name}' must be written [[{name}]], one per {name}")
        return []
    out = []
    for index, entry in enumerate(value):
        if isinstance(entry, dict):
            out.append((index, entry))
        else:
            problems.add(origin(name, index), None, f"each '{name}' must be a table ([[{name}]])")
    return out


def _unknown(key: str, known: tuple[str, ...], where: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"'{key}' is not a known key {where}{hint}"


# ---------------------------------------------------------------------------
# Validation of the merged document
# ---------------------------------------------------------------------------


def _validate(document: _Document, source: str, problems: _Problems) -> Spec | None:
    spec = document.spec
    for key in spec.values:
        if key not in SPEC_KEYS:
            problems.add(spec.origins[key], key, _unknown(key, SPEC_KEYS, "in [spec]"))
    name = spec.values.get("name", Path(document.file).stem)
    if not isinstance(name, str) or not name.strip():
        problems.add(spec.origins.get("name"), "name", "'name' in [spec] must be text")
        name = Path(document.file).stem
    version = spec.values.get("version")
    if version is not None and not isinstance(version, (str, int, float)):
        problems.add(spec.origins.get("version"), "version", "'version' in [spec] must be text")
        version = None

    defaults = _Raw()
    defaults.values = dict(BUILTIN_DEFAULTS)
    for key, value in document.defaults.values.items():
        origin = document.defaults.origins[key]
        if key not in DEFAULT_KEYS:
            message = _unknown(key, DEFAULT_KEYS, "in [defaults]")
            if key in ITEM_KEYS:
                message = f"'{key}' can only be set on an item, not in [defaults]"
            problems.add(origin, key, message)
            continue
        defaults.values[key] = value
        defaults.origins[key] = origin

    _check_defaults(defaults, problems)

    items: list[ItemRule] = []
    seen: dict[str, _Raw] = {}
    for raw in document.items:
        item_id = raw.values.get("id")
        duplicate = isinstance(item_id, str) and item_id in seen
        if duplicate:
            first = seen[item_id].origin
            where = f" (first defined at line {first.line()})" if first and first.line() else ""
            problems.add(
                raw.origins.get("id", raw.origin), "id", f"duplicate item id {item_id!r}{where}"
            )
        elif isinstance(item_id, str):
            seen[item_id] = raw
        rule = _validate_item(raw, defaults, problems)
        if rule is not None and not duplicate:
            items.append(rule)
    if not document.items:
        problems.items.append(
            SpecProblem(document.file, None, "the spec has no [[item]]: nothing would be checked")
        )

    waivers: list[Waiver] = []
    for raw in document.waivers:
        waiver = _validate_waiver(raw, seen, problems)
        if waiver is not None:
            waivers.append(waiver)
    if problems.items:
        return None
    return Spec(
        name=name.strip(),
        version=str(version) if version is not None else None,
        source=source,
        items=tuple(items),
        waivers=tuple(waivers),
    )


class _Check:
    """Typed reads of one item's keys, recording a problem instead of raising."""

    def __init__(self, raw: _Raw, defaults: _Raw, problems: _Problems, what: str) -> None:
        self.raw, self.defaults, self.problems, self.what = raw, defaults, problems, what
        self.failed = False

    def origin(self, key: str) -> _Origin | None:
        if key in self.raw.values:
            return self.raw.origins.get(key, self.raw.origin)
        return self.defaults.origins.get(key, self.raw.origin)

    def value(self, key: str) -> Any:
        if key in self.raw.values:
            return self.raw.values[key]
        return self.defaults.values.get(key)

    def fail(self, key: str | None, message: str) -> None:
        self.failed = True
        self.problems.add(
            self.origin(key) if key else self.raw.origin, key, f"{self.what}: {message}"
        )

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.value(key)
        if value is None:
            if required:
                self.fail(None, f"'{key}' is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"'{key}' must be non-empty text")
            return None
        return value.strip()

    def boolean(self, key: str, default: bool) -> bool:
        value = self.value(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false")
            return default
        return value

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.value(key)
        if value is None:
            if required:
                self.fail(None, f"'{key}' is required")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"'{key}' must be a list of text values, none of them empty")
            return ()
        if required and not value:
            self.fail(key, f"'{key}' must not be empty")
        return tuple(v.strip() for v in value)

    def duration(self, key: str) -> Duration | None:
        value = self.value(key)
        if value is None:
            return None
        try:
            return Duration.parse(value)
        except DurationError as exc:
            self.fail(key, f"'{key}': {exc}")
            return None

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        """A value from a fixed list, compared without regard to case."""
        value = self.value(key)
        if value is None:
            return None
        folded = {c.casefold(): c for c in choices}
        if not isinstance(value, str) or value.strip().casefold() not in folded:
            self.fail(
                key, f"'{key}' must be one of {', '.join(repr(c) for c in choices)}, not {value!r}"
            )
            return None
        return folded[value.strip().casefold()]


def _check_defaults(defaults: _Raw, problems: _Problems) -> None:
    """Check each value set in [defaults] once, so a bad default is reported
    once rather than once per item; a bad value falls back to the built-in one."""
    for key in list(defaults.origins):
        probe = _Raw(values={key: defaults.values[key]}, origins={key: defaults.origins[key]})
        check = _Check(probe, _Raw(), problems, "[defaults]")
        _read_setting(check, key)
        if check.failed:
            if key in BUILTIN_DEFAULTS:
                defaults.values[key] = BUILTIN_DEFAULTS[key]
            else:
                defaults.values.pop(key, None)
            defaults.origins.pop(key, None)


def _read_setting(check: _Check, key: str) -> Any:
    """Read one of the keys [defaults] and items share, recording problems."""
    if key in ("max_age", "due_soon", "grace"):
        return check.duration(key)
    if key == "formats":
        return check.strings(key, required=True)
    if key == "date_sources":
        sources = check.strings(key, required=True)
        for source in sources:
            if source not in DATE_SOURCE_NAMES:
                check.fail(key, _unknown_value(source, DATE_SOURCE_NAMES, "a date source"))
        if len(set(sources)) != len(sources):
            check.fail(key, "'date_sources' lists a source twice")
        return sources
    if key == "date_order":
        return check.choice(key, DATE_ORDERS)
    if key == "year_end":
        return check.choice(key, YEAR_ENDS)
    if key == "draft_markers":
        return check.strings(key)
    if key == "required":
        return check.boolean(key, True)
    return check.text(key)


def _validate_item(raw: _Raw, defaults: _Raw, problems: _Problems) -> ItemRule | None:
    item_id = raw.values.get("id")
    what = f"item {item_id!r}" if isinstance(item_id, str) else "item"
    check = _Check(raw, defaults, problems, what)
    for key in raw.values:
        if key not in ITEM_KEYS:
            check.fail(key, _unknown(key, ITEM_KEYS, "in an item"))
    if item_id is None:
        check.fail(None, "'id' is required (a short, stable name such as 'A1')")
    elif not isinstance(item_id, str) or not _ID.match(item_id):
        check.fail(
            "id", "'id' must be short text of letters, digits, '.', '_' or '-' (for example 'A1')"
        )
    title = check.text("title", required=True)
    section = check.text("section")
    owner = check.text("owner")
    patterns = check.strings("patterns", required=True)
    matchers = []
    for pattern in patterns:
        try:
            matchers.append(compile_glob(pattern))
        except GlobError as exc:
            check.fail("patterns", str(exc))
    keywords = check.strings("keywords")
    required = check.boolean("required", True)
    formats_raw = check.strings("formats", required=True)
    formats = frozenset(f.lower().lstrip(".") for f in formats_raw)
    max_age = check.duration("max_age")
    due_soon = check.duration("due_soon") or Duration(30, "days")
    grace = check.duration("grace") or Duration(6, "months")
    sources = _read_setting(check, "date_sources")
    date_order = check.choice("date_order", DATE_ORDERS) or "DMY"
    year_end = check.choice("year_end", YEAR_ENDS) or "march"
    period = check.choice("period", PERIODS)
    markers = check.strings("draft_markers")
    count = check.value("count")
    if count is None:
        count = 1
    elif isinstance(count, bool) or not isinstance(count, int) or count < 1:
        check.fail("count", "'count' must be a whole number of 1 or more")
        count = 1
    sheet = check.text("sheet")
    columns = check.strings("columns")
    if check.failed or not isinstance(item_id, str) or title is None:
        return None
    return ItemRule(
        id=item_id,
        title=title,
        patterns=patterns,
        matchers=tuple(matchers),
        formats=formats,
        max_age=max_age,
        due_soon=due_soon,
        dating=DatingOptions(
            date_sources=sources,
            date_order=date_order,
            year_end=year_end,
            draft_markers=tuple(m.lower() for m in markers),
        ),
        section=section,
        keywords=keywords,
        required=required,
        owner=owner,
        count=count,
        period=period,
        grace=grace,
        sheet=sheet,
        columns=columns,
        line=raw.origin.line() if raw.origin else None,
    )


def _unknown_value(value: str, known: tuple[str, ...], what: str) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; use one of {', '.join(known)}"
    return f"{value!r} is not {what}{hint}"


def _validate_waiver(raw: _Raw, items: dict[str, _Raw], problems: _Problems) -> Waiver | None:
    item_id = raw.values.get("item")
    what = f"waiver for {item_id!r}" if isinstance(item_id, str) else "waiver"
    check = _Check(raw, _Raw(), problems, what)
    for key in raw.values:
        if key not in WAIVER_KEYS:
            check.fail(key, _unknown(key, WAIVER_KEYS, "in a waiver"))
    if item_id is None:
        check.fail(None, "'item' is required: the id of the item it waives")
    elif not isinstance(item_id, str):
        check.fail("item", "'item' must be an item id")
    elif item_id not in items:
        close = difflib.get_close_matches(item_id, list(items), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        check.fail("item", f"no item has the id {item_id!r}{hint}")
    reason = raw.values.get("reason")
    if reason is None:
        check.fail(None, "'reason' is required: say why the gap is accepted")
    elif not isinstance(reason, str) or not reason.strip():
        check.fail("reason", "'reason' must be non-empty text")
    until = raw.values.get("until")
    if until is None:
        check.fail(None, "'until' is required: every waiver must expire (until = 2015-10-31)")
    else:
        until = _as_date(until)
        if until is None:
            check.fail("until", "'until' must be a date written YYYY-MM-DD (until = 2015-10-31)")
    approved_by = check.text("approved_by")
    if check.failed:
        return None
    return Waiver(
        item=item_id,
        reason=reason.strip(),
        until=until,
        approved_by=approved_by,
        line=raw.origin.line() if raw.origin else None,
    )


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
