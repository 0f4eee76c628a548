"""The SVG bar charts: well-formed, named for screen readers, one bar per value, text values."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mimp.render.charts import SVG_NS, Bar, bar_chart, nice_ticks

NS = {"svg": SVG_NS}
BARS = [Bar("Jun\n2025", 2), Bar("Jul", 0), Bar("Aug", 5), Bar("Sep <&>", 1)]


def chart(bars: list[Bar] = BARS, horizontal: bool = False) -> ET.Element:
    svg = bar_chart(
        bars,
        chart_id="c1",
        title="Incidents per month & more",
        description="Jun 2, Jul 0, Aug 5, Sep 1.",
        value_axis="Incidents",
        category_axis="Month declared",
        horizontal=horizontal,
    )
    return ET.fromstring(str(svg))


@pytest.mark.parametrize("horizontal", [False, True])
def test_chart_is_well_formed_named_and_described(horizontal: bool) -> None:
    root = chart(horizontal=horizontal)
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Incidents per month & more"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text == "Incidents per month & more"
    assert desc is not None and desc.text == "Jun 2, Jul 0, Aug 5, Sep 1."
    assert root.get("aria-describedby") == desc.get("id")
    assert root.get("viewBox")


@pytest.mark.parametrize("horizontal", [False, True])
def test_one_bar_per_value_with_its_value_as_text(horizontal: bool) -> None:
    root = chart(horizontal=horizontal)
    bars = [r for r in root.iter(f"{{{SVG_NS}}}rect") if r.get("class") == "mimp-chart__bar"]
    assert len(bars) == len(BARS)
    values = [
        "".join(t.itertext())
        for t in root.iter(f"{{{SVG_NS}}}text")
        if t.get("class") == "mimp-chart__value"
    ]
    assert values == ["2", "0", "5", "1"]
    # Each bar also names itself, for a pointer hover or a screen reader walking the shapes.
    assert [b.find("svg:title", NS).text for b in bars] == [
        "Jun 2025: 2",
        "Jul: 0",
        "Aug: 5",
        "Sep <&>: 1",
    ]


@pytest.mark.parametrize("horizontal", [False, True])
def test_bar_lengths_follow_the_values(horizontal: bool) -> None:
    root = chart(horizontal=horizontal)
    size = "width" if horizontal else "height"
    lengths = [
        float(r.get(size))
        for r in root.iter(f"{{{SVG_NS}}}rect")
        if r.get("class") == "mimp-chart__bar"
    ]
    assert lengths[1] == 0
    assert lengths[3] < lengths[0] < lengths[2]
    assert lengths[0] == pytest.approx(lengths[2] * 2 / 5, abs=0.2)


@pytest.mark.parametrize("horizontal", [False, True])
def test_axes_are_labelled(horizontal: bool) -> None:
    root = chart(horizontal=horizontal)
    labels = [
        "".join(t.itertext())
        for t in root.iter(f"{{{SVG_NS}}}text")
        if t.get("class") == "mimp-chart__axis-label"
    ]
    assert sorted(labels) == ["Incidents", "Month declared"]
    categories = [
        " ".join(t.itertext()).replace("  ", " ")
        for t in root.iter(f"{{{SVG_NS}}}text")
        if t.get("class") == "mimp-chart__label"
    ]
    assert [c.split()[0] for c in categories] == ["Jun", "Jul", "Aug", "Sep"]


def test_custom_value_text_and_no_colour_only_meaning() -> None:
    root = chart([Bar("Monitoring", 6, "6 (38%)"), Bar("Customers", 3, "3 (19%)")], True)
    values = [
        t.text for t in root.iter(f"{{{SVG_NS}}}text") if t.get("class") == "mimp-chart__value"
    ]
    assert values == ["6 (38%)", "3 (19%)"]
    fills = {
        r.get("fill") for r in root.iter(f"{{{SVG_NS}}}rect") if r.get("class") == "mimp-chart__bar"
    }
    assert len(fills) == 1  # one series, one colour: colour carries no meaning


@pytest.mark.parametrize("horizontal", [False, True])
def test_empty_and_all_zero_charts_still_draw(horizontal: bool) -> None:
    assert chart([], horizontal).find("svg:title", NS) is not None
    root = chart([Bar("a", 0), Bar("b", 0)], horizontal)
    assert len([r for r in root.iter(f"{{{SVG_NS}}}rect")]) == 2


def test_no_script_or_external_reference() -> None:
    text = str(
        bar_chart(BARS, chart_id="c", title="t", description="d", value_axis="v", category_axis="c")
    )
    assert (
        "<script" not in text and "href" not in text and "http://" not in text.replace(SVG_NS, "")
    )


def test_nice_ticks() -> None:
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(101) == [0, 20, 40, 60, 80, 100, 120]
    assert nice_ticks(0.3, whole=False)[-1] == pytest.approx(0.3)
