"""Export the report on screen to a file, never inside ROOT.

annexa never writes under the folder it checks: a report saved there would
be listed as an unmatched file, could be taken for evidence, and would break
the promise the share's owners rely on. So the default place is the current
folder (or the home folder when the current folder is inside ROOT), and a
path inside ROOT is refused with a reason.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from annexa.finding.walk import is_inside
from annexa.formats import get_formatter
from annexa.model import Report

EXTENSIONS: dict[str, str] = {
    "text": "txt",
    "json": "json",
    "html": "html",
    "markdown": "md",
    "csv": "csv",
    "junit": "xml",
    "github": "txt",
}


class ExportRefused(ValueError):
    """The chosen path cannot be written; the message says why, in words."""


def extension_for(format_name: str) -> str:
    return EXTENSIONS.get(format_name, format_name)


def default_export_path(
    root: Path,
    format_name: str,
    as_of: dt.date,
    *,
    cwd: Path | None = None,
    home: Path | None = None,
) -> Path:
    """Where an export goes unless the user says otherwise: outside ROOT."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    folder = (
        here if not is_inside(here, root) else (Path(home) if home is not None else Path.home())
    )
    return folder / f"annexa-report-{as_of.isoformat()}.{extension_for(format_name)}"


def with_format(path: Path, format_name: str) -> Path:
    """The same path with the extension of another format."""
    return path.with_suffix("." + extension_for(format_name))


def check_target(path: Path, root: Path) -> Path:
    """The absolute path to write, or ExportRefused with the reason."""
    if not str(path).strip():
        raise ExportRefused("Type the path of the file to write.")
    path = Path(os.path.expanduser(str(path)))
    if not path.is_absolute():
        path = Path.cwd() / path
    if is_inside(path, root):
        raise ExportRefused(
            f"annexa never writes inside the folder it checks: choose a place outside {root}."
        )
    if path.is_dir():
        raise ExportRefused(f"{path} is a folder: add a file name.")
    if not path.parent.is_dir():
        raise ExportRefused(f"The folder {path.parent} does not exist.")
    return path


def write_export(report: Report, format_name: str, path: Path, root: Path) -> Path:
    """Render the report in a format and write it; returns the path written."""
    target = check_target(path, root)
    content = get_formatter(format_name)(report, colour=False)
    try:
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
    except OSError as exc:
        raise ExportRefused(f"{target} could not be written: {exc.strerror or exc}.") from exc
    return target
