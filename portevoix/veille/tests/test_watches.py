"""Watch terms: whole words, capitals and accents ignored, prefixes on request, exclusions."""

import pytest

from portevoix.veille.matching import matcher_for
from portevoix.veille.models import Mention, Watch
from portevoix.veille.text import fold
from portevoix.veille.watches import mentions_per_day, watch_rematch


def matches(terms: str, text: str, exclude: str = "") -> bool:
    return matcher_for(terms=terms, exclude_terms=exclude).matches(fold(text))


@pytest.mark.parametrize(
    "terms,text",
    [
        ("Société", "la societe a annoncé"),
        ("societe", "La SOCIÉTÉ a annoncé"),
        ("Lumière Énergies", "LUMIERE ENERGIES recrute"),
        ("Lumière Énergies", "chez Lumière-Énergies, on recrute"),
        ("Renault", "Renault-Nissan annonce"),
        ("Renault", "l'usine de Renault."),
        ("EDF", "d'EDF et d'Engie"),
        ("Renault*", "la Renaultsport gagne"),
        ("Œuvre", "une oeuvre majeure"),
        ("Lumière\nVoltéa", "Voltea recrute"),
    ],
)
def test_terms_match_whole_words_whatever_the_case_and_accents(terms, text):
    assert matches(terms, text)


@pytest.mark.parametrize(
    "terms,text",
    [
        ("Renault", "la Renaultsport gagne"),
        ("Renault", "les Renaults"),  # plurals are not required
        ("EDF", "un modèle EDFX"),
        ("Lumière Énergies", "Lumière et Énergies"),
        ("solar", "solaris"),
        ("Voltéa", "rien à voir"),
    ],
)
def test_terms_do_not_match_inside_longer_words_or_elsewhere(terms, text):
    assert not matches(terms, text)


def test_exclusions_remove_a_mention():
    assert matches("Orange", "Orange lance une offre")
    assert not matches("Orange", "Le jus d'orange sanguine", exclude="jus d'orange")
    assert not matches("Orange", "Orange Vélo à Orange (Vaucluse)", exclude="Vaucluse")
    assert matches("Orange", "Orange lance une offre", exclude="Vaucluse")


def test_a_new_watch_tags_items_already_stored(make_item):
    first = make_item("Lumière Énergies recrute à Lyon")
    make_item("Voltéa ouvre une agence")
    excluded = make_item("Lumière Énergies Québec, homonyme")
    watch = Watch.objects.create(name="Marque", terms="Lumière Énergies", exclude_terms="Québec")
    assert watch_rematch(watch=watch) == 1
    assert list(watch.items.all()) == [first]
    assert not Mention.objects.filter(item=excluded).exists()


def test_new_items_are_tagged_with_existing_watches(make_item):
    watch = Watch.objects.create(name="Concurrent", terms="Voltéa")
    item = make_item("VOLTEA lève 20 millions")
    assert list(item.watches.all()) == [watch]


def test_editing_a_watch_rebuilds_its_mentions(make_item):
    watch = Watch.objects.create(name="Concurrent", terms="Voltéa")
    make_item("Voltéa lève 20 millions")
    other = make_item("Helios Power recrute")
    watch.terms = "Helios Power"
    watch.save()
    watch_rematch(watch=watch)
    assert list(watch.items.all()) == [other]


def test_mentions_are_counted_per_day(make_item):
    from datetime import timedelta

    from django.utils import timezone

    watch = Watch.objects.create(name="Marque", terms="Lumière")
    now = timezone.now()
    make_item("Lumière un", dated_at=now)
    make_item("Lumière deux", dated_at=now, tone="negative")
    make_item("Lumière hier", dated_at=now - timedelta(days=1))
    make_item("Lumière il y a longtemps", dated_at=now - timedelta(days=40))
    days, series = mentions_per_day(watches=[watch], days=30, now=now)
    assert len(days) == 30 and days[-1] == timezone.localdate(now)
    assert series[watch.pk][-1] == 2 and series[watch.pk][-2] == 1 and sum(series[watch.pk]) == 3
    _days, negative = mentions_per_day(watches=[watch], days=30, now=now, tone="negative")
    assert sum(negative[watch.pk]) == 1
