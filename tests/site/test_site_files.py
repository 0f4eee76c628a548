"""Issue 9: the build reads only regular files inside the site root, and writes only
into an output folder that cannot hold the site (mimp/load/site_files.py).

A pull request is untrusted input: these are the attacks it could make with files
rather than text, through `mimp build` and through `mkdocs build` with the plugin.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mimp.load.site_files import BUILT_MARKER, OLDER_BUILT_FILE, config_refusal, output_refusal
from tests.site.conftest import NOW, build, copy_example

CANARY = "canary-issue9-7f3a"  # in the environment and in a file outside the root


def tree_digest(folder: Path) -> str:
    """Every path, kind and content under `folder` (links as their target, unfollowed)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            digest.update(b"L" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(b"F" + path.read_bytes())
        else:
            digest.update(b"D")
    return digest.hexdigest()


def published(out: Path) -> str:
    """All the text of a built site, to look for what must not be there."""
    if not out.exists():
        return ""
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file()
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the site root holding a secret."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"{CANARY} outside the root\n", encoding="utf-8")
    return folder


# Each: (name under docs/assets/, what it links to; "outside" means the fixture's folder)
DOCS_LINKS = [
    ("env.txt", "/proc/self/environ"),
    ("passwd.txt", "/etc/passwd"),
    ("linked-folder", "outside"),
    ("secret.txt", "outside/secret.txt"),
]


def _link_into_docs(root: Path, name: str, target: str, outside: Path) -> Path:
    assets = root / "docs/assets"
    assets.mkdir(parents=True, exist_ok=True)
    if target.startswith("outside"):
        target = str(outside.parent / target)
    link = assets / name
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("audience", ["public", "internal"])
@pytest.mark.parametrize(("name", "target"), DOCS_LINKS)
def test_mimp_build_refuses_a_link_under_docs_and_publishes_nothing(
    tmp_path: Path,
    outside: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    audience: str,
    name: str,
    target: str,
) -> None:
    """The critical case: `ln -s /proc/self/environ docs/assets/env.txt` published the
    build's environment (a CI job's), in the public build too."""
    monkeypatch.setenv("MIMP_TEST_CANARY", CANARY)
    root = copy_example(tmp_path / "root")
    _link_into_docs(root, name, target, outside)
    out = tmp_path / "site"
    assert build(root, out, audience) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert f"docs/assets/{name}: error: is a symbolic link" in text, text
    assert "nothing was built" in text
    assert not out.exists()
    assert CANARY not in text


@pytest.mark.parametrize(("name", "target"), DOCS_LINKS)
def test_mkdocs_build_with_the_plugin_refuses_a_link_under_docs(
    tmp_path: Path, outside: Path, name: str, target: str
) -> None:
    """`mkdocs build` is not `mimp build`: the plugin itself stops the build."""
    root = copy_example(tmp_path / "root")
    _link_into_docs(root, name, target, outside)
    out = tmp_path / "site"
    result = _mkdocs_build(root, out)
    assert result.returncode != 0
    assert f"docs/assets/{name}: error: is a symbolic link" in result.stderr, result.stderr
    assert CANARY not in published(out)


def _mkdocs_build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MIMP_NOW": NOW, "NO_MKDOCS_2_WARNING": "1", "MIMP_TEST_CANARY": CANARY}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _with_config(root: Path, extra: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_the_plugin_refuses_a_link_in_another_docs_dir_before_mkdocs_walks_it(
    tmp_path: Path, outside: Path
) -> None:
    """mkdocs.yml may name another docs_dir, which `mimp check` does not walk: the plugin
    walks it (without following links) before MkDocs does (following them)."""
    root = copy_example(tmp_path / "root")
    (root / "docs").rename(root / "pages")
    _with_config(root, "\ndocs_dir: pages\n")
    (root / "pages/loop").symlink_to("..", target_is_directory=True)  # MkDocs would loop
    (root / "pages/secret.txt").symlink_to(outside / "secret.txt")
    result = _mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert "pages/loop: error: is a symbolic link" in result.stderr, result.stderr
    assert "pages/secret.txt: error: is a symbolic link" in result.stderr
    assert CANARY not in published(tmp_path / "site")


def test_the_plugin_refuses_a_docs_dir_or_custom_dir_outside_the_root(
    tmp_path: Path, outside: Path
) -> None:
    root = copy_example(tmp_path / "root")
    _with_config(root, f"\ndocs_dir: {outside}\n")
    result = _mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert f"{outside}: error: is outside the site root" in result.stderr, result.stderr
    assert CANARY not in published(tmp_path / "site")


