"""The several-machines setup on a real Redis (REDIS_URL): shared rate limits, the task queue.

Needs PORTEVOIX_TEST_REDIS_URL (scripts/test.sh sets it when Redis answers, and reports loudly
when it does not).
"""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def redis_url():
    url = os.environ.get("PORTEVOIX_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis not reachable: set TEST_REDIS_URL (scripts/test.sh reports it)")
    return url


@pytest.fixture
def namespace(redis_url):
    """A namespace of our own on the shared test Redis, emptied afterwards."""
    name = f"pvtest{uuid.uuid4().hex[:12]}"
    yield name
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"*{name}*"):
        server.delete(key)


def test_two_web_processes_share_the_log_in_limit_through_redis(
    redis_url, namespace, alice, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": namespace,
        }
    }
    settings.LOGIN_RATE = "3/m"
    url = reverse("accounts:login")
    first, second = Client(), Client()  # two web processes: only Redis is shared
    for _ in range(3):
        first.post(url, {"username": alice.email, "password": "wrong"})
    assert second.post(url, {"username": alice.email, "password": PASSWORD}).status_code == 429
    assert any(redis.Redis.from_url(redis_url).scan_iter(f"{namespace}:*"))


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


SETUP = """
from django.utils import timezone
from portevoix.accounts.models import Person
from portevoix.content.models import Post
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.inbox import inbox_writer
from portevoix.tracking.tasks import ingest_clicks_task
person = Person.objects.create_user(email="ana@example.com", full_name="Ana", opted_in_at=timezone.now())
post = Post.objects.create(title="Offre", url="https://example.com/offre")
link = tracked_link_for(post=post, ambassador=person, network="linkedin")
now = timezone.now().timestamp()
agent = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
writer = inbox_writer()
writer.write([(link.code, now, agent, "", f"redisclick{n:07d}", f"{n:032x}", "") for n in range(3)])
writer.reset()
ingest_clicks_task()  # queued in Redis: this process does not run it
print("queued")
"""


def test_a_worker_on_another_machine_runs_what_the_web_queued_in_redis(
    redis_url, namespace, tmp_path
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "PORTEVOIX_DATA_DIR": str(tmp_path),
        "REDIS_URL": redis_url,
        "REDIS_NAMESPACE": namespace,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("HUEY_IMMEDIATE", None)
    _manage(env, "migrate", "-v0")
    assert "queued" in _manage(env, "shell", "-c", SETUP).stdout
    queue = redis.Redis.from_url(redis_url)
    assert any(queue.scan_iter(f"*{namespace}*")), "the task should wait in Redis"

    def clicks() -> int:
        with sqlite3.connect(tmp_path / "portevoix.sqlite3") as db:
            return db.execute("SELECT count(*) FROM tracking_click").fetchone()[0]

    assert clicks() == 0  # nothing ran in the web process
    # The worker schedules no periodic task: only the queued one can ingest.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--no-periodic", "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while clicks() < 3 and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        worker.terminate()
        _out, errors = worker.communicate(timeout=30)
    assert clicks() == 3, errors.decode()[-2000:]
