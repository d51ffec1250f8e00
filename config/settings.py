"""Settings for the IT support guide, driven entirely by environment variables.

The defaults serve `make run` (development on a SQLite file). Production mode is
``DJANGO_DEBUG`` off: it refuses to start without a secret key and allowed hosts, and
turns on every transport-security setting that ``manage.py check --deploy`` asks for.
See the configuration table in README.md.
"""

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.environment import (
    default_contact_email,
    development_secret_key,
    env_bool,
    env_list,
    require_production_secrets,
)

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not DEBUG:
    require_production_secrets(SECRET_KEY, ALLOWED_HOSTS)
elif not SECRET_KEY:
    SECRET_KEY = development_secret_key(BASE_DIR / ".dev-secret-key")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "IT Support, Explained")
# What the site is, in a sentence: the pages' default description and the site's share card.
SITE_DESCRIPTION = (
    "Plain-spoken guidance for small and midsize businesses choosing between break/fix IT "
    "support and managed services."
)
SITE_SCHEME = urlsplit(SITE_URL).scheme or "https"
SITE_DOMAIN = urlsplit(SITE_URL).netloc


# The address the Contact page gives readers.
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "").strip() or default_contact_email(
    SITE_URL
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "blog",
    "comments",
    "comparisons",
    "siteops",
    "adminguard",
    "axes",
    "subscriptions",
    "search",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: 413 for bodies larger than any form needs.
    "siteops.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    # Below WhiteNoise (its files are compressed already), above everything that writes the
    # body or answers 304; Django's gzip pads against BREACH (docs/security.md).
    "config.middleware.TextGZipMiddleware",
    "config.middleware.FixedPolicyCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.ValidatorsOnlyConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LazyMessageMiddleware",
    "adminguard.audit.StaffAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees a view's database errors first: a 503 that keeps what was typed.
    "siteops.unavailable.DatabaseUnavailableMiddleware",
    # Refuses a locked-out sign-in with adminguard.lockout's answer (429, Retry-After).
    "axes.middleware.AxesMiddleware",
]
# The largest body a request may send (nginx's client_max_body_size in deploy/ is the same).
MAX_REQUEST_BODY_BYTES = 1024 * 1024
# django-axes first: it refuses a locked-out name and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                # Last: on a page rendered for every reader, the CSRF token is a hole.
                "siteops.page_cache.context_processor",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = BASE_DIR / "db.sqlite3"
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own pool (psycopg_pool): a request borrows a connection that is already open
    # and returns it, so none is opened, and none health-checked, per request; the pool drops
    # broken connections as they come back (docs/performance.md).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX", "4")),
        "timeout": 10,
    }
else:
    # SQLite opens in microseconds, but keeping the connection saves its PRAGMAs each time.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the single writer; IMMEDIATE makes a writer wait for
    # the lock (up to the timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=134217728;"
            "PRAGMA journal_size_limit=67108864;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "itguide"),
        }
    }