def test_the_plugin_refuses_a_link_in_the_themes_custom_dir(tmp_path: Path, outside: Path) -> None:
    """MkDocs copies a custom_dir's static files too, following links."""
    root = copy_example(tmp_path / "root")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "theme:\n", "theme:\n  custom_dir: overrides\n", 1
        ),
        encoding="utf-8",
    )
    (root / "overrides").mkdir()
    (root / "overrides/env.txt").symlink_to("/proc/self/environ")
    out = tmp_path / "site"
    result = _mkdocs_build(root, out)
    assert result.returncode != 0
    assert "overrides/env.txt: error: is a symbolic link" in result.stderr, result.stderr
    assert CANARY not in published(out)


def test_the_files_mkdocs_collected_are_checked_again(tmp_path: Path, outside: Path) -> None:
    """The second line (on_files): a file MkDocs reached through a linked folder is refused
    by where it really is, whatever walked the folder before."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import get_files

    from mimp.adapters.mkdocs_plugin import _refuse_unsafe_files

    root = copy_example(tmp_path / "root")
    (root / "docs/assets").mkdir(parents=True, exist_ok=True)
    (root / "docs/assets/linked").symlink_to(outside, target_is_directory=True)
    config = load_config(str(root / "mkdocs.yml"))
    files = get_files(config)
    assert files.get_file_from_path("assets/linked/secret.txt") is not None  # MkDocs followed
    with pytest.raises(PluginError, match="docs/assets/linked/secret.txt: error: is reached"):
        _refuse_unsafe_files(files, config, root)


# --- where the build writes ----------------------------------------------------------------


@pytest.mark.parametrize(
    "out", [".", "data", "docs", "mkdocs.yml", "..", "data/incidents/site", "docs/site"]
)
def test_build_refuses_an_output_folder_that_is_or_holds_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    """`mimp build --out .` deleted the repository, .git and drafts included, and said
    it succeeded. Now it refuses before reading anything, and nothing changes."""
    root = copy_example(tmp_path / "parent" / "root")
    (root / ".git").mkdir()
    (root / ".git/HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "draft.md").write_text("not committed yet\n", encoding="utf-8")
    before = tree_digest(tmp_path)
    assert build(root, root / out) == 1
    err = capsys.readouterr().err
    assert "mimp build: error: will not write the site into" in err, err
    assert tree_digest(tmp_path) == before


def test_build_refuses_a_folder_it_did_not_make_and_replaces_one_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "root")
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree_digest(foreign)
    assert build(root, foreign) == 1
    assert f"no {BUILT_MARKER} in it" in capsys.readouterr().err
    assert tree_digest(foreign) == before
    # An empty folder, one a build marked, or one an older mimp built may be replaced.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert output_refusal(root, empty) is None
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / BUILT_MARKER).write_text("", encoding="utf-8")
    (marked / "index.html").write_text("", encoding="utf-8")
    assert output_refusal(root, marked) is None
    older = tmp_path / "older"
    (older / OLDER_BUILT_FILE).parent.mkdir(parents=True)
    (older / OLDER_BUILT_FILE).write_text("", encoding="utf-8")
    assert output_refusal(root, older) is None


def test_the_output_follows_the_umask_and_is_marked(tmp_path: Path) -> None:
    """The output folder was left 0700 whatever the umask (a temporary folder's mode),
    so a web server running as another user answered 403."""
    out = tmp_path / "site"
    previous = os.umask(0o022)
    try:
        assert build(copy_example(tmp_path / "root"), out) == 0
    finally:
        os.umask(previous)
    modes = {
        stat.S_IMODE(path.stat().st_mode)
        for path in [out, *out.rglob("*")]
        if path.is_dir() and not path.is_symlink()
    }
    assert modes == {0o755}
    files = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert files == {0o644}
    assert (out / BUILT_MARKER).is_file()


# --- mkdocs.yml ----------------------------------------------------------------------------


def test_build_and_serve_refuse_a_python_tag_in_mkdocs_yml_and_run_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MkDocs loads mkdocs.yml with PyYAML's unsafe loader: this tag ran a command."""
    from mimp.adapters.cli import main

    root = copy_example(tmp_path / "root")
    pwned = tmp_path / "PWNED"
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "site_name:", f'site_name: !!python/object/apply:os.system ["touch {pwned}"]\nx:', 1
        ),
        encoding="utf-8",
    )
    line = 1 + config.read_text(encoding="utf-8").split("\n").index(
        next(x for x in config.read_text(encoding="utf-8").split("\n") if "os.system" in x)
    )
    assert build(root, tmp_path / "site") == 1
    err = capsys.readouterr().err
    assert f"mkdocs.yml: error: line {line}: the tag !!python/object/apply:os.system" in err, err
    assert main(["serve", "--root", str(root), "--dev-addr", "127.0.0.1:0"]) == 1
    assert "!!python/object/apply:os.system would run Python code" in capsys.readouterr().err
    assert not pwned.exists()
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("tag", "allowed"),
    [
        ("!!python/name:material.extensions.emoji.to_svg", True),
        ("!!python/name:material.extensions.emoji.twemoji", True),
        ("!!python/name:pymdownx.superfences.fence_code_format", True),
        ("!!python/name:os.system", False),
        ("!!python/name:material.extensions.emoji.os.system", False),
        ("!!python/object/new:os.system [id]", False),
        ("!!python/module:os", False),
    ],
)
def test_only_the_documented_python_names_are_allowed(
    tmp_path: Path, tag: str, allowed: bool
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n      f: {tag}\n",
        encoding="utf-8",
    )
    refused = config_refusal(config)
    assert (refused is None) is allowed, refused
    if not allowed:
        assert refused.startswith("line 4: ")


