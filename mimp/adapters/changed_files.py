"""The files a branch changes, from git: what `mimp check --changed-since REF` checks.

Compared with where the branch left REF (their merge base), as a pull request's diff
is, so what REF gained since does not count; and against the working tree, with new
files git does not track yet, so a commander can run it before committing. Deleted
files are not listed: there is nothing left to check.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

GIT_TIMEOUT_SECONDS = 60


class GitError(Exception):
    """git is missing, the folder is not in a repository, or REF is unknown."""


def changed_files(root: Path, ref: str) -> frozenset[str]:
    """Paths relative to `root` (forward slashes) of files added or changed since `ref`."""
    if not ref or ref.startswith("-"):
        raise GitError(f"'{ref}' is not a git revision (a branch, tag or commit)")
    base = _git(root, "merge-base", ref, "HEAD").strip()
    if not base:
        raise GitError(f"HEAD and '{ref}' have no commit in common")
    tracked = _git(
        root, "diff", "--name-only", "--no-renames", "--diff-filter=d", "--relative", "-z", base
    )
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    return frozenset(name for name in (tracked + untracked).split("\0") if name)


def files_at_base(root: Path, ref: str, paths: list[str]) -> dict[str, bytes]:
    """Each of `paths` (relative to `root`) as it was where the branch left `ref`; a
    file that did not exist there is left out."""
    base = _git(root, "merge-base", ref, "HEAD").strip()
    listed = _git(root, "ls-tree", "-r", "--name-only", "-z", base, "--", *paths)
    existing = set(listed.split("\0"))  # relative to `root`, as the paths are
    return {path: _run(root, "show", f"{base}:./{path}") for path in paths if path in existing}


def _git(root: Path, *args: str) -> str:
    """git's output as text, paths unquoted."""
    done = _run(root, *args, options=("-c", "core.quotePath=false"))
    return done.decode("utf-8", "surrogateescape")


def _run(root: Path, command: str, *args: str, options: tuple[str, ...] = ()) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed (needed for --changed-since)")
    try:
        done = subprocess.run(
            [git, *options, command, *args],
            cwd=root,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git {command} failed: {error}") from None
    if done.returncode != 0:
        said = " ".join(done.stderr.decode("utf-8", "replace").split()) or (
            f"exit code {done.returncode}"
        )
        raise GitError(f"git {command} failed: {said}{_hint(command)}")
    return done.stdout


def _hint(command: str) -> str:
    if command == "merge-base":
        return (
            " (is the branch fetched, with its history? In GitHub Actions, check out with "
            "fetch-depth: 0)"
        )
    return ""
