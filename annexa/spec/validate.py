"""Check a raw spec key by key and build the immutable Spec, listing every problem.

Defaults are folded into every item here, so the evaluator never asks where
a value was set; a bad default is reported once, not once per item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from annexa.finding.globs import GlobError, compile_glob
from annexa.model.durations import Duration, DurationError
from annexa.spec.raw import Origin, Problems, RawSpec, RawTable, SpecProblem, unknown_key
from annexa.spec.rules import (
    COLUMN_TYPES,
    DATE_ORDERS,
    PERIODS,
    TEMPLATES,
    YEAR_ENDS,
    ColumnRule,
    DatingOptions,
    ItemRule,
    Spec,
    Waiver,
)
from annexa.words.headings import heading_key

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
    "template": "current",
    "check_rows": True,
}

# Keys allowed in [defaults]; each may also be set on an item.
DEFAULT_KEYS = (*BUILTIN_DEFAULTS, "owner", "section", "fresh_within")
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
    "previous_columns",
    "template",
    "window",
    "window_start",
    "window_end",
    "unique",
    "check_rows",
    "fresh_within",
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
COLUMN_KEYS = (
    "name",
    "type",
    "required",
    "other_names",
    "codes",
    "same_codes_as",
    "age_of",
    "after",
    "personal",
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


def validate(document: RawSpec, source: str, problems: Problems) -> Spec | None:
    spec = document.spec
    for key in spec.values:
        if key not in SPEC_KEYS:
            problems.add(spec.origins[key], key, unknown_key(key, SPEC_KEYS, "in [spec]"))
    name = spec.values.get("name", Path(document.file).stem)
    if not isinstance(name, str) or not name.strip():
        problems.add(spec.origins.get("name"), "name", "'name' in [spec] must be text")
        name = Path(document.file).stem
    version = spec.values.get("version")
    if version is not None and (
        isinstance(version, bool) or not isinstance(version, (str, int, float))
    ):
        problems.add(spec.origins.get("version"), "version", "'version' in [spec] must be text")
        version = None
    description = spec.values.get("description")
    if description is not None and not isinstance(description, str):
        problems.add(
            spec.origins.get("description"), "description", "'description' in [spec] must be text"
        )

    defaults = RawTable()
    defaults.values = dict(BUILTIN_DEFAULTS)
    for key, value in document.defaults.values.items():
        origin = document.defaults.origins[key]
        if key not in DEFAULT_KEYS:
            message = unknown_key(key, DEFAULT_KEYS, "in [defaults]")
            if key in ITEM_KEYS:
                message = f"'{key}' can only be set on an item, not in [defaults]"
            problems.add(origin, key, message)
            continue
        defaults.values[key] = value
        defaults.origins[key] = origin

    _check_defaults(defaults, problems)
    columns = _validate_columns(document.columns, problems)

    items: list[ItemRule] = []
    seen: dict[str, RawTable] = {}
    for raw in document.items:
        item_id = raw.values.get("id")
        duplicate = isinstance(item_id, str) and item_id in seen
        if duplicate and isinstance(item_id, str):
            first = seen[item_id].origin
            where = f" (first defined at line {first.line()})" if first and first.line() else ""
            problems.add(
                raw.origins.get("id", raw.origin), "id", f"duplicate item id {item_id!r}{where}"
            )
        elif isinstance(item_id, str):
            seen[item_id] = raw
        rule = _validate_item(raw, defaults, columns, problems)
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

    def __init__(self, raw: RawTable, defaults: RawTable, problems: Problems, what: str) -> None:
        self.raw, self.defaults, self.problems, self.what = raw, defaults, problems, what
        self.failed = False

    def origin(self, key: str) -> Origin | None:
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


def _check_defaults(defaults: RawTable, problems: Problems) -> None:
    """Check each value set in [defaults] once, so a bad default is reported
    once rather than once per item; a bad value falls back to the built-in one."""
    for key in list(defaults.origins):
        probe = RawTable(values={key: defaults.values[key]}, origins={key: defaults.origins[key]})
        check = _Check(probe, RawTable(), problems, "[defaults]")
        _read_setting(check, key)
        if check.failed:
            if key in BUILTIN_DEFAULTS:
                defaults.values[key] = BUILTIN_DEFAULTS[key]
            else:
                defaults.values.pop(key, None)
            defaults.origins.pop(key, None)


def _read_setting(check: _Check, key: str) -> Any:
    """Read one of the keys [defaults] and items share, recording problems."""
    if key in ("max_age", "due_soon", "grace", "fresh_within"):
        return check.duration(key)
    if key == "template":
        return check.choice(key, TEMPLATES)
    if key == "check_rows":
        return check.boolean(key, True)
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


def _validate_item(
    raw: RawTable, defaults: RawTable, known: dict[str, ColumnRule], problems: Problems
) -> ItemRule | None:
    item_id = raw.values.get("id")
    what = f"item {item_id!r}" if isinstance(item_id, str) else "item"
    check = _Check(raw, defaults, problems, what)
    for key in raw.values:
        if key not in ITEM_KEYS:
            check.fail(key, unknown_key(key, ITEM_KEYS, "in an item"))
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
    previous = check.strings("previous_columns")
    template = check.choice("template", TEMPLATES) or "current"
    if template == "previous" and previous:
        columns = previous
    column_rules = _item_columns(check, columns, known)
    window = check.duration("window")
    window_start = _column_named(check, "window_start", columns)
    window_end = _column_named(check, "window_end", columns)
    unique = _column_named(check, "unique", columns)
    if window is not None and window_start is None:
        check.fail("window", "'window' needs 'window_start', the column whose date places a row")
    if window is None and (window_start or window_end):
        check.fail("window_start", "'window_start' needs 'window', how far back the list goes")
    check_rows = check.boolean("check_rows", True)
    fresh_within = check.duration("fresh_within")
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
        columns=tuple(c.name for c in column_rules) if column_rules else columns,
        line=raw.origin.line() if raw.origin else None,
        column_rules=column_rules,
        previous_columns=previous,
        template=template,
        window=window,
        window_start=window_start,
        window_end=window_end,
        unique=unique,
        check_rows=check_rows,
        fresh_within=fresh_within,
    )


def _item_columns(
    check: _Check, names: tuple[str, ...], known: dict[str, ColumnRule]
) -> tuple[ColumnRule, ...]:
    """The item's columns, each as a ``[[column]]`` describes it (or a heading alone)."""
    rules: list[ColumnRule] = []
    seen: dict[str, str] = {}
    for name in names:
        rule = known.get(heading_key(name)) or ColumnRule(name)
        for key in rule.keys:
            other = seen.get(key)
            if other is not None and other != rule.name:
                check.fail(
                    "columns",
                    f"'{other}' and '{rule.name}' would both be found by a heading {key!r}: "
                    "give each column names of its own",
                )
            seen[key] = rule.name
        rules.append(rule)
    return tuple(rules)


