from django.urls import reverse

from portevoix.accounts.participation import sharing_block_reason


def test_nobody_is_an_ambassador_before_opting_in(erin):
    assert not erin.is_ambassador
    assert sharing_block_reason(erin) is not None


def test_opting_in_then_accepting_the_charter_allows_sharing(client_for, erin, charter):
    client = client_for(erin)
    response = client.post(reverse("accounts:opt_in"))
    assert response["Location"] == reverse("accounts:charter")
    erin.refresh_from_db()
    assert erin.is_ambassador
    client.post(reverse("accounts:charter"), {"version": charter.number})
    assert sharing_block_reason(erin) is None


def test_opting_out_is_effective_at_once(client_for, alice):
    assert sharing_block_reason(alice) is None
    client_for(alice).post(reverse("accounts:opt_out"))
    alice.refresh_from_db()
    assert not alice.is_ambassador
    assert alice.opted_out_at is not None
    assert sharing_block_reason(alice) is not None


def test_opt_in_and_out_only_answer_post(client_for, erin):
    client = client_for(erin)
    assert client.get(reverse("accounts:opt_in")).status_code == 405
    erin.refresh_from_db()
    assert not erin.is_ambassador


def test_a_deactivated_person_keeps_history_but_cannot_log_in(client, client_for, carol, alice):
    from conftest import PASSWORD

    response = client_for(carol).post(
        reverse("accounts:person_active", args=[alice.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active and alice.deactivated_at is not None
    assert alice.charter_acceptances.exists()
    client.logout()
    assert not client.login(username=alice.email, password=PASSWORD)
    assert sharing_block_reason(alice) is not None
