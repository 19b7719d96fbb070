"""Read a spec file (and the spec it extends) into raw tables with line numbers.

Syntax errors, unreadable files and unknown top-level tables are recorded as
problems; checking the values is ``annexa.spec.validate``'s job.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from annexa.finding.safe_open import open_read_only
from annexa.spec.bundled import bundled_spec_path
from annexa.spec.lines import map_lines
from annexa.spec.raw import Origin, Problems, RawSpec, RawTable, SpecProblem, unknown_key
from annexa.words.headings import heading_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

TOP_KEYS = ("spec", "defaults", "item", "waiver", "column")

MAX_SPEC_BYTES = 16 * 1024 * 1024
"""A spec of 10,000 items is about 2 MB: anything past this is not a spec."""


class _Refused(Exception):
    """Not a file a spec can be read from; ``str(exc)`` says why."""


def _read_bytes(path: Path) -> bytes:
    """A spec file's bytes, read only if it is a regular file of a sensible size.

    A spec is text anyone can commit, and ``extends`` may name any path:
    ``/dev/zero`` or a named pipe would otherwise be read for ever.
    """
    fd, info = open_read_only(path)
    try:
        if stat.S_ISDIR(info.st_mode):
            raise _Refused("it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise _Refused("it is not a regular file (a pipe or a device)")
        if info.st_size > MAX_SPEC_BYTES:
            raise _Refused(f"it is too large for a spec ({info.st_size:,} bytes)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_SPEC_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SPEC_BYTES:
        raise _Refused("it is too large for a spec")
    return data


def resolve_spec_path(spec: str | Path) -> tuple[Path, str]:
    """Find the spec to use: a file's path, or a bundled spec's name.

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


