"""Periods start where the period starts, dates read one way per language, and every dated
page says in which time zone."""

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.tables import series_table
from portevoix.core import zone

from .conftest import period

# 5 December 2026 at 17:01 in Paris.
MOMENT = datetime(2026, 12, 5, 16, 1, tzinfo=UTC)
DAY = date(2026, 12, 5)


def test_by_week_the_first_row_starts_on_the_periods_first_day(world):
    # Wednesday 10 December 2025 to the 31st: the first week is cut, and says so.
    filters = period("2025-12-10", "2025-12-31", granularity="week")
    with translation.override("en"):
        table = series_table(filters=filters)
    assert [row[0] for row in table.rows] == [
        date(2025, 12, 10),
        date(2025, 12, 15),
        date(2025, 12, 22),
        date(2025, 12, 29),
    ]
    # Shares on the 10th, 11th and 12th; verified clicks v1, v2, v3 on the 10th, v4 the 11th.
    assert table.rows[0][1:3] == [3, 4]
    assert list(ClickFigures(filters).series())[0] == date(2025, 12, 10)


def test_by_month_the_first_row_starts_on_the_periods_first_day(world):
    filters = period("2025-12-10", "2026-01-31", granularity="month")
    series = ClickFigures(filters).series()
    assert {start: counts["verified"] for start, counts in series.items()} == {
        date(2025, 12, 10): 4,
        date(2026, 1, 1): 2,
    }


def test_a_groups_shares_follow_the_same_periods(world):
    # A group's shares are read from the shares themselves (not the daily counts).
    filters = period("2025-12-10", "2025-12-31", granularity="week", group_id=world.ventes.pk)
    table = series_table(filters=filters)
    assert [row[:2] for row in table.rows[:2]] == [[date(2025, 12, 10), 3], [date(2025, 12, 15), 0]]


def test_dates_read_one_unambiguous_way_per_language():
    expected = {
        "fr": ("5 déc. 2026", "5 déc. 2026 17:01"),
        "en": ("5 Dec 2026", "5 Dec 2026 17:01"),
    }
    for language, (day, moment) in expected.items():
        with translation.override(language):
            assert date_format(DAY, "DATE_FORMAT") == day
            assert date_format(DAY, "SHORT_DATE_FORMAT") == day
            local = timezone.localtime(MOMENT)
            assert date_format(local, "DATETIME_FORMAT") == moment
            assert date_format(local, "SHORT_DATETIME_FORMAT") == moment
            # What a template shows for a date or an instant without a format, and `|date`.
            shown = Template(
                "{{ day }}|{{ moment }}|{{ moment|date }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}"
            ).render(Context({"day": DAY, "moment": MOMENT}))
            assert shown == f"{day}|{moment}|{day}|{moment}"


def test_every_dated_page_states_the_time_zone(client_for, alice, bob, world):
    for page in ("analytics:mine", "gamification:mine", "sharing:my_shares"):
        html = client_for(alice).get(reverse(page)).content.decode()
        assert "Dates et heures : heure de Paris." in html, page
    dashboard = client_for(bob).get(reverse("analytics:dashboard")).content.decode()
    assert "de minuit à minuit, heure de Paris ; les semaines commencent le lundi" in dashboard


def test_the_time_zone_follows_the_settings(client_for, alice, settings):
    settings.TIME_ZONE = "America/New_York"
    alice.language = "en"
    alice.save(update_fields=["language"])
    html = client_for(alice).get(reverse("analytics:mine")).content.decode()
    assert "Dates and times: New York time." in html
    assert "from midnight to midnight, New York time" in html


def test_a_zone_that_names_no_place_is_given_by_its_name(settings):
    settings.TIME_ZONE = "UTC"
    with translation.override("fr"):
        assert zone.time_zone_note() == "Dates et heures : UTC."
    settings.TIME_ZONE = "America/Argentina/Buenos_Aires"
    with translation.override("en"):
        assert zone.time_zone_label() == "Buenos Aires time"
