"""An editor opens the dashboard, filters by period, campaign and group, and downloads the
"by network" table as CSV: its totals are the page's. The rankings and health tabs keep the
filters."""

import csv
import io

import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.journey_dashboard]


def test_an_editor_filters_the_dashboard_and_downloads_matching_csv(page, bob, world, axe):
    page.goto("/accounts/login/")
    axe(page)
    page.fill("input[name=username]", bob.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")
    axe(page)
    page.click("nav >> text=Tableau de bord")
    page.wait_for_url("**/analytics/")
    assert page.locator("h1").inner_text() == "Tableau de bord du programme"
    axe(page)

    page.fill("#f-start", "2025-12-01")
    page.fill("#f-end", "2026-01-31")
    page.select_option("#f-campaign", label="Recrutement 2026")
    page.select_option("#f-group", label="Ventes")
    page.click("text=Appliquer")
    page.wait_for_url(f"**campaign={world.campaign.pk}**")

    networks = page.locator("#table-networks")
    cells = networks.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    # alice, the campaign post: two LinkedIn shares and one on X; 4 verified, 7 raw on LinkedIn.
    assert [row[:4] for row in cells] == [["LinkedIn", "2", "4", "7"], ["X", "1", "0", "0"]]
    assert networks.locator("svg desc").text_content() == "LinkedIn: 2; X: 1"
    axe(page)

    with page.expect_download() as download_info:
        networks.locator("text=Télécharger en CSV").click()
    download = download_info.value
    assert download.suggested_filename == "portevoix-dashboard-networks.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Réseau", "Partages", "Clics vérifiés", "Clics bruts"]
    assert [row[:4] for row in rows[1:]] == [row[:4] for row in cells]
    total_shares = sum(int(row[1]) for row in rows[1:])
    total_verified = sum(int(row[2]) for row in rows[1:])
    summary = page.locator("#table-summary tbody tr").evaluate_all(
        "rows => Object.fromEntries(rows.map(r => [r.cells[0].innerText, r.cells[1].innerText]))"
    )
    assert (total_shares, total_verified) == (3, 4)
    assert summary["Partages"] == "3" and summary["Clics vérifiés"] == "4"

    # The rankings are on their own page: its tab keeps the filters.
    page.click(".tabs >> text=Campagnes, posts et ambassadeurs")
    page.wait_for_url(f"**/analytics/rankings/?**campaign={world.campaign.pk}**")
    assert page.locator("#f-group option:checked").inner_text() == "Ventes"
    assert page.locator(".tabs a[aria-current=page]").inner_text() == (
        "Campagnes, posts et ambassadeurs"
    )
    ambassadors = page.locator("#table-ambassadors tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert [row[:2] for row in ambassadors] == [["Alice Martin", "4"]]
    axe(page)

    # So is programme health: the group filtered on, and the cohort grid drawn.
    page.click(".tabs >> text=Santé du programme")
    page.wait_for_url(f"**/analytics/health/?**campaign={world.campaign.pk}**")
    groups = page.locator("#table-groups tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert [row[0] for row in groups] == ["Ventes"]
    assert page.locator("#table-cohorts svg").count() == 1
    axe(page)
