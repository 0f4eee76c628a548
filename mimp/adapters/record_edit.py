"""Read, change and write a record's YAML front matter without disturbing anything else.

The commander's commands (`mimp update`, `mimp resolve`, ...) change a few keys of
a file people also edit by hand, often in the GitHub web editor. So an edit here:

- uses ruamel.yaml's round-trip mode: comments, key order, quoting, flow lists and
  block text (`|`) stay as they were;
- keeps every line the edit did not touch byte-for-byte: the new front matter is
  merged line by line into the old one, and only if that is impossible is the
  whole front matter re-laid out by ruamel (the data is the same either way);
- keeps the Markdown body after the closing `---` byte-identical;
- never writes a file that `mimp check` would reject where it accepted the old
  one: the edit is checked first, on a copy of the site's data (`write_checked`).

Timestamps and dates stay text both ways (no implicit timestamp type), so
`2026-11-22T02:10:00+01:00` is written back exactly as it was read.
"""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from mimp.adapters import quick_edit_check
from mimp.derive.focus import Focus
from mimp.diagnostics import Diagnostic, Report, visible
from mimp.load.safe_yaml import YamlProblem, parse_yaml, parse_yaml_document, unicode_break_problem
from mimp.load.site_files import UnsafeFile, copy_data, read_bounded
from mimp.load.sources import INCIDENTS_DIR
from mimp.model import Site
from mimp.model.did_you_mean import did_you_mean
from mimp.pipeline import CheckedSite, check_site

FENCE = "---"

# The order keys are written in, so a key added by a command lands where a person
# would put it (after the nearest key that comes before it here).
INCIDENT_KEY_ORDER = (
    "title",
    "type",
    "severity",
    "services",
    "declared_at",
    "scheduled_start",
    "scheduled_end",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "detected_by",
    "commander",
    "roles",
    "criteria",
    "summary",
    "updates",
    "workaround",
    "customer_workaround",
    "cause",
    "changes",
    "impact",
    "actions",
    "vendors",
    "tags",
    "related",
    "drill",
)
UPDATE_KEY_ORDER = (
    "at",
    "status",
    "audience",
    "reopens",
    "services",
    "next_update_by",
    "expected_resolution_by",
    "message",
)


class EditError(Exception):
    """The file cannot be edited (no front matter, YAML that does not parse, ...)."""


# --- YAML ------------------------------------------------------------------------


class _TextTimestampResolver(VersionedResolver):
    """YAML 1.2 resolution without the timestamp type: dates and times stay text."""

    def add_version_implicit_resolver(self, version, tag, regexp, first):  # type: ignore[no-untyped-def]
        if tag == "tag:yaml.org,2002:timestamp":
            return
        super().add_version_implicit_resolver(version, tag, regexp, first)


