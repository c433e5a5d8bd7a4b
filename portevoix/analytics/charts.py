"""Charts drawn on the server as SVG: no JavaScript, the same markup in a page or an e-mail.

Every chart carries a <title> and a <desc> that says in words what it shows (screen readers
read them); the page also shows the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 640, 220, 36
COLOUR, GRID = "#2457a6", "#d8dde6"
SHARES_COLOUR, CONVERSIONS_COLOUR = "#b4530f", "#2e7d32"


def _svg(title: str, desc: str, body: str, height: int = HEIGHT) -> SafeString:
    return mark_safe(  # noqa: S308 — every text is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" font-family="sans-serif" font-size="11">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{body}</svg>"
    )


def _summary(points: Sequence[tuple[str, float]]) -> str:
    return "; ".join(f"{label}: {value:g}" for label, value in points)


def nonzero_summary(points: Sequence[tuple[str, float]]) -> str:
    """The figures of a sparse series in words, zeros left out (a month of days in an e-mail
    would otherwise be thirty numbers, most of them nothing)."""
    return _summary([(label, value) for label, value in points if value])


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = COLOUR
    faint: bool = False  # the previous period: thin, dashed, behind the others


def _legend(series: Sequence[Series]) -> str:
    """Swatches with names across the top, so a reader knows which line is which."""
    parts: list[str] = []
    x: float = PAD
    for one in series:
        dash = ' stroke-dasharray="4 3" stroke-opacity="0.5"' if one.faint else ""
        parts.append(
            f'<line x1="{x}" y1="12" x2="{x + 18}" y2="12" stroke="{one.colour}" '
            f'stroke-width="3"{dash}/>'
            f'<text x="{x + 23}" y="16">{escape(one.name)}</text>'
        )
        x += 36 + 6.2 * len(one.name)
    return "".join(parts)


def _line(one: Series, labels: Sequence[str], xs: list[float], y_of) -> str:
    coords = [(x, y_of(v)) for x, v in zip(xs, one.values, strict=False)]
    if not coords:
        return ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    if one.faint:
        return (
            f'<polyline fill="none" stroke="{one.colour}" stroke-width="1.5" '
            f'stroke-dasharray="4 3" stroke-opacity="0.5" points="{path}"/>'
        )
    body = [f'<polyline fill="none" stroke="{one.colour}" stroke-width="2" points="{path}"/>']
    for (x, y), label, value in zip(coords, labels, one.values, strict=False):
        # Hovering a point says its value (the table under the chart says them all).
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{one.colour}">'
            f"<title>{escape(one.name)}, {escape(label)}: {value:g}</title></circle>"
        )
    x, y = coords[-1]
    body.append(
        f'<text x="{x + 5:.1f}" y="{y + 4:.1f}" fill="{one.colour}" font-weight="bold">'
        f"{one.values[len(coords) - 1]:g}</text>"
    )
    return "".join(body)


def series_chart(*, title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Several time series over the same steps, from zero, with a legend; each point's value
    on hover and the last one written at the end of its line."""
    top = max((v for one in series for v in one.values), default=0) or 1
    left, right, upper, lower = PAD, WIDTH - PAD - 14, PAD, HEIGHT - PAD
    step = (right - left) / max(len(labels) - 1, 1)
    xs = [left + n * step for n in range(len(labels))]

    def y_of(value: float) -> float:
        return lower - (lower - upper) * value / top

    body = [
        _legend(series),
        f'<line x1="{left}" y1="{lower}" x2="{right}" y2="{lower}" stroke="{GRID}"/>',
        f'<line x1="{left}" y1="{upper}" x2="{right}" y2="{upper}" stroke="{GRID}" '
        f'stroke-dasharray="2 3"/>',
        f'<text x="{left - 4}" y="{upper + 4}" text-anchor="end">{top:g}</text>',
        f'<text x="{left - 4}" y="{lower}" text-anchor="end">0</text>',
    ]
    # The previous period first, so the period's lines are drawn over it.
    body += [_line(one, labels, xs, y_of) for one in sorted(series, key=lambda s: not s.faint)]
    if labels:
        body.append(f'<text x="{left}" y="{HEIGHT - 12}">{escape(labels[0])}</text>')
        body.append(
            f'<text x="{right}" y="{HEIGHT - 12}" text-anchor="end">{escape(labels[-1])}</text>'
        )
    drawn = [one for one in series if not one.faint]
    desc = " / ".join(
        (f"{one.name}: " if len(drawn) > 1 else "")
        + _summary(list(zip(labels, one.values, strict=False)))
        for one in drawn
    )
    return _svg(title, desc, "".join(body))


def line_chart(*, title: str, points: Sequence[tuple[str, float]]) -> SafeString:
    """One time series (the monthly e-mail's): the dashboard's chart with a single line."""
    labels = [label for label, _value in points]
    values = [value for _label, value in points]
    return series_chart(title=title, labels=labels, series=[Series(title, values)])


def bar_chart(*, title: str, bars: Sequence[tuple[str, float]]) -> SafeString:
    """Horizontal bars, one per label, with the value written at the end of the bar."""
    row = 24
    height = max(len(bars), 1) * row + 16
    top = max((value for _label, value in bars), default=0) or 1
    label_w = 130
    inner = WIDTH - label_w - 70
    body = []
    for n, (label, value) in enumerate(bars):
        y = 8 + n * row
        w = inner * value / top
        body.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{COLOUR}"/>'
        )
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{value:g}</text>')
    return _svg(title, _summary(bars), "".join(body), height)


def cohort_grid(*, title: str, rows: Sequence[tuple[str, int, Sequence[int]]]) -> SafeString:
    """Cohort retention as a grid of cells shaded by the share of the cohort still sharing."""
    cell, left = 44, 80
    width_cells = max((len(values) for _l, _s, values in rows), default=1)
    height = (len(rows) + 1) * 24 + 8
    body = [
        f'<text x="{left + n * cell + cell / 2}" y="16" text-anchor="middle">M+{n}</text>'
        for n in range(width_cells)
    ]
    words = []
    for r, (label, size, values) in enumerate(rows):
        y = 24 + r * 24
        body.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end">{escape(label)}</text>')
        for n, count in enumerate(values):
            share = count / size if size else 0
            body.append(
                f'<rect x="{left + n * cell}" y="{y}" width="{cell - 2}" height="22" '
                f'fill="{COLOUR}" fill-opacity="{0.1 + 0.9 * share:.2f}"/>'
                f'<text x="{left + n * cell + cell / 2}" y="{y + 15}" text-anchor="middle">'
                f"{count}</text>"
            )
        words.append(f"{label}: {size} → " + ", ".join(str(v) for v in values))
    return _svg(title, "; ".join(words), "".join(body), height)
