"""Charts drawn on the server as SVG: no JavaScript, the same markup in a page or an e-mail.

Every chart carries a <title> and a <desc> that says in words what it shows (screen readers
read them); the page also shows the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 640, 220, 36
COLOUR, GRID = "#2457a6", "#d8dde6"


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


def line_chart(*, title: str, points: Sequence[tuple[str, float]]) -> SafeString:
    """A time series: labels on the x axis in order, values from zero."""
    top = max((value for _label, value in points), default=0) or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(len(points) - 1, 1)
    coords = [
        (PAD + n * step, HEIGHT - PAD - inner_h * value / top)
        for n, (_label, value) in enumerate(points)
    ]
    body = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="{GRID}"/>',
        f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end">{top:g}</text>',
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end">0</text>',
    ]
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline fill="none" stroke="{COLOUR}" stroke-width="2" points="{path}"/>')
        for x, y in coords:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COLOUR}"/>')
        first, last = points[0][0], points[-1][0]
        body.append(f'<text x="{PAD}" y="{HEIGHT - 12}">{escape(first)}</text>')
        body.append(
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" text-anchor="end">{escape(last)}</text>'
        )
    return _svg(title, _summary(points), "".join(body))


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
