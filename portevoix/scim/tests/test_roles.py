"""Every role on the SCIM admin page and its actions: only admins; a refusal changes nothing."""

import pytest
from django.urls import reverse

from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    WHO,
    assert_page_for,
    assert_post_refused,
    client_as,
)
from portevoix.scim.models import ProvisioningSettings, ScimToken

PAGE = reverse("scim:settings")
STATE = (ScimToken, ProvisioningSettings, AuditEntry)


@pytest.mark.parametrize("who", WHO)
def test_only_admins_open_the_page(request, who):
    assert_page_for(client_as(request, who).get(PAGE), who, ADMIN)


@pytest.mark.parametrize("who", sorted(set(WHO) - ADMIN))
def test_nobody_else_creates_a_token_changes_the_rules_or_revokes(request, who, carol):
    client = client_as(request, who)
    assert_post_refused(client, who, PAGE, {"form": "token", "name": "pirate"}, STATE)
    assert_post_refused(client, who, PAGE, {"form": "settings", "leaver_rule": "alumni"}, STATE)
    token = ScimToken.objects.create(name="Okta", prefix="pvx_scim_ab", digest="0" * 64)
    revoke = reverse("scim:token_revoke", args=[token.pk])
    assert_post_refused(client, who, revoke, {}, STATE)
