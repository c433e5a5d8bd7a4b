"""Draws the app's PNG icons from the same shapes as portevoix/core/static/portevoix/icon.svg
(a megaphone on the brand colour): the sizes browsers ask for to install the app, a maskable
one (the shape kept inside the central safe circle) and Apple's touch icon.

Run it again only when the icon changes: `.venv/bin/python scripts/make_icons.py`."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = "#1f4e79"
OUT = Path(__file__).resolve().parent.parent / "portevoix/core/static/portevoix/icons"
SCALE = 4  # drawn large, then reduced: smooth edges without an SVG renderer
MEGAPHONE = [(14, 26), (22, 26), (40, 16), (40, 48), (22, 38), (14, 38)]


def draw_icon(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded and not maskable:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 12 // 64, fill=BRAND)
    else:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    # The SVG's 64-unit box; a maskable icon keeps its drawing inside the central 80 % circle.
    unit = big / 64 * (0.72 if maskable else 1.0)
    offset = (big - 64 * unit) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x * unit, offset + y * unit

    draw.polygon([at(x, y) for x, y in MEGAPHONE], fill="white")
    left, top = at(38, 24)
    right, bottom = at(50, 40)
    draw.arc((left, top, right, bottom), start=-55, end=55, fill="white", width=round(4 * unit))
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw_icon(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw_icon(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    # iOS rounds the corners itself and shows transparency as black: a full square.
    draw_icon(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
