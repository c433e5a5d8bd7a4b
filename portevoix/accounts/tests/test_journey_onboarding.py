"""An invited employee opens the invitation, sets a password, opts in, accepts the charter,
sets their profile, chooses the topics they follow and lands on their home page — in French."""

import re

import pytest
from django.core import mail

from portevoix.accounts.invitations import invitation_create, invitation_send
from portevoix.accounts.models import CharterAcceptance, NetworkAccount, Person
from portevoix.content.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.journey_onboarding]


def test_an_invited_employee_onboards_in_french(page, live_server, charter, carol, axe):
    Topic.objects.create(name="Emploi")
    invitation, token = invitation_create(
        email="nina@example.com", full_name="Nina Moreau", invited_by=carol, language="fr"
    )
    invitation_send(invitation=invitation, token=token)
    link = re.search(r"http\S+/accounts/invitation/\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    page.goto(path)
    assert page.locator("h1").inner_text() == "Bienvenue, Nina Moreau"
    axe(page)
    page.fill("input[name=new_password1]", "un-mot-de-passe-solide-42")
    page.fill("input[name=new_password2]", "un-mot-de-passe-solide-42")
    page.click("text=Créer mon compte")

    page.wait_for_url("**/accounts/welcome/")
    assert "Bienvenue dans le programme ambassadeurs" in page.content()
    axe(page)
    page.click("text=Je veux devenir ambassadeur")

    page.wait_for_url("**/accounts/charter/")
    assert "authentiques" in page.locator(".charter-text").inner_text()
    axe(page)
    page.click("text=J'ai lu et j'accepte la charte")

    page.wait_for_url(live_server.url + "/")
    assert "Merci : vous avez accepté la charte." in page.content()
    assert "Merci de porter notre voix" in page.content()  # the welcome, folded once read
    page.click("nav summary >> text=Menu")  # the profile is in the ambassador's menu
    page.click("nav >> text=Mon profil")
    axe(page)
    page.fill("input[name=followers_linkedin]", "350")
    page.fill("input[name=mastodon_instance]", "mastodon.social")
    page.click("text=Enregistrer mon profil")
    assert "Votre profil est enregistré." in page.content()

    page.click("text=Choisir les thèmes que je suis")
    assert page.locator("h1").inner_text() == "Thèmes que je suis"
    axe(page)
    page.check("text=Emploi")
    page.click("text=Enregistrer mes thèmes")
    assert "Vos thèmes sont enregistrés." in page.content()

    page.click('nav a:text-is("Fil")')
    assert page.locator("h1").inner_text() == "Bonjour Nina"
    assert page.locator(".feed-order >> text=Pour vous").is_visible()
    axe(page)

    nina = Person.objects.get(email="nina@example.com")
    assert nina.is_ambassador
    assert CharterAcceptance.objects.filter(person=nina, version=charter).exists()
    assert NetworkAccount.objects.get(person=nina, network="linkedin").followers == 350
    assert nina.mastodon_instance == "mastodon.social"
    assert list(nina.topics.values_list("name", flat=True)) == ["Emploi"]
