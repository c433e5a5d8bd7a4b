"""The trend rule (docs/metrics.md) and the periods it compares: presets, the previous period
of the same length across month ends and daylight-saving changes, the period in words."""

from datetime import UTC, date, timedelta

import pytest
from django.utils import translation

from portevoix.analytics import periods
from portevoix.analytics.filters import FilterError, Filters, filters_parse
from portevoix.analytics.trends import DOWN, NEW, SAME, UP, trend

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("current", "previous", "direction", "percent"),
    [
        (5, 0, NEW, None),  # 0 → n: nothing to divide by, the figure is new
        (0, 8, DOWN, 100),  # n → 0
        (7, 7, SAME, 0),
        (112, 100, UP, 12),
        (97, 100, DOWN, 3),
        (3, 2, UP, 50),
        (2, 3, DOWN, 33),
        (1, 8, DOWN, 88),  # 87.5 rounds half up
        (95.9, 63.1, UP, 52),  # rates compare like counts
    ],
)
def test_a_trend_is_the_change_in_whole_percent(current, previous, direction, percent):
    found = trend(current, previous)
    assert (found.direction, found.percent) == (direction, percent)


def test_no_trend_when_neither_period_had_any_or_the_figure_is_not_measured():
    assert trend(0, 0) is None
    assert trend(None, 4) is None
    assert trend(4, None) is None


def test_trends_say_their_change_in_words_in_both_languages():
    with translation.override("fr"):
        assert (trend(112, 100).symbol, trend(112, 100).words) == ("▲", "12 %")
        assert trend(0, 8).sentence == "en baisse de 100 %"
        assert trend(5, 0).words == "nouveau"
        assert trend(1001, 1000).words == "< 1 %"  # 0.1 %: never "0 %", which reads as equal
        assert trend(7, 7).words == "inchangé"
    with translation.override("en"):
        assert trend(97, 100).sentence == "down 3 %"
        assert trend(5, 0).words == "new"


@pytest.mark.parametrize(
    ("preset", "start"),
    [
        ("7d", date(2026, 11, 30)),
        ("30d", date(2026, 11, 7)),
        ("quarter", date(2026, 10, 1)),
        ("year", date(2026, 1, 1)),
    ],
)
def test_presets_end_today(preset, start):
    assert periods.preset_range(preset, today=TODAY) == (start, TODAY)


@pytest.mark.parametrize(
    ("start", "end", "previous"),
    [
        # March has 31 days: its previous period is the 31 days before, into January.
        (date(2026, 3, 1), date(2026, 3, 31), (date(2026, 1, 29), date(2026, 2, 28))),
        (date(2028, 3, 1), date(2028, 3, 31), (date(2028, 1, 30), date(2028, 2, 29))),  # leap
        (date(2026, 1, 1), date(2026, 1, 7), (date(2025, 12, 25), date(2025, 12, 31))),
        (date(2026, 12, 6), date(2026, 12, 6), (date(2026, 12, 5), date(2026, 12, 5))),
        # This quarter so far (67 days) against as many days, not the whole previous quarter.
        (date(2026, 10, 1), date(2026, 12, 6), (date(2026, 7, 26), date(2026, 9, 30))),
    ],
)
def test_the_previous_period_has_as_many_days_and_ends_the_day_before(start, end, previous):
    assert periods.previous_range(start, end) == previous
    before_start, before_end = previous
    assert (before_end - before_start) == (end - start)
    assert before_end + timedelta(days=1) == start


def hours(filters: Filters) -> float:
    # In UTC: two times of one zone subtract as wall-clock times in Python.
    return (filters.until.astimezone(UTC) - filters.since.astimezone(UTC)) / timedelta(hours=1)


def test_the_previous_period_is_made_of_local_days_across_daylight_saving_changes():
    # Europe/Paris goes back one hour on 25 October 2026: the week before 1 November has
    # 7 days and 169 hours, and ends where the period begins, at local midnight.
    filters = Filters(start=date(2026, 11, 1), end=date(2026, 11, 7), network="linkedin")
    before = periods.previous_filters(filters)
    assert (before.start, before.end) == (date(2026, 10, 25), date(2026, 10, 31))
    assert before.until == filters.since
    assert hours(before) == 7 * 24 + 1
    assert (before.since.hour, before.until.hour) == (0, 0)
    assert before.network == "linkedin"  # the same filters, shifted
    # And forward on 29 March 2026: 167 hours.
    spring = periods.previous_filters(Filters(start=date(2026, 4, 1), end=date(2026, 4, 7)))
    assert hours(spring) == 7 * 24 - 1


def test_a_preset_names_its_days_and_is_kept_in_the_query():
    filters = filters_parse(data={"period": "7d", "campaign": ""}, today=TODAY)
    assert (filters.start, filters.end, filters.preset) == (date(2026, 11, 30), TODAY, "7d")
    assert filters.query() == {"period": "7d", "by": "day"}
    assert filters_parse(data={}, today=TODAY).preset == "30d"  # the default


def test_dates_sent_with_their_preset_keep_it_other_dates_make_the_period_custom():
    shown = {"period": "7d", "start": "2026-11-30", "end": "2026-12-06"}
    assert filters_parse(data=shown, today=TODAY).preset == "7d"
    typed = filters_parse(data={**shown, "start": "2026-11-01"}, today=TODAY)
    assert (typed.start, typed.end, typed.preset) == (date(2026, 11, 1), TODAY, "custom")
    assert typed.query()["start"] == "2026-11-01" and "period" not in typed.query()
    dates = filters_parse(data={"start": "2026-01-01", "end": "2026-01-31"}, today=TODAY)
    assert dates.preset == "custom"


def test_an_unknown_preset_is_refused_with_a_sentence():
    with translation.override("fr"), pytest.raises(FilterError, match="Période inconnue"):
        filters_parse(data={"period": "forever"}, today=TODAY)


def test_the_period_in_words():
    filters = filters_parse(data={"period": "30d"}, today=TODAY)
    with translation.override("fr"):
        assert periods.period_words(filters) == (
            "30 derniers jours · 7 nov. – 6 déc. 2026 · heure de Paris"
        )
        assert periods.previous_words(filters) == "période précédente : 8 oct. – 6 nov. 2026"
    with translation.override("en"):
        custom = Filters(start=date(2025, 12, 20), end=date(2026, 1, 10))
        assert periods.period_words(custom) == "20 Dec 2025 – 10 Jan 2026 · Paris time"
