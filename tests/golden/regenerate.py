"""Rewrite the golden report files from the fixture: ``make golden``.

Run it after an intended change to a report format, then read the diff
(``git diff tests/golden``) as a reviewer would: every changed line is a
change users will see. To golden-test a new format, add one line to
``GOLDEN``.
"""

from __future__ import annotations

from pathlib import Path

from annexa.formats import get_formatter
from tests.golden.fixture_report import fixture_report

FOLDER = Path(__file__).resolve().parent

# format name -> golden file, next to this module.
GOLDEN: dict[str, str] = {
    "text": "report.txt",
    "json": "report.json",
    "html": "report.html",
    "markdown": "report.md",
    "csv": "report.csv",
    "junit": "report.junit.xml",
    "github": "report.github.txt",
    "sarif": "report.sarif",
    "gitlab": "report.codequality.json",
    "ics": "report.ics",
}


def rendered(name: str) -> str:
    """The fixture report in format ``name``, as the formatter returns it."""
    return get_formatter(name)(fixture_report())


def golden_path(name: str) -> Path:
    return FOLDER / GOLDEN[name]


def read_golden(name: str) -> str:
    """The stored golden text, byte for byte (no newline translation)."""
    with open(golden_path(name), encoding="utf-8", newline="") as handle:
        return handle.read()


def write_golden(name: str) -> Path:
    path = golden_path(name)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(rendered(name))
    return path


def main() -> None:
    for name in GOLDEN:
        path = write_golden(name)
        print(f"wrote {path.relative_to(FOLDER.parent.parent)}")


if __name__ == "__main__":
    main()
