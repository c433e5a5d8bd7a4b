"""Portevoix settings. Every value comes from an environment variable with a safe default;
docs/configuration.md lists them all."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portevoix.env import envbool, envchoice, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("PORTEVOIX_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", False)
# The default key only suits a local demo: the `portevoix.E001` check refuses it as soon as
# SITE_URL names another host than this machine (docs/deploy.md).
DEMO_SECRET_KEY = "portevoix-local-demo-key-change-me-in-production-0123456789"
SECRET_KEY = envstr("SECRET_KEY", DEMO_SECRET_KEY)
# Keys that seal the secrets the platform reads back (core/secrets.py): the first seals, all
# unseal. Empty: derived from SECRET_KEY.
SECRETS_KEYS = envlist("SECRETS_KEYS")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = envstr("ORGANISATION_NAME", "Portevoix")

# SQLite ignores an index's included columns (tracking's link_by_ambassador_network covers the
# dashboard's link lookups on PostgreSQL); its index on the key columns is all SQLite needs.
SILENCED_SYSTEM_MESSAGES = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "portevoix.core",
    "portevoix.accounts",
    "portevoix.content",
    "portevoix.sharing",
    "portevoix.tracking",
    "portevoix.analytics",
    "portevoix.gamification",
    "portevoix.veille",
    "portevoix.academy",
    "portevoix.notifications",
    "portevoix.connections",
    "portevoix.identity",
    "portevoix.webhooks",
    "portevoix.scim",
    "portevoix.api",
    # django-ninja's own static files (its docs page's Swagger UI): served from here, no CDN
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portevoix.accounts.middleware.PersonLanguageMiddleware",
    # After authentication: an editor or admin whose two-factor log-in is required and missing
    # is sent to its set-up before any other page.
    "portevoix.accounts.two_factor_middleware.TwoFactorSetupMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portevoix.core.security.SecurityHeadersMiddleware",
    # After authentication: gives a logged-in person's browser the `pv_self` cookie by which
    # the redirect recognises their clicks on their own links (portevoix/tracking/selfclick.py).
    "portevoix.tracking.selfclick.SelfClickCookieMiddleware",
]

ROOT_URLCONF = "portevoix.urls"
WSGI_APPLICATION = "portevoix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portevoix.core.context_processors.platform",
            ],
        },
    },
]

# SQLite by default (one file, WAL so readers never wait for the writer); PostgreSQL when
# DATABASE_URL says so.
SQLITE_PATH = DATA_DIR / "portevoix.sqlite3"
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
# Keys of the cache and name of the task queue: one per installation sharing a Redis server.
REDIS_NAMESPACE = envstr("REDIS_NAMESPACE", "portevoix")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_NAMESPACE,
        }
    }
else:
    # A cache shared by every process of one machine (web and worker), for rate limits.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        },
        # The kept dashboard tables, in a folder of their own that each change of the figures
        # or of a person empties whole: no file there keeps an erased name (docs/analytics.md).
        "analytics": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache-analytics"),
        },
    }

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = ["portevoix.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_RATE = envstr("LOGIN_RATE", "10/m")
# Seconds of clock difference allowed with identity providers (token and assertion times).
SSO_CLOCK_SKEW = envint("SSO_CLOCK_SKEW", 120)
INVITATION_DAYS = envint("INVITATION_DAYS", 14)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE  # the language switcher's `django_language`
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of every page (portevoix/core/security.py; empty: none is sent).
# Scripts: our own files only, no inline script. Styles: our own files, plus `style=` attributes
# (the veille legends colour their swatches with one; an attribute cannot load anything nor hold
# a script) but no inline <style> element, except the error pages' own, allowed by its hash
# (core/tests/test_security_headers.py fails if that style changes). Images: ours, and https
# images of feed items in the curation inbox. No plugins, no <base>, no framing. No form-action:
# a share form is answered with a redirect to the network's own share page (or mailto:), which
# browsers would check against it. `off`: none is sent (a blank variable takes this default).
CONTENT_SECURITY_POLICY = envstr(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'sha256-CcDcpdm5rG41DSzyHMR07qcsWzDupL7pNcRry4WYF58='; "
    "style-src-attr 'unsafe-inline'; img-src 'self' https:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
)
if CONTENT_SECURITY_POLICY.strip().lower() == "off":
    CONTENT_SECURITY_POLICY = ""

LANGUAGE_CODE = envstr("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []  # each app carries its own locale/ folder
TIME_ZONE = envstr("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portevoix.formats"]  # one unambiguous date format per language

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Portevoix <portevoix@localhost>")

# Background work: Huey on SQLite by default, on Redis when REDIS_URL is set. Tests run tasks
# at once (HUEY_IMMEDIATE=1).
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": REDIS_NAMESPACE,
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": envint("HUEY_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "portevoix",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": envint("HUEY_WORKERS", 2), "worker_type": "thread"},
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # pysaml2 logs requests and assertions (people's attributes) below WARNING; xmlschema, which
    # it uses, says at INFO each schema it loads.
    "loggers": {name: {"level": "WARNING"} for name in ("saml2", "xmlschema")},
}

# Outside fetches (link previews, feeds): host names exempt from the private-address guard.
FETCH_ALLOWED_PRIVATE_HOSTS = envlist("FETCH_ALLOWED_PRIVATE_HOSTS", [])

# --- connected accounts (portevoix/connections; docs/connected-accounts.md) ---
# The apps the admin registered with LinkedIn and X (the settings page can set them too; these
# win). X's secret may be empty: a public client. Mastodon needs none: the app is registered on each person's instance.
CONNECTIONS_CLIENTS = {
    "linkedin": (envstr("LINKEDIN_CLIENT_ID"), envstr("LINKEDIN_CLIENT_SECRET")),
    "x": (envstr("X_CLIENT_ID"), envstr("X_CLIENT_SECRET")),
}
# Seconds before a call to a network counts as failed (and is retried).
CONNECTIONS_TIMEOUT = envint("CONNECTIONS_TIMEOUT", 15)
# Attempts of one publication before it is given up (transient failures only).
CONNECTIONS_MAX_ATTEMPTS = envint("CONNECTIONS_MAX_ATTEMPTS", 6)
# Days after publication during which engagement is read (every six hours).
CONNECTIONS_ENGAGEMENT_DAYS = envint("CONNECTIONS_ENGAGEMENT_DAYS", 21)
# Days before a LinkedIn token's end when the person is asked to reconnect.
CONNECTIONS_EXPIRY_WARNING_DAYS = envint("CONNECTIONS_EXPIRY_WARNING_DAYS", 7)
# The networks' documented addresses, (authorisation base, API base); tests point them at their
# local servers with a settings override.
CONNECTIONS_ENDPOINTS: dict[str, tuple[str, str]] = {
    "linkedin": ("https://www.linkedin.com", "https://api.linkedin.com"),
    "x": ("https://x.com", "https://api.x.com"),
}
# Bluesky: the PLC directory (DID documents) and a server that resolves handles to DIDs.
BLUESKY_DIRECTORY_URL = envstr("BLUESKY_DIRECTORY_URL", "https://plc.directory")
BLUESKY_RESOLVER_URL = envstr("BLUESKY_RESOLVER_URL", "https://public.api.bsky.app")

# Slack and Teams incoming webhooks: seconds before a delivery counts as failed (and is retried).
WEBHOOK_TIMEOUT = envint("WEBHOOK_TIMEOUT", 10)

# --- veille (portevoix/veille): feeds, watches, negative-mention alerts ---
VEILLE_FETCH_TIMEOUT = envint("VEILLE_FETCH_TIMEOUT", 20)
VEILLE_FEED_MAX_BYTES = envint("VEILLE_FEED_MAX_BYTES", 5 * 1024 * 1024)
VEILLE_MAX_ITEMS_PER_FETCH = envint("VEILLE_MAX_ITEMS_PER_FETCH", 200)
VEILLE_SOURCES_PER_RUN = envint("VEILLE_SOURCES_PER_RUN", 20)
VEILLE_MAX_BACKOFF_MINUTES = envint("VEILLE_MAX_BACKOFF_MINUTES", 24 * 60)
VEILLE_PAUSE_AFTER_FAILURES = envint("VEILLE_PAUSE_AFTER_FAILURES", 8)
# Content hub and sharing (portevoix.content, portevoix.sharing): the authenticity nudge shows
# when at least this many colleagues already shared the very same text.
AUTHENTICITY_NUDGE_COLLEAGUES = envint("AUTHENTICITY_NUDGE_COLLEAGUES", 3)
# --- tracking (portevoix/tracking): the redirect hot path, the click inbox, ingestion ---------
# docs/configuration.md "Tracking" explains each one.
CLICK_INBOX_DIR = Path(envstr("CLICK_INBOX_DIR", str(DATA_DIR / "click-inbox")))
# NORMAL: an acknowledged click survives the process being killed; FULL also survives a power
# cut (fdatasync per group; on PostgreSQL, the server's synchronous_commit instead of off), at
# a measured cost (docs/tracking.md).
CLICK_INBOX_SYNCHRONOUS = envchoice("CLICK_INBOX_SYNCHRONOUS", "NORMAL", ("NORMAL", "FULL"))
CLICK_INGEST_BATCH = envint("CLICK_INGEST_BATCH", 50000)
CLICK_RETENTION_DAYS = envint("CLICK_RETENTION_DAYS", 395)
# A list of e-mail link scanner networks (one CIDR per line), fetched daily; empty: the list
# shipped in portevoix/tracking/scanner_networks.txt (docs/metrics.md).
SCANNER_NETWORKS_URL = envstr("SCANNER_NETWORKS_URL", "")
# Behind a reverse proxy: the header carrying the client address (redirect and rate limits).
CLIENT_IP_HEADER = envstr("CLIENT_IP_HEADER", "")
LINK_CACHE_CHECK_MS = envint("LINK_CACHE_CHECK_MS", 1000, minimum=0)
CONVERSION_WINDOW_DAYS = envint("CONVERSION_WINDOW_DAYS", 30)
CONVERSION_SCRIPT_ENABLED = envbool("CONVERSION_SCRIPT_ENABLED", True)

# --- analytics (portevoix/analytics) ---
# Seconds the programme dashboard's tables are kept per filters (0: computed at every load).
ANALYTICS_CACHE_SECONDS = envint("ANALYTICS_CACHE_SECONDS", 300, minimum=0)

# The REST API (/api/v1/, docs/api.md): requests per token (or per signed-in person) and
# window, counted in the cache like the other rate limits; over it, 429 with Retry-After.
API_RATE = envstr("API_RATE", "600/m")