elif env_bool("DJANGO_CACHE_IN_FILES", False):
    # Several worker processes on one machine and no Redis (config/gunicorn.py sets this):
    # they share rendered pages through files beside the database, so a change is rendered
    # once for all of them rather than once by each.
    _database = DATABASES["default"]
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _cache_dir = Path(_database["NAME"]).resolve().parent / ".cache"
    else:
        _cache_dir = Path(tempfile.gettempdir()) / (
            "itguide-cache-" + hashlib.blake2b(str(_database["NAME"]).encode()).hexdigest()[:16]
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_cache_dir),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each process's own copy of the pages it served lately, in front of the shared cache: page
# keys are versions, so a process's copy is never stale, and a hit costs no network trip.
# Each process's rendered comments (comments/_section.html): keyed on everything they are
# drawn from, so never stale; an approved comment then re-renders only itself.
CACHES["fragments"] = {
    "BACKEND": "siteops.memory_cache.ImmutableMemoryCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
CACHES["pages"] = {
    "BACKEND": "siteops.memory_cache.ImmutableMemoryCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
# Admin sign-in is paused after this many failures for one user name, or from one address,
# within the lockout window (counted in the database: holds across servers).
ADMIN_LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("DJANGO_ADMIN_MAX_FAILURES_PER_USER", "5"))
ADMIN_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("DJANGO_ADMIN_LOCKOUT_MINUTES", "15"))
# Admin sign-in lockout, by django-axes (adminguard.lockout): by name and address together, so
# failures elsewhere never lock the owner out; the wait counts from the latest failure.
AXES_FAILURE_LIMIT = ADMIN_LOGIN_MAX_FAILURES_PER_USER
AXES_COOLOFF_TIME = timedelta(minutes=ADMIN_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Waiting out the pause is enough to end it: attempts made during it do not restart it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "adminguard.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "siteops.clients.pseudonymous_address"
AXES_LOCKOUT_CALLABLE = "adminguard.lockout.locked_out"
# No log of successful sign-ins with their user agents, and no log lines of axes' own (the
# audit log, adminguard.audit, records sign-ins with escaped names).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Content-hashed names are cached for good: collectstatic's, and the share cards' (drawn by
# sync_posts into STATIC_ROOT, not in the manifest); the same rule as deploy/nginx.conf's.
WHITENOISE_IMMUTABLE_FILE_TEST = r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$"
# Where sync_posts draws the share cards (blog.share_cards), served at /static/cards/.
SHARE_CARDS_ROOT = Path(os.environ.get("DJANGO_SHARE_CARDS_ROOT", STATIC_ROOT / "cards"))

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# A mail server that stops answering must not hold a worker for ever (subscriptions: a send
# claimed longer than SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS ago is taken to have died).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "site@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Managers get the comments' moderation email; admins get the (throttled) error email with
# tracebacks. Separate lists: those who moderate comments need not read stack traces.
MANAGERS = [("Site managers", address) for address in env_list("DJANGO_MANAGERS")]
ADMINS = [("Site admins", address) for address in env_list("DJANGO_ADMINS")]

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------
# No inline script or style anywhere, so the policy needs no nonce and pages cache freely.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A comment (or a request to follow) refused for a missing or stale token comes back whole,
# asking to be sent again (the apps' handlers); other refusals get Django's own page.
CSRF_FAILURE_VIEW = "siteops.csrf_failures.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Only trust X-Forwarded-Proto when a TLS-terminating proxy is declared in front of us.
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Logging --------------------------------------------------------------------------
# Error email (500s, `django.request`) goes to ADMINS, at most this many in a window, counted
# in the shared cache (config.error_mail); the log keeps every error.
ERROR_MAIL_MAX_PER_WINDOW = int(os.environ.get("DJANGO_ERROR_MAIL_MAX_PER_WINDOW", "10"))
ERROR_MAIL_WINDOW_SECONDS = int(os.environ.get("DJANGO_ERROR_MAIL_WINDOW_SECONDS", "600"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "config.error_mail.ThrottledAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default handlers for its loggers, whose mail_admins is unthrottled;
        # records still reach the console through the root logger.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

# --- Who is asking (siteops.clients): for every rate limit ------------------------------
# Proxies in front of the site that append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
# (The COMMENTS_ names are what these were called when only comments used them.)
TRUSTED_PROXY_COUNT = int(
    os.environ.get(
        "DJANGO_TRUSTED_PROXY_COUNT", os.environ.get("COMMENTS_TRUSTED_PROXY_COUNT", "0")
    )
)
# Key for hashing IP addresses; empty derives one from SECRET_KEY.
IP_HASH_KEY = os.environ.get("DJANGO_IP_HASH_KEY", os.environ.get("COMMENTS_IP_HASH_KEY", ""))

# --- Comparisons ----------------------------------------------------------------------
# Every recommendation is saved for its permalink: this many an hour from one network.
COMPARISONS_MAX_SAVED_PER_HOUR = int(os.environ.get("COMPARISONS_MAX_SAVED_PER_HOUR", "60"))

# --- Comments -------------------------------------------------------------------------
# See docs/comments.md. Moderation: "all" holds every comment for a moderator, "first_time"
# holds comments from emails without an approved comment, "none" publishes what passes the
# spam rules.
COMMENTS_MODERATION = os.environ.get("COMMENTS_MODERATION", "first_time").strip().lower()
if COMMENTS_MODERATION not in {"all", "first_time", "none"}:
    raise ImproperlyConfigured("COMMENTS_MODERATION must be one of: all, first_time, none.")
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "180"))  # 0: never
COMMENTS_PER_PAGE = 50
COMMENTS_MAX_LINKS = int(os.environ.get("COMMENTS_MAX_LINKS", "2"))  # more: held for review
# Flood control, per hashed IP address and per email, counted in the database.
COMMENTS_MIN_INTERVAL_SECONDS = int(os.environ.get("COMMENTS_MIN_INTERVAL_SECONDS", "30"))
COMMENTS_MAX_PER_HOUR = int(os.environ.get("COMMENTS_MAX_PER_HOUR", "10"))
# The signed timestamp in the form: sent sooner than this is a bot; older has expired.
COMMENTS_FORM_MIN_SECONDS = int(os.environ.get("COMMENTS_FORM_MIN_SECONDS", "3"))
COMMENTS_FORM_MAX_AGE_SECONDS = 2 * 24 * 3600
COMMENTS_EDIT_WINDOW_SECONDS = 15 * 60  # authors may edit or delete their own comment
COMMENTS_MODERATION_LINK_MAX_AGE_SECONDS = 14 * 24 * 3600  # link in the managers' email
COMMENTS_NOTIFY_MANAGERS = env_bool("COMMENTS_NOTIFY_MANAGERS", True)
# Comments sent without a CSRF token or refused by flood control get a small page; past this
# many a minute from one network (counted in the cache), a few lines of HTML instead.
COMMENTS_MAX_ERROR_PAGES_PER_MINUTE = int(
    os.environ.get("COMMENTS_MAX_ERROR_PAGES_PER_MINUTE", "30")
)

# --- Background tasks (django-tasks, with django-tasks-db's database queue) ----------------
# Tasks are rows in the database, so they survive restarts and any number of workers can take
# them (`manage.py run_worker`, docs/operations.md). Tests run them at once (tests/conftest.py).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Following by email (subscriptions; see docs/architecture.md) ---------------------------
# The confirmation link works this long; unconfirmed addresses are deleted after it.
SUBSCRIPTIONS_CONFIRM_DAYS = int(os.environ.get("SUBSCRIPTIONS_CONFIRM_DAYS", "3"))
# At most one confirmation mail to an address in this time, however often it is typed.
SUBSCRIPTIONS_CONFIRMATION_INTERVAL_MINUTES = 60
# Requests to follow, an hour: per network (siteops.clients) and per address; counted in the
# database so the limits hold across servers. More get a 429.
SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR = int(
    os.environ.get("SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR", "10")
)
SUBSCRIPTIONS_MAX_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("SUBSCRIPTIONS_MAX_PER_ADDRESS_PER_HOUR", "5")
)
# How often the worker looks for posts that went live (scheduled parts included).
SUBSCRIPTIONS_CHECK_SECONDS = int(os.environ.get("SUBSCRIPTIONS_CHECK_SECONDS", "60"))
# A post first seen published later than this after it went live is not announced (so the
# posts that were already out when following began are never mailed).
SUBSCRIPTIONS_ANNOUNCE_WITHIN_DAYS = 7
# A failed send is tried again after 5 minutes, then 10, 20…, this many attempts in all.
SUBSCRIPTIONS_MAX_ATTEMPTS = int(os.environ.get("SUBSCRIPTIONS_MAX_ATTEMPTS", "5"))
SUBSCRIPTIONS_RETRY_SECONDS = int(os.environ.get("SUBSCRIPTIONS_RETRY_SECONDS", "300"))
# A send claimed longer ago than this was left by a worker that died: it is taken over.
SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS = int(
    os.environ.get("SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS", "600")
)
# Unsubscribed addresses are kept this long (the admin's counts), then deleted.
SUBSCRIPTIONS_KEEP_UNSUBSCRIBED_DAYS = 30
