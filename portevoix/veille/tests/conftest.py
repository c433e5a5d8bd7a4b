import pytest

from portevoix.core.testing import Answer
from portevoix.veille.models import Source


@pytest.fixture
def make_source(db, local_http):
    """A source whose feed the local server answers: `make_source(body)` or with an Answer."""

    def make(answer, *, path="/feed.xml", **fields):
        if isinstance(answer, bytes):
            answer = Answer(body=answer, headers={"Content-Type": "application/rss+xml"})
        local_http.route(path, answer)
        fields.setdefault("name", "Test feed")
        return Source.objects.create(url=local_http.url(path), **fields)

    return make


@pytest.fixture
def make_item(db):
    """An item stored as the worker stores it (watches matched), with a chosen tone and date."""
    from django.utils import timezone

    from portevoix.veille.ingest import title_date_key
    from portevoix.veille.models import Item
    from portevoix.veille.text import fold
    from portevoix.veille.watches import mentions_create_for_items

    counter = iter(range(1, 1_000_000))

    def make(title, *, source=None, tone="neutral", dated_at=None, summary="", language="fr"):
        number = next(counter)
        source = (
            source
            or Source.objects.get_or_create(
                name="Revue de presse", defaults={"url": "https://press.example/feed"}
            )[0]
        )
        dated_at = dated_at or timezone.now()
        item = Item.objects.create(
            source=source,
            guid=f"g{number}",
            link=f"https://press.example/{number}",
            canonical_url=f"https://press.example/{number}",
            title_date_key=title_date_key(f"{title} {number}", dated_at),
            title=title,
            summary=summary,
            dated_at=dated_at,
            published_at=dated_at,
            language=language,
            tone=tone,
            folded_text=fold(f"{title} {summary}"),
        )
        mentions_create_for_items(items=[item])
        return item

    return make
