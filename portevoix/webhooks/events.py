"""The events an endpoint can subscribe to. Names follow Standard Webhooks' `type` field:
`<thing>.<what happened>`, lower case, stable once published."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    POST_PUBLISHED = "post.published", _("A post is published")
    SHARE_CREATED = "share.created", _("An ambassador shares a post")
    # Sent once publishing through connected accounts exists (a later issue); declared now so
    # that receivers can subscribe ahead.
    SHARE_PUBLISHED = "share.published", _("A share is published through a connected account")
    CLICK_VERIFIED = "click.verified", _("Verified clicks were counted (one event per batch)")
    CONVERSION_CREATED = "conversion.created", _("A conversion is recorded")
    PERSON_OPTED_IN = "person.opted_in", _("A person joins the ambassador programme")
    PERSON_OPTED_OUT = "person.opted_out", _("A person leaves the ambassador programme")
    CHALLENGE_CLOSED = "challenge.closed", _("A challenge closes")
    ALERT_RAISED = "alert.raised", _("A veille alert is raised")


# Sent by the "Send a test" button only; nobody subscribes to it.
TEST_EVENT = "webhook.test"
