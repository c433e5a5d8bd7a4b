"""A deactivation signs the person out on every device at once (their sessions are deleted)."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse


def test_deactivating_someone_ends_their_sessions_and_only_theirs(client_for, carol, alice, bob):
    phone, laptop, colleague = Client(), Client(), Client()
    phone.force_login(alice)
    laptop.force_login(alice)
    colleague.force_login(bob)
    client_for(carol).post(reverse("accounts:person_active", args=[alice.pk]), {"active": "0"})
    assert phone.get(reverse("core:home")).status_code == 302
    assert laptop.get(reverse("core:home")).status_code == 302
    assert colleague.get(reverse("core:home")).status_code == 200
    assert Session.objects.count() == 2  # bob's and carol's
