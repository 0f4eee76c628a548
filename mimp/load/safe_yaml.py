"""YAML for files typed by tired people and read by a machine that must not fall over.

- Only plain data: no Python tags, no custom tags (PyYAML's safe constructor).
- Duplicate keys are an error, not a silent overwrite.
- Keys must be text.
- Anchors and aliases may not expand past a node budget (no "billion laughs"),
  and nesting may not go deeper than any record needs.
- Timestamps stay text, so the model can insist on an explicit UTC offset
  instead of YAML guessing a naive datetime.
- Every mapping and sequence remembers its lines (see `raw.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from sys import intern
from typing import Any

import yaml

from mimp.load.raw import LineList, LineMap

MAX_EXPANDED_NODES = 50_000
# Characters of text a document with aliases expands to: as much as a file may hold. An
# alias repeating one long message 4,000 times stays under the node budget (a 107 KB
# file became a 425 MB site).
MAX_EXPANDED_CHARS = 1024 * 1024
MAX_DEPTH = 40
# Python refuses to read an integer of over 4,300 digits (a ValueError deep in PyYAML);
# no count, minute or amount in a record comes near 100.
MAX_NUMBER_CHARS = 100
MAX_SHARED_CHARS = 64  # text up to this long is interned: ids (at most 63), keys, tags

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 5-10x faster


class YamlProblem(Exception):
    """A problem in a YAML text, with the 1-based line it is on (when known)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class CommentCut:
    """A plain (unquoted) text value that a YAML comment cut short on its last line:
    `message: opened the #inc-payments bridge` stores only 'opened the'."""

    line: int  # the file line the comment is on
    key: str  # the key holding the value, or holding the list the value is an item of
    kept: str  # what YAML stored
    lost: str  # the comment YAML dropped, from its '#'
    single_line: bool  # the value starts on the comment's line


@dataclass(frozen=True)
class FoldedList:
    """A text value not written as a block (`key: |`), with lines that start like a list
    item: YAML joins its lines with spaces, so the list becomes part of one paragraph."""

    line: int  # the file line of the first such item
    key: str  # the key holding the value, or holding the list the value is an item of
    item: str  # that line, stripped


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    first_line = 1
    lines: list[str] | None = None  # the text's lines, when some value may need a look
    may_cut = False  # the text has a '#': a comment may cut a value
    may_fold_a_list = False  # a line starts like a list item: a value may have joined it
    comment_cuts: list[CommentCut]
    folded_lists: list[FoldedList]
    may_merge = True  # False when the text has no '<<', so no mapping needs merging
    saw_null = False  # a key or item with no value (or null): worth a look after validation

    def line_of_mark(self, mark: yaml.Mark | None) -> int | None:
        return None if mark is None else mark.line + self.first_line


