"""The dependency diagram as inline SVG, drawn at build time: no JavaScript, no Mermaid.

Boxes sit in the topological layers of `derive.dependencies.layered_layout`,
the services that depend on others at the top and the vendors at the bottom;
every arrow points from a service to something it depends on directly. Long
arrows bend through way-points between the boxes of the layers they cross.

Horizontal positions: each layer keeps the order the layout gave it; a few
sweeps move every box towards the mean position of its neighbours in the layer
above or below, as close as the order and the spacing allow (a least-squares
fit under order constraints, "pool adjacent violators"). Deterministic.

Services and vendors differ by outline (solid / dashed) and by a "(vendor)"
line in the box, not by colour alone. The picture holds no links: an element
with role="img" must not contain controls (screen readers treat its content
as one image); the tables beside it carry the links. Colours come from the stylesheet (diagram.css
rules in contacts.css), so the diagram follows the theme's light or dark scheme.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from mimp.derive.dependencies import Layout, LayoutNode, Waypoint

FONT_SIZE = 12.0
CHAR_WIDTH = 6.7  # a generous average for 12px sans-serif text
LINE_HEIGHT = 14.0
BOX_PADDING_X = 10.0
BOX_PADDING_Y = 7.0
MIN_BOX_WIDTH = 72.0
ONE_LINE = 16  # labels up to this many characters stay on one line
TWO_LINES = 22  # a longer label splits in two if neither half is longer than this
WAYPOINT_WIDTH = 2.0
GAP_BOXES = 14.0
GAP_WAYPOINT = 8.0
LAYER_GAP = 60.0
MARGIN = 10.0
ARROW_GAP = 2.0
SWEEPS = 10
MIN_SCALE = 0.8  # narrower pages scroll the diagram rather than shrink its text further


@dataclass(frozen=True)
class NodeInfo:
    """How to draw one real node."""

    label: str
    vendor: bool = False
    tooltip: str = ""


@dataclass
class _Box:
    node: LayoutNode
    x: float  # centre
    y: float  # top
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


def wrap(label: str) -> list[str]:
    """A label in one line, two balanced lines, or as many lines of TWO_LINES as it needs."""
    words = label.split()
    if len(label) <= ONE_LINE or len(words) < 2:
        return [label.strip()] if label.strip() else [""]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    first, second = min(splits, key=lambda pair: (max(len(pair[0]), len(pair[1])), len(pair[1])))
    if max(len(first), len(second)) <= TWO_LINES:
        return [first, second]
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > TWO_LINES:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def box_width(lines: Sequence[str]) -> float:
    return max(MIN_BOX_WIDTH, max(len(line) for line in lines) * CHAR_WIDTH + 2 * BOX_PADDING_X)


def render_diagram(
    layout: Layout,
    info: Mapping[str, NodeInfo],
    title: str,
    description: str,
    id_prefix: str = "mimp-dep",
) -> Markup:
    """The whole <svg> element, with role="img", <title> and <desc>."""
    if not layout.nodes:
        return Markup("")
    lines = {node: _lines(info[node]) for node in layout.nodes}
    boxes = _place(layout, lines)
    width = max(b.left + b.width for b in boxes.values()) + MARGIN
    height = max(b.bottom for b in boxes.values()) + MARGIN
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="mimp-depgraph" role="img" '
            'width="{w}" height="{h}" viewBox="0 0 {w} {h}" style="min-width: {m}px" '
            'aria-labelledby="{t} {d}">'
        ).format(w=_n(width), h=_n(height), m=_n(width * MIN_SCALE), t=title_id, d=desc_id),
        Markup('<title id="{}">{}</title>').format(title_id, title),
        Markup('<desc id="{}">{}</desc>').format(desc_id, description),
        Markup(
            '<defs><marker id="{}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="8" markerHeight="8" orient="auto">'
            '<path class="mimp-depgraph__head" d="M0,1 L9,5 L0,9 z"/></marker></defs>'
        ).format(id_prefix),
        Markup('<g class="mimp-depgraph__edges">'),
    ]
    ends = _edge_ends(layout)
    for (source, target), path in sorted(layout.routes.items()):
        parts.append(
            Markup('<path class="mimp-depgraph__edge" d="{}" marker-end="url(#{}-arrow)">').format(
                _edge_path(path, boxes, ends), id_prefix
            )
        )
        parts.append(
            Markup("<title>{} depends on {}</title></path>").format(
                info[source].label, info[target].label
            )
        )
    parts.append(Markup("</g>"))
    parts.append(Markup('<g class="mimp-depgraph__nodes">'))
    for node in layout.nodes:
        parts.append(_node(boxes[node], info[node], lines[node]))
    parts.append(Markup("</g></svg>"))
    return Markup("").join(parts)


def _lines(node: NodeInfo) -> list[str]:
    return wrap(node.label) + (["(vendor)"] if node.vendor else [])


def _n(value: float) -> str:
    """A coordinate, short: 12, 12.5."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- placement ---------------------------------------------------------------------------


