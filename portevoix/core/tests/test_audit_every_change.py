"""Every change an admin or editor makes is in the audit log, with who made it.

The list of pages comes from the URL resolver: every page whose view requires the pilot team
(admins, editors) is either posted a valid change below — and an entry by that person must
appear — or named in READ_ONLY with the reason it changes nothing. A new pilot page that is in
neither list fails `test_every_pilot_page_is_walked`, so it cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from portevoix.academy.models import Choice, Lesson, Question
from portevoix.accounts.models import Group, Role
from portevoix.content.models import Campaign, PostStatus, Suggestion, Topic
from portevoix.content.tests.factories import make_post, post_form_data
from portevoix.core.audit import audit_verify
from portevoix.core.models import AuditEntry
from portevoix.core.retention import retention_durations
from portevoix.gamification.models import Action, Challenge
from portevoix.identity.models import GroupRule, IdentityProvider
from portevoix.identity.providers import provider_client_secret_set
from portevoix.notifications.models import Channel
from portevoix.scim.tokens import scim_token_create
from portevoix.tracking.conversions import conversion_key_create
from portevoix.tracking.links import tracked_link_for, tracked_link_set_disabled
from portevoix.veille.models import Item, Source, Watch
from portevoix.webhooks.endpoints import endpoint_create
from portevoix.webhooks.models import WebhookDelivery, WebhookEvent

PILOT_ROLES = {Role.ADMIN, Role.EDITOR}
ISSUER = "http://127.0.0.1:9"  # never contacted by these pages; a loopback the guard lets in

# Pilot pages that change nothing: lists, detail pages, dashboards and reads. Each says why.
READ_ONLY = {
    "core:audit_log": "reads the log",
    "accounts:people": "the list of people (GET search)",
    "content:posts": "the list of posts",
    "content:post_detail": "a post and its history",
    "content:campaigns": "the list of campaigns",
    "content:campaign_detail": "a campaign's posts and figures",
    "content:link_preview": "reads a page's title and image for the post form (GET)",
    "content:suggestions": "the inbox of suggestions",
    "tracking:links": "the list of tracked links",
    "analytics:dashboard": "figures",
    "analytics:rankings": "figures",
    "analytics:health": "figures",
    "veille:inbox": "the curation inbox",
    "veille:sources": "the list of sources",
    "veille:watches": "the list of watches and their chart",
    "veille:watch": "a watch's chart and items",
    "veille:alerts": "the list of alerts",
    # Marks the alerts read for the editor alone (their own notifications): nobody else's data
    # nor any setting changes.
    "veille:alerts_read": "the editor's own unread marks",
    "academy:lesson_manage": "the list of lessons",
    "identity:providers": "the list of identity providers",
    "webhooks:endpoint": "an endpoint's delivery log",
    "accounts:data_requests": "finds the person who asks (GET)",
    "tracking:health": "the installation's health: inbox backlog, lag, periodic tasks",
    "tracking:health_json": "the installation's health, as JSON",
}

# Downloads that change nothing but are recorded (who took which data out): opened with GET.
EXPORTS = [
    ("core:audit_log_export", (), "audit_log_exported"),
    ("analytics:export", ("summary", "csv"), "dashboard_exported"),
    ("analytics:export", ("all", "xlsx"), "dashboard_exported"),
    ("sharing:archive", "?since=2026-01-01&until=2026-12-31&format=csv", "archive_exported"),
    ("analytics:figures_report", (), "figures_report_made"),
]


def _pilot_pages(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _pilot_pages(pattern.url_patterns, inner)
            continue
        view: Callable | None = pattern.callback
        roles = None
        while view is not None and roles is None:
            roles = getattr(view, "roles_required", None)
            view = getattr(view, "__wrapped__", None)
        if roles and set(roles) <= PILOT_ROLES:
            yield namespace + (pattern.name or "")


@pytest.fixture
def objects(db, alice, bob, carol, settings, local_http):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    now = timezone.now()
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    post = make_post("Un brouillon", status=PostStatus.DRAFT, campaign=campaign)
    published = make_post("En ligne", status=PostStatus.PUBLISHED)
    lesson = Lesson.objects.create(title="Bien partager", body="Texte", published=True)
    question = Question.objects.create(lesson=lesson, text="Pourquoi ?")
    Choice.objects.create(question=question, text="Pour être lu", is_correct=True)
    disabled = tracked_link_for(post=published, ambassador=alice, network="x")
    tracked_link_set_disabled(link=disabled, disabled=True)
    key, _raw = conversion_key_create(name="Site carrières", created_by=carol)
    provider = IdentityProvider(
        name="Acme",
        slug="acme",
        kind="oidc",
        domains="acme.test",
        issuer=ISSUER,
        client_id="c",
    )
    provider_client_secret_set(provider=provider, secret="s")
    provider.save()
    group = Group.objects.create(name="Marketing")
    endpoint, _secret = endpoint_create(
        name="CRM", url=local_http.url("/hook"), events=["post.published"], active=True, actor=carol
    )
    event = WebhookEvent.objects.create(uid="msg_walk", type="post.published", data={})
    source = Source.objects.create(name="Blog", url=local_http.url("/rss"))
    token, _raw_token = scim_token_create(name="Entra", created_by=carol)
    objects = {
        "alice": alice,
        "post": post,
        "published": published,
        "campaign": campaign,
        "topic": Topic.objects.create(name="Énergie"),
        "suggestion": Suggestion.objects.create(author=alice, text="Parlons de nos métiers"),
        "link": tracked_link_for(post=published, ambassador=alice, network="linkedin"),
        "disabled": disabled,
        "key": key,
        "challenge": Challenge.objects.create(
            title="Défi",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            metric="shares",
            created_by=bob,
        ),
        "lesson": lesson,
        "question": question,
        "source": source,
        "item": Item.objects.create(
            source=source,
            title="Lumière recrute",
            link="https://news.test/1",
            title_date_key="k1",
            dated_at=now,
        ),
        "watch": Watch.objects.create(name="Marque", terms="Lumière"),
        "channel": Channel.objects.create(
            kind="slack", name="#advocacy", webhook_url="https://x.test/h"
        ),
        "provider": provider,
        "group": group,
        "rule": GroupRule.objects.create(provider=provider, value="Marketing", group=group),
        "endpoint": endpoint,
        "delivery": WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, status="failed", retry_until=event.created_at
        ),
        "token": token,
    }
    return objects


def _provider(o: dict) -> dict:
    return {
        "name": "Globex",
        "slug": "globex",
        "domains": "globex.test",
        "enabled": "on",
        "default_role": "ambassador",
        "issuer": ISSUER,
        "client_id": "globex-client",
        "client_secret": "globex-secret",
    }


def _challenge(o: dict) -> dict:
    return {
        "title": "Défi de décembre",
        "starts_at": "2026-12-01T00:00",
        "ends_at": "2026-12-31T23:59",
        "metric": "verified_clicks",
        "mode": "individual",
        "min_threshold": "5",
        "winners_count": "3",
        "reward": "Un déjeuner",
        "campaign": o["campaign"].pk,
    }


def _lesson(o: dict) -> dict:
    return {
        "title": "Nouvelle leçon",
        "language": "fr",
        "summary": "",
        "body": "Texte",
        "position": 0,
        "pass_mark": 70,
        "published": "on",
    }


def _source(o: dict) -> dict:
    return {
        "name": "Blog RH",
        "url": o["source"].url + "?v=2",
        "kind": "blog",
        "fetch_interval_minutes": 30,
    }


def _watch(o: dict) -> dict:
    return {
        "name": "Concurrent",
        "kind": "brand",
        "terms": "Voltéa",
        "alert_min_negative": 5,
        "alert_window_hours": 24,
        "alert_rate_factor": 3,
    }


def _import(o: dict) -> dict:
    text = b"email,full_name,role,groups\nzoe@example.com,Zoe Blanc,ambassador,Marketing\n"
    return {"file": SimpleUploadedFile("people.csv", text, "text/csv")}


def _rates(o: dict) -> dict:
    return {
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-0-network": "linkedin",
        "channels-0-followers": "350",
        "rates-TOTAL_FORMS": "1",
        "rates-INITIAL_FORMS": "0",
        "rates-0-network": "linkedin",
        "rates-0-cpc": "2.50",
        "rates-0-cpm": "12",
        "rates-0-impression_rate": "0.2",
    }


def const(data: dict) -> Callable[[dict], dict]:
    return lambda o: data


# url name, url arguments (keys of `objects` or literals), who posts, valid data, the action
# recorded. Editors post the pages open to them, so both roles are walked.
CHANGES = [
    (
        "connections:settings",
        (),
        "carol",
        const(
            {
                "part": "rules",
                "hours_start": "9",
                "hours_end": "18",
                "weekdays": ["0", "1", "2", "3", "4"],
                "daily_limit": "3",
                "post_hour_limit": "10",
            }
        ),
        "sharing_rules_updated",
    ),
    (
        "content:approval",
        (),
        "carol",
        const({"approval_required": "on"}),
        "approval_setting_changed",
    ),
    (
        "accounts:charter_admin",
        (),
        "carol",
        const({"title": "v2", "text": "Soyez vous."}),
        "charter_published",
    ),
    (
        "accounts:person_invite",
        (),
        "carol",
        const({"email": "zoe@example.com", "full_name": "Zoé", "role": "ambassador"}),
        "person_invited",
    ),
    ("accounts:people_import", (), "carol", _import, "people_imported"),
    (
        "accounts:person_edit",
        ("alice",),
        "carol",
        lambda o: {"full_name": "Alice M.", "role": "editor", "groups": [o["group"].pk]},
        "person_changed",
    ),
    ("accounts:person_active", ("alice",), "carol", const({"active": "0"}), "person_deactivated"),
    ("accounts:groups", (), "carol", const({"name": "Lyon", "kind": "site"}), "group_created"),
    (
        "accounts:two_factor_policy",
        (),
        "carol",
        const({"required_for_pilots": "on"}),
        "two_factor_policy_changed",
    ),
    ("accounts:person_two_factor_reset", ("alice",), "carol", const({}), None),
    ("content:post_new", (), "bob", const(post_form_data(title="Nouveau")), "post_created"),
    (
        "content:post_edit",
        ("post",),
        "bob",
        const(post_form_data(title="Titre changé")),
        "post_changed",
    ),
    # Every step of a post, each recorded by content/workflow.py whichever page calls it.
    ("content:post_action", ("post", "submit"), "bob", const({}), "post_submitted"),
    ("content:post_action", ("post", "publish"), "bob", const({}), "post_published"),
    (
        "content:post_action",
        ("published", "return"),
        "bob",
        const({"note": "À revoir"}),
        "post_returned",
    ),
    ("content:post_action", ("post", "archive"), "bob", const({}), "post_archived"),
    (
        "content:campaign_new",
        (),
        "bob",
        const(
            {
                "name": "Énergie",
                "utm_campaign": "",
                "description": "",
                "starts_on": "2026-03-02",
                "ends_on": "2026-03-08",
                "goal": "clicks",
                "goal_target": "500",
            }
        ),
        "campaign_created",
    ),
    (
        "content:campaign_edit",
        ("campaign",),
        "bob",
        const(
            {
                "name": "Printemps 2",
                "utm_campaign": "printemps",
                "description": "",
                "starts_on": "",
                "ends_on": "",
                "goal": "clicks",
                "goal_target": "",
            }
        ),
        "campaign_changed",
    ),
    ("content:topics", (), "bob", const({"name": "Recrutement"}), "topic_created"),
    ("content:topic_delete", ("topic",), "bob", const({}), "topic_deleted"),
    ("content:suggestion_accept", ("suggestion",), "bob", const({}), "suggestion_accepted"),
    (
        "content:suggestion_decline",
        ("suggestion",),
        "bob",
        const({"reason": "Déjà publié."}),
        "suggestion_declined",
    ),
    (
        "content:compliance",
        (),
        "carol",
        const({"blocked_words": "gratuit", "disclosure_tag": "#salarié"}),
        "compliance_rules_changed",
    ),
    ("tracking:link_disable", ("link",), "bob", const({}), "link_disabled"),
    ("tracking:link_enable", ("disabled",), "bob", const({}), "link_enabled"),
    ("tracking:keys", (), "carol", const({"name": "Blog"}), "conversion_key_created"),
    ("tracking:key_revoke", ("key",), "carol", const({}), "conversion_key_revoked"),
    ("analytics:rates", (), "carol", _rates, "rates_changed"),
    (
        "gamification:rules",
        (),
        "carol",
        const({**{a.value: "7" for a in Action}, "daily_cap_per_link": "4"}),
        "point_rules_changed",
    ),
    ("gamification:challenge_create", (), "bob", _challenge, "challenge_created"),
    ("gamification:challenge_edit", ("challenge",), "bob", _challenge, "challenge_changed"),
    ("veille:item_draft", ("item",), "bob", const({}), "veille_item_drafted"),
    ("veille:item_dismiss", ("item",), "bob", const({}), "veille_item_dismissed"),
    (
        "veille:source_create",
        (),
        "bob",
        lambda o: {**_source(o), "name": "Autre"},
        "source_created",
    ),
    ("veille:source_edit", ("source",), "bob", _source, "source_changed"),
    ("veille:source_fetch", ("source",), "bob", const({}), "source_fetched"),
    ("veille:source_delete", ("source",), "bob", const({}), "source_deleted"),
    ("veille:watch_create", (), "bob", _watch, "watch_created"),
    ("veille:watch_edit", ("watch",), "bob", _watch, "watch_changed"),
    ("veille:watch_delete", ("watch",), "bob", const({}), "watch_deleted"),
    ("academy:lesson_create", (), "bob", _lesson, "lesson_created"),
    ("academy:lesson_edit", ("lesson",), "bob", _lesson, "lesson_changed"),
    (
        "academy:question_add",
        ("lesson",),
        "bob",
        const({"text": "Que dit la charte ?", "choices": "*Être vrai\nRien"}),
        "question_added",
    ),
    ("academy:question_delete", ("question",), "bob", const({}), "question_deleted"),
    (
        "notifications:channels",
        (),
        "carol",
        lambda o: {"kind": "teams", "name": "Com", "webhook_url": o["endpoint"].url},
        "channel_added",
    ),
    (
        "notifications:channel_action",
        ("channel",),
        "carol",
        const({"action": "disable"}),
        "channel_disabled",
    ),
    (
        "notifications:settings",
        (),
        "carol",
        const({"digest_hour": "7", "weekly_digest_day": "4"}),
        "notification_settings_changed",
    ),
    ("identity:provider_new", ("oidc",), "carol", _provider, "identity_provider_added"),
    (
        "identity:provider_edit",
        ("provider",),
        "carol",
        lambda o: {**_provider(o), "slug": "acme", "name": "Acme Entra"},
        "identity_provider_changed",
    ),
    ("identity:provider_delete", ("provider",), "carol", const({}), "identity_provider_deleted"),
    (
        "identity:rule_add",
        ("provider",),
        "carol",
        lambda o: {"value": "Sales", "group": o["group"].pk},
        "identity_rule_added",
    ),
    ("identity:rule_delete", ("provider", "rule"), "carol", const({}), "identity_rule_deleted"),
    (
        "webhooks:endpoints",
        (),
        "carol",
        lambda o: {
            "name": "ERP",
            "url": o["endpoint"].url,
            "events": ["share.created"],
            "active": "on",
        },
        "webhook_added",
    ),
    (
        "webhooks:endpoint_action",
        ("endpoint",),
        "carol",
        const({"action": "disable"}),
        "webhook_disabled",
    ),
    ("webhooks:delivery_send_again", ("delivery",), "carol", const({}), "webhook_sent_again"),
    (
        "scim:settings",
        (),
        "carol",
        const({"form": "settings", "leaver_rule": "deactivate"}),
        "scim_settings_changed",
    ),
    ("scim:token_revoke", ("token",), "carol", const({}), "scim_token_revoked"),
    (
        "accounts:retention",
        (),
        "carol",
        lambda o: {**retention_durations(), "notifications": 90},
        "retention_changed",
    ),
    (
        "accounts:data_request_export",
        ("alice",),
        "carol",
        const({"reference": "T-1"}),
        "data_exported_on_request",
    ),
    (
        "accounts:data_request_erase",
        ("alice",),
        "carol",
        const({"confirm": "alice@example.com"}),
        "account_erased_on_request",
    ),
]


def _url(objects: dict, name: str, args: tuple) -> str:
    return reverse(name, args=[objects[a].pk if a in objects else a for a in args])


def test_every_pilot_page_is_walked():
    pages = set(_pilot_pages())
    walked = {name for name, *_rest in CHANGES} | {name for name, *_rest in EXPORTS}
    forgotten = pages - walked - set(READ_ONLY)
    assert not forgotten, f"pilot pages neither walked nor named read-only: {sorted(forgotten)}"
    gone = (walked | set(READ_ONLY)) - pages
    assert not gone, f"listed here but no longer a pilot page: {sorted(gone)}"


@pytest.mark.parametrize(
    "name,args,who,data,action", CHANGES, ids=[f"{c[0]}{c[1]}" for c in CHANGES]
)
def test_a_change_is_in_the_audit_log(request, client_for, objects, name, args, who, data, action):
    person = request.getfixturevalue(who)
    if name == "accounts:person_two_factor_reset":
        from portevoix.accounts.tests.two_factor_helpers import app_for

        app_for(objects["alice"])
        action = "two_factor_reset"
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client_for(person).post(_url(objects, name, args), data(objects))
    assert response.status_code in (200, 302), response.status_code
    recorded = AuditEntry.objects.filter(id__gt=newest, actor=person)
    assert recorded.filter(action=action).exists(), list(recorded.values_list("action", flat=True))
    assert list(audit_verify()) == []  # and the chain holds


@pytest.mark.parametrize("name,args,action", EXPORTS)
def test_an_export_is_in_the_audit_log(client_for, carol, objects, name, args, action):
    query = args if isinstance(args, str) else ""
    url = reverse(name) + query if query else _url(objects, name, args)
    response = client_for(carol).get(url)
    assert response.status_code == 200
    assert AuditEntry.objects.filter(actor=carol, action=action).exists()
