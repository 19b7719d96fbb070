"""ROOT as git would commit it: the index (``--staged``) or a commit's tree (``--rev``).

A pre-commit hook that checks the working folder passes a commit whose
document was never ``git add``-ed: the document is on disk, not in the
commit. So the hook checks what is staged instead: the files of the index
under ROOT are written to a temporary folder with ``git checkout-index``
(which runs Git LFS and other filters, as a checkout would) and that folder
is scanned. Nothing is written in the repository; the temporary folder is
removed afterwards. ``--rev`` does the same for a commit's tree, read into
a temporary index file, for a pre-push hook.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from annexa.model.failures import RunStopped


class NotInGit(RunStopped):
    """ROOT is not in a git repository, git is missing, or the revision is unknown."""


def _git(args: list[str], cwd: Path, env: dict[str, str], stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            input=stdin,
            capture_output=True,
            check=False,
            timeout=600,
        )
    except FileNotFoundError:
        raise NotInGit("git is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise NotInGit(f"git {args[0]} took more than 10 minutes") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NotInGit(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


@contextlib.contextmanager
def committed_tree(root: Path, rev: str | None = None) -> Iterator[Path]:
    """A temporary folder holding ROOT's files as staged (``rev`` None) or as in ``rev``.

    Yields the folder that stands for ROOT. Raises NotInGit when ROOT is not
    in a repository or ``rev`` is not a commit.
    """
    # A hook inherits git's environment: during ``git commit <paths>`` or
    # ``git commit -a``, GIT_INDEX_FILE names the index about to be committed.
    env = dict(os.environ)
    top = Path(
        _git(["rev-parse", "--show-toplevel"], root, env).decode("utf-8", "surrogateescape").strip()
    )
    prefix = _git(["rev-parse", "--show-prefix"], root, env).decode("utf-8", "surrogateescape")
    prefix = prefix.strip()
    folder = Path(tempfile.mkdtemp(prefix="annexa-committed-"))
    try:
        if rev is not None:
            env["GIT_INDEX_FILE"] = str(folder / "index")
            _git(["read-tree", f"{rev}^{{tree}}"], top, env)
        tree = folder / "tree"
        tree.mkdir()
        listed = _git(["ls-files", "-z", "--cached", "--", prefix or "."], top, env)
        if listed:
            _git(
                ["checkout-index", "-z", "--stdin", f"--prefix={tree}{os.sep}"],
                top,
                env,
                stdin=listed,
            )
        scanned = tree / prefix if prefix else tree
        scanned.mkdir(parents=True, exist_ok=True)
        yield scanned
    finally:
        shutil.rmtree(folder, ignore_errors=True)
