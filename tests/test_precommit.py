"""pre-commit checks what is committed: the staged files, not the working folder.

A document left out of ``git add`` is on disk but not in the commit; a hook
that scanned the working folder let such a commit through. These tests use
real git repositories, and the last one a real ``pre-commit`` run of the
hook as ``.pre-commit-hooks.yaml`` defines it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annexa.cli import main
from annexa.finding.committed import NotInGit, committed_tree
from tests.makedocs import make_docx
from tests.test_ci_files import _hooks

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SPEC = """\
[spec]
name = "Test Annex A"

[[item]]
id = "A1"
title = "Self-evaluation"
patterns = ["**/*self*eval*"]
"""

DOCUMENT = "Leadership/Self evaluation 2015.docx"


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the spec committed and the document on disk but not added."""
    root = tmp_path / "annex-a"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "annexa.toml").write_text(SPEC, encoding="utf-8")
    _git(root, "add", "annexa.toml")
    _git(root, "commit", "-q", "-m", "spec")
    today = dt.date.today()  # the hook judges on today's date, as it does for its users
    make_docx(root / DOCUMENT, ["Self-evaluation", f"Date approved: {today:%d %B %Y}"])
    return root


def _listing(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def test_the_staged_tree_holds_what_is_added_and_nothing_else(repo: Path) -> None:
    with committed_tree(repo) as tree:
        assert _listing(tree) == {"annexa.toml"}
    _git(repo, "add", DOCUMENT)
    (repo / "untracked.docx").write_bytes(b"x")
    with committed_tree(repo) as tree:
        assert _listing(tree) == {"annexa.toml", DOCUMENT}
        assert (tree / DOCUMENT).read_bytes() == (repo / DOCUMENT).read_bytes()
    assert not tree.exists()  # the temporary copy is removed


def test_the_staged_version_is_checked_not_the_one_on_disk(repo: Path) -> None:
    (repo / "annexa.toml").write_text(SPEC.replace("Test Annex A", "Changed"), encoding="utf-8")
    with committed_tree(repo) as tree:
        assert "Test Annex A" in (tree / "annexa.toml").read_text("utf-8")


def test_a_subfolder_root_is_exported_as_itself(repo: Path) -> None:
    _git(repo, "add", DOCUMENT)
    with committed_tree(repo / "Leadership") as tree:
        assert _listing(tree) == {"Self evaluation 2015.docx"}


def test_rev_exports_a_commit_without_touching_the_index(repo: Path) -> None:
    _git(repo, "add", DOCUMENT)
    with committed_tree(repo, "HEAD") as tree:
        assert _listing(tree) == {"annexa.toml"}  # the document is staged, not committed
    assert DOCUMENT in _git(repo, "diff", "--cached", "--name-only")


def test_nothing_is_written_in_the_repository(repo: Path) -> None:
    before = sorted(p.as_posix() for p in repo.rglob("*") if ".git" not in p.parts)
    index = (repo / ".git" / "index").read_bytes()
    with committed_tree(repo):
        pass
    assert sorted(p.as_posix() for p in repo.rglob("*") if ".git" not in p.parts) == before
    assert (repo / ".git" / "index").read_bytes() == index


def test_outside_git_the_run_stops_with_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotInGit), committed_tree(tmp_path):
        pass
    assert main(["scan", str(tmp_path), "--staged", "--no-cache"]) == 2
    assert "git" in capsys.readouterr().err


def test_scan_staged_fails_until_the_document_is_added(repo: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["scan", str(repo), "--staged", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "missing" in out and f"Folder: {repo}" in out  # the real folder, not the copy
    assert main(["scan", str(repo), "--no-cache"]) == 0  # the working folder would pass
    capsys.readouterr()
    _git(repo, "add", DOCUMENT)
    assert main(["scan", str(repo), "--staged", "--no-cache"]) == 0


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("pre-commit") is None
    and not (Path(sys.executable).parent / "pre-commit").exists(),
    reason="pre-commit is not installed (pip install -e '.[test]')",
)
def test_a_real_pre_commit_run_fails_a_commit_whose_document_is_not_staged(
    repo: Path, tmp_path: Path
) -> None:
    (hook,) = [h for h in _hooks() if h["id"] == "annexa"]
    # The hook as .pre-commit-hooks.yaml defines it, run from this environment
    # (a "local" repo) so that pre-commit installs nothing from the network.
    config = (
        "repos:\n  - repo: local\n    hooks:\n"
        f"      - id: {hook['id']}\n"
        f"        name: {hook['name']}\n"
        f"        entry: {hook['entry']}\n"
        "        language: system\n"
        f"        pass_filenames: {hook['pass_filenames']}\n"
        f"        always_run: {hook['always_run']}\n"
    )
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "ANNEXA_CACHE_DIR": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    pre_commit = shutil.which("pre-commit", path=env["PATH"])
    assert pre_commit
    subprocess.run([pre_commit, "install"], cwd=repo, env=env, check=True, capture_output=True)
    _git(repo, "add", ".pre-commit-config.yaml")

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-m", "documents"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    refused = commit()
    said = refused.stdout + refused.stderr  # pre-commit writes to either, by version
    assert refused.returncode != 0, said
    assert "Annex A documents are present and in date" in said
    assert "Failed" in said and "A1" in said and "missing" in said

    _git(repo, "add", DOCUMENT)
    accepted = commit()
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert DOCUMENT in _git(repo, "show", "--name-only", "HEAD")
