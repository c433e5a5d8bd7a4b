"""Amplification compares like with like, and small ratios keep their digits."""

from django.utils import translation

from portevoix.analytics import value
from portevoix.analytics.dashboard import programme_figures
from portevoix.analytics.models import BrandChannel
from portevoix.analytics.tables import amplification_table

from .conftest import period

DECEMBER = ("2025-12-01", "2025-12-31")
REACH_RATIO = "Amplification ratio (potential reach ÷ brand followers)"
TRAFFIC_RATIO = "Traffic ratio (verified clicks ÷ the brand's own traffic)"


def figures_of(filters) -> dict:
    with translation.override("en"):
        return {f.label: f.value for f in programme_figures(filters=filters)}


def test_the_overall_ratio_leaves_out_networks_without_a_brand_figure(world):
    # December: alice's reach is 500 on LinkedIn and 200 on X; only LinkedIn's brand page
    # (250 followers) was entered. X's reach has nothing to be compared with.
    BrandChannel.objects.create(network="linkedin", followers=250)
    figures = figures_of(period(*DECEMBER))
    assert figures[REACH_RATIO] == 2.0  # 500 ÷ 250, not (500 + 200) ÷ 250
    assert figures["Potential reach"] == 700  # the reach itself still counts every network
    table = amplification_table(filters=period(*DECEMBER))
    assert [row[3] for row in table.rows] == [2.0, None]  # LinkedIn, X: the same rule


def test_the_overall_ratio_is_the_ratio_of_the_networks_with_a_brand_figure(world):
    BrandChannel.objects.create(network="linkedin", followers=250)
    BrandChannel.objects.create(network="x", followers=50)
    BrandChannel.objects.create(network="facebook", followers=250)  # nobody shared there
    figures = figures_of(period(*DECEMBER))
    # (500 + 200 + 0) ÷ (250 + 50 + 250): a brand page ambassadors did not reach counts.
    assert figures[REACH_RATIO] == 1.3


def test_without_any_brand_figure_there_is_no_ratio(world):
    figures = figures_of(period(*DECEMBER))
    assert figures[REACH_RATIO] is None and figures[TRAFFIC_RATIO] is None


def test_ratios_below_one_keep_two_significant_digits():
    assert value.ratio_shown(1_800 / 50_000) == 0.036
    assert value.ratio_shown(0.0004123) == 0.00041
    assert value.ratio_shown(0.25) == 0.25
    assert value.ratio_shown(2.84) == 2.8
    assert value.ratio_shown(24.06) == 24.1
    assert value.ratio_shown(0.0) == 0.0
    assert value.ratio_shown(None) is None


def test_a_small_ratio_is_not_shown_as_zero(world):
    # LinkedIn: 500 followers of alice ÷ 20,000 = 0.025; 4 verified clicks ÷ the brand's own
    # 110 visits a month × 31/30.4 months (112) = 0.0357.
    BrandChannel.objects.create(network="linkedin", followers=20_000, monthly_traffic=110)
    figures = figures_of(period(*DECEMBER))
    assert figures[REACH_RATIO] == 0.025
    assert figures[TRAFFIC_RATIO] == 0.036
    table = amplification_table(filters=period(*DECEMBER))
    linkedin = table.rows[0]
    assert (linkedin[3], linkedin[6]) == (0.025, 0.036)
