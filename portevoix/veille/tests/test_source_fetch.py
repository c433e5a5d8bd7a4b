"""Reading feeds served by a real local HTTP server: formats, broken feeds, conditional
requests, limits, and what the source records."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DataError
from django.utils import timezone

from portevoix.core.testing import Answer
from portevoix.veille import fetching
from portevoix.veille.fetching import source_fetch, sources_fetch_due
from portevoix.veille.models import Item, Source
from portevoix.veille.tests.feeds import ATOM, RSS1, RSS2, item, rss


def test_it_reads_an_rss_2_feed(make_source):
    source = make_source(RSS2)
    outcome = source_fetch(source=source)
    assert outcome.ok and outcome.new_items == 2
    parc = Item.objects.get(guid="blog-101")
    assert parc.title == "Lumière Énergies inaugure son parc solaire de Montpellier"
    assert parc.link == "https://lumiere.example/blog/parc-solaire?utm_source=rss&utm_medium=feed"
    assert parc.canonical_url == "https://lumiere.example/blog/parc-solaire"
    assert parc.summary == "<p>Une belle réussite pour nos équipes.</p>"
    assert parc.image_url == "https://lumiere.example/img/parc.jpg"
    assert "Service presse" in parc.author
    assert parc.published_at == datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
    assert parc.language == "fr"
    assert parc.tone == "positive"
    assert Item.objects.get(title__startswith="Grève").tone == "negative"
    source.refresh_from_db()
    assert source.last_success_at is not None and source.last_error == ""


def test_it_reads_an_atom_feed_and_strips_html_from_titles(make_source):
    source = make_source(ATOM)
    assert source_fetch(source=source).new_items == 1
    entry = Item.objects.get()
    assert entry.title == "Voltea wins the innovation award"
    assert entry.author == "Jane Reporter"
    assert entry.language == "en"
    assert entry.link == "https://news.example/voltea-award"
    assert entry.tone == "positive"


def test_it_reads_an_rss_1_feed(make_source):
    source = make_source(RSS1)
    assert source_fetch(source=source).new_items == 1
    entry = Item.objects.get()
    assert entry.title.startswith("Résultats annuels")
    assert entry.link == "https://press.example/cp-1"
    assert entry.published_at == datetime(2026, 11, 9, 11, 0, tzinfo=UTC)


def test_html_in_rss_titles_becomes_plain_text(make_source):
    body = rss(item("&lt;b&gt;Nouvelle&lt;/b&gt; agence &amp;amp; bureaux", guid="h1"))
    source = make_source(body)
    source_fetch(source=source)
    assert Item.objects.get().title == "Nouvelle agence & bureaux"


def test_a_page_that_is_not_a_feed_is_an_error_in_plain_words(make_source):
    source = make_source(Answer(body=b"<html><body>Bonjour</body></html>"))
    outcome = source_fetch(source=source)
    assert not outcome.ok
    source.refresh_from_db()
    assert "RSS" in source.last_error and source.consecutive_failures == 1
    assert Item.objects.count() == 0


def test_broken_xml_still_gives_the_items_it_can(make_source):
    # An unescaped "&", an unclosed <item>, no </rss>: a strict XML parser gives up here.
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Cass\xc3\xa9</title>
    <item><title>Premier article & suite</title><link>https://t.example/1</link></item>
    <item><title>Second article</title><link>https://t.example/2</link>
    </channel>"""
    source = make_source(body)
    outcome = source_fetch(source=source)
    assert outcome.ok
    titles = set(Item.objects.values_list("title", flat=True))
    assert titles == {"Premier article & suite", "Second article"}


def test_a_feed_in_the_wrong_encoding_is_still_read(make_source):
    body = rss(item("Société Générale et l'été", guid="enc")).decode().encode("cp1252")
    source = make_source(body)  # says utf-8, is Windows-1252
    assert source_fetch(source=source).ok
    assert Item.objects.get().title == "Société Générale et l'été"


def test_a_charset_in_the_http_header_is_followed(make_source):
    body = rss(item("Décision attendue", guid="h"), header='<?xml version="1.0"?>')
    answer = Answer(
        body=body.decode().encode("latin-1"),
        headers={"Content-Type": "application/xml; charset=iso-8859-1"},
    )
    source = make_source(answer)
    assert source_fetch(source=source).ok
    assert Item.objects.get().title == "Décision attendue"


