"""Settings for the test suite: the real settings, with background tasks run at once and
e-mail kept in memory. Database and Redis still come from DATABASE_URL / REDIS_URL."""

import os
import tempfile
from pathlib import Path

from portevoix.settings import *  # noqa: F403
from portevoix.settings import HUEY, PASSWORD_HASHERS

HUEY = {**HUEY, "immediate": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portevoix-media-"))
# Never the checkout's var/click-inbox: a test that does not ask for a directory of its own
# must not read (or, with PostgreSQL, ship) clicks a `make run` left there.
CLICK_INBOX_DIR = Path(tempfile.mkdtemp(prefix="portevoix-click-inbox-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Argon2 is made to be slow, and the suite creates thousands of people: they get a fast hash.
# The production hashers are checked by accounts/tests/test_passwords.py, which hashes with them.
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test process has its own memory cache: the rate-limit checks about shared caches do
# not apply here.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Live-server threads must not keep connections open, or PostgreSQL cannot drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: threads and subprocesses (a real server, two workers) share it and
    # wait on SQLite's lock the way production does, instead of failing at once.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"portevoix-test-{os.getpid()}.sqlite3")
    }