def _place(layout: Layout, lines: Mapping[str, list[str]]) -> dict[LayoutNode, _Box]:
    layers = layout.layers
    top = len(layers) - 1
    # Vertical: the highest layer at the top; one height for every box of a layer.
    heights = [
        max((len(lines[n]) for n in layer if isinstance(n, str)), default=1) * LINE_HEIGHT
        + 2 * BOX_PADDING_Y
        for layer in layers
    ]
    y_of: dict[int, float] = {}
    y = MARGIN
    for index in range(top, -1, -1):
        y_of[index] = y
        y += heights[index] + LAYER_GAP
    boxes: dict[LayoutNode, _Box] = {}
    for index, layer in enumerate(layers):
        for node in layer:
            width = WAYPOINT_WIDTH if isinstance(node, Waypoint) else box_width(lines[node])
            boxes[node] = _Box(node, 0.0, y_of[index], width, heights[index])
    # Horizontal: packed, then sweeps towards neighbours.
    up, down = _neighbours(layout)
    widest = max(_packed_width(layer, boxes) for layer in layers)
    for layer in layers:
        x = (widest - _packed_width(layer, boxes)) / 2
        for i, node in enumerate(layer):
            if i:
                x += _separation(boxes[layer[i - 1]], boxes[node])
            boxes[node].x = x
    for sweep in range(SWEEPS):
        order = range(top - 1, -1, -1) if sweep % 2 == 0 else range(1, top + 1)
        neighbours = up if sweep % 2 == 0 else down
        for index in order:
            _align(layers[index], boxes, neighbours)
    # A last pass with both sides, so each box sits between what is above and below it.
    both = {n: up[n] + down[n] for n in boxes}
    for index in range(top, -1, -1):
        _align(layers[index], boxes, both)
    shift = MARGIN - min(b.left for b in boxes.values())
    for box in boxes.values():
        box.x += shift
    return boxes


def _neighbours(
    layout: Layout,
) -> tuple[dict[LayoutNode, list[LayoutNode]], dict[LayoutNode, list[LayoutNode]]]:
    """Each node's neighbours one layer up and one layer down, each once."""
    up: dict[LayoutNode, list[LayoutNode]] = {n: [] for layer in layout.layers for n in layer}
    down: dict[LayoutNode, list[LayoutNode]] = {n: [] for layer in layout.layers for n in layer}
    for path in layout.routes.values():
        for upper, lower in zip(path, path[1:], strict=False):
            if lower not in down[upper]:
                down[upper].append(lower)
                up[lower].append(upper)
    return up, down


def _separation(a: _Box, b: _Box) -> float:
    """Centre-to-centre distance between neighbours in a layer."""
    boxes = isinstance(a.node, str) and isinstance(b.node, str)
    return (a.width + b.width) / 2 + (GAP_BOXES if boxes else GAP_WAYPOINT)


def _packed_width(layer: Sequence[LayoutNode], boxes: Mapping[LayoutNode, _Box]) -> float:
    return sum(_separation(boxes[a], boxes[b]) for a, b in zip(layer, layer[1:], strict=False))


def _align(
    layer: Sequence[LayoutNode],
    boxes: dict[LayoutNode, _Box],
    neighbours: Mapping[LayoutNode, list[LayoutNode]],
) -> None:
    """Move the layer's boxes towards the mean x of their neighbours, keeping order and gaps."""
    desired: list[float] = []
    weights: list[float] = []
    for node in layer:
        near = neighbours[node]
        if near:
            desired.append(sum(boxes[n].x for n in near) / len(near))
            # Way-points weigh more: long edges then run straight down.
            weights.append(4.0 if isinstance(node, Waypoint) else 1.0 + len(near) / 4)
        else:
            desired.append(boxes[node].x)
            weights.append(0.25)
    offsets = [0.0]
    for a, b in zip(layer, layer[1:], strict=False):
        offsets.append(offsets[-1] + _separation(boxes[a], boxes[b]))
    fitted = _isotonic([d - o for d, o in zip(desired, offsets, strict=True)], weights)
    for node, value, offset in zip(layer, fitted, offsets, strict=True):
        boxes[node].x = value + offset


