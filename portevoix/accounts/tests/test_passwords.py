"""Passwords are stored with Argon2 in production (the rest of the suite uses a fast hash)."""

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from portevoix import settings as production


def test_production_hashes_passwords_with_argon2_first():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.PRODUCTION_PASSWORD_HASHERS == production.PASSWORD_HASHERS


def test_a_password_set_in_production_is_an_argon2_hash_and_checks(db, django_user_model):
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        person = django_user_model.objects.create_user(
            email="argon@example.com", password="correct horse battery", full_name="Argon"
        )
        assert identify_hasher(person.password).algorithm == "argon2"
        assert person.check_password("correct horse battery")
        assert not person.check_password("wrong horse battery")
