"""The keyboard helper of the journeys catches a control whose focus does not show, and one
that Tab never reaches."""

import pytest

from portevoix.core.testing_keyboard import tab_to

pytestmark = [pytest.mark.browser]

FORM = """<style>:focus-visible { outline: 3px solid #f0a500; } {extra}</style>
<a href="#top">Haut</a> <button id="plain">Enregistrer</button> <button id="hidden-ring">Envoyer</button>
<button id="shadow">Partager</button> <button id="unreachable" tabindex="-1">Ailleurs</button>"""


def walk(page, extra: str = "") -> None:
    page.set_content(FORM.replace("{extra}", extra))


def test_it_reaches_the_element_through_visible_focus(page):
    walk(page, "#shadow:focus-visible { outline: none; box-shadow: 0 0 0 3px #f0a500; }")
    target = tab_to(page, page.locator("#shadow"))
    assert target.evaluate("button => button === document.activeElement")
    tab_to(page, page.locator("#plain"), backwards=True)
    assert page.evaluate("() => document.activeElement.id") == "plain"


def test_it_fails_on_a_control_whose_focus_does_not_show(page):
    walk(page, "#hidden-ring:focus-visible { outline: none; }")
    with pytest.raises(AssertionError, match="focus not visible on button#hidden-ring"):
        tab_to(page, page.locator("#shadow"))


def test_it_fails_when_tab_never_reaches_the_element(page):
    walk(page)
    with pytest.raises(AssertionError, match="never reached"):
        tab_to(page, page.locator("#unreachable"), limit=10)
