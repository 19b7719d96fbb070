"""The bundled specs as a user meets them: ``annexa spec list`` and ``annexa spec init``.

A council should not have to copy and maintain a 500-line spec to change one
rule. ``init_text`` therefore writes a short file that *extends* a bundled
spec and shows, commented out, how to tighten a rule, add a local document,
drop an item and record a waiver; the bundled spec keeps improving underneath
it with each annexa release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from annexa.spec.bundled import bundled_spec_names, bundled_spec_path
from annexa.spec.loader import load_spec
from annexa.spec.rules import ItemRule, Spec


@dataclass(frozen=True, slots=True)
class BundledSpec:
    """One spec shipped with annexa, as ``annexa spec list`` shows it."""

    name: str  # what --spec and extends take ("ilacs")
    title: str  # the spec's own name ("Ofsted ILACS Annex A documents")
    version: str | None
    items: int
    path: Path


def list_bundled() -> list[BundledSpec]:
    """Every bundled spec, loaded and validated, sorted by name.

    Each is loaded through ``load_spec`` so that the item count is the one a
    scan would use; a bundled spec that fails to load is a bug in annexa and
    raises SpecError.
    """
    found: list[BundledSpec] = []
    for name in bundled_spec_names():
        path = bundled_spec_path(name)
        if path is None:  # pragma: no cover - the folder changed under us
            continue
        spec = load_spec(name)
        found.append(BundledSpec(name, spec.name, spec.version, len(spec.items), path))
    return found


def init_text(name: str = "ilacs") -> str:
    """A commented starting spec that extends the bundled spec ``name``.

    Raises KeyError when no bundled spec has that name. The text loads as it
    stands (it only extends), and every commented example in it loads too
    once uncommented, so a user can switch examples on one at a time.
    """
    if bundled_spec_path(name) is None:
        raise KeyError(name)
    spec = load_spec(name)
    return _render(name, spec)


def _column_example(spec: Spec) -> list[str]:
    """For a spec of data lists: a column given another heading of the council's system."""
    column = next(
        (
            c
            for rule in spec.items
            for c in rule.column_rules
            if c.type == "date" and c.other_names and not c.personal
        ),
        None,
    )
    if column is None:
        return []
    names = [*column.other_names, f"{column.name} from CMS"]
    return [
        "# The heading your system gives a column of the lists. other_names replaces",
        "# the bundled ones, so keep those you still need.",
        "# [[column]]",
        f"# name = {_quoted(column.name)}",
        f"# other_names = [{', '.join(_quoted(n) for n in names)}]",
        "",
    ]


def _render(name: str, spec: Spec) -> str:
    first = spec.items[0]
    dropped = _optional_or_last(spec)
    waived = next((rule for rule in spec.items if rule.period), first)
    tighter = _tighter_age(first)
    lines = [
        f"# annexa spec for our Annex A folder, based on the bundled '{name}' spec",
        f"# ({spec.name}, version {spec.version or 'unversioned'}, {len(spec.items)} items).",
        "#",
        "# Save this as annexa.toml at the top of the folder annexa scans: annexa",
        "# uses it without being told. Check it after each edit with",
        "#",
        "#     annexa spec check annexa.toml",
        "#",
        f'# `extends = "{name}"` takes every item, rule and default of the bundled',
        f"# spec (they are listed, with the reason for each rule, in the {name}.toml",
        "# file that comes with annexa); what you write below changes or adds to",
        "# them. To use an example, remove the '# ' at the start of its lines.",
        "",
        "[spec]",
        f'extends = "{name}"',
        'name = "Our Annex A documents"',
        'version = "1"',
        "",
        "# Leave out items your council does not keep (the id is shown in reports):",
        f'# exclude = ["{dropped.id}"]',
        "",
        "# Defaults for every item; each key here can also be set on one item.",
        "# [defaults]",
        '# due_soon = "45 days"',
        "",
        "# Change one rule of a bundled item: give its id and only the keys you",
        "# change. Here the owner to chase, and a stricter age limit.",
        "# [[item]]",
        f'# id = "{first.id}"',
        '# owner = "Jo Smith, Head of Quality Assurance"',
        f'# max_age = "{tighter}"',
        "",
        "# A file name your council uses that the bundled patterns miss. Patterns",
        "# replace the bundled ones, so keep those you still need.",
        "# [[item]]",
        f'# id = "{first.id}"',
        "# patterns = [",
        *[f"#     {_quoted(pattern)}," for pattern in first.patterns],
        '#     "**/*our own name for it*",',
        "# ]",
        "",
        "# A document of your own, checked like the rest (a new id adds an item).",
        "# [[item]]",
        '# id = "X1"',
        '# title = "Youth justice plan"',
        '# section = "Local documents"',
        '# patterns = ["**/*youth*justice*plan*"]',
        '# max_age = "12 months"',
        '# owner = "Head of Youth Justice"',
        "",
        *_column_example(spec),
        "# A known gap, accepted until a date: the item shows as waived instead of",
        "# failing. Every waiver must end; after its date the item is judged as",
        "# usual and the report says the waiver has expired.",
        "# [[waiver]]",
        f'# item = "{waived.id}"',
        f"# reason = {_quoted(_waiver_reason(waived))}",
        "# until = 2015-10-31",
        '# approved_by = "Head of Service"',
        "",
    ]
    return "\n".join(lines)


def _optional_or_last(spec: Spec) -> ItemRule:
    """The natural item to show excluded: an optional one if there is one."""
    optional = [rule for rule in spec.items if not rule.required]
    return optional[-1] if optional else spec.items[-1]


def _tighter_age(rule: ItemRule) -> str:
    """An age limit stricter than the item's own, for the override example."""
    age = rule.max_age
    if age is None or age.amount < 2:
        return "6 months" if age is None or age.unit == "years" else "1 week"
    return f"{age.amount // 2} {age.unit}"


def _waiver_reason(rule: ItemRule) -> str:
    title = rule.title
    if title[1:2].islower():  # "Self-evaluation ..." reads "the new self-evaluation ..."
        title = title[0].lower() + title[1:]
    if rule.period:
        return f"This year's {title} goes to the board on 14 October"
    return f"The new {title} is being approved"


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


__all__ = ["BundledSpec", "init_text", "list_bundled"]