def make_yaml(indent: tuple[int, int, int] = (2, 4, 2)) -> YAML:
    """A round-trip YAML with (mapping, sequence, offset) indentation and no wrapping."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _TextTimestampResolver
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap a long line
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def dump_yaml(data: Any, indent: tuple[int, int, int] = (2, 4, 2)) -> str:
    stream = io.StringIO()
    make_yaml(indent).dump(data, stream)
    return stream.getvalue()


def guess_indent(text: str) -> tuple[int, int, int]:
    """The (mapping, sequence, offset) indentation a YAML text already uses.

    Defaults to the format's own examples: mappings by 2, list dashes indented by 2.
    Lines inside block text (`|`, `>`) are not looked at.
    """
    mapping: int | None = None
    offset: int | None = None
    opener: int | None = None  # key column of the last line that opens a block
    block_from: int | None = None  # inside block text deeper than this column
    for raw in text.split("\n"):
        line = raw.rstrip()
        content = line.lstrip(" ")
        if not content:
            continue
        indent = len(line) - len(content)
        if block_from is not None:
            if indent > block_from:
                continue
            block_from = None
        if content.startswith("#"):
            continue
        key_column = indent
        body = content
        while body.startswith("- "):
            key_column += 2
            body = body[2:].lstrip(" ")
            key_column += len(body) - len(body.lstrip(" "))
        if opener is not None:
            if content.startswith("-"):
                offset = indent - opener if offset is None else offset
            elif mapping is None and indent > opener:
                mapping = indent - opener
        opener = None
        head, sep, rest = body.partition(":")
        if sep and not head.startswith(("'", '"', "{", "[")):
            value = rest.split(" #", 1)[0].strip()
            if not value:
                opener = key_column
            elif value[0] in "|>":
                block_from = key_column
        if mapping is not None and offset is not None:
            break
    mapping = mapping if mapping and mapping > 0 else 2
    offset = offset if offset is not None and offset >= 0 else 2
    return mapping, offset + 2, offset


# --- the file --------------------------------------------------------------------


@dataclass
class FrontMatterFile:
    """A Markdown file with YAML front matter, parsed for a round-trip edit.

    Change `data` (a ruamel CommentedMap) with the helpers below, then `render()`.
    """

    path: Path
    bom: str
    opening: str
    front: str
    closing: str
    body: str
    newline: str
    data: CommentedMap
    indent: tuple[int, int, int]
    _baseline: str = field(repr=False, default="")

    @classmethod
    def read(cls, path: Path) -> FrontMatterFile:
        try:
            text = read_bounded(path).decode("utf-8")
        except (UnsafeFile, UnicodeDecodeError) as exc:
            raise EditError(f"{path}: cannot read the file: {exc}") from None
        return cls.parse(text, path)

    @classmethod
    def parse(cls, text: str, path: Path) -> FrontMatterFile:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        text = text[len(bom) :]
        lines = _split_lines(text)
        if not lines or lines[0].rstrip("\r\n").rstrip() != FENCE:
            raise EditError(f"{path}: no front matter: the file must start with a line '---'")
        for index in range(1, len(lines)):
            if lines[index].rstrip("\r\n").rstrip() in (FENCE, "..."):
                break
        else:
            raise EditError(f"{path}: the front matter has no closing '---' line")
        newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
        front = "".join(lines[1:index])
        if newline != "\n":
            front = front.replace("\r\n", "\n")
        indent = guess_indent(front)
        try:
            data = make_yaml(indent).load(front)
        except YAMLError as exc:
            raise EditError(_yaml_error(path, front, exc)) from None
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap):
            raise EditError(f"{path}: the front matter is not a mapping of keys and values")
        baseline = dump_yaml(data, indent) if data else ""
        return cls(
            path=path,
            bom=bom,
            opening=lines[0],
            front=front,
            closing=lines[index],
            body="".join(lines[index + 1 :]),
            newline=newline,
            data=data,
            indent=indent,
            _baseline=baseline,
        )

    def render(self) -> str:
        """The whole file with the edited front matter; untouched lines kept as they were."""
        new = dump_yaml(self.data, self.indent)
        front = merge_lines(self.front, self._baseline, new, self.indent)
        if self.newline != "\n":
            front = front.replace("\n", self.newline)
        return self.bom + self.opening + front + self.closing + self.body

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def _yaml_error(path: Path, front: str, exc: YAMLError) -> str:
    """What `mimp check` says of front matter that does not parse, at its file line, with
    its advice; else the editor's own complaint, at the file line it means."""
    try:
        parse_yaml_document(front, first_line=2)
    except YamlProblem as problem:
        where = path if problem.line is None else f"{path}:{problem.line}"
        return f"{where}: {problem.message}"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = path if mark is None else f"{path}:{mark.line + 2}"  # the front starts on line 2
    problem = getattr(exc, "problem", None) or "not valid YAML"
    return f"{where}: the front matter is not valid YAML: {problem}; fix it, then run the command again"


