"""Export what the screen shows to a file in the user's Documents folder, never inside ROOT.

annexa never writes under the folder it checks: a report saved there would
be listed as a file that matches no item, could be taken for evidence, and
would break the promise the share's owners rely on. So the default place is
the user's Documents folder (where Windows users look for what they saved),
and a path inside ROOT is refused with a reason. The report written is the
one on screen: the items of the tab, filter and search in use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from annexa.finding.walk import is_inside
from annexa.formats import file_encoding, get_formatter
from annexa.model import ItemResult, Report

# (format, what people call it), in the order the dialog offers them.
FORMATS: tuple[tuple[str, str], ...] = (
    ("html", "Web page (HTML)"),
    ("csv", "Excel (CSV)"),
    ("markdown", "Markdown (for Teams, wikis and GitHub)"),
    ("text", "Plain text"),
    ("json", "JSON (for other programs)"),
    ("junit", "JUnit XML (for build servers)"),
    ("github", "GitHub annotations (for build servers)"),
)

EXTENSIONS: dict[str, str] = {
    "text": "txt",
    "json": "json",
    "html": "html",
    "markdown": "md",
    "csv": "csv",
    "junit": "xml",
    "github": "txt",
}

# Windows' id for the Documents folder (FOLDERID_Documents), wherever it was moved.
_FOLDERID_DOCUMENTS = "{FDD39AD0-238F-46AF-ADB4-6C85480369C7}"


class ExportRefused(ValueError):
    """The chosen path cannot be written; the message says why, in words."""


def label_of(format_name: str) -> str:
    return dict(FORMATS).get(format_name, format_name)


def extension_for(format_name: str) -> str:
    return EXTENSIONS.get(format_name, format_name)


def documents_folder(
    *,
    home: Path | None = None,
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The user's Documents folder, or their home folder when there is none.

    Windows: the known folder, which may have been moved (to OneDrive, say).
    Linux: XDG_DOCUMENTS_DIR from user-dirs.dirs, as the file manager shows it.
    """
    env = os.environ if environ is None else environ
    base = Path(home) if home is not None else Path.home()
    found: Path | None = None
    if platform == "win32" and home is None:
        found = _windows_documents()
    elif platform.startswith("linux"):
        found = _xdg_documents(base, env)
    if found is None:
        found = base / "Documents"
    return found if found.is_dir() else base


def _windows_documents() -> Path | None:  # pragma: no cover - Windows only
    try:
        import ctypes
        from ctypes import wintypes

        class GUID(ctypes.Structure):
            _fields_ = [
                ("Data1", wintypes.DWORD),
                ("Data2", wintypes.WORD),
                ("Data3", wintypes.WORD),
                ("Data4", wintypes.BYTE * 8),
            ]

        guid = GUID()
        ctypes.oledll.ole32.CLSIDFromString(_FOLDERID_DOCUMENTS, ctypes.byref(guid))  # type: ignore[attr-defined]
        out = ctypes.c_wchar_p()
        ctypes.windll.shell32.SHGetKnownFolderPath(ctypes.byref(guid), 0, None, ctypes.byref(out))  # type: ignore[attr-defined]
        path = out.value
        ctypes.windll.ole32.CoTaskMemFree(out)  # type: ignore[attr-defined]
        return Path(path) if path else None
    except Exception:
        return None


def _xdg_documents(home: Path, env: Mapping[str, str]) -> Path | None:
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(r'^XDG_DOCUMENTS_DIR="([^"]*)"', text, re.M)
    if not found:
        return None
    value = found.group(1).replace("$HOME", str(home))
    path = Path(value)
    # "$HOME/" alone means no Documents folder of its own
    return path if path.is_absolute() and path != home else None


def default_export_path(
    root: Path,
    format_name: str,
    as_of: dt.date,
    *,
    what: str = "",
    documents: Path | None = None,
    home: Path | None = None,
    cwd: Path | None = None,
) -> Path:
    """Where an export goes unless the user says otherwise: Documents, outside ROOT.

    ``what`` names the view ("needs action"), so exports of different views
    on one day do not overwrite each other.
    """
    places = [
        documents if documents is not None else documents_folder(home=home),
        Path(home) if home is not None else Path.home(),
        Path(cwd) if cwd is not None else Path.cwd(),
    ]
    folder = next((p for p in places if not is_inside(p, root)), places[-1])
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
    name = f"annexa-report-{as_of.isoformat()}{'-' + slug if slug else ''}"
    return folder / f"{name}.{extension_for(format_name)}"


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


def report_of(report: Report, items: Iterable[ItemResult]) -> Report:
    """The report with only the items on screen (the files lists stay whole)."""
    return dataclasses.replace(report, items=tuple(items))


def write_export(
    report: Report, format_name: str, path: Path, root: Path, *, replace: bool = False
) -> Path:
    """Render the report in a format and write it; returns the path written.

    An existing file is replaced only with ``replace`` (the user said so).
    """
    target = check_target(path, root)
    if target.exists() and not replace:
        raise ExportRefused(f"{target.name} already exists in {target.parent}.")
    content = get_formatter(format_name)(report, colour=False)
    try:
        with open(target, "w", encoding=file_encoding(format_name), newline="") as handle:
            handle.write(content)
    except OSError as exc:
        raise ExportRefused(f"{target} could not be written: {exc.strerror or exc}.") from exc
    return target
