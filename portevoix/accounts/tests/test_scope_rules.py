"""The entity-scope rules themselves: who is in a scope, the audience a scoped editor may give a
post, the figures they read, and how an admin sets a scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.scopes import EntityScope, scope_of
from portevoix.accounts.tests.scoped_world import World, scoped_world
from portevoix.analytics.dashboard import programme_figures
from portevoix.analytics.filters import Filters
from portevoix.content.errors import ContentError
from portevoix.content.models import Post, PostStatus
from portevoix.content.posts import post_create
from portevoix.content.suggestions import suggestion_accept
from portevoix.content.tests.factories import post_form_data
from portevoix.content.workflow import post_publish
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import WHO, assert_page_for, client_as, snapshot
from portevoix.sharing.models import Share


@pytest.fixture
def world(bob) -> World:
    return scoped_world(bob)


def test_the_scope_of_a_person(world, carol):
    assert scope_of(world.sam) == EntityScope(frozenset({world.paris.pk}))
    assert scope_of(carol).is_whole
    paula, leo = world.objects["paula"], world.objects["leo"]
    assert list(scope_of(world.sam).people()) == [paula]
    assert scope_of(world.sam).allows_person(paula)
    assert not scope_of(world.sam).allows_person(leo)
    assert set(scope_of(carol).people()) >= {paula, leo, world.sam}


def _new_post(client, **overrides):
    return client.post(reverse("content:post_new"), post_form_data(**overrides))


def test_the_audience_of_a_scoped_editor_s_post_stays_within_the_scope(world, client_for):
    client = client_for(world.sam)
    before = snapshot(Post)
    nobody = _new_post(client)
    assert nobody.status_code == 200
    assert "choisissez au moins un de ces groupes" in nobody.content.decode()
    lyon = _new_post(client, target_groups=[world.paris.pk, world.lyon.pk])
    assert "l’audience ne peut pas inclure Lyon" in lyon.content.decode()
    assert snapshot(Post) == before
    assert _new_post(client, target_groups=[world.paris.pk]).status_code == 302
    created = Post.objects.latest("pk")
    assert list(created.target_groups.all()) == [world.paris]


def test_editing_cannot_widen_the_audience(world, client_for):
    post = world.objects["post_in"]
    url = reverse("content:post_edit", args=[post.pk])
    data = post_form_data(url=post.url, title=post.title, target_groups=[world.lyon.pk])
    response = client_for(world.sam).post(url, data)
    assert response.status_code == 200
    assert "l’audience ne peut pas inclure Lyon" in response.content.decode()
    assert list(post.target_groups.all()) == [world.paris]


def test_the_services_refuse_a_wider_audience_whoever_calls_them(world):
    """What the pages and the API call, and any import or task would."""
    data = {"title": "Import", "kind": "link", "url": "https://www.lumiere.example/i"}
    with pytest.raises(ContentError, match="Lyon"):
        post_create(author=world.sam, data={**data, "target_groups": [world.lyon]}, messages=[])
    suggestion = world.objects["suggestion_in"]
    draft = suggestion_accept(suggestion=suggestion, editor=world.sam)
    draft.url = "https://www.lumiere.example/idee"
    draft.save()
    with pytest.raises(ContentError, match="choisissez au moins un de ces groupes"):
        post_publish(post=draft, actor=world.sam)
    draft.target_groups.set([world.paris])
    post_publish(post=draft, actor=world.sam)
    assert draft.status == PostStatus.PUBLISHED


def test_the_dashboard_figures_of_a_scoped_editor_are_those_of_the_scope_s_people(
    world, client_for
):
    response = client_for(world.sam).get(reverse("analytics:dashboard"))
    filters = response.context["filters"]
    figures = {f.slug: f.value for f in programme_figures(filters=filters)}
    shown = {row[0]: row[1] for row in response.context["tables"][0].rows}
    assert figures["shares"] == Share.objects.filter(person__groups=world.paris).count() == 1
    assert figures["accounts"] == 1  # Paula, Paris's only member
    assert list(shown.values())[: len(figures)] == list(figures.values())
    # The same figures the group filter gives the whole organisation's editor.
    everyone = Filters(start=filters.start, end=filters.end, group_id=world.paris.pk)
    assert programme_figures(filters=everyone) == programme_figures(filters=filters)
    whole = Filters(start=filters.start, end=filters.end)
    assert {f.slug: f.value for f in programme_figures(filters=whole)}["shares"] == 2


def test_an_admin_sets_a_scope_on_the_people_page(world, carol, client_for):
    client = client_for(carol)
    url = reverse("accounts:person_edit", args=[world.bob.pk])
    page = client.get(url).content.decode()
    assert 'name="scope_groups"' in page
    data = {"full_name": "Bob Durand", "role": "editor", "scope_groups": [world.lyon.pk]}
    assert client.post(url, data).status_code == 302
    assert list(world.bob.scope_groups.all()) == [world.lyon]
    entry = AuditEntry.objects.get(action="person_changed", target_person=world.bob)
    assert entry.details["changes"]["scope_groups"] == [[], ["Lyon"]]
    listed = client.get(reverse("accounts:people")).content.decode()
    rows = {row.split("</a>")[0].split(">")[-1]: row for row in listed.split("<tr>")[1:]}
    assert rows["Bob Durand"].count("<td>Lyon</td>") == 1  # his scope; he is in no group
    assert "<td>toute l’organisation</td>" in rows["Carol Admin"]
    assert "toute l’organisation" not in rows["Léo Lyonnais"]  # an ambassador has no scope


def test_only_the_pilot_team_works_within_a_scope(world, carol, client_for):
    paula = world.objects["paula"]
    url = reverse("accounts:person_edit", args=[paula.pk])
    data = {"full_name": paula.full_name, "role": "ambassador", "scope_groups": [world.paris.pk]}
    response = client_for(carol).post(url, data)
    assert response.status_code == 200
    assert "Seuls les éditeurs et les administrateurs" in response.content.decode()
    assert list(paula.scope_groups.all()) == []


def test_the_last_organisation_wide_admin_cannot_be_scoped(world, carol, client_for):
    url = reverse("accounts:person_edit", args=[carol.pk])
    data = {"full_name": carol.full_name, "role": "admin", "scope_groups": [world.paris.pk]}
    response = client_for(carol).post(url, data)
    assert response.status_code == 200
    assert "dernier administrateur de toute l’organisation" in response.content.decode()
    assert list(carol.scope_groups.all()) == []


def test_a_scoped_admin_cannot_change_scopes(world, client_for):
    paula = world.objects["paula"]
    url = reverse("accounts:person_edit", args=[paula.pk])
    client = client_for(world.sara)
    assert 'name="scope_groups"' not in client.get(url).content.decode()
    data = {"full_name": paula.full_name, "role": "ambassador", "scope_groups": [world.lyon.pk]}
    assert client.post(url, data).status_code == 302
    assert list(paula.scope_groups.all()) == []  # the field is not theirs to send


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_a_scoped_admin_cannot_name_an_organisation_wide_editor_or_admin(world, client_for, role):
    """Named by Sara (Paris), Paula would work for the whole organisation, Lyon included: the
    role change, the officer's flag, the invitation and the import are refused (the API's in
    api/tests/test_people.py)."""
    from portevoix.accounts.models import Invitation, Person

    paula = world.objects["paula"]
    client = client_for(world.sara)
    edit = reverse("accounts:person_edit", args=[paula.pk])
    response = client.post(edit, {"full_name": paula.full_name, "role": role})
    assert response.status_code == 200
    assert "seul un administrateur de toute l’organisation" in response.content.decode()
    officer = {"full_name": paula.full_name, "role": "ambassador", "data_protection_officer": "on"}
    assert client.post(edit, officer).status_code == 200
    paula.refresh_from_db()
    assert (paula.role, paula.data_protection_officer) == ("ambassador", False)

    invite = {"email": "new@example.com", "full_name": "Nouvelle Personne", "role": role}
    assert client.post(reverse("accounts:person_invite"), invite).status_code == 200
    csv = f"email,full_name,role\nnew@example.com,Nouvelle Personne,{role}\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", csv, content_type="text/csv")
    assert client.post(reverse("accounts:people_import"), {"file": upload}).status_code == 400
    assert not Invitation.objects.filter(email="new@example.com").exists()
    assert not Person.objects.filter(email="new@example.com").exists()
    paula.refresh_from_db()
    assert paula.role == "ambassador"


def test_an_organisation_wide_admin_names_editors(world, carol, client_for):
    paula = world.objects["paula"]
    edit = reverse("accounts:person_edit", args=[paula.pk])
    response = client_for(carol).post(edit, {"full_name": paula.full_name, "role": "editor"})
    assert response.status_code == 302
    paula.refresh_from_db()
    assert paula.role == "editor"


@pytest.mark.parametrize("who", [*WHO, "sam"])
def test_setting_a_scope_per_role(request, world, who):
    """Admins only (a scoped editor is an editor); a scoped admin only within their scope."""
    url = reverse("accounts:person_edit", args=[world.objects["paula"].pk])
    client = client_as(request, who) if who != "sam" else request.getfixturevalue("client")
    if who == "sam":
        client.force_login(world.sam)
    assert_page_for(client.get(url), who, {"carol"})


def test_the_pilot_pages_per_role_with_a_scoped_editor(request, world):
    """A scoped editor is an editor: the pilot pages open, the admin's do not."""
    client = request.getfixturevalue("client")
    client.force_login(world.sam)
    for name in ("content:posts", "analytics:dashboard", "tracking:links", "veille:inbox"):
        assert client.get(reverse(name)).status_code == 200
    for name in ("accounts:people", "content:approval", "content:compliance"):
        assert client.get(reverse(name)).status_code == 403


def test_a_period_with_shares_of_both_sides(world):
    """The world's shares are in today's figures (the tests above read the default period)."""
    now = timezone.now()
    assert Share.objects.filter(created_at__gt=now - timedelta(hours=1)).count() == 2


def test_a_scoped_editor_hears_of_their_own_veille_s_alerts_only(world, carol):
    from portevoix.notifications.models import Notification
    from portevoix.veille.alert_notices import alert_notify

    told = alert_notify(alert=world.objects["alert_out"])
    assert set(Notification.objects.values_list("person__email", flat=True)) == {
        "bob@example.com",
        "carol@example.com",
    }
    Notification.objects.all().delete()
    assert alert_notify(alert=world.objects["alert_in"]) == told + 2  # and Sam and Sara
    assert Notification.objects.filter(person=world.sam).count() == 1
