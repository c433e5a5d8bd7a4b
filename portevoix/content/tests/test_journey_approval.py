"""Four-eyes approval in the browser: the author cannot approve their own post; a second
editor reads what changed since the last approval, approves with a comment, and the post is
published with the step in its history."""

import pytest

from conftest import PASSWORD
from portevoix.content.models import PostStatus
from portevoix.content.review import approval_set
from portevoix.content.tests.factories import make_post
from portevoix.content.workflow import post_publish, post_return_to_draft, post_submit

pytestmark = [pytest.mark.browser, pytest.mark.journey_approval]


def _log_in(page, person) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")


def test_a_second_editor_reviews_the_changes_and_approves(page, bob, carol, axe):
    approval_set(required=True, by=carol)
    post = make_post("Nos éoliennes", status=PostStatus.DRAFT, author=bob)
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol)
    post_return_to_draft(post=post, actor=carol, note="Précisez la mer")
    post.title = "Nos éoliennes en mer du Nord"
    post.save()
    post_submit(post=post, actor=bob)

    _log_in(page, bob)
    page.goto(f"/content/posts/{post.pk}/")
    assert "un autre éditeur doit l’approuver" in page.locator("#review").inner_text()
    assert page.locator("button:text('Approuver et publier')").count() == 0
    page.context.clear_cookies()

    _log_in(page, carol)
    page.goto(f"/content/posts/{post.pk}/")
    review = page.locator("#review")
    assert review.locator("del").first.inner_text() == "-Nos éoliennes"
    assert review.locator("ins").first.inner_text() == "+Nos éoliennes en mer du Nord"
    axe(page)
    page.fill("#note-publish", "La mer est précisée, merci")
    page.click("button:text('Approuver et publier')")
    page.wait_for_load_state()
    assert "Rien n’a changé depuis la dernière approbation." in page.locator("#review").inner_text()
    history = page.locator(".timeline").inner_text()
    assert "La mer est précisée, merci" in history
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
