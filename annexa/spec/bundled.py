"""The specs that ship with annexa, found by name ("ilacs").

They live in ``annexa/specs`` in the repository and in the installed
package alike, so the ``#:schema ../schemas/spec.schema.json`` line each
starts with points at the shipped schema wherever annexa is.
"""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_SPEC = "ilacs"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def bundled_specs_dir() -> Path | None:
    folder = Path(__file__).resolve().parent.parent / "specs"
    return folder if folder.is_dir() else None


def bundled_spec_names() -> list[str]:
    folder = bundled_specs_dir()
    if folder is None:
        return []
    return sorted(path.stem for path in folder.glob("*.toml"))


def bundled_spec_path(name: str) -> Path | None:
    """The file of a bundled spec, or None when ``name`` is not one."""
    if not _NAME.match(name.removesuffix(".toml")):
        return None
    folder = bundled_specs_dir()
    if folder is None:
        return None
    path = folder / f"{name.removesuffix('.toml')}.toml"
    return path if path.is_file() else None
