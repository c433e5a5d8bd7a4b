"""Server-side SVG charts (with their text equivalent) and the demo part."""

from xml.etree import ElementTree

from portevoix.analytics import charts
from portevoix.analytics.models import BrandChannel, MediaRate

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def test_line_chart_is_valid_svg_with_title_and_description():
    svg = parse(charts.line_chart(title="Clics <vérifiés>", points=[("1 déc.", 3), ("2 déc.", 1)]))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Clics <vérifiés>"  # escaped, then read back
    assert svg.find(f"{SVG}desc").text == "1 déc.: 3; 2 déc.: 1"
    assert len(svg.findall(f"{SVG}circle")) == 2
    points = svg.find(f"{SVG}polyline").get("points").split()
    # The highest value sits at the top margin, the other one a third of the way up.
    assert [float(p.split(",")[1]) for p in points] == [36.0, 134.7]


def test_bar_chart_bars_are_proportional():
    svg = parse(charts.bar_chart(title="Partages", bars=[("LinkedIn", 4), ("X", 1)]))
    widths = [float(rect.get("width")) for rect in svg.findall(f"{SVG}rect")]
    assert widths[0] == 4 * widths[1]
    assert svg.find(f"{SVG}desc").text == "LinkedIn: 4; X: 1"


def test_cohort_grid_shades_by_retention():
    svg = parse(charts.cohort_grid(title="Cohortes", rows=[("2025-12", 4, [4, 2, 0])]))
    opacities = [float(rect.get("fill-opacity")) for rect in svg.findall(f"{SVG}rect")]
    assert opacities == [1.0, 0.55, 0.1]
    assert svg.find(f"{SVG}desc").text == "2025-12: 4 → 4, 2, 0"


def test_empty_charts_still_render():
    assert parse(charts.line_chart(title="Rien", points=[])).find(f"{SVG}polyline") is None
    assert parse(charts.bar_chart(title="Rien", bars=[])).find(f"{SVG}rect") is None


def test_demo_enters_brand_pages_and_rates(db):
    import random

    from portevoix.analytics.demo import build
    from portevoix.core.demo import DemoWorld

    build(DemoWorld(rng=random.Random(1)))
    build(DemoWorld(rng=random.Random(1)))  # twice: still one row per network
    assert BrandChannel.objects.get(network="linkedin").followers == 12_400
    assert MediaRate.objects.count() == 1
