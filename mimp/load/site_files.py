"""The one gate between a site root and everything that reads or writes beside it.

A pull request is untrusted input, and it can add any kind of file: a symbolic link
to /proc/self/environ, /dev/zero, a FIFO, a linked folder. So the build reads only
regular files inside the site root, bounded in size, and writes only into an output
folder that cannot hold the site itself. Every reader of data/ and docs/ (the
loader, the MkDocs adapter, `mimp check`, the commander's temporary copy) asks this
module; the rule is documented in SECURITY.md and docs/format.md ("Limits").

Symbolic links are refused outright, even to a file inside the root: a link from
docs/assets/ to data/ would publish internal-only records in the public build.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mimp.diagnostics import Report

MAX_FILE_BYTES = 1024 * 1024  # a record: a year of updates is a few KB; a MB is a mistake
MAX_DOCS_FILE_BYTES = 32 * 1024 * 1024  # a file under docs/ (images, PDFs)
MAX_DOCS_PAGE_BYTES = MAX_FILE_BYTES  # a Markdown page under docs/, which MkDocs converts
BUILT_MARKER = ".mimp-build"  # in every folder `mimp build` wrote: it may replace it
OLDER_BUILT_FILE = "assets/mimp/mimp.css"  # every build wrote it, before the marker too
SITE_PARTS = ("data", "docs", "mkdocs.yml")  # what an output folder must never hold or be


class UnsafeFile(Exception):
    """A file the build must not read; the message says why and what to do."""


@dataclass(frozen=True)
class Refused:
    """A path (relative to the root, forward slashes) and why the build does not read it."""

    path: str
    message: str


def refusal(path: Path, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why the build must not read `path` (None: it may). Looks at the path itself (lstat)."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return (
            "is a symbolic link; the build reads only regular files inside the site root "
            "(a link could publish any file of the machine that builds): "
            "replace it with the file itself"
        )
    if stat.S_ISDIR(info.st_mode):
        return "cannot read the file: it is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return (
            "is not a regular file (a FIFO, device or socket); "
            "the build reads only regular files: remove it"
        )
    if info.st_size > limit:
        return f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes"
    return None


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, never more than `limit`; UnsafeFile otherwise.

    Opened without following a link and without blocking (a FIFO swapped in after
    the check cannot hang the read), then checked again on the open descriptor.
    """
    reason = refusal(path, limit)
    if reason is not None:
        raise UnsafeFile(reason)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafeFile(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile("is not a regular file; the build reads only regular files")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise UnsafeFile(f"file is more than {limit:,} bytes; the limit is {limit:,} bytes")
    return b"".join(chunks)


def walk(folder: Path) -> Iterator[tuple[Path, list[str], list[str], list[str]]]:
    """(folder, sub-folders, regular files, refused entries) under `folder`, top down.

    Never follows a link: a linked folder is a refused entry, not a folder to enter.
    Sorting `sub-folders` in place orders the walk, as with os.walk.
    """
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError:
            continue
        dirs: list[str] = []
        files: list[str] = []
        refused: list[str] = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                dirs.append(entry.name)
            elif entry.is_file(follow_symlinks=False):
                files.append(entry.name)
            else:
                refused.append(entry.name)
        yield here, dirs, files, refused
        pending.extend(here / name for name in reversed(dirs))


# The names MkDocs takes for Markdown pages (mkdocs.utils.markdown_extensions).
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def docs_limit(name: str) -> int:
    """The size limit of a file MkDocs copies or converts: a page is converted, so less."""
    return MAX_DOCS_PAGE_BYTES if name.lower().endswith(PAGE_SUFFIXES) else MAX_DOCS_FILE_BYTES


def refused_under(root: Path, folder: str, limit: int | None = MAX_FILE_BYTES) -> list[Refused]:
    """Every entry under root/folder the build would not read: links, special files,
    files over `limit` (None: docs_limit). Hidden entries too: MkDocs may be told to
    include them."""
    out: list[Refused] = []
    base = root / folder
    if base.is_symlink():
        return [Refused(folder, refusal(base) or "is a symbolic link")]
    if not base.is_dir():
        return out
    for here, _dirs, files, refused in walk(base):
        for name in [*refused, *files]:
            reason = refusal(here / name, docs_limit(name) if limit is None else limit)
            if reason is not None:
                out.append(Refused(_relative(root, here / name), reason))
    return sorted(out, key=lambda item: item.path)


def docs_file_refusal(root: Path, docs_dir: Path, src_uri: str) -> str | None:
    """Why the build must not copy or read docs_dir/src_uri (None: it may).

    MkDocs walks docs/ following links, so a file reached through a linked folder
    is itself regular: the file's real path must be its path under the real docs/,
    and docs/ must be inside the root.
    """
    real_root = os.path.realpath(root)
    real_docs = os.path.realpath(docs_dir)
    if not Path(real_docs).is_relative_to(real_root):
        return f"the docs folder {docs_dir} is outside the site root"
    path = docs_dir / src_uri
    if os.path.realpath(path) != os.path.join(real_docs, *src_uri.split("/")):
        return (
            "is reached through a symbolic link; the build reads only regular files "
            "inside the site root: replace the link with the files themselves"
        )
    return refusal(path, docs_limit(src_uri))


def source_folder_refusals(root: Path, folder: Path) -> list[Refused]:
    """Why MkDocs must not copy files from `folder` (docs_dir, a theme's custom_dir).

    The folder must be inside the site root, reached without a link, and hold no link,
    special file or file over its docs_limit. Walked without following links,
    before MkDocs walks it following them (a link to `/` or a loop of links would keep
    MkDocs walking for hours).
    """
    real_root = os.path.realpath(root)
    relative = os.path.relpath(os.path.abspath(folder), os.path.abspath(root))
    inside = Path(os.path.realpath(folder)).is_relative_to(real_root)
    if relative == ".." or relative.startswith("../") or not inside:
        return [
            Refused(
                str(folder),
                "is outside the site root: the build copies files only from inside it",
            )
        ]
    return refused_under(root, Path(relative).as_posix(), None)


def copy_data(source: Path, target: Path) -> None:
    """Copy a data/ folder for a trial check: regular files and folders only.

    A link is copied as a link (never followed, so a linked `/` is not copied whole;
    the check of the copy refuses it as it refuses the original); FIFOs and devices
    are left out (copying one would hang or never end).
    """

    def leave_out(folder: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
                skipped.add(name)
        return skipped

    if source.is_symlink():
        return
    shutil.copytree(source, target, symlinks=True, ignore=leave_out)


PYTHON_TAG = "tag:yaml.org,2002:python/"
# `!!python/name:` is how Material's documented configs name an emoji or fence function:
# it imports a module and names one of its attributes, calling nothing. Only the modules
# those configs use; any other Python tag (`!!python/object/apply:` runs a command).
ALLOWED_PYTHON_NAME = re.compile(
    r"(material\.extensions\.emoji|pymdownx\.(emoji|superfences|slugs|arithmatex))"
    r"\.[A-Za-z][A-Za-z0-9_]*"
)


def config_refusal(
    config_file: Path, inherited: frozenset[Path] = frozenset(), root: Path | None = None
) -> str | None:
    """Why `mimp build` and `mimp serve` must not hand mkdocs.yml to MkDocs, or None.

    MkDocs loads it with PyYAML's unsafe loader, on which a `!!python/object/apply:` tag
    runs a command. The file is composed (never constructed) here, and any Python tag
    but `!!python/name:` of Material's emoji or pymdownx's functions refuses the build;
    so does an `INHERIT` of a file outside the root, or of one refused itself.
    """
    import yaml

    try:
        text = read_bounded(config_file).decode("utf-8")
        nodes = [yaml.compose(text, Loader=yaml.SafeLoader)]
    except UnsafeFile as exc:
        return str(exc)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        return f"cannot read it: {exc}"
    top = nodes[0]
    if isinstance(top, yaml.MappingNode):
        for key, value in top.value:
            refused = _inherit_refusal(
                config_file, key, value, inherited, root or config_file.parent
            )
            if refused is not None:
                return refused
    seen: set[int] = set()  # aliases share nodes, and may loop: visit each once
    while nodes:
        node = nodes.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        tag = node.tag or ""
        name = tag.removeprefix(PYTHON_TAG + "name:")
        if tag.startswith(PYTHON_TAG) and not (name != tag and ALLOWED_PYTHON_NAME.fullmatch(name)):
            return (
                f"line {node.start_mark.line + 1}: the tag "
                f"!!{tag.removeprefix('tag:yaml.org,2002:')} would run Python code when "
                "MkDocs loads the file; mimp refuses it (only !!python/name: of "
                "material.extensions.emoji or pymdownx's emoji, superfences, slugs and "
                "arithmatex functions is allowed)"
            )
        if isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                nodes.extend((key, value))
    return None


def _inherit_refusal(
    config_file: Path, key: Any, value: Any, inherited: frozenset[Path], root: Path
) -> str | None:
    """Why `INHERIT` in mkdocs.yml is refused, or None: MkDocs reads the file it names as
    more of this one, so it must be inside the site root and pass this check too (a
    Python tag there would run as one here does)."""
    import yaml

    if not isinstance(key, yaml.ScalarNode) or key.value != "INHERIT":
        return None
    where = f"line {key.start_mark.line + 1}"
    target = value.value if isinstance(value, yaml.ScalarNode) else ""
    path = Path(os.path.normpath(config_file.parent / target))
    if not target or not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return f"{where}: INHERIT must name a file inside the site root, not '{target}'"
    if path in inherited or len(inherited) > 8:
        return f"{where}: INHERIT goes round in a loop (or deeper than 8 files)"
    refused = config_refusal(path, inherited | {config_file}, root)
    return None if refused is None else f"{where}: INHERIT {target}: {refused}"


def output_refusal(root: Path, out: Path) -> str | None:
    """Why `mimp build` must not write (and so replace) the folder `out`, or None.

    The build replaces `out` whole. It must not be the site root, be inside data/ or
    docs/, or contain the root, data/, docs/ or mkdocs.yml; an existing folder that is
    not empty must be one `mimp build` made (it holds BUILT_MARKER).
    """
    root = Path(os.path.realpath(root))
    out = Path(os.path.realpath(out))
    if out == root or out in root.parents:
        return f"it is or contains the site root {root}"
    for part in SITE_PARTS:
        held = root / part
        if out == held or held.is_relative_to(out):
            return f"it is or contains {part}"
        if part != "mkdocs.yml" and out.is_relative_to(held):
            return f"it is inside {part}/, which the build reads"
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        return "it exists and is not a folder"
    if out.is_dir() and any(out.iterdir()) and not _built_by_mimp(out):
        return (
            f"it is a folder that is not empty and that mimp build did not make "
            f"(no {BUILT_MARKER} in it): empty it, or choose another folder"
        )
    return None


def _built_by_mimp(folder: Path) -> bool:
    """The folder holds the marker, or is a site an older mimp built (before the marker,
    every build wrote OLDER_BUILT_FILE): either may be replaced."""
    return (folder / BUILT_MARKER).is_file() or (folder / OLDER_BUILT_FILE).is_file()


def mark_built(folder: Path) -> None:
    """Mark a folder as made by `mimp build`, so a later build may replace it."""
    (folder / BUILT_MARKER).write_text(
        "This folder was written by `mimp build`, which replaces it whole at the next build.\n",
        encoding="utf-8",
    )


def output_mode() -> int:
    """The mode a new folder gets under the process's umask (0o777 & ~umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def refused_report(root: Path) -> Report:
    """Errors for every entry under docs/ the build would refuse (data/ is the loader's)."""
    report = Report()
    for item in refused_under(root, "docs", None):
        report.error(item.path, None, item.message)
    return report


def docs_pages(root: Path, folder: Path) -> Iterator[tuple[str, str | None]]:
    """(path relative to the root, text or None when not UTF-8) of each Markdown page
    under `folder` that the build would read (regular, within its size limit), with the
    text as MkDocs reads it."""
    if folder.is_symlink() or not folder.is_dir():
        return
    for here, _dirs, files, _refused in walk(folder):
        for name in files:
            path = here / name
            if not name.lower().endswith(PAGE_SUFFIXES):
                continue
            try:  # as MkDocs reads a page: a BOM dropped, every line ending made '\n'
                data = read_bounded(path, MAX_DOCS_PAGE_BYTES).decode("utf-8-sig")
                text: str | None = data.replace("\r\n", "\n").replace("\r", "\n")
            except UnicodeDecodeError:
                text = None
            except UnsafeFile:
                continue  # a link, special or huge file: refused_under reports it
            yield _relative(root, path), text


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