def _column_named(check: _Check, key: str, columns: tuple[str, ...]) -> str | None:
    """A key that names one of the item's columns; the column's name as the item gives it."""
    value = check.text(key)
    if value is None:
        return None
    by_key = {heading_key(c): c for c in columns}
    found = by_key.get(heading_key(value))
    if found is None:
        check.fail(key, f"'{key}' names {value!r}, which is not one of the item's columns")
    return found


def _validate_columns(raws: list[RawTable], problems: Problems) -> dict[str, ColumnRule]:
    """Every ``[[column]]``, by heading key; references between them checked."""
    found: dict[str, tuple[ColumnRule, RawTable, str | None]] = {}
    for raw in raws:
        read = _validate_column(raw, problems)
        if read is None:
            continue
        rule, same_codes_as = read
        key = heading_key(rule.name)
        if key in found:
            first = found[key][1].origin
            where = f" (first defined at line {first.line()})" if first and first.line() else ""
            problems.add(
                raw.origins.get("name", raw.origin),
                "name",
                f"column {rule.name!r} is defined twice{where}",
            )
            continue
        found[key] = (rule, raw, same_codes_as)
    columns: dict[str, ColumnRule] = {}
    for key, (rule, raw, same_codes_as) in found.items():
        check = _Check(raw, RawTable(), problems, f"column {rule.name!r}")
        if same_codes_as is not None:
            source = found.get(heading_key(same_codes_as))
            if source is None or not source[0].codes:
                check.fail(
                    "same_codes_as",
                    f"'same_codes_as' names {same_codes_as!r}, which is no column with 'codes'",
                )
            else:
                rule = dataclasses.replace(rule, codes=source[0].codes)
        for ref in ("age_of", "after"):
            named = getattr(rule, ref)
            if named is None:
                continue
            target = found.get(heading_key(named))
            if target is None or target[0].type != "date":
                check.fail(ref, f"'{ref}' names {named!r}, which is no column of type 'date'")
            elif ref == "age_of":
                rule = dataclasses.replace(rule, age_of=target[0].name)
            else:
                rule = dataclasses.replace(rule, after=target[0].name)
        columns[key] = rule
    return columns


