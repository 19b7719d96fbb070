"""The console as it really is: any encoding, any width, colour on request, CI logs.

These run the real command line in a subprocess, because what matters is
what a console gets: Python picks the streams' encoding from the
environment (``PYTHONIOENCODING``, the locale) before annexa starts, and a
terminal is only a terminal through a real pseudo-terminal.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from annexa.console.output import fence
from annexa.console.screen import can_encode, wants_colour

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "fixtures" / "demo-authority"
AS_OF = (PROJECT / "fixtures" / "demo-authority.as-of").read_text("utf-8").strip()
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SYMBOLS = "✓◔✗∅✎◧→"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def _env(**changes: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "COLUMNS", "PYTHONIOENCODING"}
    }
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _annexa(*args: str, env: dict[str, str], cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annexa", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=180,
    )


def _demo(*extra: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return _annexa("scan", str(DEMO), "--as-of", AS_OF, "--no-cache", *extra, env=env)


# ---------------------------------------------------------------------------
# Any encoding
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "env", "encoding"),
    [
        ("cp1252 (cmd.exe, redirected)", {"PYTHONIOENCODING": "cp1252"}, "cp1252"),
        (
            "C locale, ASCII",
            {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
            "ascii",
        ),
        ("ASCII", {"PYTHONIOENCODING": "ascii"}, "ascii"),
    ],
)
def test_a_console_that_is_not_utf8_gets_words_instead_of_symbols(
    name: str, env: dict[str, str], encoding: str
) -> None:
    done = _demo(env=_env(**env))
    assert done.returncode == 1, done.stderr.decode(encoding, "replace")
    assert done.stderr == b""
    text = done.stdout.decode(encoding)  # strict: every byte is the console's own
    assert "[out of date]" in text and "[ok]" in text and "[due soon]" in text
    assert not any(symbol in text for symbol in SYMBOLS)
    assert "-> Upload the 2013-14 LADO annual report" in text


def test_a_utf8_console_gets_the_symbols() -> None:
    done = _demo(env=_env(PYTHONIOENCODING="utf-8"))
    assert done.returncode == 1
    text = done.stdout.decode("utf-8")
    assert "✗ out of date" in text and "✓ in date" in text and "→ Upload" in text
    assert "[out of date]" not in text


def test_a_name_the_console_cannot_encode_is_escaped_not_fatal(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    (root / "Łódź café ✓ plan.docx").write_bytes(b"not really a document")
    done = _annexa("scan", str(root), "--no-cache", env=_env(PYTHONIOENCODING="ascii"))
    assert done.returncode == 1
    assert b"internal error" not in done.stderr
    text = done.stdout.decode("ascii")
    assert "\\u0141\\xf3d\\u017a caf\\xe9 \\u2713 plan.docx" in text


def test_can_encode_decides_from_the_stream_encoding() -> None:
    class Stream:
        def __init__(self, encoding: str) -> None:
            self.encoding = encoding

    assert can_encode(Stream("utf-8"))  # type: ignore[arg-type]
    assert not can_encode(Stream("cp1252"))  # type: ignore[arg-type]
    assert not can_encode(Stream("ascii"))  # type: ignore[arg-type]
    assert not can_encode(Stream("no-such-codec"))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Any width
# ---------------------------------------------------------------------------


def _on_terminal(columns: int, *args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run annexa with its output on a pseudo-terminal ``columns`` wide."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "annexa", *args],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=env,
        cwd=PROJECT,
    )
    os.close(terminal)
    out = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: everything has been read
                break
            if not chunk:
                break
            out += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=180)
    os.close(controller)
    return process.returncode, out.decode("utf-8").replace("\r\n", "\n")


@posix_only
@pytest.mark.parametrize("columns", [80, 60, 40, 120])
def test_on_a_terminal_no_line_is_wider_than_the_terminal(columns: int) -> None:
    code, text = _on_terminal(
        columns, "scan", str(DEMO), "--as-of", AS_OF, "--no-cache", env=_env()
    )
    assert code == 1
    lines = ANSI.sub("", text).splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "LADO annual report" in text and "Coming up in the next 90 days" in text
    # nothing is lost: every reason is there, wrapped, not cut
    flat = " ".join(" ".join(lines).split())
    assert "the 2013-14 report was due by 30 September 2014" in flat


@posix_only
def test_a_narrow_terminal_keeps_every_file_name_whole() -> None:
    _, text = _on_terminal(60, "scan", str(DEMO), "--as-of", AS_OF, "--no-cache", env=_env())
    flat = " ".join(" ".join(ANSI.sub("", text).splitlines()).split())
    assert "04 Annual reports/2012-13/LADO Annual Report 2012-13.docx" in flat


def test_piped_output_keeps_one_line_per_item_for_grep() -> None:
    done = _demo(env=_env(PYTHONIOENCODING="utf-8"))
    rows = [line for line in done.stdout.decode("utf-8").splitlines() if " A9  LADO" in line]
    assert len(rows) == 1
    assert "out of date" in rows[0] and "LADO Annual Report 2012-13.docx" in rows[0]


# ---------------------------------------------------------------------------
# Colour
# ---------------------------------------------------------------------------


class _Pipe:
    def isatty(self) -> bool:
        return False


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "choice", "env", "expected"),
    [
        (_Terminal(), "auto", {}, True),
        (_Pipe(), "auto", {}, False),
        (_Terminal(), "auto", {"NO_COLOR": "1"}, False),
        (_Pipe(), "auto", {"FORCE_COLOR": "1"}, True),
        (_Terminal(), "auto", {"TERM": "dumb"}, False),
        (_Pipe(), "always", {"NO_COLOR": "1"}, True),
        (_Terminal(), "never", {"FORCE_COLOR": "1"}, False),
        (_Terminal(), "auto", {"NO_COLOR": ""}, True),  # set but empty: ignored (no-color.org)
    ],
)
def test_colour_follows_the_flag_then_no_color_then_force_color(
    stream: object, choice: str, env: dict[str, str], expected: bool
) -> None:
    assert wants_colour(stream, choice, env) is expected  # type: ignore[arg-type]


def test_force_color_colours_a_ci_log_and_no_color_wins_over_it() -> None:
    forced = _demo(env=_env(PYTHONIOENCODING="utf-8", FORCE_COLOR="1"))
    assert b"\x1b[1;31m" in forced.stdout
    both = _demo(env=_env(PYTHONIOENCODING="utf-8", FORCE_COLOR="1", NO_COLOR="1"))
    assert b"\x1b[" not in both.stdout
    never = _demo("--color", "never", env=_env(PYTHONIOENCODING="utf-8", FORCE_COLOR="1"))
    assert b"\x1b[" not in never.stdout


# ---------------------------------------------------------------------------
# GitHub Actions logs
# ---------------------------------------------------------------------------


def commands_read_by_the_runner(log: str) -> list[str]:
    """The lines a GitHub Actions runner would obey, as it reads a step's log.

    Stricter than the runner: ``::`` at the start of a line (after spaces)
    and ``##[`` anywhere count, except between ``::stop-commands::TOKEN``
    and ``::TOKEN::``.
    """
    obeyed: list[str] = []
    stopped_until: str | None = None
    for line in log.splitlines():
        bare = line.strip()
        if stopped_until is not None:
            if bare == f"::{stopped_until}::":
                stopped_until = None
            continue
        if bare.startswith("::stop-commands::"):
            stopped_until = bare.removeprefix("::stop-commands::")
            continue
        if bare.startswith("::") or "##[" in line:
            obeyed.append(line)
    return obeyed


HOSTILE_NAMES = ["##[error]x.docx", "::error title=Fake::y.docx", "::add-mask::z.pdf"]


@pytest.fixture
def hostile_share(tmp_path: Path) -> Path:
    root = tmp_path / "share"
    root.mkdir()
    for name in HOSTILE_NAMES:
        (root / name).write_bytes(b"x")
    (root / "Audits").mkdir()
    (root / "Audits" / "##[warning]case audit.docx").write_bytes(b"x")
    return root


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_under_github_actions_no_file_name_becomes_a_workflow_command(
    hostile_share: Path, fmt: str
) -> None:
    done = _annexa(
        "scan",
        str(hostile_share),
        "--no-cache",
        "--format",
        fmt,
        env=_env(GITHUB_ACTIONS="true", PYTHONIOENCODING="utf-8"),
    )
    log = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    if fmt in ("text", "json"):
        assert "##[error]x.docx" in log  # the name is shown ...
    assert commands_read_by_the_runner(log) == []  # ... and never obeyed


def test_without_the_fence_the_same_log_would_raise_fake_annotations(hostile_share: Path) -> None:
    done = _annexa(
        "scan",
        str(hostile_share),
        "--no-cache",
        env=_env(PYTHONIOENCODING="utf-8", GITHUB_ACTIONS=None),
    )
    obeyed = commands_read_by_the_runner(done.stdout.decode("utf-8"))
    assert any("##[error]x.docx" in line for line in obeyed)  # the check above can fail


def test_github_format_is_not_fenced_its_lines_are_the_commands(hostile_share: Path) -> None:
    done = _annexa(
        "scan",
        str(hostile_share),
        "--no-cache",
        "--format",
        "github",
        env=_env(GITHUB_ACTIONS="true", PYTHONIOENCODING="utf-8"),
    )
    obeyed = commands_read_by_the_runner(done.stdout.decode("utf-8"))
    assert obeyed and all(
        line.startswith(("::error ", "::warning ", "::notice ")) for line in obeyed
    )


def test_a_fence_token_is_new_each_time() -> None:
    first, second = fence("x\n"), fence("x\n")
    assert first != second
    assert first.startswith("::stop-commands::") and first.endswith("::\n")


# ---------------------------------------------------------------------------
# --quiet
# ---------------------------------------------------------------------------


def test_quiet_prints_only_what_needs_action() -> None:
    done = _demo("--quiet", env=_env(PYTHONIOENCODING="utf-8"))
    assert done.returncode == 1
    text = done.stdout.decode("utf-8")
    assert "LADO annual report" in text and "Quality assurance framework" in text
    assert "✓ in date" not in text and "Files that match no item" not in text
    assert "Coming up" not in text


def test_quiet_prints_nothing_when_all_is_well(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        '[spec]\nname = "Nothing"\n\n[[item]]\nid = "X1"\ntitle = "Optional"\n'
        'patterns = ["**/*nothing*"]\nrequired = false\n',
        encoding="utf-8",
    )
    root = tmp_path / "share"
    root.mkdir()
    done = _annexa("scan", str(root), "--spec", str(spec), "--no-cache", "--quiet", env=_env())
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


# ---------------------------------------------------------------------------
# Paths as the platform writes them
# ---------------------------------------------------------------------------


def test_human_output_uses_the_platforms_separator_and_machine_output_keeps_slashes() -> None:
    from annexa.console.screen import Screen
    from annexa.formats import get_formatter
    from annexa.formats.text import Layout, render
    from tests.golden.fixture_report import fixture_report

    report = fixture_report()
    windows = render(report, layout=Layout(sep="\\"))
    assert "Leadership\\Self-evaluation 2015.docx" in windows  # a row
    assert "  Misc\\notes.txt" in windows  # files that match no item
    assert "Data\\List 3.pdf: encrypted PDF" in windows  # files that could not be read
    assert "Leadership/Self-evaluation 2015.docx" in get_formatter("json")(report)
    screen = Screen(unicode=True, colour=False, width=None, github_actions=False)
    assert screen.layout().sep == os.sep


def test_the_live_view_shows_paths_with_the_platforms_separator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annexa.tui import cells

    monkeypatch.setattr(cells.os, "sep", "\\")  # as on Windows
    assert cells.shown_path("Leadership/Plan 2015.pdf") == "Leadership\\Plan 2015.pdf"
    # the table shows the name; the details and the files tabs show the folder
    assert cells.fitted("Annual reports/2014-15", 40, "folder").plain == "Annual reports\\2014-15"
