"""Find a site's record files and read each into a RawDocument.

Layout (see docs/format.md):
    data/registry/*.yaml        the contact registry
    data/incidents/**/<id>.md   an incident or maintenance
    data/incidents/**/<id>.pir.md  the post-incident review of <id>
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from mimp.diagnostics import Report
from mimp.load import parse_helper
from mimp.load.raw import RawDocument
from mimp.load.safe_yaml import YamlProblem, parse_yaml_document
from mimp.load.site_files import MAX_FILE_BYTES, UnsafeFile, read_bounded, refusal, walk

REGISTRY_DIR = "data/registry"
INCIDENTS_DIR = "data/incidents"
FRONT_MATTER_FENCE = "---"


@dataclass
class SourceFiles:
    """Every record file that parsed, and what went wrong with the others."""

    registry: list[RawDocument] = field(default_factory=list)
    incidents: list[RawDocument] = field(default_factory=list)
    pirs: list[RawDocument] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    unreadable: set[str] = field(default_factory=set)  # files that exist but did not parse
    # For a registry file that did not parse: the top-level keys its text shows, so the
    # model knows which kinds of ids it may have defined (absent: it could be any kind).
    unparsed_registry_keys: dict[str, frozenset[str]] = field(default_factory=dict)


def load_sources(root: Path) -> SourceFiles:
    """Read every record file under `root`; problems go to the report, never raise."""
    sources = SourceFiles()
    kinds = {"registry": sources.registry, "incident": sources.incidents, "pir": sources.pirs}
    for document in read_sources(root, sources):
        kinds[document.kind].append(document)
    return sources


def read_sources(root: Path, sources: SourceFiles) -> Iterator[RawDocument]:
    """Every record file under `root` that parses, one at a time as it is read: the
    registry's first, then incidents and PIRs in path order. What went wrong with the
    others goes to `sources` (report, unreadable files), complete once exhausted.

    One at a time, so a caller that validates each as it comes never holds every
    file's text and raw tree at once (model/site.py SiteBuilder)."""
    registry_dir = root / REGISTRY_DIR
    scan = _scan_data(root)
    for name, reason in scan.refused:
        sources.report.error(name, None, reason)
    if not registry_dir.is_dir() or registry_dir.is_symlink() or (root / "data").is_symlink():
        if not scan.refused:
            sources.report.error(
                REGISTRY_DIR, None, "no registry folder: create data/registry/*.yaml"
            )
    else:
        for name in scan.registry:
            path = root / name
            document = _read_yaml_file(root, path, sources.report, sources.unparsed_registry_keys)
            if _readable(sources, document, path, root):
                yield document
    outcomes = parse_helper.read_each(root, scan.records, read_record_file)
    for name, (document, messages) in zip(scan.records, outcomes, strict=True):
        sources.report.items.extend(messages)
        if _readable(sources, document, root / name, root):
            yield document
    for name in scan.ignored:
        sources.report.warning(name, None, ignored_because(name))


@dataclass
class _Scan:
    records: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    registry: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def _scan_data(root: Path) -> _Scan:
    """Incident and PIR files, files that look like records but are not read, registry
    files, and entries refused (links, FIFOs, devices: site_files) under data/.

    One walk of data/: every `*.md` under data/incidents/ is a record (a folder with such a
    name too, so it is reported as unreadable rather than skipped). Any other file there,
    and any file elsewhere under data/ but the registry's, would be silently ignored:
    those are returned, to be warned about. Hidden files and folders are left alone.
    """
    scan = _Scan()
    records, ignored = scan.records, scan.ignored
    data = root / "data"
    if data.is_symlink():
        scan.refused.append(("data", refusal(data) or "is a symbolic link"))
        return scan
    incidents = INCIDENTS_DIR + "/"
    for folder, dirs, files, refused in walk(data):
        where = relative(root, Path(folder))
        scan.refused.extend(  # hidden ones are never read (an editor's lock links)
            (f"{where}/{name}", refusal(folder / name) or "is not a regular file")
            for name in refused
            if not name.startswith(".") and "/." not in where
        )
        in_incidents = where == INCIDENTS_DIR or where.startswith(incidents)
        hidden = "/." in where
        if in_incidents:
            records.extend(f"{where}/{name}" for name in dirs if name.endswith(".md"))
        if where == REGISTRY_DIR:  # a folder named like a registry file: reported unreadable
            scan.registry.extend(
                f"{where}/{name}" for name in dirs if name.endswith((".yaml", ".yml"))
            )
        for name in files:
            if in_incidents and name.endswith(".md"):
                records.append(f"{where}/{name}")
            elif hidden or name.startswith("."):
                continue
            elif where == REGISTRY_DIR and name.endswith((".yaml", ".yml")):
                scan.registry.append(f"{where}/{name}")
            else:
                ignored.append(f"{where}/{name}")
    records.sort(key=_path_order)  # the order sorted(Path) gave
    scan.registry.sort()
    return scan


def _path_order(name: str) -> list[str]:
    return name.split("/")


