"""`manage.py fetch_sources` and the worker's periodic task read the due sources."""

from io import StringIO

from django.core.management import call_command

from portevoix.veille.models import Item, Source
from portevoix.veille.tasks import fetch_due_sources
from portevoix.veille.tests.feeds import ATOM, RSS2


def test_the_command_fetches_due_sources_and_says_what_happened(make_source):
    make_source(RSS2, name="Blog")
    from portevoix.core.testing import Answer

    make_source(Answer(status=500), path="/broken.xml", name="Cassé")
    out = StringIO()
    call_command("fetch_sources", stdout=out)
    text = out.getvalue()
    assert "Blog: 2 new" in text and "Cassé: error:" in text and "2 source(s) fetched" in text
    assert Item.objects.count() == 2
    out = StringIO()
    call_command("fetch_sources", stdout=out)
    assert "0 source(s) fetched" in out.getvalue()  # not due again yet
    call_command("fetch_sources", "--all", stdout=out)
    assert Source.objects.get(name="Blog").last_success_at is not None


def test_the_periodic_task_fetches_due_sources(make_source):
    make_source(ATOM)
    fetch_due_sources.call_local()
    assert Item.objects.count() == 1