def _validate_column(raw: RawTable, problems: Problems) -> tuple[ColumnRule, str | None] | None:
    name = raw.values.get("name")
    what = f"column {name!r}" if isinstance(name, str) else "column"
    check = _Check(raw, RawTable(), problems, what)
    for key in raw.values:
        if key not in COLUMN_KEYS:
            check.fail(key, unknown_key(key, COLUMN_KEYS, "in a column"))
    name = check.text("name", required=True)
    kind = check.choice("type", COLUMN_TYPES)
    required = check.boolean("required", False)
    other_names = check.strings("other_names")
    codes = _codes(check)
    same_codes_as = check.text("same_codes_as")
    age_of = check.text("age_of")
    after = check.text("after")
    personal = check.boolean("personal", False)
    if (codes or same_codes_as) and kind != "code":
        check.fail("codes", "'codes' and 'same_codes_as' are for columns of type 'code'")
    if kind == "code" and not codes and same_codes_as is None:
        check.fail("type", "a column of type 'code' needs 'codes' (or 'same_codes_as')")
    if codes and same_codes_as is not None:
        check.fail("same_codes_as", "give either 'codes' or 'same_codes_as', not both")
    if age_of is not None and kind != "whole number":
        check.fail("age_of", "'age_of' is for columns of type 'whole number'")
    if (after is not None or personal) and kind != "date":
        check.fail("after" if after is not None else "personal", "for columns of type 'date' only")
    if check.failed or name is None:
        return None
    rule = ColumnRule(
        name=name,
        type=kind,
        required=required,
        other_names=other_names,
        codes=codes,
        age_of=age_of,
        after=after,
        personal=personal or (kind == "date" and "birth" in heading_key(name)),
    )
    return rule, same_codes_as


def _codes(check: _Check) -> tuple[tuple[str, ...], ...]:
    """``codes``: each code a text, or a list of the ways it is written (the first shown)."""
    value = check.value("codes")
    if value is None:
        return ()
    message = (
        "'codes' must be a list of codes, each a text or a list of the ways it is written "
        '(codes = ["a) Yes", ["b) No", "N"]])'
    )
    if not isinstance(value, list) or not value:
        check.fail("codes", message)
        return ()
    codes = []
    for entry in value:
        spellings = [entry] if isinstance(entry, str) else entry
        if (
            not isinstance(spellings, list)
            or not spellings
            or not all(isinstance(s, str) and s.strip() for s in spellings)
        ):
            check.fail("codes", message)
            return ()
        codes.append(tuple(s.strip() for s in spellings))
    return tuple(codes)


def _unknown_value(value: str, known: tuple[str, ...], what: str) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; use one of {', '.join(known)}"
    return f"{value!r} is not {what}{hint}"


def _validate_waiver(
    raw: RawTable, items: dict[str, RawTable], problems: Problems
) -> Waiver | None:
    item_id = raw.values.get("item")
    what = f"waiver for {item_id!r}" if isinstance(item_id, str) else "waiver"
    check = _Check(raw, RawTable(), problems, what)
    for key in raw.values:
        if key not in WAIVER_KEYS:
            check.fail(key, unknown_key(key, WAIVER_KEYS, "in a waiver"))
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
    if check.failed or not isinstance(item_id, str) or not isinstance(reason, str):
        return None
    assert isinstance(until, dt.date)
    return Waiver(
        item=item_id,
        reason=reason.strip(),
        until=until,
        approved_by=approved_by,
        line=raw.origin.line() if raw.origin else None,
    )


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _as_date(value: Any) -> dt.date | None:
    """A date written YYYY-MM-DD (a TOML date reaches here as that text), else None.

    Exactly the schema's pattern: no time of day, no week dates, no spaces.
    """
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
