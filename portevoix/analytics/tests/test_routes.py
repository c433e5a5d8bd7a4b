"""Each shape of filters takes its named route, as the tables of routes in the click_figures
and share_figures docstrings say."""

from datetime import date

from portevoix.analytics.click_figures import routes
from portevoix.analytics.click_figures.routes import route_for
from portevoix.analytics.filters import Filters
from portevoix.analytics.share_figures import routes as share_routes
from portevoix.analytics.share_figures.routes import share_route

DAYS = {"start": date(2026, 1, 1), "end": date(2026, 1, 31)}


def test_click_figures_take_the_route_of_their_filters():
    cases = [
        ({}, routes.PROGRAMME, ("all", "")),
        ({"campaign_id": 4}, routes.ONE_FILTER, ("campaign", "4")),
        ({"network": "linkedin"}, routes.ONE_FILTER, ("network", "linkedin")),
        ({"network": "x", "group_id": 3}, routes.GROUP_IN_NETWORK, ("group@x", "3")),
        ({"campaign_id": 4, "group_id": 3}, routes.LINKS, None),
    ]
    for narrowing, name, counter in cases:
        route = route_for(Filters(**DAYS, **narrowing))
        assert (route.name, route.counter) == (name, counter), narrowing


def test_each_breakdown_has_its_source_on_each_route():
    def source(by, **narrowing):
        found = route_for(Filters(**DAYS, **narrowing)).source(by)
        return found.name, found.dimension

    assert source("post") == (routes.COUNTERS, "post")
    assert source("post", network="linkedin") == (routes.COUNTERS, "post@linkedin")
    assert source("post", group_id=12) == (routes.COUNTERS, "post@group:12")
    assert source("network", group_id=12) == (routes.NETWORKS_OF_GROUP, None)
    assert source("campaign", campaign_id=4) == (routes.OWN_FILTER, None)
    assert source("post", campaign_id=4) == (routes.MATCHING_LINKS, None)
    assert source("group", network="x", group_id=3) == (routes.OWN_FILTER, None)
    assert source("post", network="x", group_id=3) == (routes.MATCHING_LINKS, None)
    assert source("post", campaign_id=4, group_id=3) == (routes.MATCHING_LINKS, None)


def test_share_figures_take_the_route_of_their_filters():
    cases = [
        ({}, share_routes.PROGRAMME),
        ({"network": "linkedin"}, share_routes.NETWORK),
        ({"group_id": 3}, share_routes.PEOPLE),
        ({"network": "x", "ambassador_id": 7}, share_routes.PEOPLE),
        ({"campaign_id": 4}, share_routes.SHARES),
        ({"post_id": 5, "group_id": 3}, share_routes.SHARES),
    ]
    for narrowing, name in cases:
        assert share_route(Filters(**DAYS, **narrowing)) == name, narrowing