def _isotonic(values: Sequence[float], weights: Sequence[float]) -> list[float]:
    """The non-decreasing sequence nearest to `values` (weighted least squares): PAV."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, weight2, count2 = blocks.pop()
            mean1, weight1, count1 = blocks.pop()
            total = weight1 + weight2
            blocks.append([(mean1 * weight1 + mean2 * weight2) / total, total, count1 + count2])
    out: list[float] = []
    for mean, _weight, count in blocks:
        out.extend([mean] * int(count))
    return out


# --- drawing -----------------------------------------------------------------------------


def _edge_path(path: Sequence[LayoutNode], boxes: Mapping[LayoutNode, _Box], ends: _Ends) -> str:
    """An SVG path: down from the source's bottom, through way-points, to the target's top.

    Curves cross the gaps between layers; inside a layer an edge runs straight down
    past the boxes beside its way-point.
    """
    source, target = path[0], path[-1]
    points = [(_port(source, path[1], boxes, ends, "out"), boxes[source].bottom)]
    for waypoint in path[1:-1]:
        box = boxes[waypoint]
        points += [(box.x, box.y), (box.x, box.bottom)]
    points.append((_port(target, path[-2], boxes, ends, "in"), boxes[target].y - ARROW_GAP))
    d = f"M{_n(points[0][0])},{_n(points[0][1])}"
    for index in range(1, len(points)):
        (x1, y1), (x2, y2) = points[index - 1], points[index]
        if index % 2 == 0:  # top to bottom of a way-point
            d += f" L{_n(x2)},{_n(y2)}"
        else:
            mid = (y1 + y2) / 2
            d += f" C{_n(x1)},{_n(mid)} {_n(x2)},{_n(mid)} {_n(x2)},{_n(y2)}"
    return d


_Ends = dict[tuple[LayoutNode, str], list[LayoutNode]]


def _edge_ends(layout: Layout) -> _Ends:
    """For each node: the next nodes of edges leaving it, and the previous of edges entering."""
    ends: _Ends = {}
    for path in layout.routes.values():
        for key, near in (((path[0], "out"), path[1]), ((path[-1], "in"), path[-2])):
            found = ends.setdefault(key, [])
            if near not in found:
                found.append(near)
    return ends


def _port(
    node: LayoutNode,
    other: LayoutNode,
    boxes: Mapping[LayoutNode, _Box],
    ends: _Ends,
    side: str,
) -> float:
    """Where an edge leaves (bottom) or enters (top) a box: spread across it in x order."""
    near = ends[node, side]
    if len(near) == 1:
        return boxes[node].x
    ordered = sorted(near, key=lambda n: (boxes[n].x, str(n)))
    span = boxes[node].width * 0.7
    return boxes[node].x - span / 2 + span * ordered.index(other) / (len(ordered) - 1)


def _node(box: _Box, node: NodeInfo, lines: list[str]) -> Markup:
    kind = "vendor" if node.vendor else "service"
    total = len(lines) * LINE_HEIGHT
    first = box.y + (box.height - total) / 2 + LINE_HEIGHT * 0.78
    texts = []
    for index, line in enumerate(lines):
        css = "mimp-depgraph__kind" if node.vendor and index == len(lines) - 1 else ""
        texts.append(
            Markup('<text x="{}" y="{}"{}>{}</text>').format(
                _n(box.x),
                _n(first + index * LINE_HEIGHT),
                Markup(' class="{}"').format(css) if css else "",
                line,
            )
        )
    shape = Markup(
        '<rect class="mimp-depgraph__box mimp-depgraph__box--{}" x="{}" y="{}" '
        'width="{}" height="{}" rx="{}"/>'
    ).format(kind, _n(box.left), _n(box.y), _n(box.width), _n(box.height), 0 if node.vendor else 5)
    title = Markup("<title>{}</title>").format(node.tooltip or node.label)
    inner = title + shape + Markup("").join(texts)
    return Markup('<g class="mimp-depgraph__node">{}</g>').format(inner)


def edge_description(
    layout: Layout, info: Mapping[str, NodeInfo], order: Callable[[str], int] | None = None
) -> str:
    """The diagram in words: 'A depends on B, C. D depends on E.'"""
    by_source: dict[str, list[str]] = {}
    for source, target in layout.routes:
        by_source.setdefault(source, []).append(target)
    sources = sorted(by_source, key=order) if order else sorted(by_source)
    return " ".join(
        f"{info[s].label} depends on {', '.join(info[t].label for t in by_source[s])}."
        for s in sources
    )