def test_a_looping_alias_in_mkdocs_yml_does_not_hang_the_check(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra: &a [*a, !!python/name:os.system]\n", encoding="utf-8")
    assert "python/name:os.system" in (config_refusal(config) or "")


def test_check_bounds_files_under_docs_pages_more_than_images(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MkDocs converts a page (Markdown) and copies the rest: a 2 MiB page is refused, a
    2 MiB image is not; a FIFO is refused without being opened."""
    from mimp.adapters.cli import main

    root = copy_example(tmp_path / "root")
    (root / "docs/assets").mkdir(parents=True, exist_ok=True)
    (root / "docs/huge.md").write_text("# Huge\n\n" + "words " * 400_000, encoding="utf-8")
    (root / "docs/assets/photo.png").write_bytes(b"\x89PNG" + b"\0" * 2 * 1024 * 1024)
    os.mkfifo(root / "docs/assets/pipe.txt")
    assert main(["check", "--root", str(root), "--now", NOW]) == 1
    out = capsys.readouterr().out
    assert "docs/huge.md: error: file is 2,400,008 bytes; the limit is 1,048,576 bytes" in out
    assert "docs/assets/pipe.txt: error: is not a regular file" in out
    assert "photo.png" not in out


def test_the_next_build_clears_what_a_killed_build_left(tmp_path: Path) -> None:
    """A cancelled CI job (SIGTERM) or a killed build (SIGKILL) left its staging folder,
    a whole site, beside the output, for ever."""
    root = copy_example(tmp_path / "root")
    out = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mimp", "build", "--root", str(root), "--out", str(out)]
    process = subprocess.Popen(command + ["--now", NOW], env=env, stderr=subprocess.DEVNULL)
    staging: list[Path] = []
    while not staging and process.poll() is None:
        staging = list(tmp_path.glob(".site.building-*"))
    assert staging, "the build ended before its staging folder was seen"
    process.kill()
    process.wait(timeout=60)
    assert staging[0].is_dir() and not out.exists()
    alive = tmp_path / f".site.previous-{os.getpid()}"  # this process is running
    alive.mkdir()
    other = tmp_path / f".other.building-{process.pid}-x1y2"  # beside another output
    other.mkdir()
    assert build(root, out) == 0
    assert not staging[0].exists()
    assert alive.is_dir() and other.is_dir()


def test_a_build_killed_between_its_renames_gets_the_published_site_back(tmp_path: Path) -> None:
    """Between moving the old site aside and the new one in there is no site: a build
    killed there left only `.site.previous-PID`. The next build puts it back first, so
    it is not lost even when that build publishes nothing."""
    root = copy_example(tmp_path / "root")
    out = tmp_path / "site"
    assert build(root, out) == 0
    published_before = tree_digest(out)
    out.rename(tmp_path / ".site.previous-999999999")
    record = root / "data/incidents/2026/2026-11-23-checkout-errors.md"
    record.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert build(root, out) == 1  # invalid: nothing is built
    assert tree_digest(out) == published_before
    assert not list(tmp_path.glob(".site.*"))


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("INHERIT: base.yml\n", "INHERIT base.yml: line 1: the tag !!python/object/apply"),
        ("INHERIT: ../outside.yml\n", "INHERIT must name a file inside the site root"),
    ],
)
def test_build_refuses_what_mkdocs_yml_inherits_from_outside_or_with_a_python_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, said: str
) -> None:
    """The Python-tag check read mkdocs.yml only: a tag in the file it INHERITs ran its
    command, and INHERIT could read a file outside the root."""
    root = copy_example(tmp_path / "root")
    pwned = tmp_path / "PWNED"
    tag = f'x: !!python/object/apply:os.system ["touch {pwned}"]\n'
    (root / "base.yml").write_text(tag, encoding="utf-8")
    (tmp_path / "outside.yml").write_text("site_name: x\n", encoding="utf-8")
    _with_config(root, "\n" + extra)
    assert build(root, tmp_path / "site") == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml: error: line " in err and said in err, err
    assert not pwned.exists()
    assert not (tmp_path / "site").exists()
