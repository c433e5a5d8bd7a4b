"""What the pages call each figure, and the rates the earned media value is priced on."""

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from portevoix.analytics import value
from portevoix.analytics.dashboard import personal_tables, programme_figures, summary_table
from portevoix.analytics.models import MediaRate
from portevoix.analytics.tables import conversions_table

from .conftest import period

DECEMBER = {"start": "2025-12-01", "end": "2025-12-31"}


def test_the_rates_in_force_are_the_defaults_until_an_admin_enters_some(db):
    MediaRate.objects.create(
        network="x", cpc=Decimal("2.00"), cpm=Decimal("9.00"), impression_rate=Decimal("0.2")
    )
    rates = {rate.network: rate for rate in value.rates_in_force()}
    linkedin, x, copy = rates["linkedin"], rates["x"], rates["copy"]
    assert (linkedin.cpc, linkedin.cpm, linkedin.impression_rate, linkedin.entered) == (
        Decimal("5.00"),
        Decimal("30.00"),
        Decimal("0.100"),
        False,
    )
    assert (x.cpc, x.cpm, x.impression_rate, x.entered) == (
        Decimal("2.00"),
        Decimal("9.00"),
        Decimal("0.2"),
        True,
    )
    assert (copy.cpc, copy.cpm, copy.entered) == (Decimal("1.00"), Decimal("5.00"), False)


def test_the_rates_page_shows_the_rates_in_force(client_for, carol):
    MediaRate.objects.create(network="x", cpc=Decimal("2.00"), cpm=Decimal("9.00"))
    html = client_for(carol).get(reverse("analytics:rates")).content.decode()
    assert "Tarifs appliqués" in html
    assert (
        "<tr><td>LinkedIn</td><td>5,00</td><td>30,00</td><td>0,100</td>"
        "<td>par défaut</td></tr>" in html
    )
    assert (
        "<tr><td>X</td><td>2,00</td><td>9,00</td><td>0,100</td>"
        "<td>saisi par un administrateur</td></tr>" in html
    )


def test_the_media_value_is_priced_on_the_rates_in_force(db):
    (media,) = value.media_values(reach={"linkedin": 1000}, verified_by_network={"linkedin": 2})
    # The default LinkedIn rates shown on the rates page: 5 € × 2 + 30 € × 100 / 1000.
    assert media.value == Decimal("13.00")


def test_goals_are_shown_by_their_name(world):
    with translation.override("fr"):
        table = conversions_table(filters=period("2025-12-01", "2025-12-31"))
    assert table.rows == [["candidature", 1]]
    with translation.override("en"):
        table = conversions_table(filters=period("2025-12-01", "2025-12-31"))
    assert table.rows == [["job application", 1]]


def test_the_participation_rate_is_labelled_a_rate(world):
    with translation.override("fr"):
        rows = summary_table(programme_figures(filters=period("2026-01-01", "2026-01-31"))).rows
        kinds = {label: kind for label, _value, kind in rows}
    assert kinds["Taux de participation (%)"] == "taux"
    assert kinds["Partages"] == "nombre"


def test_people_who_were_never_invited_are_not_called_invited(world, erin):
    # alice, frank and erin were created directly, never invited: the figure is what it
    # counts, the people with an account at the end of the period.
    with translation.override("en"):
        figures = {
            f.label: f.value for f in programme_figures(filters=period("2026-01-01", "2026-12-31"))
        }
    assert "Invited" not in figures
    assert figures["People with an account"] == 3


def test_someone_elses_statistics_say_whose(client_for, bob, world):
    query = DECEMBER | {"ambassador": str(world.alice.pk)}
    response = client_for(bob).get(reverse("analytics:mine"), query)
    html = response.content.decode()
    assert response.context["tables"][0].rows[0][:2] == ["Partages", 3]  # not "my shares"
    assert "vos partages" not in html
    assert "Ce que les partages de Alice Martin ont rapporté" in html
    own = client_for(world.alice).get(reverse("analytics:mine"), DECEMBER).content.decode()
    assert "Ce que vos partages ont rapporté" in own


def test_my_statistics_per_post_include_posts_shared_without_a_click(world):
    # January: alice shared "Notre nouvel atelier" on the 20th; nobody clicked yet.
    january = period("2026-01-01", "2026-01-31").for_person(world.alice.pk)
    with translation.override("en"):
        per_post = personal_tables(filters=january)[-1]
    assert per_post.rows == [["Notre nouvel atelier", 0, 0, 0]]
    # December: the campaign post, shared and clicked; the other post was not shared then.
    december = period("2025-12-01", "2025-12-31").for_person(world.alice.pk)
    per_post = personal_tables(filters=december)[-1]
    assert per_post.rows == [["Nous recrutons des techniciens", 4, 7, 1]]
