"""The pre-commit hooks and the CI recipes in docs/ci.md run commands annexa accepts.

People paste these into their repositories; a hook or workflow that names
a format annexa does not have, or writes a report inside the folder being
checked (which annexa refuses), fails on their machine, not ours. So every
documented command is parsed by annexa's own argument parser.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from annexa.cli import UsageError, build_parser, parse_formats

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROJECT = Path(__file__).resolve().parents[1]


def _hooks() -> list[dict[str, str]]:
    """The hooks of .pre-commit-hooks.yaml: a list of flat 'key: value' blocks.

    A tiny reader for the flat form the file uses (no PyYAML in the test
    environment); it fails loudly on anything more nested than a flow list.
    """
    hooks: list[dict[str, str]] = []
    folded: str | None = None
    for raw in (PROJECT / ".pre-commit-hooks.yaml").read_text("utf-8").splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("- "):
            hooks.append({})
            line = "  " + line[2:]
        if folded and line.startswith("    "):
            hooks[-1][folded] += " " + line.strip()
            continue
        match = re.match(r"^  ([a-z_]+):\s*(.*)$", line)
        assert match, f"unexpected line in .pre-commit-hooks.yaml: {raw!r}"
        key, value = match.groups()
        folded = key if value in (">-", ">", "|") else None
        hooks[-1][key] = "" if folded else value
    return hooks


def _hook_argv(hook: dict[str, str]) -> list[str]:
    entry = shlex.split(hook["entry"])
    args = re.findall(r"[^\[\],\s]+", hook.get("args", ""))
    files = ["annexa.toml"] if hook.get("pass_filenames", "true") == "true" else []
    return [*entry, *args, *files]


def test_hooks_are_python_hooks_with_unique_ids() -> None:
    hooks = _hooks()
    assert [h["id"] for h in hooks] == ["annexa", "annexa-push", "annexa-spec"]
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["name"] and hook["description"]


def test_hook_commands_are_the_installed_annexa_command_with_valid_arguments() -> None:
    scripts = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    for hook in _hooks():
        argv = _hook_argv(hook)
        assert argv[0] in scripts
        build_parser().parse_args(argv[1:])  # exits (fails the test) on a bad argument


def test_scan_hook_checks_the_whole_folder_as_staged_on_every_commit() -> None:
    (scan,) = [h for h in _hooks() if h["id"] == "annexa"]
    assert (scan["pass_filenames"], scan["always_run"]) == ("false", "true")
    assert build_parser().parse_args(_hook_argv(scan)[1:]).staged


def test_push_hook_checks_the_commit_being_pushed() -> None:
    (push,) = [h for h in _hooks() if h["id"] == "annexa-push"]
    assert push["stages"] == "[pre-push]"
    assert build_parser().parse_args(_hook_argv(push)[1:]).rev == "HEAD"


def test_spec_hook_runs_only_for_the_root_spec_file() -> None:
    (spec,) = [h for h in _hooks() if h["id"] == "annexa-spec"]
    files = re.compile(spec["files"])
    assert files.search("annexa.toml")
    assert not files.search("docs/annexa.toml") and not files.search("annexa.toml.bak")


def _documented_scans() -> list[list[str]]:
    """Every `annexa scan ...` in a code block of docs/ci.md, continuation lines joined."""
    text = (PROJECT / "docs" / "ci.md").read_text("utf-8")
    commands = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        lines = block.replace("\\\n", " ").splitlines()
        for n, line in enumerate(lines):
            if "annexa scan" not in line:
                continue
            command = line[line.index("annexa scan") :]
            for more in lines[n + 1 :]:
                if not more.strip().startswith(("--", "||")):
                    break
                command += " " + more.strip()
            command = command.split("||", 1)[0]
            command = command.replace('"$RUNNER_TEMP', '"/runner/tmp')
            commands.append(shlex.split(command))
    return commands


def test_docs_show_a_scan_for_github_and_one_for_gitlab() -> None:
    assert len(_documented_scans()) == 2


@pytest.mark.parametrize("argv", _documented_scans(), ids=lambda a: " ".join(a[:4]))
def test_documented_scan_is_accepted_and_writes_nothing_inside_the_folder(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = build_parser().parse_args(argv[1:])
    assert args.command == "scan" and args.root == "."
    monkeypatch.chdir(tmp_path)  # the checkout, as CI runs the command
    try:
        outputs = parse_formats(args.formats, Path(args.root))
    except UsageError as exc:  # an unknown format, a report inside ROOT, two to stdout
        pytest.fail(f"{' '.join(argv)}: {exc}")
    names = {name for name, _ in outputs}
    assert {"junit", "markdown", "html"} <= names


def _workflow() -> dict:  # type: ignore[type-arg]
    yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit (the test extra)
    text = (PROJECT / ".github" / "workflows" / "tests.yml").read_text("utf-8")
    workflow = yaml.safe_load(text)
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
    return workflow


def test_the_contributors_workflow_runs_the_tests_on_windows_macos_and_linux() -> None:
    job = _workflow()["jobs"]["tests"]
    assert set(job["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest",
        "windows-latest",
        "macos-latest",
    }
    runs = [step.get("run", "") for step in job["steps"]]
    assert 'python -m pip install -e ".[test]"' in runs
    assert "python -m pytest" in runs
    assert any(step.get("uses", "").startswith("actions/setup-python@") for step in job["steps"])


def _windows_commands() -> list[str]:
    """The two commands of the Windows quick start in docs/windows.md."""
    text = (PROJECT / "docs" / "windows.md").read_text("utf-8")
    (block,) = re.findall(r"```bat\n(.*?)```", text, re.S)
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_the_windows_job_runs_exactly_the_documented_quick_start() -> None:
    job = _workflow()["jobs"]["windows-quick-start"]
    assert job["runs-on"] == "windows-latest"
    commands = [
        line.strip()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip() and not line.strip().startswith(("if errorlevel", "exit /b"))
    ]
    assert commands == _windows_commands()
    assert len(commands) == 2


def test_the_windows_quick_start_commands_are_ones_annexa_accepts() -> None:
    install, demo = _windows_commands()
    assert install.startswith("py -m pip install")
    argv = shlex.split(demo.replace("\\", "/"))
    assert argv[:3] == ["py", "-m", "annexa"]
    args = build_parser().parse_args(argv[3:])
    assert (PROJECT / args.root).is_dir()
    assert args.as_of == (PROJECT / "fixtures" / "demo-authority.as-of").read_text().strip()
