from django.urls import reverse

from portevoix.academy.checklist import onboarding_checklist
from portevoix.academy.models import Lesson, LessonAttempt
from portevoix.accounts.models import NetworkAccount
from portevoix.content.models import Topic
from portevoix.content.tests.factories import make_post
from portevoix.sharing.shares import share_create


def steps(person):
    return {step.key: step.done for step in onboarding_checklist(person)}


def test_each_step_is_ticked_from_real_data(erin, charter):
    assert not any(steps(erin).values())
    from portevoix.accounts.charter import charter_accept
    from portevoix.accounts.participation import ambassador_opt_in

    ambassador_opt_in(person=erin)
    charter_accept(person=erin, version_number=charter.number)
    assert steps(erin)["charter"]
    NetworkAccount.objects.create(person=erin, network="linkedin", followers=10)
    assert steps(erin)["profile"]
    erin.topics.add(Topic.objects.create(name="RH"))
    assert steps(erin)["topics"]
    lesson = Lesson.objects.create(title="L", body="B", published=True)
    LessonAttempt.objects.create(person=erin, lesson=lesson, score=40, passed=False)
    assert not steps(erin)["lesson"]
    LessonAttempt.objects.create(person=erin, lesson=lesson, score=100, passed=True)
    assert steps(erin)["lesson"]
    share_create(
        person=erin, post=make_post(), network="linkedin", text="Bravo à nos équipes #collaborateur"
    )
    assert all(steps(erin).values())


def test_the_home_page_shows_the_checklist_until_it_is_done(client_for, alice):
    page = client_for(alice).get(reverse("core:home")).content.decode()
    assert 'data-step="lesson"' in page


def test_the_welcome_and_the_checklist_fold_once_read(client_for, alice):
    client = client_for(alice)
    first = client.get(reverse("core:home")).content.decode()
    assert '<details class="card checklist" open>' in first
    assert "Vous êtes ambassadeur." in first
    again = client.get(reverse("core:home")).content.decode()
    assert '<details class="card checklist">' in again  # one tap opens it
    assert 'data-step="lesson"' in again
    assert "Vous êtes ambassadeur." not in again
