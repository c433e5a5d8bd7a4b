"""A source that keeps failing is paused and the pilot team is told, in-app and by e-mail."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from portevoix.core.testing import Answer
from portevoix.veille.fetching import source_fetch, source_resume, sources_fetch_due
from portevoix.veille.models import Alert
from portevoix.veille.tests.feeds import RSS2


def test_after_n_failures_the_source_is_paused_and_editors_are_told(
    make_source, settings, alice, bob, carol, local_http, django_capture_on_commit_callbacks
):
    settings.VEILLE_PAUSE_AFTER_FAILURES = 3
    carol.language = "en"
    carol.save()
    source = make_source(Answer(status=503), name="Salle de presse")
    for _ in range(2):
        source_fetch(source=source)
    assert source.paused_at is None and Alert.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        source_fetch(source=source)
    source.refresh_from_db()
    assert source.is_paused
    alert = Alert.objects.get()
    assert alert.kind == "source_paused" and alert.source == source and "503" in alert.error
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["bob@example.com", "carol@example.com"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["carol@example.com"] == "Veille: the source “Salle de presse” is paused"
    assert subjects["bob@example.com"] == "Veille : la source « Salle de presse » est en pause"

    # Paused: the schedule passes it by, however late it is.
    assert sources_fetch_due(now=timezone.now() + timedelta(days=30)) == {}
    # Resumed: read at once, and the alert is not repeated.
    local_http.route("/feed.xml", Answer(body=RSS2))
    source_resume(source=source)
    assert sources_fetch_due()[source.pk].new_items == 2
    source.refresh_from_db()
    assert not source.is_paused and source.consecutive_failures == 0
    assert Alert.objects.count() == 1
