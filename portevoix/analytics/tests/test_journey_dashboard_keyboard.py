"""The dashboard journey with the keyboard alone: an editor reaches the dashboard from the
navigation, types a period, picks a campaign and a group with the arrow keys, applies the
filters and opens the rankings tab, which keeps them; the focus shows on every element."""

from datetime import date

import pytest

from conftest import PASSWORD
from portevoix.core.testing_keyboard import log_in_with_the_keyboard, tab_to, type_date

pytestmark = [pytest.mark.browser, pytest.mark.journey_dashboard]


def choose_with_arrows(page, select_id: str, label: str) -> None:
    select = tab_to(page, page.locator(f"#{select_id}"))
    for _ in range(10):
        if select.locator("option:checked").inner_text() == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"ArrowDown never chose {label} in #{select_id}")


def test_an_editor_filters_the_dashboard_with_the_keyboard_alone(page, bob, world, axe):
    log_in_with_the_keyboard(page, bob.email, PASSWORD)
    tab_to(page, page.locator("nav a", has_text="Tableau de bord"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/analytics/")
    axe(page)

    type_date(page, page.locator("#f-start"), date(2025, 12, 1))
    type_date(page, page.locator("#f-end"), date(2026, 1, 31))
    choose_with_arrows(page, "f-campaign", "Recrutement 2026")
    choose_with_arrows(page, "f-group", "Ventes")
    tab_to(page, page.locator(".filters button", has_text="Appliquer"))
    page.keyboard.press("Space")
    page.wait_for_url(f"**campaign={world.campaign.pk}**")
    assert "start=2025-12-01" in page.url and "end=2026-01-31" in page.url
    assert f"group={world.ventes.pk}" in page.url
    rows = page.locator("#table-networks tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    assert [row[:2] for row in rows] == [["LinkedIn", "2"], ["X", "1"]]
    axe(page)

    # The rankings tab, behind the filters in the tab order: Shift+Tab goes back to it.
    tab_to(
        page, page.locator(".tabs a", has_text="Campagnes, posts et ambassadeurs"), backwards=True
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/analytics/rankings/?**campaign={world.campaign.pk}**")
    assert page.locator("#f-group option:checked").inner_text() == "Ventes"
    axe(page)
