"""The specs that ship with annexa, found by name ("ilacs").

They live in ``specs/`` at the top of the repository, beside the spec
schema, and the wheel carries that folder as ``annexa/specs``; so the
``#:schema ./spec.schema.json`` line each starts with points at the shipped
schema in a checkout and in an installed annexa alike.
"""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_SPEC = "ilacs"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def bundled_specs_dir() -> Path | None:
    """``annexa/specs`` in an installed annexa; ``specs/`` of the checkout annexa runs
    from (an editable install, the tests); None when neither is there."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "specs"
    if installed.is_dir():
        return installed
    checkout = package.parent
    source = checkout / "specs"
    if (checkout / "pyproject.toml").is_file() and source.is_dir():
        return source
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
