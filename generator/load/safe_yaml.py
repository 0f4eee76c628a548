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

from typing import Any

import yaml

from generator.load.raw import LineList, LineMap

MAX_EXPANDED_NODES = 50_000
MAX_DEPTH = 40

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 5-10x faster


class YamlProblem(Exception):
    """A problem in a YAML text, with the 1-based line it is on (when known)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    first_line = 1

    def line_of_mark(self, mark: yaml.Mark | None) -> int | None:
        return None if mark is None else mark.line + self.first_line


# Copy the resolvers without the timestamp one, so dates and times stay strings.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Any:
    mapping = LineMap(loader.line_of_mark(node.start_mark) or 1)
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
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
        mapping[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> Any:
    sequence = LineList(loader.line_of_mark(node.start_mark) or 1)
    yield sequence
    for item_node in node.value:
        sequence.item_lines.append(loader.line_of_mark(item_node.start_mark) or sequence.line)
        sequence.append(loader.construct_object(item_node, deep=True))


def _refuse_tag(loader: _StrictLoader, node: yaml.Node) -> Any:
    raise YamlProblem(
        f"the tag '{node.tag}' is not allowed: records hold plain text, numbers, lists and mappings",
        loader.line_of_mark(node.start_mark),
    )


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _refuse_tag)
_StrictLoader.add_constructor("tag:yaml.org,2002:binary", _refuse_tag)
_StrictLoader.add_constructor("tag:yaml.org,2002:set", _refuse_tag)
_StrictLoader.add_constructor("tag:yaml.org,2002:omap", _refuse_tag)
_StrictLoader.add_constructor("tag:yaml.org,2002:pairs", _refuse_tag)
_StrictLoader.add_constructor(None, _refuse_tag)


def _check_expansion(loader: _StrictLoader, root: yaml.Node) -> None:
    """Refuse documents whose aliases would expand into a huge or deep structure."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_EXPANDED_NODES:
                raise YamlProblem(
                    f"this document expands to more than {MAX_EXPANDED_NODES:,} values "
                    "(anchors and aliases used as a bomb?)",
                    loader.line_of_mark(node.start_mark),
                )
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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    loader = _StrictLoader(text)
    loader.first_line = first_line
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(loader, node)
        return loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = loader.line_of_mark(mark)
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            context = exc.context
            started = loader.line_of_mark(exc.context_mark)
            if started is not None and started != line:
                # An unclosed quote or bracket is noticed lines later, often at the end.
                context += f" that starts on line {started}"
            problem = f"{exc.problem} ({context})"
        raise YamlProblem(
            f"YAML syntax: {problem}{_tab_hint(text, line, first_line)}", line
        ) from None
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