def _split_lines(text: str) -> list[str]:
    """Split on '\\n' only (not on the other characters str.splitlines knows), keeping ends."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def merge_lines(original: str, baseline: str, new: str, indent: tuple[int, int, int]) -> str:
    """Apply the change baseline -> new to `original`, line by line.

    `baseline` is what ruamel writes for the unedited data and `new` what it writes
    after the edit. Where `original` is laid out exactly like `baseline`, that is
    just `new`; otherwise each changed block is carried over to the lines of
    `original` it corresponds to. If some change cannot be placed, or the merged
    text would not mean the same as `new`, the result is `new` itself.
    """
    if baseline == new:
        return original
    if original == baseline:
        return new
    orig_lines = _split_lines(original)
    base_lines = _split_lines(baseline)
    new_lines = _split_lines(new)
    to_orig: dict[int, int] = {}
    # Align ignoring whitespace, so a line ruamel re-spaced (`-   at:` -> `- at:`,
    # `[a,b]` -> `[a, b]`) still anchors the edits around it.
    matcher = difflib.SequenceMatcher(
        None, _squeezed(base_lines), _squeezed(orig_lines), autojunk=False
    )
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_orig[block.a + k] = block.b + k
    result = list(orig_lines)
    edits: list[tuple[int, int, list[str]]] = []  # (start, end) in original -> lines
    changes = difflib.SequenceMatcher(None, base_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in changes.get_opcodes():
        if tag == "equal":
            continue
        replacement = new_lines[j1:j2]
        if i1 < i2:
            mapped = [to_orig.get(i) for i in range(i1, i2)]
            if None in mapped or mapped != list(range(mapped[0], mapped[0] + len(mapped))):  # type: ignore[operator]
                return new
            edits.append((mapped[0], mapped[-1] + 1, replacement))  # type: ignore[operator]
        else:
            # Insert after the original of the line before; failing that, before the
            # original of the line after. The final comparison catches a wrong guess.
            before = to_orig.get(i1 - 1) if i1 > 0 else -1
            after = to_orig.get(i1) if i1 < len(base_lines) else len(orig_lines)
            if before is not None:
                edits.append((before + 1, before + 1, replacement))
            elif after is not None:
                edits.append((after, after, replacement))
            else:
                return new
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        result[start:end] = replacement
    merged = "".join(result)
    try:
        if make_yaml(indent).load(merged) != make_yaml(indent).load(new):
            return new
    except YAMLError:
        return new
    return merged


def _squeezed(lines: list[str]) -> list[str]:
    return ["".join(line.split()) for line in lines]


# --- changing the data -----------------------------------------------------------


def text_block(text: str) -> LiteralScalarString:
    """Markdown text as a YAML block (`|`), ending in one newline."""
    _refuse_unicode_breaks(text)
    return LiteralScalarString(text.strip("\n") + "\n")


def _refuse_unicode_breaks(text: str) -> None:
    """Refuse typed text the records' YAML would not keep as typed (a pasted U+2028)."""
    found = unicode_break_problem(text)
    if found is not None:
        start = text[:40] + ("..." if len(text) > 40 else "")
        raise EditError(visible(f"the text '{start}' holds {found[0]}"))


def text_value(text: str) -> Any:
    """Text as typed, for a text field: several lines as a `|` block; one line plain where
    the records' loader reads it back as the same text, else single-quoted. (`No`, `on`,
    `12:30` or `1_000` written plain would come back as a boolean or a number: the loader
    keeps YAML 1.1's implicit types, which this YAML 1.2 writer does not quote.)"""
    if "\n" in text.strip("\n"):
        return text_block(text)
    _refuse_unicode_breaks(text)
    try:
        same = parse_yaml(dump_yaml({"v": text})) == {"v": text}
    except YamlProblem:
        same = False
    return text if same else SingleQuotedScalarString(text)


# The same update or action posted again this soon is a command run twice, not news.
REPEAT_WITHIN_MINUTES = 10