def ignored_because(name: str) -> str:
    """Why a file under data/ is not read, and what it should be called to be."""
    parts = name.split("/")
    file_name = parts[-1]
    lower = file_name.lower()
    if name.startswith(INCIDENTS_DIR + "/"):
        renamed = _as_markdown(file_name, loose=True)
        fix = f": if it is a record, rename it to {renamed}" if renamed else ""
        return f"incident files end in .md; this one is ignored{fix}"
    if name.startswith(REGISTRY_DIR + "/"):
        if len(parts) > 3 and lower.endswith((".yaml", ".yml")):
            return (
                "registry files go directly in data/registry/, not in a folder below it; "
                f"this one is ignored: move it to {REGISTRY_DIR}/{file_name}"
            )
        return "registry files end in .yaml or .yml; this one is ignored"
    below = parts[2:-1] if len(parts) > 2 else []
    if below and _close(below[0], "incidents"):
        below = below[1:]
    if below and _close(below[0], "registry"):
        below = below[1:]
    if lower.endswith((".yaml", ".yml")):
        return (
            f"registry files go in {REGISTRY_DIR}/; this one is ignored: "
            f"move it to {REGISTRY_DIR}/{file_name}"
        )
    renamed = _as_markdown(file_name)
    if renamed:
        target = "/".join([INCIDENTS_DIR, *below, renamed])
        return (
            f"incident and PIR files go under {INCIDENTS_DIR}/; this one is ignored: "
            f"move it to {target}"
        )
    return f"records are {REGISTRY_DIR}/*.yaml and {INCIDENTS_DIR}/**/*.md; this file is ignored"


def _as_markdown(file_name: str, loose: bool = False) -> str | None:
    """The .md name a misnamed record file would have: x.MD, x.markdown, x.md.txt -> x.md.

    `loose` (under data/incidents/, where every file should be a record): x.txt and
    x.yaml too.
    """
    lower = file_name.lower()
    if lower.endswith(".md"):
        return file_name[:-3] + ".md"
    if ".md." in lower:
        return file_name[: lower.rindex(".md.")] + ".md"
    suffixes = (".markdown", ".mdown", ".mkd")
    for suffix in (*suffixes, ".txt", ".yaml", ".yml") if loose else suffixes:
        if lower.endswith(suffix) and len(file_name) > len(suffix):
            return file_name[: -len(suffix)] + ".md"
    return None


def _close(word: str, name: str) -> bool:
    """A folder name that is a slip for `name`: `incident`, `Incidents`, `incidnets`."""
    return difflib.SequenceMatcher(None, word.lower(), name).ratio() >= 0.75


def _readable(
    sources: SourceFiles, doc: RawDocument | None, path: Path, root: Path
) -> TypeGuard[RawDocument]:
    if doc is None:
        sources.unreadable.add(relative(root, path))
    return doc is not None


def relative(root: Path, path: Path) -> str:
    """`path` relative to `root`, with forward slashes (paths come from globbing `root`)."""
    prefix = str(root)
    text = str(path)
    if text.startswith(prefix) and len(text) > len(prefix) and text[len(prefix)] == os.sep:
        return text[len(prefix) + 1 :].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def read_text(root: Path, path: Path, report: Report) -> str | None:
    """The file as text, or None after reporting why it cannot be read."""
    name = relative(root, path)
    try:
        data = read_bounded(path, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        report.error(name, None, str(exc))
        return None
    return decode_text(name, data, report)


def decode_text(name: str, data: bytes, report: Report) -> str | None:
    """A file's bytes as text, or None after reporting why they are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.error(name, 1, "the file is UTF-16 (it starts with a UTF-16 mark); save it as UTF-8")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.error(
            name,
            line,
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        )
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        report.error(
            name,
            line,
            "the file contains a NUL character: it is not a text file, or not UTF-8 "
            "(UTF-16 without a mark?); save it as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff")


_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)


def _read_yaml_file(
    root: Path, path: Path, report: Report, unparsed_keys: dict[str, frozenset[str]]
) -> RawDocument | None:
    text = read_text(root, path, report)
    if text is None:
        return None
    name = relative(root, path)
    try:
        parsed = parse_yaml_document(text)
    except YamlProblem as problem:
        report.error(name, problem.line, problem.message)
        unparsed_keys[name] = frozenset(_TOP_LEVEL_KEY.findall(text))
        return None
    return RawDocument(
        path=name,
        kind="registry",
        data=parsed.data,
        text=text,
        has_null=parsed.has_null,
        comment_cuts=tuple(parsed.comment_cuts),
        folded_lists=tuple(parsed.folded_lists),
    )


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line the body starts on), or None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FRONT_MATTER_FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FRONT_MATTER_FENCE, "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    return None


def read_record_file(
    root: Path, name: str, report: Report, data: bytes | None = None
) -> RawDocument | None:
    """One incident or PIR file (`name` relative to the root), read as load_sources reads
    it; None after reporting why it cannot be. With `data`, those bytes stand for the
    file's (an edit checked before it is written)."""
    kind = "pir" if name.endswith(".pir.md") else "incident"
    return _read_markdown_file(root, root / name, kind, report, data)


def _read_markdown_file(
    root: Path, path: Path, kind: str, report: Report, data: bytes | None = None
) -> RawDocument | None:
    name = relative(root, path)
    text = read_text(root, path, report) if data is None else decode_text(name, data, report)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None and text.split("\n", 1)[0].rstrip() == FRONT_MATTER_FENCE:
        report.error(
            name,
            1,
            "the front matter that starts on line 1 is never closed: "
            "add a line '---' after its last field",
        )
        return None
    if parts is None:
        report.error(
            name,
            1,
            "no front matter: the file must start with a line '---', then the YAML fields, "
            "then another line '---'",
        )
        return None
    front, body, body_line = parts
    try:
        parsed = parse_yaml_document(front, first_line=2)
    except YamlProblem as problem:
        report.error(name, problem.line, problem.message)
        return None
    return RawDocument(
        path=name,
        kind=kind,
        data=parsed.data,
        body=body,
        body_line=body_line,
        text=front,
        text_line=2,
        has_null=parsed.has_null,
        comment_cuts=tuple(parsed.comment_cuts),
        folded_lists=tuple(parsed.folded_lists),
    )