# The resolvers without the timestamp one, so dates and times stay strings.
_IMPLICIT = {
    first: tuple((tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp")
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.yaml_implicit_resolvers = {first: list(pairs) for first, pairs in _IMPLICIT.items()}
_STR_TAG = "tag:yaml.org,2002:str"


def _resolve(self: _StrictLoader, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """PyYAML's resolver without path resolvers (never used here): it runs once a node."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR_TAG
    return "tag:yaml.org,2002:map" if kind is yaml.MappingNode else "tag:yaml.org,2002:seq"


_StrictLoader.resolve = _resolve


_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_NULL_TAG = "tag:yaml.org,2002:null"
_INT_TAG = "tag:yaml.org,2002:int"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _refuse_tag(loader: _StrictLoader, node: yaml.Node) -> Any:
    raise YamlProblem(
        f"the tag '{node.tag}' is not allowed: records hold plain text, numbers, lists and mappings",
        loader.line_of_mark(node.start_mark),
    )


def _build(loader: _StrictLoader, node: yaml.Node, depth: int = 1, key: str = "") -> Any:
    """Plain data from a node tree, with lines: faster than PyYAML's generic constructor.

    A module function, not a closure, so no reference cycle keeps a parse tree alive.
    """
    if depth > MAX_DEPTH:
        raise YamlProblem(
            f"nested more than {MAX_DEPTH} levels deep", loader.line_of_mark(node.start_mark)
        )
    tag = node.tag
    if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        value = node.value  # most values are text: skip the generic constructor
        if loader.may_fold_a_list and node.end_mark.line != node.start_mark.line:
            _note_folded_list(loader, node, key)
        # Keys, ids, statuses and tags repeat in every record: one string each, not one
        # per occurrence (the validated records keep them).
        return intern(value) if len(value) <= MAX_SHARED_CHARS else value
    if isinstance(node, yaml.ScalarNode):
        if tag == _NULL_TAG:  # rare in records, and cheaper than the generic constructor
            loader.saw_null = True
            return None
        if tag not in _SCALAR_TAGS:
            _refuse_tag(loader, node)
        if tag == _INT_TAG and len(node.value) > MAX_NUMBER_CHARS:
            raise YamlProblem(
                f"a number of {len(node.value):,} characters: a number in a record is at most "
                f"{MAX_NUMBER_CHARS} characters long",
                loader.line_of_mark(node.start_mark),
            )
        return loader.yaml_constructors[tag](loader, node)
    if isinstance(node, yaml.MappingNode) and tag == _MAP_TAG:
        return _build_mapping(loader, node, depth)
    if isinstance(node, yaml.SequenceNode) and tag == _SEQ_TAG:
        sequence = LineList(loader.line_of_mark(node.start_mark) or 1)
        for item_node in node.value:
            sequence.item_lines.append(loader.line_of_mark(item_node.start_mark) or sequence.line)
            sequence.append(_build(loader, item_node, depth + 1, key))
            if loader.may_cut:
                _note_comment_cut(loader, item_node, key)
        return sequence
    return _refuse_tag(loader, node)


def _build_mapping(loader: _StrictLoader, node: yaml.MappingNode, depth: int) -> LineMap:
    mapping = LineMap(loader.line_of_mark(node.start_mark) or 1)
    if loader.may_merge:
        loader.flatten_mapping(node)  # YAML merge keys (<<)
    for key_node, value_node in node.value:
        key = _build(loader, key_node, depth + 1)
        key_line = loader.line_of_mark(key_node.start_mark)
        if not isinstance(key, str):
            raise YamlProblem(
                f"key {key!r} is not text; put it in quotes if it is meant as a name",
                key_line,
            )
        if key in mapping:
            first = mapping.key_lines[key]
            raise YamlProblem(f"duplicate key '{key}' (first given on line {first})", key_line)
        mapping.key_lines[key] = key_line or mapping.line
        mapping[key] = _build(loader, value_node, depth + 1, key)
        if loader.may_cut:
            _note_comment_cut(loader, value_node, key)
    return mapping


# A line that starts like a Markdown list item: '- ', '* ', '+ ', '1. ', '1) '.
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
# Text that may hold such a value: a line that starts like a list item and is not a YAML
# sequence item of a mapping ('- at: ...'); values over several lines are looked at then.
_MAY_FOLD_A_LIST = re.compile(r"^[ \t]+(?:[-*+]|\d{1,9}[.)])[ \t]+(?![\w-]+:(?:[ \t]|$))", re.M)


def _note_folded_list(loader: _StrictLoader, node: yaml.ScalarNode, key: str) -> None:
    """Remember a text value over several lines, not a block, with a line that starts
    like a list item: YAML joined it to the line before."""
    if node.style not in (None, "", '"', "'"):
        return
    start, end = node.start_mark, node.end_mark
    assert loader.lines is not None
    for index in range(start.line + 1, min(end.line + 1, len(loader.lines))):
        if _LIST_ITEM.match(loader.lines[index]):
            item = loader.lines[index].strip()
            loader.folded_lists.append(FoldedList(index + loader.first_line, key, item))
            return


def _note_comment_cut(loader: _StrictLoader, node: yaml.Node, key: str) -> None:
    """Remember a plain text value followed by a comment on its last line: YAML dropped
    the comment, which in prose is usually the rest of the sentence."""
    if not isinstance(node, yaml.ScalarNode) or node.style or node.tag != _STR_TAG:
        return
    end = node.end_mark
    assert loader.lines is not None
    if end is None or not 0 <= end.line < len(loader.lines):
        return
    rest = loader.lines[end.line][end.column :]
    comment = rest.lstrip(" \t")
    if not comment.startswith("#") or comment == rest:
        return
    loader.comment_cuts.append(
        CommentCut(
            line=end.line + loader.first_line,
            key=key,
            kept=node.value,
            lost=comment.rstrip(),
            single_line=node.start_mark.line == end.line,
        )
    )


def _check_expansion(loader: _StrictLoader, root: yaml.Node) -> None:
    """Refuse documents whose aliases would expand into a huge or deep structure, or into
    more text than a file may hold."""
    sizes: dict[int, tuple[int, int]] = {}  # node -> (values, characters) it expands to
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = [sizes[id(child)] for child in _children(node)]
            size = sizes[key] = (
                1 + sum(child[0] for child in children),
                _text_length(node) + sum(child[1] for child in children),
            )
            _refuse_size(loader, node, size)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlProblem("an alias refers to itself", loader.line_of_mark(node.start_mark))
        if depth > MAX_DEPTH:
            raise YamlProblem(
                f"nested more than {MAX_DEPTH} levels deep", loader.line_of_mark(node.start_mark)
            )
        on_path.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


def _text_length(node: yaml.Node) -> int:
    return len(node.value) if isinstance(node, yaml.ScalarNode) else 0


def _refuse_size(loader: _StrictLoader, node: yaml.Node, size: tuple[int, int]) -> None:
    if size[0] > MAX_EXPANDED_NODES:
        raise YamlProblem(
            f"this document expands to more than {MAX_EXPANDED_NODES:,} values "
            "(anchors and aliases used as a bomb?)",
            loader.line_of_mark(node.start_mark),
        )
    if size[1] > MAX_EXPANDED_CHARS:
        raise YamlProblem(
            f"this document expands to more than {MAX_EXPANDED_CHARS:,} characters of text, "
            "more than a file may hold (an alias repeating a long text?): write each text "
            "once, or split the record",
            loader.line_of_mark(node.start_mark),
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


@dataclass(frozen=True)
class ParsedYaml:
    data: Any
    has_null: bool  # some value is null: worth a search for keys given with no value
    comment_cuts: list[CommentCut]  # plain text values a comment cut short
    folded_lists: list[FoldedList] = field(default_factory=list)  # lists YAML joined


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    return parse_yaml_noting_nulls(text, first_line)[0]


def parse_yaml_noting_nulls(text: str, first_line: int = 1) -> tuple[Any, bool]:
    """(data, whether any value in it is null): a record without a null needs no search
    for keys given with no value (`channel: #inc-payments`)."""
    parsed = parse_yaml_document(text, first_line)
    return parsed.data, parsed.has_null


# Characters YAML 1.1 (this loader) reads as line breaks and YAML 1.2 (the commands'
# editor) as text: the value is not what was typed, and the two disagree on the file.
# They come in with text pasted from web pages and documents.
_UNICODE_BREAK = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {
    "\x85": "a next-line character (U+0085)",
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
}


_KEY_ON_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:")


def unicode_break_problem(text: str) -> tuple[str, int] | None:
    """(why, line within the text) for a character YAML would turn into a line break."""
    found = _UNICODE_BREAK.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    key = _KEY_ON_LINE.match(text, text.rfind("\n", 0, found.start()) + 1)
    where = f" in '{key[1]}'" if key else ""
    return (
        f"{_BREAK_NAMES[found[0]]}{where}, often pasted from a web page or a document: YAML reads "
        "it as a line break, so the text would not be what was typed; replace it with an "
        "ordinary line break (or a space)",
        line,
    )


def parse_yaml_document(text: str, first_line: int = 1) -> ParsedYaml:
    """Parse one YAML document, noting what a later stage may want to report about it."""
    found = unicode_break_problem(text)
    if found is not None:
        raise YamlProblem(found[0], found[1] + first_line - 1)
    loader = _StrictLoader(text)
    loader.first_line = first_line
    loader.may_merge = "<<" in text
    loader.comment_cuts = []
    loader.folded_lists = []
    loader.may_cut = "#" in text
    loader.may_fold_a_list = _MAY_FOLD_A_LIST.search(text) is not None
    if loader.may_cut or loader.may_fold_a_list:
        loader.lines = text.split("\n")
    try:
        node = loader.get_single_node()
        if node is None:
            return ParsedYaml(None, False, [])
        if "&" in text:  # no anchor, no alias: nothing can expand
            _check_expansion(loader, node)
        data = _build(loader, node)
        return ParsedYaml(data, loader.saw_null, loader.comment_cuts, loader.folded_lists)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        line, message = _syntax_message(loader, exc, text, first_line)
        raise YamlProblem(message, line) from None
    except yaml.reader.ReaderError as exc:
        # str(exc) would add 'in "<unicode string>", position N' on a second line.
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        raise YamlProblem(
            f"character U+{char:04X} is not allowed: {exc.reason}",
            _reader_line(exc, text, first_line),
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax: {exc}", _reader_line(exc, text, first_line)) from None
    except RecursionError:
        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", first_line) from None
    finally:
        loader.dispose()


def _syntax_message(
    loader: _StrictLoader, exc: yaml.MarkedYAMLError, text: str, first_line: int
) -> tuple[int | None, str]:
    """(line, message) for a syntax error: in plain words, with a hint, for common slips."""
    mark = exc.problem_mark or exc.context_mark
    line = loader.line_of_mark(mark)
    problem = exc.problem or exc.context or "not valid YAML"
    context = ""
    if exc.context and exc.problem:
        context = exc.context
        started = loader.line_of_mark(exc.context_mark)
        if started is not None and started != line:
            # An unclosed quote or bracket is noticed lines later, often at the end.
            context += f" that starts on line {started}"
    lines = text.split("\n")
    odd = _odd_space(lines, exc, mark)
    if odd is not None:
        return odd[0] + first_line, odd[1]
    tab = _tab_hint(text, line, first_line)
    explained = None if tab or mark is None else _explain(exc, lines)
    if explained is None:
        shown = f"{problem} ({context})" if context else problem
        return line, f"YAML syntax: {shown}{tab}"
    index, plain = explained
    said = problem
    if exc.context and exc.problem:
        said += f" {exc.context}"
        started = loader.line_of_mark(exc.context_mark)
        if started is not None and started != index + first_line:
            said += f" that starts on line {started}"
    return index + first_line, f"YAML syntax: {plain} (the parser said: {said})"


# A space YAML does not take for one: in the indentation, or after a key's colon. Chat
# apps, word processors and web pages paste them (U+00A0 most, narrow and figure spaces).
_ODD_SPACES = "\u00a0\u2007\u202f\u3000\u200b\ufeff"
_ODD_SPACE = re.compile(
    f"^[ {_ODD_SPACES}]*[{_ODD_SPACES}]|^ *(?:- +)?[A-Za-z_][\\w-]*:[ ]*[{_ODD_SPACES}]"
)
_SPACE_NAMES = {
    "\u00a0": "a non-breaking space (U+00A0)",
    "\u2007": "a figure space (U+2007)",
    "\u202f": "a narrow non-breaking space (U+202F)",
    "\u3000": "an ideographic space (U+3000)",
    "\u200b": "a zero-width space (U+200B)",
    "\ufeff": "a zero-width no-break space (U+FEFF)",
}


def _odd_space(
    lines: list[str], exc: yaml.MarkedYAMLError, mark: yaml.Mark | None
) -> tuple[int, str] | None:
    """(0-based line, message) for a look-alike space where YAML needs a space, on the
    lines the error is about (it is often reported a line later, at the next key)."""
    if mark is None:
        return None
    first = exc.context_mark.line if exc.context_mark is not None else mark.line
    for index in range(max(0, min(first, mark.line - 1)), min(mark.line + 1, len(lines))):
        found = _ODD_SPACE.search(lines[index])
        if found is not None:
            name = _SPACE_NAMES[found[0][-1]]
            where = (
                "in the indentation"
                if not found[0].rstrip(_ODD_SPACES).strip()
                else (f"after '{found[0].strip(' ' + _ODD_SPACES)}'")
            )
            return index, (
                f"YAML syntax: {name} {where}, where YAML needs an ordinary space; it comes "
                "in with text pasted from a chat app, a document or a web page: replace it "
                "with a space"
            )
    return None


# `key:value`, a key without the space YAML needs after its colon (not `http://`).
_NO_SPACE = re.compile(r"^ *(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)$")
# `key: value` (or `- key: value`), to find where a value starts.
# Keys in records are names (`updates`, `online-checkout`); a line of prose that ends in
# a colon, inside a block of text, is not taken for one.
_KEY_VALUE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*):(?: +|$)")
_EMPTY_FLOW = re.compile(r"^ *(?:- +)?(?P<key>\w[\w-]*): *(?P<flow>\[ *\]|\{ *\}) *(?:#.*)?$")


def _explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str] | None:
    """(0-based line index, plain words and a hint) for the common shapes, or None."""
    problem = exc.problem or ""
    mark = exc.problem_mark
    if mark is None or not 0 <= mark.line < len(lines):
        return None
    index = mark.line
    if problem.startswith("could not find expected ':'") and exc.context_mark is not None:
        key_index = exc.context_mark.line
        if 0 <= key_index < len(lines) and (hint := _missing_space(lines[key_index])):
            return key_index, hint
        return None
    if problem.startswith("mapping values are not allowed"):
        return _colon_in_value(lines, index, mark.column)
    if problem.startswith(("did not find expected key", "did not find expected '-'")):
        return _after_closing_quote(lines, index) or _misaligned(lines, index)
    if problem.startswith("block sequence entries are not allowed"):
        found = _KEY_VALUE.match(lines[index])
        if found:
            key = found["key"]
            return index, (
                f"a list cannot start on the same line as its key: put each item on a line "
                f"of its own under '{key}:', indented, starting with '- '"
            )
    return None


def _missing_space(text: str) -> str | None:
    found = _NO_SPACE.match(text)
    if found is None:
        return None
    key, value = found["key"], found["value"].rstrip()
    return f"'{key}:{_clip(value)}' needs a space after the colon: write '{key}: {_clip(value)}'"


def _colon_in_value(lines: list[str], index: int, column: int) -> tuple[int, str] | None:
    text = lines[index]
    found = _KEY_VALUE.match(text)
    if found and found.end("key") < column:
        key = found["key"].strip()
        value = text[found.end() :].rstrip()
        quoted = ""
        if "'" not in value:
            quoted = f"{key}: '{value}'"
        elif '"' not in value and "\\" not in value:
            quoted = f'{key}: "{value}"'
        how = f"{_clip(quoted, 60)}, or " if quoted else ""
        where = "contains ': '" if ": " in value else "ends in ':'"
        curly = (
            f" ({value[0]} is not a quote to YAML: a chat app or a word processor typed it)"
            if value[:1] in _CURLY_QUOTES
            else ""
        )
        return index, (
            f"the value of '{key}' {where}, which YAML takes for another key: a value "
            f"containing ': ' must be quoted or written as a block: {how}'{key}: |' with the "
            f"text indented on the lines below{curly}"
        )
    above = _previous(lines, index)
    if above is None:
        return None
    if hint := _missing_space(lines[above]):
        return above, hint
    if text.lstrip().startswith("- "):
        return _misaligned(lines, index)
    before = _KEY_VALUE.match(lines[above])
    if before and lines[above][before.end() :].strip() and _indent(text) > _key_column(before):
        key = before["key"].strip()
        return index, (
            f"this line is indented more than '{key}:' above it, so YAML reads it as more of "
            f"the value of '{key}': check the indentation of this line against the line(s) "
            f"above: keys of the same mapping start at the same column ('{key}:' at column "
            f"{_key_column(before) + 1}, this line at column {_indent(text) + 1})"
        )
    return None


_CURLY_QUOTES = "“”‘’„«»"
# `key: "quoted" more text` (or with single quotes): YAML ends the value at the quote.
_TEXT_AFTER_QUOTE = re.compile(
    r"""^ *(?:- +)?(?P<key>[\w-]+): *(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*') *(?P<rest>[^\s#].*)$"""
)


def _after_closing_quote(lines: list[str], index: int) -> tuple[int, str] | None:
    """The line the parser stopped on, or the one above it, holds a quoted value with text
    after its closing quote."""
    for at in (index, _previous(lines, index)):
        found = None if at is None else _TEXT_AFTER_QUOTE.match(lines[at])
        if at is not None and found is not None:
            key = found["key"]
            return at, (
                f"the value of '{key}' ends at its closing quote, and text follows it on the "
                f"line ('{_clip(found['rest'], 30)}'): quote the whole text (inside double "
                "quotes write \\\" for a quote, inside single quotes ''), or write "
                f"'{key}: |' with the text indented on the lines below"
            )
    return None


def _misaligned(lines: list[str], index: int) -> tuple[int, str] | None:
    text = lines[index]
    above = _previous(lines, index)
    if above is not None and (empty := _EMPTY_FLOW.match(lines[above])):
        key, flow = empty["key"].strip(), empty["flow"]
        noun = "list" if flow.startswith("[") else "mapping"
        return above, (
            f"'{key}: {flow}' is an empty {noun}, so what follows on the next lines cannot "
            f"be part of it: remove the '{flow}' and keep the items below '{key}:'"
        )
    is_item = text.lstrip().startswith("-")
    for before in range(index - 1, -1, -1):
        candidate = lines[before]
        if not candidate.strip() or candidate.lstrip().startswith("#"):
            continue
        if is_item and candidate.lstrip().startswith("- "):
            if _indent(candidate) == _indent(text):
                return None
            token = _token(candidate)
            parent = _parent(lines, before)
            under = f" under '{parent}'" if parent else ""
            return index, (
                "this list item does not line up with the one above it: check the "
                "indentation of this line against the line(s) above: items of the same list "
                f"start at the same column ('{token}'{under} at column "
                f"{_indent(candidate) + 1}, this line at column {_indent(text) + 1})"
            )
        found = _KEY_VALUE.match(candidate)
        if not is_item and found:
            own = _KEY_VALUE.match(text)
            column = _key_column(found)
            if own is None or column == _key_column(own):
                return None
            return index, (
                "this key does not line up with the one above it: check the indentation of "
                "this line against the line(s) above: keys of the same mapping start at the "
                f"same column ('{found['key'].strip()}:' at column {column + 1}, "
                f"'{own['key'].strip()}:' at column {_key_column(own) + 1})"
            )
    return None


def _previous(lines: list[str], index: int) -> int | None:
    """The nearest line above `index` that holds more than a comment."""
    for before in range(index - 1, -1, -1):
        stripped = lines[before].strip()
        if stripped and not stripped.startswith("#"):
            return before
    return None


def _parent(lines: list[str], index: int) -> str | None:
    """The key the block holding line `index` is under: 'updates:' for '  - at: ...'."""
    indent = _indent(lines[index])
    for before in range(index - 1, -1, -1):
        text = lines[before]
        if text.strip() and not text.lstrip().startswith("#") and _indent(text) < indent:
            return _token(text)
        if text.strip() and _indent(text) == indent and not text.lstrip().startswith("-"):
            return _token(text)  # `updates:` with its items at the same column
    return None


def _token(text: str) -> str:
    """How a line starts: '- at:' for '  - at: 2026-...', 'updates:' for 'updates:'."""
    found = _KEY_VALUE.match(text)
    if found:
        return ("- " if found["dash"] else "") + found["key"].strip() + ":"
    return _clip(text.strip(), 20)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _key_column(found: re.Match[str]) -> int:
    return found.start("key")


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _tab_hint(text: str, line: int | None, first_line: int) -> str:
    """A hint when the line the parser stopped on is indented with a tab."""
    if line is None:
        return ""
    lines = text.split("\n")
    index = line - first_line
    if 0 <= index < len(lines):
        content = lines[index]
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent:
            return "; this line is indented with a tab: YAML needs spaces"
    return ""


def _reader_line(exc: yaml.YAMLError, text: str, first_line: int) -> int | None:
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        return text.count("\n", 0, position) + first_line
    return None