def posted_again(items: Any, at: datetime, same: Callable[[Any], bool]) -> str | None:
    """The time of the latest item of `items` for which `same(item)` holds, when it is
    within REPEAT_WITHIN_MINUTES of `at`: what a command run twice would post again."""
    for old in reversed(list(items or ())):
        if not hasattr(old, "get") or not same(old):
            continue
        try:
            then = datetime.fromisoformat(str(old.get("at")).replace("Z", "+00:00"))
            close = abs((then - at).total_seconds()) <= REPEAT_WITHIN_MINUTES * 60
        except (TypeError, ValueError):
            return None  # the check says what is wrong with its time
        return str(old.get("at")) if close else None
    return None


def same_words(a: Any, b: Any) -> bool:
    """Whether two texts say the same, whatever their spacing and line breaks."""
    return " ".join(str(a or "").split()) == " ".join(str(b or "").split())


def flow_list(items: Iterable[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def mapping(pairs: Iterable[tuple[str, Any]]) -> CommentedMap:
    out = CommentedMap()
    for key, value in pairs:
        out[key] = value
    return out


def set_key(target: CommentedMap, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """Set `key`, keeping its place if it exists, else putting it where `order` says."""
    if key in target:
        old = target[key]
        if isinstance(old, LiteralScalarString | FoldedScalarString) and isinstance(value, str):
            value = type(old)(value.strip("\n") + "\n")
        target[key] = value
        return
    position = len(target)
    if key in order:
        rank = order.index(key)
        keys = list(target.keys())
        position = 0
        for index, existing in enumerate(keys):
            if existing in order and order.index(existing) < rank:
                position = index + 1
        # A key that `order` does not know stays where it is; put the new key before
        # the first known key that comes after it in `order`.
        later = [i for i, k in enumerate(keys) if k in order and order.index(k) > rank]
        if later and position > later[0]:
            position = later[0]
    if position >= len(target):
        tail = _detach_tail(target)
        target[key] = value
        _attach_tail(target, tail)
    else:
        target.insert(position, key, value)


def append_item(seq: CommentedSeq, item: Any) -> None:
    """Append to a block list; comments and blank lines after the list stay after it."""
    tail = _detach_tail(seq)
    seq.append(item)
    _attach_tail(seq, tail)


def _is_block_text(value: Any) -> bool:
    return isinstance(value, LiteralScalarString | FoldedScalarString)


def _split_token(value: Any, slot: list[Any], where: int) -> str:
    """Keep a value's own end-of-line comment in its slot; return the lines after it."""
    token = slot[where]
    text = token.value
    if _is_block_text(value):  # block text ends its own line: all of it comes after
        slot[where] = None
        return text
    own, _, rest = text.partition("\n")
    token.value = own + "\n"
    return rest


def _detach_tail(node: Any) -> str:
    """Remove and return the comment and blank lines that follow a collection's last entry."""
    if not isinstance(node, CommentedMap | CommentedSeq) or not node:
        return ""
    tail = ""
    if isinstance(node, CommentedMap):
        key = list(node.keys())[-1]
        value = node[key]
        slot, where = node.ca.items.get(key), 2
    else:
        key = len(node) - 1
        value = node[key]
        slot, where = node.ca.items.get(key), 0
    if isinstance(value, CommentedMap | CommentedSeq) and value:
        tail = _detach_tail(value)
    elif slot is not None and slot[where] is not None:
        tail = _split_token(value, slot, where)
    if node.ca.end:
        tail += "".join(token.value for token in node.ca.end)
        node.ca.end = []
    return tail


def _attach_tail(node: Any, tail: str) -> None:
    """Put `tail` (comment and blank lines) after a collection's last entry."""
    if not tail or not isinstance(node, CommentedMap | CommentedSeq) or not node:
        return
    if isinstance(node, CommentedMap):
        key: Any = list(node.keys())[-1]
        where, size = 2, 4
    else:
        key = len(node) - 1
        where, size = 0, 4
    value = node[key]
    if isinstance(value, CommentedMap | CommentedSeq) and value:
        _attach_tail(value, tail)
        return
    slot = node.ca.items.setdefault(key, [None] * size)
    existing = slot[where]
    if existing is not None:
        existing.value += tail
        return
    text = tail if _is_block_text(value) else "\n" + tail
    slot[where] = CommentToken(text, CommentMark(0), None)


# --- time ------------------------------------------------------------------------


def utc_z(moment: datetime) -> str:
    """A timestamp as the records write it: UTC, to the second, with Z."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso_date(day: date) -> str:
    return day.isoformat()


# --- finding records -------------------------------------------------------------


def incident_files(root: Path) -> dict[str, list[Path]]:
    """Every incident file under data/incidents by id (a list: ids may be duplicated)."""
    out: dict[str, list[Path]] = {}
    folder = root / INCIDENTS_DIR
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            if not path.name.endswith(".pir.md"):
                out.setdefault(path.name[: -len(".md")], []).append(path)
    return out


def find_incident_file(root: Path, incident_id: str) -> Path:
    """The file of incident `incident_id`; EditError with suggestions if there is none."""
    files = incident_files(root)
    found = files.get(incident_id, [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(p.relative_to(root).as_posix() for p in found)
        raise EditError(f"incident '{incident_id}' is in more than one file: {names}")
    hint = did_you_mean(incident_id, files, most=3, cutoff=0.5)
    raise EditError(f"no incident '{incident_id}' under {INCIDENTS_DIR}/{hint}")


# --- checked writing -------------------------------------------------------------


@dataclass
class EditCheck:
    """What `mimp check` says about the site with an edit applied."""

    introduced_errors: list[Diagnostic]
    warnings: list[Diagnostic]
    site: Site | None = None  # the valid records with the edit applied (what is due next)

    @property
    def ok(self) -> bool:
        return not self.introduced_errors


def _key(item: Diagnostic) -> tuple[str, str, str]:
    return (item.path, str(item.severity), item.message)


def check_edit(
    root: Path,
    changes: dict[str, str],
    now: datetime | None = None,
    previous: CheckedSite | None = None,
) -> EditCheck:
    """Run every `mimp check` rule on a copy of the site's data with `changes` applied.

    `changes` maps a path relative to the root to the file's new text. Errors the
    site already had are not the edit's fault and do not count against it;
    warnings are returned for the changed files only. With `previous`, the check of
    the site as it is on disk, an edit of existing records is checked against it
    (quick_edit_check) instead of a copy of the whole site.
    """
    now = now or now_utc()
    # In focus, as `mimp check --incident` sees them: a time ahead of the clock (2027 for
    # 2026) is an error there, so it is refused here rather than left for CI.
    focus = Focus(frozenset(changes), whole_registry=True, every_error=True)
    checked = quick_edit_check.recheck_edit(root, changes, now, focus, previous)
    if checked is not None:  # (checked against a site without errors: every one is new)
        errors = checked.report.errors
    else:
        with tempfile.TemporaryDirectory(prefix="mimp-edit-") as tmp:
            copy = Path(tmp)
            if (root / "data").is_dir():
                copy_data(root / "data", copy / "data")  # links stay links, FIFOs stay out
            for relative, text in changes.items():
                target = copy / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode("utf-8"))
            checked = check_site(copy, now, focus=focus)
        errors = checked.report.errors
        if errors:
            before = {_key(item) for item in check_site(root, now, focus=focus).report.errors}
            errors = [item for item in errors if _key(item) not in before]
    warnings = [item for item in checked.report.warnings if item.path in changes]
    return EditCheck(sorted(set(errors)), sorted(set(warnings)), checked.site)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8, newlines as given) so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_checked(
    root: Path,
    changes: dict[str, str],
    now: datetime | None = None,
    previous: CheckedSite | None = None,
) -> EditCheck:
    """Check `changes` (path relative to root -> new text); write them only if they pass.
    `previous`: the check of the site as it is on disk (see check_edit)."""
    result = check_edit(root, changes, now, previous)
    if result.ok:
        for relative, text in changes.items():
            write_atomic(root / relative, text)
    return result


def report_of(items: Iterable[Diagnostic]) -> Report:
    report = Report()
    report.items.extend(items)
    return report
