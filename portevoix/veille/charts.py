"""A small line chart drawn on the server as SVG: the same picture works in a page and an
e-mail, needs no JavaScript, and carries its own text equivalent (<title>, <desc>)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ["#1f4e79", "#b3261e", "#1e7b3a", "#8a5a00", "#6a3d9a", "#00838f", "#c2185b"]
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 10, 12, 28


@dataclass
class Series:
    name: str
    values: list[int]


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def line_chart_svg(*, title: str, days: list[date], series: list[Series]) -> SafeString:
    """Lines of counts per day; the caller shows the same figures as a table too."""
    top = _nice_max(max((max(s.values, default=0) for s in series), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(days) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: int) -> float:
        return TOP + plot_h - v * plot_h / top

    totals = ", ".join(f"{s.name}: {sum(s.values)}" for s in series)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title chart-desc" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(totals)}</desc>',
    ]
    for tick in range(5):
        value = top * tick // 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#d5dbe3" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#5b6573">{value}</text>'
        )
    if days:
        ends = {0: "start", len(days) - 1: "end"}
        for i in (0, len(days) // 2, len(days) - 1):
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" font-size="11" '
                f'text-anchor="{ends.get(i, "middle")}" '
                f'fill="#5b6573">{escape(date_format(days[i], "SHORT_DATE_FORMAT"))}</text>'
            )
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(one.values))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
            f"<title>{escape(one.name)}</title></polyline>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def legend(series: list[Series]) -> list[tuple[str, str]]:
    return [(s.name, COLOURS[i % len(COLOURS)]) for i, s in enumerate(series)]
