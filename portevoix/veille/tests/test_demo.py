from django.core.management import call_command

from portevoix.veille.alerts import watches_check_alerts
from portevoix.veille.models import Alert, Item, Mention, Source, Watch


def test_the_demo_has_sources_items_watches_negatives_and_one_past_alert(db):
    call_command("demo")
    assert Source.objects.count() == 5
    assert Source.objects.filter(kind="jobs").count() == 1
    assert Item.objects.count() >= 25
    assert set(Item.objects.values_list("language", flat=True)) == {"fr", "en"}
    assert Watch.objects.count() == 3
    negative = Mention.objects.filter(watch__name="Lumière Énergies", tone="negative")
    assert negative.count() >= 8
    assert Mention.objects.filter(watch__name="Concurrents").count() >= 5
    assert Alert.objects.count() == 1
    # The demo is steady: starting the worker does not raise a new alert at once.
    assert watches_check_alerts() == []
