"""The documentation keeps up with the command line: every command and option is
explained in `--help` and named in the README or docs/, so a user who reads the
docs finds every switch annexa has, and nothing it no longer has."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from annexa.cli import build_parser

PROJECT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(
    path.read_text(encoding="utf-8")
    for path in [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
)


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command and sub-command of the parser, with its words after 'annexa'."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


COMMANDS = list(commands(build_parser()))
OPTIONS = [
    (path, action)
    for path, parser in COMMANDS
    for action in parser._actions
    if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
]


def _name(path: tuple[str, ...], action: argparse.Action) -> str:
    shown = max(action.option_strings, key=len) if action.option_strings else action.metavar
    return " ".join(["annexa", *path, str(shown or action.dest)])


@pytest.mark.parametrize(("path", "action"), OPTIONS, ids=[_name(p, a) for p, a in OPTIONS])
def test_every_option_has_help_text(path, action):
    assert action.help and action.help is not argparse.SUPPRESS and action.help.strip(), (
        f"{_name(path, action)} has no help text"
    )


@pytest.mark.parametrize(
    ("path", "action"),
    [(p, a) for p, a in OPTIONS if a.option_strings],
    ids=[_name(p, a) for p, a in OPTIONS if a.option_strings],
)
def test_every_option_is_in_the_docs(path, action):
    long = max(action.option_strings, key=len)
    assert re.search(re.escape(long) + r"(?![\w-])", DOCS), (
        f"{_name(path, action)} is named nowhere in README.md or docs/"
    )


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if p], ids=lambda p: " ".join(p))
def test_every_command_is_in_the_docs(path):
    assert re.search(r"annexa " + r"\s+".join(map(re.escape, path)) + r"(?![\w-])", DOCS), (
        f"'annexa {' '.join(path)}' is named nowhere in README.md or docs/"
    )
