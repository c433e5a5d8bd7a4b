"""Schemathesis against the API's own OpenAPI document, served by the running app (its WSGI
handler, in the test's database): every operation with generated valid and invalid input, no
5xx, every answer as documented; then the documented links (create a post → read it →
publish it) as a state machine."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from portevoix.content.models import Campaign, Post, Topic

# Small enough that the whole file stays well under two minutes on a busy 2-core machine.
EXAMPLES = 12
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_app(db):
    # Like Django's test client: the handler must not close the test's connection (its
    # transaction) at the end of each request.
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_app, carol, token_for):
    Post.objects.create(title="Existant", url="https://example.com/")
    Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    Topic.objects.create(name="Recrutement")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    schema.config.headers = {"Authorization": f"Bearer {token_for(carol, 'admin')}"}
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_answers_as_documented(case, settings_for_api):
    case.call_and_validate(headers=case.operation.schema.config.headers)


@pytest.fixture
def settings_for_api(settings):
    settings.API_RATE = "100000/m"  # generated traffic must not meet the rate limit


def test_the_links_chain_create_read_publish(api_schema, settings_for_api):
    machine = api_schema.as_state_machine()
    headers = api_schema.config.headers

    class Chained(machine):
        def get_call_kwargs(self, case):
            return {"headers": headers}

    Chained.run(
        settings=settings(
            max_examples=6,
            stateful_step_count=4,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