def test_relative_links_are_resolved_against_the_feed(make_source, local_http):
    body = rss(
        item("Article", link="/blog/article-1", description="&lt;img src='/img/a.png'&gt; texte")
    )
    source = make_source(body, path="/blog/feed.xml")
    source_fetch(source=source)
    entry = Item.objects.get()
    assert entry.link == local_http.url("/blog/article-1")
    assert entry.image_url == local_http.url("/img/a.png")


def test_items_without_dates_are_dated_when_first_seen(make_source):
    source = make_source(rss(item("Sans date", link="https://t.example/nodate")))
    now = timezone.now()
    source_fetch(source=source, now=now)
    entry = Item.objects.get()
    assert entry.published_at is None and entry.dated_at == now


def test_a_date_in_the_future_is_not_believed(make_source):
    body = rss(item("Futur", link="https://t.example/f", date="Fri, 01 Jan 2100 00:00:00 +0000"))
    source = make_source(body)
    now = timezone.now()
    source_fetch(source=source, now=now)
    assert Item.objects.get().dated_at == now


def test_duplicated_guids_give_one_item_and_a_second_read_adds_nothing(make_source):
    body = rss(
        item("Un", guid="same", link="https://t.example/a")
        + item("Un (bis)", guid="same", link="https://t.example/b")
    )
    source = make_source(body)
    assert source_fetch(source=source).new_items == 1
    assert source_fetch(source=source).new_items == 0
    assert Item.objects.count() == 1


def test_the_same_article_through_two_sources_is_kept_once(make_source):
    first = make_source(
        rss(item("Article", link="https://t.example/x?utm_source=a&id=3")), path="/a.xml"
    )
    second = make_source(
        rss(item("Article repris", link="https://T.example/x?id=3&fbclid=zz#top")),
        path="/b.xml",
        name="Other",
    )
    source_fetch(source=first)
    assert source_fetch(source=second).new_items == 0
    assert Item.objects.count() == 1


def test_without_guid_nor_link_title_and_date_deduplicate(make_source):
    date = "Tue, 10 Nov 2026 09:00:00 +0000"
    body = rss(item("Même titre", date=date) + item("MÊME   titre !", date=date))
    source = make_source(body)
    assert source_fetch(source=source).new_items == 1


def test_huge_items_are_cut_to_size(make_source):
    body = rss(
        item("T" * 5000, guid="big", description="&lt;p&gt;" + "mot " * 250_000 + "&lt;/p&gt;")
    )
    source = make_source(body)
    assert source_fetch(source=source).ok
    entry = Item.objects.get()
    assert len(entry.title) == 500
    assert len(entry.summary) <= 10_100 and entry.summary.endswith("</p>")


def test_a_second_read_is_conditional_and_304_changes_nothing(make_source, local_http):
    headers = {"ETag": '"v1"', "Last-Modified": "Tue, 10 Nov 2026 09:00:00 GMT"}
    source = make_source(Answer(body=RSS2, headers=headers))
    source_fetch(source=source)
    local_http.route("/feed.xml", Answer(status=304))
    later = timezone.now() + timedelta(hours=1)
    outcome = source_fetch(source=source, now=later)
    assert outcome.ok and outcome.not_modified
    sent = local_http.requests[-1][2]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 10 Nov 2026 09:00:00 GMT"
    source.refresh_from_db()
    assert source.last_success_at == later and source.etag == '"v1"'
    assert Item.objects.count() == 2


def test_a_slow_server_times_out(make_source, settings):
    settings.VEILLE_FETCH_TIMEOUT = 0.5
    source = make_source(Answer(body=RSS2, delay=2))
    outcome = source_fetch(source=source)
    assert not outcome.ok
    source.refresh_from_db()
    assert source.last_error == "Le serveur a mis trop de temps à répondre."
    assert Item.objects.count() == 0


def test_a_redirect_to_a_private_address_is_refused(make_source):
    source = make_source(Answer(status=302, headers={"Location": "http://10.0.0.1/feed.xml"}))
    outcome = source_fetch(source=source)
    assert not outcome.ok and "10.0.0.1" in outcome.error
    assert Item.objects.count() == 0


