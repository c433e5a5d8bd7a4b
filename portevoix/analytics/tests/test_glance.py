"""The first screen of the dashboard and of "my statistics": tiles from the same figures as the
key-figure table and the exports, trends against the previous period read by the same
functions, the top fives (without those who hid from rankings), a campaign's goal."""

import csv
import io
from datetime import date

from django.urls import reverse

from portevoix.analytics import dashboard, glance, periods
from portevoix.analytics.filters import Filters

JANUARY = {"start": "2026-01-01", "end": "2026-01-31"}  # compared with 1–31 December 2025


def tiles_of(response) -> dict[str, glance.Tile]:
    return {tile.slug: tile for tile in response.context["glance"].tiles}


def test_the_overview_opens_on_tiles_with_their_trend(client_for, bob, world):
    response = client_for(bob).get(reverse("analytics:dashboard"), JANUARY)
    assert response.status_code == 200
    tiles = tiles_of(response)
    assert list(tiles) == list(glance.PROGRAMME_TILES)
    # January: frank's two verified clicks; December: alice's four. Shares 2 against 3, the
    # December conversion gone, and the people active: both in January, alice alone before.
    found = {
        slug: (tiles[slug].value, tiles[slug].previous, tiles[slug].trend.sentence)
        for slug in ("verified", "shares", "conversions", "active")
    }
    assert found == {
        "verified": (2, 4, "en baisse de 50 %"),
        "shares": (2, 3, "en baisse de 33 %"),
        "conversions": (0, 1, "en baisse de 100 %"),
        "active": (2, 1, "en hausse de 100 %"),
    }
    assert tiles["verified"].kind_label == "vérifié"
    html = response.content.decode()
    assert html.index('class="tiles"') < html.index('class="filters"')
    assert "période précédente : 1 déc. – 31 déc. 2025" in html


def test_tiles_tables_and_exports_give_the_same_figures(client_for, bob, world):
    client = client_for(bob)
    tiles = tiles_of(client.get(reverse("analytics:dashboard"), JANUARY))
    text = client.get(reverse("analytics:export", args=["summary", "csv"]), JANUARY)
    rows = list(csv.reader(io.StringIO(b"".join(text.streaming_content).decode("utf-8-sig"))))
    exported = {row[0]: row[1] for row in rows[1:]}
    for slug in ("shares", "verified", "conversions", "active", "reach"):
        assert exported[tiles[slug].label] == str(tiles[slug].value)
    # The previous period's figures are the same function's with shifted dates.
    before = dashboard.programme_figures(
        filters=periods.previous_filters(Filters(start=date(2026, 1, 1), end=date(2026, 1, 31)))
    )
    assert {f.slug: f.value for f in before}["verified"] == tiles["verified"].previous == 4


def test_the_top_fives_link_to_their_detail_and_leave_out_hidden_people(
    client_for, bob, world, django_capture_on_commit_callbacks
):
    client = client_for(bob)
    december = {"start": "2025-12-01", "end": "2026-01-31"}
    found = client.get(reverse("analytics:dashboard"), december).context["glance"]
    assert [(p.name, p.verified, p.shares) for p in found.posts] == [
        ("Nous recrutons des techniciens", 4, 3),
        ("Notre nouvel atelier", 2, 2),
    ]
    assert found.posts[0].url == reverse("content:post_detail", args=[world.job_post.pk])
    assert [(a.name, a.verified, a.shares) for a in found.ambassadors] == [
        ("Alice Martin", 4, 4),
        ("Frank Leroy", 2, 1),
    ]
    assert found.ambassadors[0].url == f"{reverse('analytics:mine')}?ambassador={world.alice.pk}"
    world.alice.hide_from_rankings = True
    with django_capture_on_commit_callbacks(execute=True):  # the kept page is dropped
        world.alice.save()
    found = client.get(reverse("analytics:dashboard"), december).context["glance"]
    assert [a.name for a in found.ambassadors] == ["Frank Leroy"]


