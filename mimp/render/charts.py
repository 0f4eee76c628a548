"""Bar charts as inline SVG, drawn at build time: no JavaScript, no chart library.

Every chart is readable without colour: each bar's value is written next to it,
the axes are labelled, and the SVG is an image with a name (`aria-label`,
`<title>`) and a description (`<desc>`) for screen readers. Pages put a data
table beside each chart, so the numbers are there as text too.

Text uses `currentColor`, so it follows the page's colour scheme; bars have a
fill attribute (for the SVG on its own) and a class a stylesheet may restyle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
BAR_FILL = "#3f51b5"
FONT = 12  # user units; the SVG scales with the page width
CHAR_WIDTH = 6.6  # approximate width of one character at FONT, for layout
WIDTH = 720


@dataclass(frozen=True)
class Bar:
    label: str  # the category; "\n" breaks it over lines
    value: float
    text: str | None = None  # the value as written on the chart (default: the number)

    @property
    def shown(self) -> str:
        if self.text is not None:
            return self.text
        return _number(self.value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float) -> str:
    """Coordinates with at most one decimal, so the output stays small and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(maximum: float, most: int = 6, whole: bool = True) -> list[float]:
    """0 and round steps (1, 2, 5 x 10^k) up to at least `maximum`, at most `most` + 1 ticks.

    `whole`: the values are counts, so steps are at least 1.
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / most
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(step, 1)
    count = math.ceil(round(maximum / step, 9))
    return [round(step * n, 9) for n in range(count + 1)]


def _ticks(bars: Sequence[Bar]) -> list[float]:
    whole = all(float(b.value).is_integer() for b in bars)
    return nice_ticks(max((b.value for b in bars), default=0), whole=whole)


def _text_lines(x: float, y: float, text: str, anchor: str, extra: str = "") -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return (
            f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'
        )
    spans = "".join(
        f'<tspan x="{_fmt(x)}" dy="{0 if n == 0 else "1.2em"}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="{anchor}"{extra}>{spans}</text>'


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    value_axis: str,
    category_axis: str,
    horizontal: bool = False,
) -> Markup:
    """An accessible SVG bar chart; `chart_id` must be unique on the page."""
    draw = _horizontal if horizontal else _vertical
    width, height, content = draw(bars, value_axis, category_axis)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    svg = (
        f'<svg xmlns="{SVG_NS}" class="mimp-chart" id="{_attr(chart_id)}" role="img" '
        f'aria-label="{_attr(title)}" aria-describedby="{_attr(desc_id)}" '
        f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" '
        f'height="{_fmt(height)}" font-size="{FONT}" fill="currentColor">'
        f'<title id="{_attr(title_id)}">{escape(title)}</title>'
        f'<desc id="{_attr(desc_id)}">{escape(description)}</desc>'
        f"{content}</svg>"
    )
    return Markup(svg)


def _vertical(bars: Sequence[Bar], value_axis: str, category_axis: str) -> tuple[float, float, str]:
    left, right, top = 56.0, 10.0, 24.0
    lines = max((b.label.count("\n") + 1 for b in bars), default=1)
    label_height = lines * FONT * 1.2 + 8
    plot_height = 200.0
    bottom = label_height + FONT * 2.2
    height = top + plot_height + bottom
    plot_width = WIDTH - left - right
    ticks = _ticks(bars)
    top_value = ticks[-1]
    base = top + plot_height

    def y_of(value: float) -> float:
        return base - plot_height * value / top_value

    parts = ['<g class="mimp-chart__grid" stroke="currentColor" stroke-opacity="0.25">']
    parts += [
        f'<line x1="{_fmt(left)}" x2="{_fmt(WIDTH - right)}" y1="{_fmt(y_of(t))}" '
        f'y2="{_fmt(y_of(t))}"/>'
        for t in ticks
    ]
    parts.append("</g>")
    parts.append('<g class="mimp-chart__ticks" aria-hidden="true">')
    parts += [_text_lines(left - 6, y_of(t) + FONT / 3, _number(t), "end") for t in ticks]
    parts.append("</g>")
    slot = plot_width / max(len(bars), 1)
    bar_width = slot * 0.7
    parts.append('<g class="mimp-chart__bars">')
    for n, bar in enumerate(bars):
        x = left + slot * n + (slot - bar_width) / 2
        y = y_of(bar.value)
        centre = x + bar_width / 2
        parts.append(
            f'<rect class="mimp-chart__bar" x="{_fmt(x)}" y="{_fmt(y)}" '
            f'width="{_fmt(bar_width)}" height="{_fmt(base - y)}" fill="{BAR_FILL}">'
            f"<title>{escape(bar.label.replace(chr(10), ' '))}: {escape(bar.shown)}</title></rect>"
        )
        parts.append(_text_lines(centre, y - 4, bar.shown, "middle", ' class="mimp-chart__value"'))
        parts.append(
            _text_lines(centre, base + FONT + 4, bar.label, "middle", ' class="mimp-chart__label"')
        )
    parts.append("</g>")
    parts.append(
        f'<line class="mimp-chart__axis" x1="{_fmt(left)}" x2="{_fmt(WIDTH - right)}" '
        f'y1="{_fmt(base)}" y2="{_fmt(base)}" stroke="currentColor"/>'
    )
    parts.append(
        f'<line class="mimp-chart__axis" x1="{_fmt(left)}" x2="{_fmt(left)}" '
        f'y1="{_fmt(top)}" y2="{_fmt(base)}" stroke="currentColor"/>'
    )
    middle_y = top + plot_height / 2
    parts.append(
        f'<text class="mimp-chart__axis-label" x="{_fmt(FONT)}" y="{_fmt(middle_y)}" '
        f'text-anchor="middle" transform="rotate(-90 {_fmt(FONT)} {_fmt(middle_y)})">'
        f"{escape(value_axis)}</text>"
    )
    parts.append(
        _text_lines(
            left + plot_width / 2,
            height - FONT * 0.6,
            category_axis,
            "middle",
            ' class="mimp-chart__axis-label"',
        )
    )
    return WIDTH, height, "".join(parts)


def _horizontal(
    bars: Sequence[Bar], value_axis: str, category_axis: str
) -> tuple[float, float, str]:
    longest = max((len(line) for b in bars for line in b.label.split("\n")), default=4)
    left = min(max(longest * CHAR_WIDTH + 12, 80.0), 300.0)
    longest_value = max((len(b.shown) for b in bars), default=1)
    right = longest_value * CHAR_WIDTH + 16
    top = FONT * 2.2  # room for the category axis label
    row = 26.0
    plot_height = row * max(len(bars), 1)
    bottom = FONT * 4
    height = top + plot_height + bottom
    plot_width = WIDTH - left - right
    ticks = _ticks(bars)
    top_value = ticks[-1]
    base_y = top + plot_height

    def x_of(value: float) -> float:
        return left + plot_width * value / top_value

    parts = ['<g class="mimp-chart__grid" stroke="currentColor" stroke-opacity="0.25">']
    parts += [
        f'<line x1="{_fmt(x_of(t))}" x2="{_fmt(x_of(t))}" y1="{_fmt(top)}" y2="{_fmt(base_y)}"/>'
        for t in ticks
    ]
    parts.append("</g>")
    parts.append('<g class="mimp-chart__ticks" aria-hidden="true">')
    parts += [_text_lines(x_of(t), base_y + FONT + 4, _number(t), "middle") for t in ticks]
    parts.append("</g>")
    parts.append('<g class="mimp-chart__bars">')
    bar_height = row * 0.7
    for n, bar in enumerate(bars):
        y = top + row * n + (row - bar_height) / 2
        end = x_of(bar.value)
        middle = y + bar_height / 2 + FONT / 3
        parts.append(
            f'<rect class="mimp-chart__bar" x="{_fmt(left)}" y="{_fmt(y)}" '
            f'width="{_fmt(end - left)}" height="{_fmt(bar_height)}" fill="{BAR_FILL}">'
            f"<title>{escape(bar.label.replace(chr(10), ' '))}: {escape(bar.shown)}</title></rect>"
        )
        parts.append(_text_lines(end + 5, middle, bar.shown, "start", ' class="mimp-chart__value"'))
        parts.append(
            _text_lines(
                left - 6, middle, bar.label.replace("\n", " "), "end", ' class="mimp-chart__label"'
            )
        )
    parts.append("</g>")
    parts.append(
        f'<line class="mimp-chart__axis" x1="{_fmt(left)}" x2="{_fmt(left)}" y1="{_fmt(top)}" '
        f'y2="{_fmt(base_y)}" stroke="currentColor"/>'
    )
    parts.append(
        f'<line class="mimp-chart__axis" x1="{_fmt(left)}" x2="{_fmt(left + plot_width)}" '
        f'y1="{_fmt(base_y)}" y2="{_fmt(base_y)}" stroke="currentColor"/>'
    )
    parts.append(
        _text_lines(
            left + plot_width / 2,
            height - FONT * 0.6,
            value_axis,
            "middle",
            ' class="mimp-chart__axis-label"',
        )
    )
    parts.append(
        _text_lines(left - 6, FONT * 1.4, category_axis, "end", ' class="mimp-chart__axis-label"')
    )
    return WIDTH, height, "".join(parts)
