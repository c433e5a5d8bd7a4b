"""Every link from a table to a person is a decision, written down in docs/running.md: the row
goes with the person (CASCADE), or stays for the organisation without them (SET_NULL). A new
link to Person fails here until someone has decided (and documented) what erasure does."""

import re

from django.apps import apps
from django.conf import settings
from django.db import models

from portevoix.accounts.privacy import _privacy_modules

LINKS_TO_PERSON = {
    ("accounts.NetworkAccount", "person"): "CASCADE",
    ("accounts.Invitation", "person"): "CASCADE",
    ("accounts.Invitation", "invited_by"): "SET_NULL",
    ("accounts.CharterVersion", "published_by"): "SET_NULL",
    ("accounts.CharterAcceptance", "person"): "CASCADE",
    ("accounts.RecoveryCode", "person"): "CASCADE",
    ("accounts.TwoFactorPolicy", "updated_by"): "SET_NULL",
    ("core.AuditEntry", "actor"): "SET_NULL",
    ("core.AuditEntry", "target_person"): "SET_NULL",
    ("content.Post", "author"): "SET_NULL",
    ("content.PostEvent", "actor"): "SET_NULL",
    ("content.Suggestion", "author"): "CASCADE",
    ("content.Suggestion", "decided_by"): "SET_NULL",
    ("content.ComplianceSettings", "updated_by"): "SET_NULL",
    ("content.ApprovalSettings", "updated_by"): "SET_NULL",
    ("sharing.Share", "person"): "SET_NULL",
    ("connections.Connection", "person"): "CASCADE",
    ("connections.Publication", "person"): "CASCADE",
    ("sharing.ArchiveEntry", "person"): "SET_NULL",
    ("analytics.ShareActivity", "person"): "CASCADE",
    ("tracking.TrackedLink", "ambassador"): "CASCADE",
    ("tracking.ConversionKey", "created_by"): "SET_NULL",
    ("gamification.PointRule", "created_by"): "SET_NULL",
    ("gamification.PointEntry", "person"): "CASCADE",
    ("gamification.BadgeAward", "person"): "CASCADE",
    ("gamification.Challenge", "created_by"): "SET_NULL",
    ("gamification.ChallengeResult", "person"): "SET_NULL",
    ("veille.Source", "created_by"): "SET_NULL",
    ("veille.Item", "dismissed_by"): "SET_NULL",
    ("veille.Item", "used_by"): "SET_NULL",
    ("veille.Watch", "created_by"): "SET_NULL",
    ("academy.LessonAttempt", "person"): "CASCADE",
    ("notifications.Notification", "person"): "CASCADE",
    ("notifications.DigestSent", "person"): "CASCADE",
    ("notifications.PushSubscription", "person"): "CASCADE",
    ("api.ApiToken", "person"): "CASCADE",
    ("identity.SsoLink", "person"): "CASCADE",
    ("identity.IdentityProvider", "break_glass_admin"): "SET_NULL",
    ("webhooks.WebhookEndpoint", "created_by"): "SET_NULL",
    ("scim.ScimToken", "created_by"): "SET_NULL",
}


def test_every_link_to_a_person_has_a_decided_erasure():
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {
        (model._meta.label, field.name): field.remote_field.on_delete.__name__
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.many_to_one
        and field.related_model is person_model
    }
    assert found == LINKS_TO_PERSON


# Many-to-many links (their rows go with the person; what they point to stays) and one-to-one
# rows, decided the same way (docs/running.md).
OTHER_LINKS_TO_PERSON = {
    ("accounts.TwoFactor", "person"): "CASCADE",
    ("scim.ScimUser", "person"): "CASCADE",
    ("content.Topic", "followers"): "link deleted",
    ("webhooks.WebhookEvent", "people"): "link deleted",
}


def test_every_other_link_to_a_person_has_a_decided_erasure():
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {
        (model._meta.label, field.name): (
            "link deleted" if field.many_to_many else field.remote_field.on_delete.__name__
        )
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and (field.many_to_many or field.one_to_one)
        and field.related_model is person_model
    }
    assert found == OTHER_LINKS_TO_PERSON


def test_apps_that_copy_names_erase_the_copies():
    erasers = {label for label, module in _privacy_modules() if hasattr(module, "erase_person")}
    assert {"core", "gamification", "notifications"} <= erasers


def test_no_table_stores_an_ip_address():
    ip_like = re.compile(r"(^|_)(ip|ip_address|remote_addr|ipaddr)($|_)")
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.GenericIPAddressField) or ip_like.search(field.name)
    ]
    assert offenders == []
