"""Load a spec: read it (``reader``), check it (``validate``), report every problem at once.

A spec is edited by people who are not programmers, so one run of
``annexa spec check`` lists every problem with its file and line, in words
("ilacs.toml:42: item 'A7': 'patern' is not a known key; did you mean
'patterns'?"), instead of stopping at the first.
"""

from __future__ import annotations

from pathlib import Path

from annexa.spec.bundled import bundled_spec_path
from annexa.spec.raw import Problems, SpecError, SpecProblem
from annexa.spec.reader import TOP_KEYS, read_document, resolve_spec_path, spec_files
from annexa.spec.rules import Spec
from annexa.spec.validate import (
    COLUMN_KEYS,
    DEFAULT_KEYS,
    ITEM_KEYS,
    SPEC_KEYS,
    WAIVER_KEYS,
    validate,
)

__all__ = [
    "COLUMN_KEYS",
    "DEFAULT_KEYS",
    "ITEM_KEYS",
    "SPEC_KEYS",
    "TOP_KEYS",
    "WAIVER_KEYS",
    "SpecError",
    "SpecProblem",
    "load_spec",
    "resolve_spec_path",
    "spec_files",
]


def load_spec(spec: str | Path) -> Spec:
    """Load and validate a spec given as a path or a bundled name.

    Raises SpecError listing every problem, each as ``file:line: message``.
    """
    path, source = resolve_spec_path(spec)
    shown = source if bundled_spec_path(source) == path else str(spec)
    problems = Problems()
    document = read_document(path, shown, problems, chain=())
    if document is None:
        raise SpecError(problems.items or [SpecProblem(shown, None, "spec could not be read")])
    result = validate(document, source, problems)
    if problems.items:
        order = {file: n for n, file in enumerate(dict.fromkeys(p.file for p in problems.items))}
        raise SpecError(sorted(problems.items, key=lambda p: (order[p.file], p.line or 0)))
    assert result is not None
    return result