def test_a_campaign_shows_its_goal_and_the_days_left(client_for, bob, world):
    campaign = world.campaign
    campaign.goal, campaign.goal_target = "shares", 12
    campaign.starts_on, campaign.ends_on = date(2025, 12, 1), date(2099, 12, 31)
    campaign.save()
    response = client_for(bob).get(
        reverse("analytics:dashboard"), {**JANUARY, "campaign": campaign.pk}
    )
    goal = response.context["glance"].goal
    # Over the whole campaign, not the period shown: alice's three shares in December.
    assert (goal.reached, goal.target, goal.percent) == (3, 12, 25)
    assert goal.days_left > 0
    html = response.content.decode()
    assert '<progress max="100" value="25"' in html
    assert "Objectif de la campagne Recrutement 2026" in html
    # The campaign's own page leads there.
    page = client_for(bob).get(reverse("content:campaign_detail", args=[campaign.pk]))
    assert (
        f'href="{reverse("analytics:dashboard")}?campaign={campaign.pk}"' in page.content.decode()
    )


def test_no_goal_without_a_campaign_or_a_target(client_for, bob, world):
    response = client_for(bob).get(reverse("analytics:dashboard"), {"campaign": world.campaign.pk})
    assert response.context["glance"].goal is None


def test_my_statistics_open_on_my_tiles_my_best_post_and_rank(client_for, world):
    from django.utils import timezone

    from portevoix.gamification.models import PointEntry

    PointEntry.objects.create(
        person=world.alice,
        action="share",
        points=10,
        source="share:1",
        slot="share:1",
        occurred_at=timezone.now(),
    )
    response = client_for(world.alice).get(
        reverse("analytics:mine"), {"start": "2025-12-01", "end": "2025-12-31"}
    )
    mine = response.context["glance"]
    assert [tile.slug for tile in mine.tiles] == list(glance.PERSONAL_TILES)
    tiles = {tile.slug: tile for tile in mine.tiles}
    assert (tiles["verified"].value, tiles["verified"].trend.words) == (4, "nouveau")
    assert mine.best_post.name == "Nous recrutons des techniciens"
    assert mine.rank == 1
    world.alice.hide_from_rankings = True
    world.alice.save()
    response = client_for(world.alice).get(reverse("analytics:mine"))
    assert response.context["glance"].rank is None  # she chose not to be compared


def test_a_nonsense_period_is_refused_with_a_sentence_on_the_page_and_the_exports(
    client_for, bob, world
):
    client = client_for(bob)
    response = client.get(reverse("analytics:dashboard"), {"period": "ever"})
    assert response.status_code == 400
    assert "Période inconnue" in response.content.decode()
    assert "glance" not in response.context or not response.context.get("glance")
    export = client.get(reverse("analytics:export", args=["summary", "csv"]), {"period": "ever"})
    assert export.status_code == 400
    assert client.get(reverse("analytics:mine"), {"period": "ever"}).status_code == 400


def test_the_preset_links_keep_the_other_filters(client_for, bob, world):
    response = client_for(bob).get(
        reverse("analytics:dashboard"), {"period": "year", "network": "linkedin"}
    )
    html = response.content.decode()
    assert 'href="?period=7d&amp;by=day&amp;network=linkedin"' in html
    assert 'href="?period=year&amp;by=day&amp;network=linkedin" aria-current="true"' in html


def test_the_series_chart_has_a_legend_the_previous_period_and_point_values(client_for, bob, world):
    response = client_for(bob).get(reverse("analytics:dashboard"), JANUARY)
    svg = str(response.context["charts"]["series"])
    for name in ("Clics vérifiés", "Partages", "Conversions", "Clics vérifiés, période précédente"):
        assert f">{name}</text>" in svg
    assert "<title>Clics vérifiés, 6 jan.: 2</title>" in svg
    assert 'stroke-dasharray="4 3"' in svg  # the previous period, faint
