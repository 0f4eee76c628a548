"""The dependency graph, matrix, blast radius and layered layout, on small graphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mimp.derive.dependencies import (
    DependencyCycle,
    DependencyGraph,
    Layout,
    Mark,
    Waypoint,
    blast_radii,
    blast_radius,
    dependency_matrix,
    layered_layout,
    topological_layers,
)
from mimp.model import BusinessArea, Service, Site, Vendor
from mimp.render.diagram import NodeInfo, render_diagram, wrap

SVG = "{http://www.w3.org/2000/svg}"

# A diamond on a vendor:   top -> left, right;  left, right -> base;  base -> cloud (vendor)
DIAMOND = {"top": ["left", "right"], "left": ["base"], "right": ["base"], "base": ["cloud"]}


def diamond() -> DependencyGraph:
    return DependencyGraph.build(DIAMOND, vendors=["cloud"])


def make_site(
    depends_on: dict[str, list[str]],
    areas: dict[str, list[str]] | None = None,
    vendors: tuple[str, ...] = (),
    stakeholders: dict[str, list[str]] | None = None,
) -> Site:
    """A site of services (owner 'ops'), vendors and business areas, for blast radius."""
    areas = areas or {}
    area_ids = list(dict.fromkeys(a for ids in areas.values() for a in ids))
    return Site(
        services={
            sid: Service(
                id=sid,
                name=sid.title(),
                owner="ops",
                depends_on=deps,
                business_areas=areas.get(sid, []),
            )
            for sid, deps in depends_on.items()
        },
        vendors={vid: Vendor(id=vid, name=vid.title()) for vid in vendors},
        business_areas={
            aid: BusinessArea(
                id=aid, name=aid.title(), stakeholders=(stakeholders or {}).get(aid, [])
            )
            for aid in area_ids
        },
    )


# --- graph and closure -------------------------------------------------------------------


def test_direct_dependencies_keep_the_record_order_and_drop_unknown_and_self_references() -> None:
    graph = DependencyGraph.build({"a": ["c", "ghost", "a", "b", "c"], "b": [], "c": []})
    assert graph.depends_on("a") == ("c", "b")
    assert graph.dependents("b") == ("a",)
    assert graph.depends_on("ghost") == ()


def test_transitive_closure_follows_chains_and_diamonds() -> None:
    graph = diamond()
    assert graph.all_dependencies("top") == {"left", "right", "base", "cloud"}
    assert graph.all_dependencies("left") == {"base", "cloud"}
    assert graph.all_dependencies("cloud") == frozenset()
    assert graph.all_dependents("base") == {"top", "left", "right"}
    assert graph.all_dependents("cloud") == {"top", "left", "right", "base"}
    assert graph.all_dependents("top") == frozenset()


def test_order_puts_every_node_after_what_it_depends_on() -> None:
    graph = diamond()
    position = {node: i for i, node in enumerate(graph.order)}
    for source, targets in DIAMOND.items():
        for target in targets:
            assert position[target] < position[source]


def test_routes_name_every_direct_dependency_that_leads_to_the_target() -> None:
    graph = diamond()
    assert graph.routes("top", "base") == ("left", "right")
    reach = graph.reach("top", "cloud")
    assert not reach.direct and reach.via == ("left", "right")
    assert graph.reach("left", "base").direct


def test_vendor_dependencies_are_direct_or_through_services() -> None:
    graph = DependencyGraph.build(
        {"shop": ["pay", "cloud"], "pay": ["cardco"]}, ["cloud", "cardco"]
    )
    found = {r.target: r for r in graph.vendor_dependencies("shop")}
    assert found["cloud"].direct and found["cloud"].via == ()
    assert not found["cardco"].direct and found["cardco"].via == ("pay",)
    assert [r.target for r in graph.service_dependencies("shop")] == ["pay"]


def test_a_cycle_is_refused_with_the_circle_named() -> None:
    with pytest.raises(DependencyCycle, match="a -> b -> c -> a"):
        DependencyGraph.build({"a": ["b"], "b": ["c"], "c": ["a"]})


def test_from_site_uses_services_and_vendors() -> None:
    site = make_site({"web": ["db", "cdn"], "db": []}, vendors=("cdn",))
    graph = DependencyGraph.from_site(site)
    assert graph.services == ("web", "db") and graph.vendors == ("cdn",)
    assert graph.is_vendor("cdn") and not graph.is_vendor("db")


# --- matrix ------------------------------------------------------------------------------


def test_matrix_marks_direct_and_via_and_leaves_the_rest_blank() -> None:
    matrix = dependency_matrix(diamond())
    assert matrix.rows == matrix.columns == ("top", "left", "right", "base")
    assert matrix.cell("top", "left").mark is Mark.DIRECT
    via = matrix.cell("top", "base")
    assert via.mark is Mark.VIA and via.via == ("left", "right")
    assert matrix.cell("left", "right").mark is Mark.NONE
    assert matrix.cell("base", "top").mark is Mark.NONE  # the other way round
    assert all(matrix.cell(s, s).mark is Mark.NONE for s in matrix.rows)
    assert matrix.count("top") == 3


def test_a_direct_dependency_that_is_also_transitive_is_marked_direct() -> None:
    graph = DependencyGraph.build({"top": ["mid", "low"], "mid": ["low"], "low": []})
    assert dependency_matrix(graph).cell("top", "low").mark is Mark.DIRECT


def test_matrix_against_vendors() -> None:
    graph = diamond()
    matrix = dependency_matrix(graph, graph.services, graph.vendors)
    assert matrix.cell("base", "cloud").mark is Mark.DIRECT
    assert matrix.cell("top", "cloud").mark is Mark.VIA


# --- blast radius ------------------------------------------------------------------------


def test_blast_radius_of_a_service_covers_its_dependents_and_every_area_hit() -> None:
    site = make_site(
        DIAMOND | {"other": []},
        areas={"top": ["sales"], "left": ["stores"], "base": ["warehouse"], "other": ["hr"]},
        vendors=("cloud",),
        stakeholders={"sales": ["sam", "kim"], "stores": ["kim", "lee"], "hr": ["ann"]},
    )
    graph = DependencyGraph.from_site(site)
    radius = blast_radius(site, graph, "base")
    assert radius.direct == ("left", "right")
    assert radius.services == ("top", "left", "right")
    assert radius.indirect == ("top",)
    assert dict(radius.areas) == {
        "sales": ("top",),
        "stores": ("left",),
        "warehouse": ("base",),  # its own area is hit too
    }
    assert radius.stakeholders == ("sam", "kim", "lee")  # each once, in area order


def test_blast_radius_of_a_vendor_is_everything_that_relies_on_it() -> None:
    site = make_site(DIAMOND, areas={"top": ["sales"]}, vendors=("cloud",))
    graph = DependencyGraph.from_site(site)
    radii = blast_radii(site, graph)
    assert set(radii) == {"top", "left", "right", "base", "cloud"}
    assert radii["cloud"].direct == ("base",)
    assert set(radii["cloud"].services) == {"top", "left", "right", "base"}
    assert list(radii["cloud"].areas) == ["sales"]
    assert radii["top"].services == () and list(radii["top"].areas) == ["sales"]


# --- layers and layout -------------------------------------------------------------------


def test_topological_layers_put_each_node_above_its_highest_dependency() -> None:
    assert topological_layers(diamond()) == [["cloud"], ["base"], ["left", "right"], ["top"]]


def test_layers_of_an_uneven_diamond() -> None:
    # top depends on a long arm (a1 -> a2 -> base) and a short one (b -> base)
    graph = DependencyGraph.build(
        {"top": ["a1", "b"], "a1": ["a2"], "a2": ["base"], "b": ["base"], "base": []}
    )
    layers = topological_layers(graph)
    assert layers == [["base"], ["a2", "b"], ["a1"], ["top"]]


def _check_routes(layout: Layout, graph: DependencyGraph) -> None:
    """Every edge is routed from its source down through adjacent layers to its target."""
    edges = {(s, t) for s in graph.services for t in graph.depends_on(s)}
    assert set(layout.routes) == edges
    for (source, target), path in layout.routes.items():
        assert path[0] == source and path[-1] == target
        layers = [layout.layer_of[n] for n in path]
        assert layers == list(range(layers[0], layers[-1] - 1, -1))
        assert all(isinstance(n, Waypoint) and n.target == target for n in path[1:-1])


def _crossings(layout: Layout) -> int:
    position = {n: i for layer in layout.layers for i, n in enumerate(layer)}
    segments = {
        (layout.layer_of[u], position[u], position[v])
        for path in layout.routes.values()
        for u, v in zip(path, path[1:], strict=False)
    }
    return sum(
        1 for a in segments for b in segments if a[0] == b[0] and a[1] < b[1] and a[2] > b[2]
    )


def test_long_edges_pass_waypoints_shared_by_edges_to_the_same_target() -> None:
    graph = DependencyGraph.build(
        {"top": ["mid", "cloud"], "side": ["cloud"], "mid": ["low"], "low": ["cloud"]},
        ["cloud"],
    )
    layout = layered_layout(graph)
    _check_routes(layout, graph)
    # cloud 0; low, side 1; mid 2; top 3: top -> cloud crosses layers 2 and 1
    assert layout.layer_of["top"] == 3 and layout.layer_of["side"] == 1
    waypoints = [n for layer in layout.layers for n in layer if isinstance(n, Waypoint)]
    assert waypoints == [Waypoint("cloud", 1), Waypoint("cloud", 2)]
    assert layout.nodes and set(layout.nodes) == set(graph.nodes)


def test_layout_orders_layers_to_remove_avoidable_crossings() -> None:
    # In registry order a -> y and b -> x cross, and x -> x2, y -> y2 follow them.
    graph = DependencyGraph.build(
        {"a": ["y"], "b": ["x"], "x": ["x2"], "y": ["y2"], "x2": [], "y2": []}
    )
    layout = layered_layout(graph)
    _check_routes(layout, graph)
    assert _crossings(layout) == 0


def test_layout_of_a_diamond_is_planar_and_deterministic() -> None:
    graph = DependencyGraph.build(
        DIAMOND | {"extra": ["right", "cloud"], "solo": []}, vendors=["cloud"]
    )
    first, second = layered_layout(graph), layered_layout(graph)
    assert first.layers == second.layers
    assert first.routes == second.routes
    _check_routes(first, graph)
    assert "solo" in first.layers[0]


# --- the diagram -------------------------------------------------------------------------


def test_wrap_keeps_short_labels_whole_and_balances_long_ones() -> None:
    assert wrap("Card payments") == ["Card payments"]
    assert wrap("Customer service phone lines") == ["Customer service", "phone lines"]
    long = wrap("A very long service name that needs three or more lines to fit")
    assert (
        len(long) >= 3
        and " ".join(long) == "A very long service name that needs three or more lines to fit"
    )


def test_diagram_is_svg_with_a_box_per_node_that_never_overlap() -> None:
    graph = DependencyGraph.build(
        DIAMOND | {"extra": ["right", "cloud"], "lonely & <odd>": []}, vendors=["cloud"]
    )
    layout = layered_layout(graph)
    info = {n: NodeInfo(n.title(), vendor=graph.is_vendor(n)) for n in graph.nodes}
    svg = ET.fromstring(str(render_diagram(layout, info, "Title", "Description")))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Title"
    assert svg.find(f"{SVG}desc").text == "Description"
    text = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    for label in ("Top", "Left", "Right", "Base", "Cloud", "Lonely & <Odd>"):
        assert label in text
    rects = [r for r in svg.iter(f"{SVG}rect")]
    assert len(rects) == len(graph.nodes)
    assert (
        len(list(svg.iter(f"{SVG}path")))
        == sum(len(graph.depends_on(s)) for s in graph.services) + 1
    )
    boxes = [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
        for r in rects
    ]
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            overlap = x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1
            assert not overlap
