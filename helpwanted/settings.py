"""helpwanted settings: one file, everything read from the environment (see .env.example)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.csp import CSP

from helpwanted.lib.clientip import parse_networks
from helpwanted.lib.env import (
    cache_settings,
    database_config,
    envbool,
    envint,
    envlist,
    envsecret,
    parse_email_url,
    site_url_for,
)

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("HELPWANTED_VAR_DIR", BASE_DIR.parent / "var"))

PRODUCTION = envbool("HELPWANTED_PRODUCTION")
DEMO = envbool("HELPWANTED_DEMO") and not PRODUCTION
DEBUG = envbool("DEBUG") and not PRODUCTION
SECRET_KEY = envsecret("SECRET_KEY", None if PRODUCTION else VAR_DIR / "secret_key")
# The public address, used in every link in an email. In the demo it follows HELPWANTED_BIND (the
# address scripts/serve.sh gives gunicorn), so links work on any port.
SITE_URL = site_url_for(
    os.environ.get("SITE_URL"), demo=DEMO, bind=os.environ.get("HELPWANTED_BIND")
)
ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS",
    []
    if PRODUCTION
    else sorted({"127.0.0.1", "localhost", urlsplit(SITE_URL).hostname or "127.0.0.1"}),
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "helpwanted.accounts",
    "helpwanted.mail",
    "helpwanted.network",
    "helpwanted.circle",
    "helpwanted.asks",
    "helpwanted.journey",
    "helpwanted.nudges",
    "helpwanted.insights",
    "helpwanted.demo",
    "helpwanted.ops",
    "helpwanted.clubs",
    "helpwanted.elsewhere",
    "helpwanted.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage escaping a view shows a calm 503 page (helpwanted/lib/outage.py).
    "helpwanted.lib.outage.DatabaseOutageMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helpwanted.accounts.middleware.PrivateCacheMiddleware",
    "helpwanted.accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpwanted.urls"
WSGI_APPLICATION = "helpwanted.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpwanted.accounts.context_processors.site",
            ],
            "libraries": {"undo": "helpwanted.lib.templatetags.undo"},
        },
    }
]

# Database: SQLite under var/ by default, tuned so concurrent writers wait instead of failing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    ),
}
# PostgreSQL: give up connecting after HELPWANTED_DB_CONNECT_TIMEOUT seconds, and cancel a
# statement after HELPWANTED_DB_STATEMENT_TIMEOUT seconds (0: none). The `helpwanted` command
# (worker, imports, migrate) defaults the statement timeout to 0 (helpwanted/__main__.py): only
# web requests are cut short.
DB_CONNECT_TIMEOUT = envint("HELPWANTED_DB_CONNECT_TIMEOUT", 5)
DB_STATEMENT_TIMEOUT = envint("HELPWANTED_DB_STATEMENT_TIMEOUT", 30)
DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'helpwanted.sqlite3'}",
        connect_timeout=DB_CONNECT_TIMEOUT,
        statement_timeout=DB_STATEMENT_TIMEOUT,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so the worker subprocess in the tests sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: with REDIS_URL, Redis is the cache (rate limits hold across app servers)
# and sessions are read from it, written to both it and the database (cached_db). Without it, an
# in-process cache and sessions in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES, SESSION_ENGINE = cache_settings(REDIS_URL)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

# Login brute force: django-axes locks a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = envint("HELPWANTED_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "helpwanted.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# "Alice@Example.org" and "alice@example.org" share one lockout counter.
AXES_USERNAME_CALLABLE = "helpwanted.accounts.lockout.lockout_username"
# Behind a reverse proxy: list its addresses (or networks) here, and lockouts, rate limits and the
# login log use the client address from X-Forwarded-For, read only when the request comes from one
# of them. Empty (the default): REMOTE_ADDR, and X-Forwarded-For is ignored.
TRUSTED_PROXIES = envlist("HELPWANTED_TRUSTED_PROXIES", [])
parse_networks(TRUSTED_PROXIES)  # a typo stops start-up with a clear message
AXES_CLIENT_IP_CALLABLE = "helpwanted.lib.clientip.request_client_ip"

# Sign-up and password-reset attempts allowed per window, per address and per IP
# (helpwanted/lib/ratelimit.py; counted in the cache, so in Redis when REDIS_URL is set).
RATE_LIMIT_WINDOW_SECONDS = envint("HELPWANTED_RATE_LIMIT_WINDOW_SECONDS", 3600)
RESET_LIMIT_PER_EMAIL = envint("HELPWANTED_RESET_LIMIT_PER_EMAIL", 3)
RESET_LIMIT_PER_IP = envint("HELPWANTED_RESET_LIMIT_PER_IP", 20)
SIGNUP_LIMIT_PER_EMAIL = envint("HELPWANTED_SIGNUP_LIMIT_PER_EMAIL", 5)
SIGNUP_LIMIT_PER_IP = envint("HELPWANTED_SIGNUP_LIMIT_PER_IP", 30)
# REST API (helpwanted/api): requests allowed per token (or per seeker's session) per window.
API_RATE_LIMIT = envint("HELPWANTED_API_RATE_LIMIT", 600)
API_RATE_WINDOW_SECONDS = envint("HELPWANTED_API_RATE_WINDOW_SECONDS", 60)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("HELPWANTED_COLLECTSTATIC", PRODUCTION or DEMO)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not (PRODUCTION or DEMO)

# Email: every message goes through the outbox; this only picks how the worker delivers it.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "helpwanted <hello@helpwanted.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# In production EMAIL_URL is required (smtp+tls://user:pass@host:587); locally nothing leaves.
MAILERS = {
    "default": parse_email_url(os.environ.get("EMAIL_URL", "" if PRODUCTION else "store://"))
}
OUTBOX_LEASE_SECONDS = envint("HELPWANTED_OUTBOX_LEASE_SECONDS", 120)
# Bounces come back to <BOUNCE_LOCAL>+<outbox id>-<signature>@<REPLY_DOMAIN> (signed VERP;
# helpwanted/mail/bounces.py, docs/deploy.md).
BOUNCE_LOCAL = os.environ.get("HELPWANTED_BOUNCE_LOCAL", "bounce")
# A provider that reports bounces by webhook (amazon_ses, mailgun, postmark, sendgrid, …): its
# tracking webhook answers at bounces/<esp>/ once ANYMAIL_WEBHOOK_SECRET is set too. Off if empty.
BOUNCE_ESP = os.environ.get("HELPWANTED_BOUNCE_ESP", "")
OUTBOX_MAX_ATTEMPTS = envint("HELPWANTED_OUTBOX_MAX_ATTEMPTS", 8)
# Only for the killed-worker test: hold a claimed row this long before sending it.
OUTBOX_PAUSE_AFTER_CLAIM = float(os.environ.get("HELPWANTED_OUTBOX_PAUSE", "0"))
TICK_SECONDS = envint("HELPWANTED_TICK_SECONDS", 60)
TICK_JOBS = [
    "helpwanted.mail.actions.outbox_prune",
    "helpwanted.mail.inbound.process.inbound_prune",
    "helpwanted.asks.actions.answers_notify",
    "helpwanted.journey.checkins.checkin_reminders_send",
    "helpwanted.journey.digest.digests_enqueue",
    "helpwanted.nudges.steps.early_ask_emails_send",
    # Club emails (clubs/jobs.py). The weekly one runs after the digest and the check-in
    # reminder above, which carry the club's week when they go: nobody gets two.
    "helpwanted.clubs.actions.meetings_ensure_all",  # meeting rows 12 weeks ahead, first
    "helpwanted.clubs.jobs.meeting_reminders_send",
    "helpwanted.clubs.jobs.offers_notify",
    "helpwanted.clubs.jobs.buddy_quiet_emails_send",
    "helpwanted.clubs.jobs.club_weekly_send",
    "helpwanted.network.imports.import_jobs_resume",
    "helpwanted.journey.opportunities.opportunities_purge",
    "helpwanted.mail.cleanup.sessions_clear",
    "helpwanted.mail.cleanup.helper_grants_clear",
    "helpwanted.mail.cleanup.axes_logs_clear",
    "helpwanted.mail.cleanup.task_results_clear",
]
# Cleanup tick jobs (helpwanted/mail/cleanup.py): days a dead helper link, a login log row
# (django-axes) and a finished background task row are kept before they are deleted.
HELPER_GRANT_KEEP_DAYS = envint("HELPWANTED_HELPER_GRANT_KEEP_DAYS", 30)
LOGIN_LOG_KEEP_DAYS = envint("HELPWANTED_LOGIN_LOG_KEEP_DAYS", 30)
TASK_RESULT_KEEP_DAYS = envint("HELPWANTED_TASK_RESULT_KEEP_DAYS", 7)
HELPER_LINK_DAYS = envint("HELPWANTED_HELPER_LINK_DAYS", 90)
# Asks: protect helpers from being over-asked, and nudge gently.
ASK_OPEN_CAP = envint("HELPWANTED_ASK_OPEN_CAP", 2)
ASK_FOLLOW_UP_DAYS = envint("HELPWANTED_ASK_FOLLOW_UP_DAYS", 5)
ANSWER_EMAIL_MINUTES = envint("HELPWANTED_ANSWER_EMAIL_MINUTES", 15)
# Replies by email (docs/deploy.md): Reply-To: <REPLY_LOCAL>+<key>@<REPLY_DOMAIN>. The demo's
# default is the site's own host name (or helpwanted.localhost when that is an IP address).
_SITE_HOST = urlsplit(SITE_URL).hostname or ""
REPLY_DOMAIN = os.environ.get("HELPWANTED_REPLY_DOMAIN") or (
    _SITE_HOST if any(c.isalpha() for c in _SITE_HOST) else "helpwanted.localhost"
)
REPLY_LOCAL = os.environ.get("HELPWANTED_REPLY_LOCAL", "reply")
INBOUND_MAX_BYTES = envint("HELPWANTED_INBOUND_MAX_BYTES", 10 * 1024 * 1024)
INBOUND_LIMIT_PER_KEY = envint("HELPWANTED_INBOUND_LIMIT_PER_KEY", 10)  # an hour
INBOUND_LIMIT_PER_SENDER = envint("HELPWANTED_INBOUND_LIMIT_PER_SENDER", 30)  # an hour
# A mail provider's inbound webhook through django-anymail ("mailgun", "postmark", "sendgrid",
# …): off unless named. Its basic-auth secret is ANYMAIL_WEBHOOK_SECRET ("user:password").
INBOUND_ESP = os.environ.get("HELPWANTED_INBOUND_ESP", "")
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
# The early-ask signal (docs/how-it-works.md, section 6): suggest one small ask of someone close
# when hope drops by HOPE_DROP within HOPE_DAYS, after REJECTIONS rejections within
# REJECTION_DAYS, after NO_ASK_DAYS without an ask, or AWAY_DAYS away while answers wait.
EARLY_ASK_HOPE_DROP = envint("HELPWANTED_EARLY_ASK_HOPE_DROP", 2)
EARLY_ASK_HOPE_DAYS = envint("HELPWANTED_EARLY_ASK_HOPE_DAYS", 14)
EARLY_ASK_REJECTIONS = envint("HELPWANTED_EARLY_ASK_REJECTIONS", 3)
EARLY_ASK_REJECTION_DAYS = envint("HELPWANTED_EARLY_ASK_REJECTION_DAYS", 14)
EARLY_ASK_NO_ASK_DAYS = envint("HELPWANTED_EARLY_ASK_NO_ASK_DAYS", 10)
EARLY_ASK_AWAY_DAYS = envint("HELPWANTED_EARLY_ASK_AWAY_DAYS", 10)
# Imports larger than this many rows run in the background behind a progress bar.
IMPORT_BACKGROUND_ROWS = envint("HELPWANTED_IMPORT_BACKGROUND_ROWS", 2000)
# A background import quiet for this long (its worker died) is taken back by the tick and run
# again; the third time it stalls the seeker is told to try the file again.
IMPORT_STALL_MINUTES = envint("HELPWANTED_IMPORT_STALL_MINUTES", 10)

# Security headers. CSP nonces come from Django's built-in middleware.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_FAILURE_VIEW = "helpwanted.views.csrf_failure"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Secrets in paths (helper tokens, unsubscribe values, reset links) are replaced with
# "[redacted]" before any handler sees a record (helpwanted/lib/logredact.py). gunicorn's own
# access and error logs get the same treatment from helpwanted.lib.gunicornlog.RedactingLogger.
_REDACT = {"filters": ["redact"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "helpwanted.lib.logredact.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", **_REDACT}},
    "loggers": {
        "helpwanted": {"handlers": ["console"], "level": "INFO", **_REDACT},
        "axes": {"handlers": ["console"], "level": "WARNING", **_REDACT},
        "django.request": {"handlers": ["console"], "level": "ERROR", **_REDACT},
        "django.security": {"handlers": ["console"], "level": "WARNING", **_REDACT},
        # A logger's filter sees only its own records: CSRF refusals ("Forbidden (CSRF cookie not
        # set.): /h/…") are logged here and reach the console through django.security.
        "django.security.csrf": {"level": "WARNING", **_REDACT},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            **_REDACT,
        },
    },
}
