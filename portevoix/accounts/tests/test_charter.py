from django.urls import reverse

from portevoix.accounts.charter import (
    charter_publish,
    has_accepted_current_charter,
    render_markdown,
)
from portevoix.accounts.models import CharterAcceptance
from portevoix.accounts.participation import sharing_block_reason


def test_an_ambassador_accepts_the_current_charter(client_for, charter, db):
    from conftest import make_person

    person = make_person("new@example.com", "New", "ambassador", accept_charter=False)
    assert sharing_block_reason(person) is not None
    response = client_for(person).post(reverse("accounts:charter"), {"version": charter.number})
    assert response.status_code == 302
    acceptance = CharterAcceptance.objects.get(person=person)
    assert acceptance.version == charter
    assert sharing_block_reason(person) is None


def test_a_new_version_asks_again(alice, carol):
    assert has_accepted_current_charter(alice)
    charter_publish(title="Charte v2", text="Nouveau texte", published_by=carol)
    assert not has_accepted_current_charter(alice)
    assert sharing_block_reason(alice) is not None


def test_accepting_an_old_version_is_refused(client_for, alice, carol, charter):
    new = charter_publish(title="Charte v2", text="Nouveau", published_by=carol)
    response = client_for(alice).post(reverse("accounts:charter"), {"version": charter.number})
    assert response.status_code == 302
    assert not CharterAcceptance.objects.filter(person=alice, version=new).exists()
    assert not has_accepted_current_charter(alice)


def test_garbage_version_numbers_change_nothing(client_for, erin, charter):
    for value in ["", "abc", "-1", "99999999999999999999"]:
        client_for(erin).post(reverse("accounts:charter"), {"version": value})
    assert not CharterAcceptance.objects.filter(person=erin).exists()


def test_admin_publishes_a_version_and_sees_who_accepted(client_for, carol, alice, charter):
    response = client_for(carol).post(
        reverse("accounts:charter_admin"), {"title": "Charte 2027", "text": "# Titre\n\nTexte"}
    )
    assert response.status_code == 302
    page = client_for(carol).get(reverse("accounts:charter_admin")).content.decode()
    assert alice.full_name in page


def test_markdown_is_sanitised():
    html = render_markdown(
        '**ok** <script>alert(1)</script> <a href="javascript:x()" onclick="y()">l</a>'
    )
    assert "<strong>ok</strong>" in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
