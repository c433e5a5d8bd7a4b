"""An employee goes through the onboarding checklist on their home page: joins the programme
and accepts the charter, completes their profile and topics, takes a lesson with its quiz
(failing once, then passing), and makes a first share — each step ticked, then the checklist
leaves the home page."""

import pytest

from conftest import PASSWORD
from portevoix.academy.models import Choice, Lesson, LessonAttempt, Question
from portevoix.content.models import Topic
from portevoix.content.tests.factories import make_post
from portevoix.gamification.models import PointEntry

pytestmark = [pytest.mark.browser, pytest.mark.journey_academy]


def done_steps(page) -> set[str]:
    return set(
        page.locator(".checklist li.done").evaluate_all("els => els.map(e => e.dataset.step)")
    )


def open_checklist(page) -> None:
    """After its first showing in a session the checklist is folded: one tap opens it."""
    if page.locator("details.checklist[open]").count() == 0:
        page.click(".checklist summary")


def test_an_employee_completes_the_onboarding_checklist(page, live_server, erin, charter, axe):
    Topic.objects.create(name="Innovation")
    lesson = Lesson.objects.create(
        title="Bien partager", body="Ajoutez **votre regard**.", published=True, pass_mark=100
    )
    for text, right, wrong in [
        ("Quel réseau pour une offre d'emploi ?", "LinkedIn", "Aucun"),
        ("Que rend un partage plus lu ?", "Une phrase personnelle", "Dix hashtags"),
    ]:
        question = Question.objects.create(lesson=lesson, text=text)
        Choice.objects.create(question=question, text=right, is_correct=True)
        Choice.objects.create(question=question, text=wrong, is_correct=False)
    make_post(
        "Nos apprentis primés",
        messages=[("linkedin", "fr", "Bravo à nos apprentis ! #collaborateur")],
    )

    page.goto("/accounts/login/")
    page.fill("input[name=username]", erin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")
    assert page.locator("#checklist-title").inner_text() == "Pour bien démarrer"
    assert done_steps(page) == set()
    axe(page)

    # 1. Join and accept the charter.
    page.click("text=Je veux devenir ambassadeur")
    page.wait_for_url("**/accounts/charter/")
    axe(page)
    page.click("text=J'ai lu et j'accepte la charte")
    page.wait_for_url(live_server.url + "/")
    assert done_steps(page) == {"charter"}

    # 2. Networks, from the checklist's link to the profile.
    open_checklist(page)
    page.click(".checklist >> text=Compléter votre profil : les réseaux que vous utilisez")
    axe(page)
    page.fill("input[name=followers_linkedin]", "240")
    page.click("text=Enregistrer mon profil")
    page.goto("/")
    assert done_steps(page) == {"charter", "profile"}

    # 3. Topics, from the checklist's link to the topics I follow.
    open_checklist(page)
    page.click(".checklist >> text=Suivre les thèmes qui vous intéressent")
    axe(page)
    page.check("text=Innovation")
    page.click("text=Enregistrer mes thèmes")
    page.goto("/")
    assert done_steps(page) == {"charter", "profile", "topics"}

    # 4. The lesson: one wrong answer fails (100 % needed), then a pass.
    open_checklist(page)
    page.click(".checklist >> text=Suivre votre première leçon")
    axe(page)
    page.click("h2 >> text=Bien partager")
    assert "votre regard" in page.locator(".lesson-body").inner_text()
    axe(page)
    page.check("text=LinkedIn")
    page.check("text=Dix hashtags")
    page.click("text=Vérifier mes réponses")
    assert "il en faut 100" in page.content()
    axe(page)
    page.check("text=LinkedIn")
    page.check("text=Une phrase personnelle")
    page.click("text=Vérifier mes réponses")
    assert "Bravo : 100 % de bonnes réponses, leçon terminée !" in page.content()
    assert "terminée" in page.locator("article", has_text="Bien partager").inner_text()
    assert [a.passed for a in LessonAttempt.objects.filter(person=erin).order_by("at")] == [
        False,
        True,
    ]
    assert PointEntry.objects.filter(person=erin, action="lesson_completed").count() == 1
    page.goto("/")
    assert done_steps(page) == {"charter", "profile", "topics", "lesson"}

    # 5. The first share (LinkedIn is answered by the test: there is no internet here).
    page.context.route(
        "https://www.linkedin.com/**",
        lambda route: route.fulfill(body="<html>LinkedIn</html>", content_type="text/html"),
    )
    page.locator("article.feed-card", has_text="Nos apprentis primés").locator(
        "text=Partager"
    ).click()
    with page.expect_request(lambda r: r.url.startswith("https://www.linkedin.com/")):
        page.click("button:text('Partager sur LinkedIn')")

    home = page.context.new_page()
    home.goto("/")
    assert home.locator(".checklist").count() == 0
    assert "Nos apprentis primés" in home.content()
    axe(home)