def read_document(
    path: Path,
    shown: str,
    problems: Problems,
    chain: tuple[Path, ...],
    files: list[Path] | None = None,
) -> RawSpec | None:
    """The spec at ``path`` merged over the chain of specs it ``extends``; None when it
    cannot be read. ``files``, when given, collects the chain's local files (see
    ``spec_files``)."""
    if files is not None:
        _note_file(files, path, shown)
    try:
        data = _read_bytes(path)
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the name
        problems.items.append(
            SpecProblem(shown, None, "no such spec file or bundled spec (see 'annexa spec list')")
        )
        return None
    except _Refused as exc:
        problems.items.append(SpecProblem(shown, None, f"cannot read the spec: {exc}"))
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
    top = Origin(shown, lines, "", 0)

    def origin(table: str, index: int = 0) -> Origin:
        return Origin(shown, lines, table, index)

    for key in parsed:
        if key not in TOP_KEYS:
            problems.add(
                Origin(shown, lines, key, 0) if lines.table(key) else top,
                key,
                unknown_key(key, TOP_KEYS, "at the top of the spec"),
            )

    spec_table = _table(parsed, "spec", origin("spec"), problems)
    defaults_table = _table(parsed, "defaults", origin("defaults"), problems)
    items = _array(parsed, "item", origin, problems)
    waivers = _array(parsed, "waiver", origin, problems)
    columns = _array(parsed, "column", origin, problems)

    document = RawSpec(shown, RawTable(), RawTable(), [], [])
    extends = spec_table.get("extends")
    if extends is not None:
        if not isinstance(extends, str) or not extends.strip():
            problems.add(origin("spec"), "extends", "'extends' must name a bundled spec or a file")
        else:
            base_path, base_source = _resolve_base(extends, path)
            if files is not None:
                _note_file(files, base_path, base_source)  # a missing base too: it may appear
            try:
                found = base_path.is_file()
                resolved = base_path.resolve()
            except (OSError, ValueError, RuntimeError):
                found = False
            if not found:  # the mistake is here, on this line, not in a file that is not there
                problems.add(
                    origin("spec"),
                    "extends",
                    f"'extends' names {extends!r}, which is no spec file and no bundled spec "
                    "(see 'annexa spec list')",
                )
            elif resolved in chain or resolved == path.resolve():
                problems.add(origin("spec"), "extends", f"'extends = {extends!r}' extends itself")
            else:
                base = read_document(
                    base_path, base_source, problems, (*chain, path.resolve()), files
                )
                if base is not None:
                    document = base
                    document.file = shown

    document.spec.update({k: v for k, v in spec_table.items() if k != "extends"}, origin("spec"))
    if "extends" in spec_table:
        document.spec.values.pop("exclude", None)
    document.defaults.update(defaults_table, origin("defaults"))
    excluded = spec_table.get("exclude", [])
    if not isinstance(excluded, list) or not all(isinstance(i, str) for i in excluded):
        problems.add(origin("spec"), "exclude", "'exclude' must be a list of item ids")
        excluded = [i for i in excluded if isinstance(i, str)] if isinstance(excluded, list) else []
    if excluded:
        known = {raw.values.get("id") for raw in document.items}
        for item_id in excluded:
            if item_id not in known:
                problems.add(
                    origin("spec"),
                    "exclude",
                    f"'exclude' names {item_id!r}, which the base spec does not have",
                )
        document.items = [raw for raw in document.items if raw.values.get("id") not in excluded]
        document.waivers = [
            raw for raw in document.waivers if raw.values.get("item") not in excluded
        ]

    by_id = {
        raw.values.get("id"): raw for raw in document.items if isinstance(raw.values.get("id"), str)
    }
    for index, values in items:
        item_id = values.get("id")
        if extends is not None and isinstance(item_id, str) and item_id in by_id:
            by_id[item_id].update(values, origin("item", index))  # override keys of a base item
            continue
        raw = RawTable()
        raw.update(values, origin("item", index))
        raw.origin = origin("item", index)
        document.items.append(raw)
    for index, values in waivers:
        raw = RawTable()
        raw.update(values, origin("waiver", index))
        raw.origin = origin("waiver", index)
        document.waivers.append(raw)
    by_name = {
        heading_key(name): raw
        for raw in document.columns
        if isinstance(name := raw.values.get("name"), str)
    }
    for index, values in columns:
        name = values.get("name")
        same = by_name.get(heading_key(name)) if isinstance(name, str) else None
        if extends is not None and same is not None:
            same.update(values, origin("column", index))  # override keys of a base column
            continue
        raw = RawTable()
        raw.update(values, origin("column", index))
        raw.origin = origin("column", index)
        document.columns.append(raw)
    return document


def spec_files(spec: str | Path) -> tuple[Path, ...]:
    """The files a spec is read from: its own and each one it ``extends``, in order.

    ``annexa watch`` reloads the spec when any of them changes: a council's
    ``annexa.toml`` often only adjusts a shared base file, and an edit there
    must show too. Bundled specs are part of annexa and are left out. The
    chain ends at a file that cannot be read or parsed, or that was seen
    before; ``load_spec`` says what is wrong with it.
    """
    path, source = resolve_spec_path(spec)
    shown = source if bundled_spec_path(source) == path else str(spec)
    files: list[Path] = []
    read_document(path, shown, Problems(), (), files)
    return tuple(files)


def _note_file(files: list[Path], path: Path, shown: str) -> None:
    """Add a spec file of the chain to ``files``, once; a bundled spec never changes."""
    if bundled_spec_path(shown) == path:
        return
    try:
        resolved = path.resolve()
    except (OSError, ValueError, RuntimeError):
        return
    if resolved not in files:
        files.append(resolved)


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


def _table(parsed: dict[str, Any], name: str, origin: Origin, problems: Problems) -> dict[str, Any]:
    value = parsed.get(name, {})
    if not isinstance(value, dict):
        problems.add(origin, None, f"'{name}' must be a table ([{name}])")
        return {}
    return value


def _array(
    parsed: dict[str, Any], name: str, origin: Any, problems: Problems
) -> list[tuple[int, dict[str, Any]]]:
    value = parsed.get(name, [])
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
