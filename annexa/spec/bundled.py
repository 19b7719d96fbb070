"""The specs that ship with annexa, found by name ("ilacs").

``specs/`` at the top of the repository is the source of truth; the wheel
carries it as ``annexa/specs`` (see pyproject.toml). A checkout or an
editable install has no ``annexa/specs``, so the repository folder is the
fallback.
"""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_SPEC = "ilacs"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def bundled_specs_dir() -> Path | None:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "specs", package.parent / "specs"):
        if candidate.is_dir():
            return candidate
    return None


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
