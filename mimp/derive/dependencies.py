"""What depends on what, and what breaks when something is down.

Services name the services and vendors they depend on (`depends_on`). From that:

- the dependency graph, with each node's direct and transitive dependencies;
- the dependency matrix: for each pair, does the row depend on the column
  directly, only through other services ("via"), or not at all;
- the blast radius of a service or vendor: every service that depends on it,
  directly or transitively, and the business areas (and their stakeholders) hit;
- a layered layout for a diagram: topological layers (a node sits one layer
  above the highest of its dependencies), with way-points where an edge spans
  several layers, ordered within each layer to cross as few edges as practical.

Everything here is pure: records in, plain data out. `depends_on` has no cycles
in a checked site (integrity reports them); a cycle reaching this module is a
programming error and raises `DependencyCycle`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from mimp.model import Site


class DependencyCycle(ValueError):
    """`depends_on` goes round in a circle; the message names the circle."""


@dataclass(frozen=True, eq=False)
class DependencyGraph:
    """Services and vendors, and for each the nodes it depends on directly.

    Vendors depend on nothing. References to unknown ids are left out (the
    integrity check reports them), so a partial site still gives a graph.
    """

    services: tuple[str, ...]
    vendors: tuple[str, ...] = ()
    edges: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_site(cls, site: Site) -> DependencyGraph:
        return cls.build(
            {sid: service.depends_on for sid, service in site.services.items()},
            site.vendors,
        )

    @classmethod
    def build(
        cls, depends_on: Mapping[str, Iterable[str]], vendors: Iterable[str] = ()
    ) -> DependencyGraph:
        """From service id -> ids it depends on (services or vendors), and the vendor ids."""
        services = tuple(depends_on)
        vendor_ids = tuple(v for v in vendors if v not in depends_on)
        known = set(services) | set(vendor_ids)
        edges: dict[str, tuple[str, ...]] = {}
        for sid in services:
            targets = [t for t in depends_on[sid] if t in known and t != sid]
            edges[sid] = tuple(dict.fromkeys(targets))
        for vid in vendor_ids:
            edges[vid] = ()
        graph = cls(services, vendor_ids, edges)
        graph.order  # noqa: B018 -- fail early on a cycle
        return graph

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.services + self.vendors

    def is_vendor(self, node: str) -> bool:
        return node in self._vendor_set

    @cached_property
    def _vendor_set(self) -> frozenset[str]:
        return frozenset(self.vendors)

    def depends_on(self, node: str) -> tuple[str, ...]:
        """What `node` depends on directly, in the order the record lists them."""
        return self.edges.get(node, ())

    def dependents(self, node: str) -> tuple[str, ...]:
        """The services that depend on `node` directly, in registry order."""
        return self._dependents.get(node, ())

    @cached_property
    def _dependents(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {node: [] for node in self.nodes}
        for source in self.services:
            for target in self.edges[source]:
                found[target].append(source)
        return {node: tuple(sources) for node, sources in found.items()}

    @cached_property
    def order(self) -> tuple[str, ...]:
        """Every node after everything it depends on (dependencies first)."""
        done: set[str] = set()
        on_path: list[str] = []
        out: list[str] = []

        def visit(node: str) -> None:
            if node in done:
                return
            if node in on_path:
                circle = on_path[on_path.index(node) :] + [node]
                raise DependencyCycle("dependency cycle: " + " -> ".join(circle))
            on_path.append(node)
            for target in self.edges.get(node, ()):
                visit(target)
            on_path.pop()
            done.add(node)
            out.append(node)

        for node in self.nodes:
            visit(node)
        return tuple(out)

    @cached_property
    def _closure(self) -> dict[str, frozenset[str]]:
        closure: dict[str, frozenset[str]] = {}
        for node in self.order:
            reach: set[str] = set()
            for target in self.edges.get(node, ()):
                reach.add(target)
                reach |= closure[target]
            closure[node] = frozenset(reach)
        return closure

    def all_dependencies(self, node: str) -> frozenset[str]:
        """Everything `node` depends on, directly or through other services."""
        return self._closure.get(node, frozenset())

    def all_dependents(self, node: str) -> frozenset[str]:
        """Every service that depends on `node`, directly or through other services."""
        return self._reverse_closure.get(node, frozenset())

    @cached_property
    def _reverse_closure(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {node: set() for node in self.nodes}
        for source, reach in self._closure.items():
            for target in reach:
                found[target].add(source)
        return {node: frozenset(sources) for node, sources in found.items()}

    def depends(self, node: str, target: str) -> bool:
        return target in self.all_dependencies(node)

    def routes(self, node: str, target: str) -> tuple[str, ...]:
        """The direct dependencies of `node` through which it reaches `target` (or itself)."""
        return tuple(
            d for d in self.depends_on(node) if d == target or target in self.all_dependencies(d)
        )

    def vendor_dependencies(self, service: str) -> list[Reach]:
        """The vendors `service` depends on, directly or through its dependencies."""
        return [self.reach(service, v) for v in self.vendors if self.depends(service, v)]

    def service_dependencies(self, service: str) -> list[Reach]:
        """The services `service` depends on, directly or through other services."""
        return [self.reach(service, s) for s in self.services if self.depends(service, s)]

    def reach(self, node: str, target: str) -> Reach:
        direct = target in self.depends_on(node)
        via = tuple(d for d in self.routes(node, target) if d != target)
        return Reach(target, direct, via)

    def sort(self, nodes: Iterable[str]) -> list[str]:
        """`nodes` in registry order (services, then vendors)."""
        position = self._position
        return sorted(nodes, key=lambda n: position.get(n, len(position)))

    @cached_property
    def _position(self) -> dict[str, int]:
        return {node: index for index, node in enumerate(self.nodes)}


@dataclass(frozen=True)
class Reach:
    """How a node depends on `target`: directly, and/or through the direct dependencies `via`."""

    target: str
    direct: bool
    via: tuple[str, ...] = ()


# --- the matrix --------------------------------------------------------------------------


class Mark(StrEnum):
    """One cell of the matrix: the row depends on the column directly, only via others, or not."""

    DIRECT = "direct"
    VIA = "via"
    NONE = "none"


@dataclass(frozen=True)
class Cell:
    mark: Mark
    via: tuple[str, ...] = ()  # for VIA: the row's direct dependencies that lead to the column


@dataclass(frozen=True, eq=False)
class Matrix:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), _NO_CELL)

    def count(self, row: str) -> int:
        """How many columns the row depends on, directly or not."""
        return sum(self.cell(row, c).mark is not Mark.NONE for c in self.columns)


_NO_CELL = Cell(Mark.NONE)


def dependency_matrix(
    graph: DependencyGraph,
    rows: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
) -> Matrix:
    """Rows depend on columns. Default: every service against every service."""
    rows = tuple(graph.services if rows is None else rows)
    columns = tuple(graph.services if columns is None else columns)
    cells: dict[tuple[str, str], Cell] = {}
    for row in rows:
        for column in columns:
            if row == column or not graph.depends(row, column):
                continue
            reach = graph.reach(row, column)
            if reach.direct:
                cells[row, column] = Cell(Mark.DIRECT)
            else:
                cells[row, column] = Cell(Mark.VIA, reach.via)
    return Matrix(rows, columns, cells)


# --- blast radius ------------------------------------------------------------------------


@dataclass(frozen=True)
class BlastRadius:
    """What is hit when `node` is down."""

    node: str
    direct: tuple[str, ...]  # services that depend on it directly
    services: tuple[str, ...]  # every service that depends on it, directly or transitively
    areas: Mapping[str, tuple[str, ...]]  # business area id -> the services hit in it
    stakeholders: tuple[str, ...]  # the people of those areas, each once

    @property
    def indirect(self) -> tuple[str, ...]:
        return tuple(s for s in self.services if s not in self.direct)


def blast_radius(site: Site, graph: DependencyGraph, node: str) -> BlastRadius:
    """Services and business areas hit when `node` (a service or vendor) is down.

    A service down hits its own business areas too; a vendor has none of its own.
    """
    dependents = graph.sort(graph.all_dependents(node))
    hit = ([node] if node in site.services else []) + dependents
    areas: dict[str, tuple[str, ...]] = {}
    for area_id in site.business_areas:
        in_area = tuple(s for s in hit if area_id in _areas_of(site, s))
        if in_area:
            areas[area_id] = in_area
    stakeholders: dict[str, None] = {}
    for area_id in areas:
        for person in site.business_areas[area_id].stakeholders:
            stakeholders.setdefault(person, None)
    return BlastRadius(
        node=node,
        direct=tuple(graph.sort(graph.dependents(node))),
        services=tuple(dependents),
        areas=areas,
        stakeholders=tuple(stakeholders),
    )


def blast_radii(site: Site, graph: DependencyGraph) -> dict[str, BlastRadius]:
    """The blast radius of every service and vendor."""
    return {node: blast_radius(site, graph, node) for node in graph.nodes}


def _areas_of(site: Site, service_id: str) -> list[str]:
    service = site.services.get(service_id)
    return list(service.business_areas) if service is not None else []


# --- layered layout ----------------------------------------------------------------------


def topological_layers(graph: DependencyGraph) -> list[list[str]]:
    """Layer 0: nodes that depend on nothing; a node sits one above its highest dependency.

    Within a layer: services before vendors, then registry order.
    """
    level = _levels(graph)
    layers: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for node in graph.nodes:
        layers[level[node]].append(node)
    return layers


def _levels(graph: DependencyGraph) -> dict[str, int]:
    level: dict[str, int] = {}
    for node in graph.order:
        level[node] = 1 + max((level[d] for d in graph.depends_on(node)), default=-1)
    return level


@dataclass(frozen=True)
class Waypoint:
    """Where the edges down to `target` pass through layer `layer`.

    Edges to the same target share their way-points (edge concentration): they
    join into one line on the way down, so a node many services rely on does
    not widen every layer above it by one lane per edge.
    """

    target: str
    layer: int


LayoutNode = str | Waypoint


@dataclass(frozen=True, eq=False)
class Layout:
    """Layers bottom (0) first, each left to right; every edge as the nodes it passes."""

    layers: tuple[tuple[LayoutNode, ...], ...]
    routes: Mapping[tuple[str, str], tuple[LayoutNode, ...]]  # (source, target) -> path

    @cached_property
    def layer_of(self) -> dict[LayoutNode, int]:
        return {node: index for index, layer in enumerate(self.layers) for node in layer}

    @property
    def nodes(self) -> list[str]:
        return [n for layer in self.layers for n in layer if isinstance(n, str)]


def layered_layout(graph: DependencyGraph, sweeps: int = 12) -> Layout:
    """Topological layers with way-points on long edges, ordered to reduce crossings.

    An edge that spans several layers passes a way-point in each layer between
    its ends; edges to the same target share them (see `Waypoint`).

    The ordering is the barycentre heuristic (Sugiyama): sweep up and down,
    placing each node at the mean position of its neighbours in the layer just
    swept, and keep the ordering with the fewest crossings. Deterministic.
    """
    level = _levels(graph)
    layers: list[list[LayoutNode]] = [list(layer) for layer in topological_layers(graph)]
    routes: dict[tuple[str, str], tuple[LayoutNode, ...]] = {}
    for source in graph.services:
        for target in graph.depends_on(source):
            path: list[LayoutNode] = [source]
            for layer in range(level[source] - 1, level[target], -1):
                waypoint = Waypoint(target, layer)
                if waypoint not in layers[layer]:
                    layers[layer].append(waypoint)
                path.append(waypoint)
            path.append(target)
            routes[source, target] = tuple(path)
    # Each node's neighbours one layer up and one layer down.
    up: dict[LayoutNode, list[LayoutNode]] = {n: [] for layer in layers for n in layer}
    down: dict[LayoutNode, list[LayoutNode]] = {n: [] for layer in layers for n in layer}
    for path in routes.values():
        for upper, lower in zip(path, path[1:], strict=False):
            if lower not in down[upper]:
                down[upper].append(lower)
                up[lower].append(upper)

    best = [list(layer) for layer in layers]
    best_crossings = _crossings(best, down)
    current = [list(layer) for layer in layers]
    for sweep in range(sweeps):
        if sweep % 2 == 0:  # top down: order each layer by its upper neighbours
            for index in range(len(current) - 2, -1, -1):
                _reorder(current[index], current[index + 1], up)
        else:  # bottom up: by lower neighbours
            for index in range(1, len(current)):
                _reorder(current[index], current[index - 1], down)
        crossings = _crossings(current, down)
        if crossings < best_crossings:
            best, best_crossings = [list(layer) for layer in current], crossings
        if best_crossings == 0:
            break
    return Layout(tuple(tuple(layer) for layer in best), routes)


def _reorder(
    layer: list[LayoutNode],
    fixed: list[LayoutNode],
    neighbours: Mapping[LayoutNode, list[LayoutNode]],
) -> None:
    """Sort `layer` in place by the mean position of each node's neighbours in `fixed`."""
    position = {node: index for index, node in enumerate(fixed)}
    current = {node: index for index, node in enumerate(layer)}

    def key(node: LayoutNode) -> tuple[float, int]:
        placed = [position[n] for n in neighbours[node] if n in position]
        centre = sum(placed) / len(placed) if placed else float(current[node])
        return (centre, current[node])

    layer.sort(key=key)


def _crossings(
    layers: Sequence[Sequence[LayoutNode]], down: Mapping[LayoutNode, list[LayoutNode]]
) -> int:
    """How many pairs of edges cross between adjacent layers."""
    total = 0
    for index in range(1, len(layers)):
        upper = {node: i for i, node in enumerate(layers[index])}
        lower = {node: i for i, node in enumerate(layers[index - 1])}
        segments = sorted(
            (upper[u], lower[v]) for u in layers[index] for v in down[u] if v in lower
        )
        for i, (u1, v1) in enumerate(segments):
            for u2, v2 in segments[i + 1 :]:
                if u2 > u1 and v2 < v1:
                    total += 1
    return total