def test_a_50_mb_body_is_cut_off_and_not_read(make_source, local_http):
    body = rss(item("x" * 100, guid="1")) + b" " * (50 * 1024 * 1024)
    source = make_source(Answer(body=body))
    outcome = source_fetch(source=source)
    assert not outcome.ok and "plus de 5 Mo" in outcome.error
    assert Item.objects.count() == 0


def test_an_http_error_is_said_in_plain_words(make_source):
    source = make_source(Answer(status=404, body=b"gone"))
    outcome = source_fetch(source=source)
    assert not outcome.ok and "n’existe pas (erreur 404)" in outcome.error


def test_feed_bytes_are_never_taken_for_a_file_name(make_source):
    source = make_source(Answer(body=b"/etc/hostname"))
    assert not source_fetch(source=source).ok
    assert Item.objects.count() == 0


def test_entries_whose_link_is_too_long_to_store_are_skipped_and_the_rest_kept(make_source):
    too_long = "https://news.example/a?x=" + "x" * 2100
    # Short enough, but its canonical URL percent-encodes the accents past 2000 characters.
    grows = "https://news.example/recherche?q=" + "é" * 400
    body = rss(
        item("Trop long", link=too_long, guid="long")
        + item("Accents", link=grows, guid="grows")
        + item("Normal", link="https://news.example/b", guid="fine")
    )
    source = make_source(body)
    outcome = source_fetch(source=source)
    assert outcome.ok and outcome.new_items == 1
    assert list(Item.objects.values_list("title", flat=True)) == ["Normal"]


def test_a_source_whose_items_the_database_refuses_fails_alone(
    make_source, local_http, monkeypatch
):
    now = timezone.now()
    refused = make_source(RSS2, path="/refused.xml", next_fetch_at=now - timedelta(minutes=2))
    fine = make_source(
        ATOM, path="/fine.xml", name="Fine", next_fetch_at=now - timedelta(minutes=1)
    )
    store = fetching.items_store

    def items_store(*, source, **kwargs):
        if source.pk == refused.pk:
            raise DataError("value too long for type character varying(2000)")
        return store(source=source, **kwargs)

    monkeypatch.setattr(fetching, "items_store", items_store)
    outcomes = sources_fetch_due(now=now)
    assert not outcomes[refused.pk].ok and outcomes[fine.pk].new_items == 1
    refused.refresh_from_db()
    assert refused.consecutive_failures == 1 and refused.last_error_at == now
    assert refused.last_error == (
        "Les éléments du flux n’ont pas pu être enregistrés ; un nouvel essai aura lieu."
    )
    assert refused.next_fetch_at == now + timedelta(minutes=refused.fetch_interval_minutes)
    assert Item.objects.filter(source=fine).count() == 1 and Item.objects.count() == 1


def test_only_due_sources_are_fetched(make_source, local_http):
    now = timezone.now()
    due = make_source(RSS2, path="/due.xml", next_fetch_at=now - timedelta(minutes=1))
    make_source(ATOM, path="/later.xml", name="Later", next_fetch_at=now + timedelta(minutes=5))
    outcomes = sources_fetch_due(now=now)
    assert list(outcomes) == [due.pk]
    assert [path for _m, path, _h in local_http.requests] == ["/due.xml"]
    due.refresh_from_db()
    assert due.next_fetch_at == now + timedelta(minutes=due.fetch_interval_minutes)


@pytest.mark.parametrize("failures,minutes", [(1, 60), (2, 120), (3, 240), (4, 480), (9, 1440)])
def test_failures_back_off_exponentially(make_source, settings, failures, minutes):
    settings.VEILLE_PAUSE_AFTER_FAILURES = 100
    source = make_source(Answer(status=500))
    now = timezone.now()
    for _ in range(failures):
        source_fetch(source=source, now=now)
    source.refresh_from_db()
    assert source.consecutive_failures == failures
    assert source.next_fetch_at == now + timedelta(minutes=minutes)


def test_a_success_resets_the_failures(make_source, local_http):
    source = make_source(Answer(status=500))
    source_fetch(source=source)
    local_http.route("/feed.xml", Answer(body=RSS2))
    source_fetch(source=source)
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_error == ""


def test_paused_sources_are_not_fetched(make_source, local_http):
    source = make_source(RSS2, paused_at=timezone.now())
    assert sources_fetch_due(now=timezone.now() + timedelta(days=1)) == {}
    assert local_http.requests == []
    assert Source.objects.get(pk=source.pk).paused_at is not None
