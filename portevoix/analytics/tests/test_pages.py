"""The dashboard, my statistics and exports: who sees what, bad filters, exports that match."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

DECEMBER = {"start": "2025-12-01", "end": "2025-12-31"}


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_dashboard_is_for_the_pilot_team_only(who, request, client_for, world):
    person = request.getfixturevalue(who)
    assert client_for(person).get(reverse("analytics:dashboard")).status_code == 403
    export = reverse("analytics:export", args=["summary", "csv"])
    assert client_for(person).get(export).status_code == 403


def test_anonymous_people_are_sent_to_log_in(client, world):
    for name in ("analytics:dashboard", "analytics:mine"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_editors_and_admins_see_the_dashboard(who, request, client_for, world):
    person = request.getfixturevalue(who)
    response = client_for(person).get(reverse("analytics:dashboard"), DECEMBER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<desc>" in page  # charts with their text equivalent
    summary = dict((row[0], row[1]) for row in response.context["tables"][0].rows)
    assert 4 in summary.values()  # the 4 verified clicks of December
    rankings = client_for(person).get(reverse("analytics:rankings"), DECEMBER)
    assert "Alice Martin" in rankings.content.decode()  # top ambassadors


def test_each_page_of_the_dashboard_shows_its_own_tables(client_for, bob, world):
    query = DECEMBER | {"campaign": str(world.campaign.pk)}
    shown = {}
    for name, tab in (
        ("analytics:dashboard", ""),
        ("analytics:rankings", "rankings/"),
        ("analytics:health", "health/"),
    ):
        response = client_for(bob).get(reverse(name), query)
        assert response.status_code == 200
        shown[name] = [table.slug for table in response.context["tables"]]
        page = response.content.decode()
        # Every tab keeps the filters, and the current one says it is.
        tabs = re.findall(r'href="/analytics/([a-z/]*)\?([^"]*)"( aria-current="page")?', page)
        assert [t[0] for t in tabs[:3]] == ["", "rankings/", "health/"]
        assert all(f"campaign={world.campaign.pk}" in t[1] for t in tabs[:3])
        assert [t[0] for t in tabs[:3] if t[2]] == [tab]
    assert shown == {
        "analytics:dashboard": ["summary", "series", "networks", "amplification", "conversions"],
        "analytics:rankings": ["campaigns", "posts", "ambassadors"],
        "analytics:health": ["groups", "cohorts", "monthly"],
    }
    health = client_for(bob).get(reverse("analytics:health"), DECEMBER).content.decode()
    assert "<svg" in health  # the cohort grid


@pytest.mark.parametrize(
    "query, message",
    [
        ({"start": "2026-02-01", "end": "2026-01-01"}, "après la date de fin"),
        ({"start": "1900-01-01", "end": "2026-01-01"}, "trop longue"),
        ({"start": "hier"}, "n’est pas une date"),
        ({"campaign": "999999"}, "Campagne inconnue"),
        ({"campaign": "1 OR 1=1"}, "Campagne inconnue"),
        ({"group": "-3"}, "Groupe inconnu"),
        ({"network": "myspace"}, "Réseau inconnu"),
        ({"by": "century"}, "Période inconnue"),
    ],
)
def test_bad_filters_get_a_clear_message(query, message, client_for, bob, world):
    for name in ("analytics:dashboard", "analytics:rankings", "analytics:health"):
        response = client_for(bob).get(reverse(name), query)
        assert response.status_code == 400
        assert message in response.content.decode()
    export = client_for(bob).get(reverse("analytics:export", args=["summary", "csv"]), query)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_my_statistics_show_only_mine(client_for, world):
    response = client_for(world.frank).get(reverse("analytics:mine"), DECEMBER)
    assert response.status_code == 200
    summary = response.context["tables"][0].rows
    # frank shared nothing and got no click in December: alice's 4 clicks are not his.
    assert [row[1] for row in summary[:2]] == [0, 0]
    january = client_for(world.frank).get(
        reverse("analytics:mine"), {"start": "2026-01-01", "end": "2026-01-31"}
    )
    assert [row[1] for row in january.context["tables"][0].rows[:2]] == [1, 2]


def test_an_ambassador_cannot_forge_someone_else(client_for, world):
    forged = DECEMBER | {"ambassador": str(world.alice.pk)}
    client = client_for(world.frank)
    assert client.get(reverse("analytics:mine"), forged).status_code == 404
    export = reverse("analytics:mine_export", args=["summary", "csv"])
    assert client.get(export, forged).status_code == 404
    xlsx = reverse("analytics:mine_export", args=["all", "xlsx"])
    assert client.get(xlsx, forged).status_code == 404
    # A group or campaign filter cannot widen the page to other people either.
    widened = DECEMBER | {"group": str(world.ventes.pk), "campaign": str(world.campaign.pk)}
    response = client.get(reverse("analytics:mine"), widened)
    assert response.status_code == 200
    assert response.context["tables"][0].rows[1][1] == 0
    rows = csv_rows(client.get(export, widened))
    assert rows[2][:2] == ["Clics vérifiés", "0"]


def test_an_editor_can_see_an_ambassadors_statistics(client_for, bob, world):
    query = DECEMBER | {"ambassador": str(world.alice.pk)}
    response = client_for(bob).get(reverse("analytics:mine"), query)
    assert response.status_code == 200
    assert response.context["tables"][0].rows[1][1] == 4
    export = reverse("analytics:mine_export", args=["summary", "csv"])
    assert csv_rows(client_for(bob).get(export, query))[2][:2] == ["Clics vérifiés", "4"]


def test_a_ranking_exports_as_its_page_shows_it(client_for, bob, world):
    page = client_for(bob).get(reverse("analytics:rankings"), DECEMBER)
    shown = next(t for t in page.context["tables"] if t.slug == "ambassadors")
    export = client_for(bob).get(reverse("analytics:export", args=["ambassadors", "csv"]), DECEMBER)
    rows = csv_rows(export)
    assert rows[1:] == [[str(v) for v in row] for row in shown.rows]
    assert rows[1][0] == "Alice Martin"


def test_csv_export_applies_the_filters(client_for, bob, world):
    query = DECEMBER | {"campaign": str(world.campaign.pk), "group": str(world.ventes.pk)}
    page = client_for(bob).get(reverse("analytics:dashboard"), query)
    export = client_for(bob).get(reverse("analytics:export", args=["networks", "csv"]), query)
    assert export["Content-Type"].startswith("text/csv")
    rows = csv_rows(export)
    networks = next(t for t in page.context["tables"] if t.slug == "networks")
    assert [row[:4] for row in rows[1:]] == [[str(v) for v in row[:4]] for row in networks.rows]
    assert rows[1][:4] == ["LinkedIn", "2", "4", "7"]
    outside = client_for(bob).get(
        reverse("analytics:export", args=["networks", "csv"]),
        DECEMBER | {"group": str(world.tech.pk)},
    )
    assert csv_rows(outside)[1:] == []


def test_xlsx_export_has_every_table(client_for, bob, world):
    response = client_for(bob).get(reverse("analytics:export", args=["all", "xlsx"]), DECEMBER)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 11  # one per table of the page
    summary = book.worksheets[0]
    values = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert values["Clics vérifiés"] == 4


def test_unknown_export_is_404(client_for, bob, world):
    assert client_for(bob).get(reverse("analytics:export", args=["nope", "csv"])).status_code == 404
    assert (
        client_for(bob).get(reverse("analytics:export", args=["summary", "pdf"])).status_code == 404
    )


def test_rates_are_for_admins(client_for, bob, carol, world):
    assert client_for(bob).get(reverse("analytics:rates")).status_code == 403
    assert client_for(carol).get(reverse("analytics:rates")).status_code == 200


def test_admin_enters_brand_followers_and_rates(client_for, carol, world):
    from portevoix.analytics.models import BrandChannel, MediaRate

    data = {
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-0-network": "linkedin",
        "channels-0-followers": "350",
        "rates-TOTAL_FORMS": "1",
        "rates-INITIAL_FORMS": "0",
        "rates-0-network": "linkedin",
        "rates-0-cpc": "2.50",
        "rates-0-cpm": "12",
        "rates-0-impression_rate": "0.2",
    }
    response = client_for(carol).post(reverse("analytics:rates"), data)
    assert response.status_code == 302
    assert BrandChannel.objects.get().followers == 350
    assert str(MediaRate.objects.get().cpc) == "2.50"
    bad = data | {"channels-0-followers": "-5", "rates-0-cpc": "cher"}
    BrandChannel.objects.all().delete()
    MediaRate.objects.all().delete()
    assert client_for(carol).post(reverse("analytics:rates"), bad).status_code == 400
    assert not BrandChannel.objects.exists() and not MediaRate.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("cpc", "-500"), ("cpm", "-30"), ("impression_rate", "9.999"), ("impression_rate", "-0.1")],
)
def test_rates_that_would_make_the_media_value_a_nonsense_are_refused(
    client_for, carol, world, field, value
):
    from portevoix.analytics.models import MediaRate

    data = {
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
        "rates-TOTAL_FORMS": "1",
        "rates-INITIAL_FORMS": "0",
        "rates-0-network": "linkedin",
        "rates-0-cpc": "2.50",
        "rates-0-cpm": "12",
        "rates-0-impression_rate": "0.2",
        f"rates-0-{field}": value,
    }
    response = client_for(carol).post(reverse("analytics:rates"), data)
    assert response.status_code == 400
    assert field in response.context["media"].forms[0].errors
    assert not MediaRate.objects.exists()


def test_dashboards_read_counters_never_raw_clicks(client_for, bob, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = DECEMBER | {"campaign": str(world.campaign.pk), "group": str(world.ventes.pk)}
    with CaptureQueriesContext(connection) as captured:
        assert client_for(bob).get(reverse("analytics:dashboard"), query).status_code == 200
        assert client_for(bob).get(reverse("analytics:mine"), DECEMBER).status_code == 200
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"tracking_clickcount"' in tables
    assert '"tracking_click"' not in tables and '"tracking_clickinbox"' not in tables


def test_programme_tables_are_kept_a_few_minutes_and_rates_refresh_them(
    client_for, bob, carol, world, settings
):
    from portevoix.sharing.models import Share

    settings.ANALYTICS_CACHE_SECONDS = 300
    url = reverse("analytics:dashboard")

    def shares_figure(response):
        return dict(row[:2] for row in response.context["tables"][0].rows)["Partages"]

    assert shares_figure(client_for(bob).get(url, DECEMBER)) == 3
    Share.objects.create(
        post=world.other_post,
        person=world.frank,
        network="x",
        created_at=world.alice_link.created_at.replace(year=2025, month=12, day=20),
    )
    # Kept: this share's transaction never commits, so nothing tells the dashboard (committed
    # changes refresh it: test_cache_freshness.py)…
    assert shares_figure(client_for(bob).get(url, DECEMBER)) == 3
    # …and computed afresh when the setting is 0.
    settings.ANALYTICS_CACHE_SECONDS = 0
    assert shares_figure(client_for(bob).get(url, DECEMBER)) == 4
    settings.ANALYTICS_CACHE_SECONDS = 300
    data = {
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
        "rates-TOTAL_FORMS": "0",
        "rates-INITIAL_FORMS": "0",
    }
    assert client_for(carol).post(reverse("analytics:rates"), data).status_code == 302
    assert shares_figure(client_for(bob).get(url, DECEMBER)) == 4


def test_exported_text_never_runs_as_a_spreadsheet_formula():
    import openpyxl

    from portevoix.analytics.exports import csv_lines, xlsx_response
    from portevoix.analytics.tables import Table

    table = Table(
        slug="top",
        title="Top",
        headers=["name", "clicks"],
        rows=[['=HYPERLINK("http://evil.example")', 3], ["@SUM(A1)", -2], ["Ana", 5]],
    )
    rows = list(csv.reader(io.StringIO("".join(csv_lines(table)).lstrip("\ufeff"))))
    assert rows[1:] == [
        ['\'=HYPERLINK("http://evil.example")', "3"],
        ["'@SUM(A1)", "-2"],
        ["Ana", "5"],
    ]
    response = xlsx_response(tables=[table], name="t")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["A2"].data_type == "s"  # a string, not a formula
    assert sheet["B3"].value == -2  # numbers stay numbers
