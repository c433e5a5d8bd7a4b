"""The onboarding journey with the keyboard alone: the invited employee sets a password, opts in
and accepts the charter with Tab, typing, Enter and Space; the focus shows on every element."""

import re

import pytest
from django.core import mail

from portevoix.accounts.invitations import invitation_create, invitation_send
from portevoix.accounts.models import CharterAcceptance, Person
from portevoix.core.testing_keyboard import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.journey_onboarding]


def test_an_invited_employee_opts_in_and_accepts_the_charter_with_the_keyboard(
    page, live_server, charter, carol, axe
):
    charter.text = "\n\n".join(
        f"{n}. Soyez **authentiques** : partagez ce que vous pensez." for n in range(1, 41)
    )
    charter.save(update_fields=["text"])
    invitation, token = invitation_create(
        email="nina@example.com", full_name="Nina Moreau", invited_by=carol, language="fr"
    )
    invitation_send(invitation=invitation, token=token)
    link = re.search(r"http\S+/accounts/invitation/\S+", mail.outbox[0].body).group(0)
    page.goto("/" + link.split("/", 3)[3])

    tab_to(page, page.locator("input[name=new_password1]"))
    page.keyboard.type("un-mot-de-passe-solide-42")
    tab_to(page, page.locator("input[name=new_password2]"))
    page.keyboard.type("un-mot-de-passe-solide-42")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/welcome/")

    # The opt-in: a button, pressed with Space.
    tab_to(page, page.get_by_role("button", name="Je veux devenir ambassadeur"))
    page.keyboard.press("Space")
    page.wait_for_url("**/accounts/charter/")
    nina = Person.objects.get(email="nina@example.com")
    assert nina.opted_in_at is not None
    axe(page)

    # The charter: its long text scrolls with the arrow keys; accepted with Enter.
    text = tab_to(page, page.locator(".charter-text"))
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    # The browser scrolls smoothly: the box moves a moment after the keys.
    page.wait_for_function("box => box.scrollTop > 0", arg=text.element_handle())
    tab_to(page, page.get_by_role("button", name="J'ai lu et j'accepte la charte"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    assert "Merci : vous avez accepté la charte." in page.content()
    axe(page)

    nina.refresh_from_db()
    assert nina.is_ambassador
    assert CharterAcceptance.objects.filter(person=nina, version=charter).exists()
