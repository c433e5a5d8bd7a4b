"""Sources and watches through their pages: adding, editing, bad input changes nothing."""

import pytest
from django.urls import reverse

from portevoix.content.models import Topic
from portevoix.veille.alerts import alert_create
from portevoix.veille.models import Item, Source, Watch
from portevoix.veille.tests.feeds import RSS2


def test_an_editor_adds_a_source_and_it_is_read_at_once(client_for, bob, local_http):
    from portevoix.core.testing import Answer

    local_http.route("/rss", Answer(body=RSS2))
    topic = Topic.objects.create(name="Énergie")
    response = client_for(bob).post(
        reverse("veille:source_create"),
        {
            "name": "Blog",
            "url": local_http.url("/rss"),
            "kind": "blog",
            "topics": [topic.pk],
            "fetch_interval_minutes": 30,
        },
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.created_by == bob and list(source.topics.all()) == [topic]
    assert source.items.count() == 2
    page = client_for(bob).get(reverse("veille:sources")).content.decode()
    assert "Blog" in page and "<td>2</td>" in page


@pytest.mark.parametrize(
    "url,message",
    [
        ("javascript:alert(1)", "Saisissez une URL valide."),
        ("ftp://example.com/feed", "Seules les adresses http:// et https://"),
        ("http://10.0.0.1/feed", "réseau privé"),
        ("http://169.254.169.254/latest/", "réseau privé"),
        ("http://user:secret@example.com/feed", "mot de passe ne sont pas acceptées"),
    ],
)
def test_a_source_with_an_unfit_address_is_refused(client_for, bob, url, message):
    response = client_for(bob).post(
        reverse("veille:source_create"),
        {"name": "X", "url": url, "kind": "news", "fetch_interval_minutes": 60},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Source.objects.count() == 0


@pytest.mark.parametrize("interval", ["0", "2", "-5", "abc", "999999"])
def test_a_source_with_an_unfit_interval_is_refused(client_for, bob, local_http, interval):
    response = client_for(bob).post(
        reverse("veille:source_create"),
        {
            "name": "X",
            "url": local_http.url("/feed"),
            "kind": "news",
            "fetch_interval_minutes": interval,
        },
    )
    assert response.status_code == 400
    assert "fetch_interval_minutes" in response.context["form"].errors
    assert Source.objects.count() == 0


def test_the_same_feed_twice_is_refused(client_for, bob, local_http):
    Source.objects.create(name="A", url=local_http.url("/feed"))
    response = client_for(bob).post(
        reverse("veille:source_create"),
        {"name": "B", "url": local_http.url("/feed"), "kind": "news", "fetch_interval_minutes": 60},
    )
    assert response.status_code == 400 and "déjà une source" in response.content.decode()


def test_sources_show_their_last_error_in_plain_words_and_can_be_resumed(
    client_for, bob, local_http
):
    from django.utils import timezone

    from portevoix.core.testing import Answer

    local_http.route("/rss", Answer(body=RSS2))
    source = Source.objects.create(
        name="Presse",
        url=local_http.url("/rss"),
        paused_at=timezone.now(),
        consecutive_failures=8,
        last_error="Le serveur a mis trop de temps à répondre.",
    )
    page = client_for(bob).get(reverse("veille:sources")).content.decode()
    assert "Le serveur a mis trop de temps à répondre." in page and "En pause" in page
    client_for(bob).post(reverse("veille:source_fetch", args=[source.pk]))
    source.refresh_from_db()
    assert not source.is_paused and source.items.count() == 2


def test_an_editor_edits_and_deletes_a_source(client_for, bob, local_http):
    source = Source.objects.create(name="A", url=local_http.url("/feed"))
    client = client_for(bob)
    response = client.post(
        reverse("veille:source_edit", args=[source.pk]),
        {
            "name": "Renamed",
            "url": local_http.url("/feed"),
            "kind": "press",
            "fetch_interval_minutes": 120,
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "Renamed" and source.fetch_interval_minutes == 120
    client.post(reverse("veille:source_delete", args=[source.pk]))
    assert not Source.objects.exists()


def test_an_editor_creates_a_watch_that_tags_existing_items(client_for, bob, make_item):
    make_item("Voltéa lève des fonds")
    make_item("Rien à voir")
    response = client_for(bob).post(
        reverse("veille:watch_create"),
        {
            "name": "Concurrent",
            "kind": "competitor",
            "terms": "Voltéa\nHelios Power",
            "exclude_terms": "",
            "alert_min_negative": 5,
            "alert_window_hours": 24,
            "alert_rate_factor": 3,
        },
    )
    watch = Watch.objects.get()
    assert response["Location"] == reverse("veille:watch", args=[watch.pk])
    assert watch.created_by == bob and watch.items.count() == 1
    page = client_for(bob).get(reverse("veille:watch", args=[watch.pk])).content.decode()
    assert "<svg" in page and "Voltéa lève des fonds" in page
    assert "Mentions de Concurrent par jour" in page  # the chart's text equivalent


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"terms": ""}, "Ce champ est obligatoire."),
        ({"terms": "***\n!!"}, "ni lettre ni chiffre"),
        ({"terms": "\n".join(f"t{n}" for n in range(60))}, "50 termes au maximum"),
        ({"alert_min_negative": "0"}, "supérieure ou égale à 1"),
        ({"alert_window_hours": "10000"}, "inférieure ou égale à 720"),
        ({"alert_rate_factor": "-1"}, "supérieure ou égale à 0"),
    ],
)
def test_a_watch_with_bad_input_is_refused(client_for, bob, changes, message):
    data = {
        "name": "Marque",
        "kind": "brand",
        "terms": "Lumière",
        "alert_min_negative": 5,
        "alert_window_hours": 24,
        "alert_rate_factor": 3,
        **changes,
    }
    response = client_for(bob).post(reverse("veille:watch_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Watch.objects.count() == 0


def test_the_watches_page_draws_the_mentions_chart_with_a_table(client_for, bob, make_item):
    Watch.objects.create(name="Marque", terms="Lumière")
    Watch.objects.create(name="Concurrent", terms="Voltéa")
    make_item("Lumière recrute")
    page = client_for(bob).get(reverse("veille:watches")).content.decode()
    assert page.count("<polyline") == 2
    assert 'role="img"' in page and '<title id="chart-title">' in page
    assert "<th>Marque</th>" in page and "<th>Concurrent</th>" in page


def test_the_alerts_page_lists_alerts_and_marks_them_read(client_for, bob):
    watch = Watch.objects.create(name="Marque", terms="Lumière")
    alert_create(kind="negative_rise", watch=watch, negative_count=6, window_hours=24)
    client = client_for(bob)
    home = client.get(reverse("core:home")).content.decode()
    # The notifications badge counts the alert (there is no separate alerts badge).
    assert 'aria-label="1 non lue"' in home
    page = client.get(reverse("veille:alerts")).content.decode()
    assert "6 mentions négatives de « Marque » en 24 heures." in page
    assert '<span class="tag">nouveau</span>' in page
    client.post(reverse("veille:alerts_read"))
    assert "non lue" not in client.get(reverse("core:home")).content.decode()
    assert (
        '<span class="tag">nouveau</span>'
        not in client.get(reverse("veille:alerts")).content.decode()
    )


def test_deleting_a_watch_keeps_the_items(client_for, bob, make_item):
    watch = Watch.objects.create(name="Marque", terms="Lumière")
    make_item("Lumière recrute")
    client_for(bob).post(reverse("veille:watch_delete", args=[watch.pk]))
    assert not Watch.objects.exists() and Item.objects.count() == 1


def test_a_new_address_forgets_the_old_servers_answers(client_for, bob, local_http):
    from portevoix.core.testing import Answer

    local_http.route("/new.xml", Answer(body=RSS2))
    source = Source.objects.create(
        name="A", url=local_http.url("/old.xml"), etag='"old"', consecutive_failures=3
    )
    client_for(bob).post(
        reverse("veille:source_edit", args=[source.pk]),
        {
            "name": "A",
            "url": local_http.url("/new.xml"),
            "kind": "news",
            "fetch_interval_minutes": 60,
        },
    )
    source.refresh_from_db()
    assert "If-None-Match" not in local_http.requests[-1][2]
    assert source.items.count() == 2 and source.consecutive_failures == 0
