"""The README's example reports are what annexa prints today.

The README is where a newcomer first sees annexa's output; a wording change
that forgets the README would show them something annexa no longer says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annexa.cli import main

PROJECT = Path(__file__).resolve().parents[1]
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def block_after(command: str) -> str:
    """The lines the README shows under ``$ <command>``, up to the next prompt or fence."""
    match = re.search(re.escape(f"$ {command}") + r"\n(.*?)(?=\n\$ |\n```)", README, re.S)
    assert match, f"the README has no example of {command!r}"
    return match.group(1)


def shown_as_in_the_readme(real: str, shown: str) -> str:
    """The real output as the README shows it: whole, or shortened at a line "…" to the
    lines before it and as many from the end as the README keeps after it."""
    lines = shown.split("\n")
    if "…" not in lines:
        return real
    cut = lines.index("…")
    kept_after = len(lines) - cut - 1
    real_lines = real.split("\n")
    return "\n".join([*real_lines[:cut], "…", *real_lines[len(real_lines) - kept_after :]])


@pytest.mark.parametrize(
    "command",
    ["annexa scan fixtures/demo-authority --as-of 2015-09-16"],
)
def test_readme_examples_match_the_real_output(command, capsys, monkeypatch):
    monkeypatch.chdir(PROJECT)
    args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', command)][1:]
    main([*args, "--no-cache"])
    shown = block_after(command)
    real = capsys.readouterr().out.rstrip("\n")
    assert shown_as_in_the_readme(real, shown) == shown
