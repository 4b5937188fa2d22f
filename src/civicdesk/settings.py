"""CivicDesk settings, read from the environment.

Everything an operator changes is an environment variable (see docs/configuration.md).
Defaults give the embedded demo: SQLite under var/, in-process cache, a file-based
outbox for email. ``CIVICDESK_ENV=production`` turns on the production checks at the
bottom of this file, which refuse to start with the demo secret or with DEBUG on.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from civicdesk.core import languages as _languages

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CIVICDESK_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


CIVICDESK_ENV = os.environ.get("CIVICDESK_ENV", "development")
PRODUCTION = CIVICDESK_ENV == "production"

# --- secrets --------------------------------------------------------------------------
DEMO_SECRET_FILE = VAR_DIR / "secret_key"


def _demo_secret() -> str:
    """A random key generated once into var/ so a demo install needs no setup."""
    if not DEMO_SECRET_FILE.exists():
        DEMO_SECRET_FILE.write_text(secrets.token_urlsafe(50))
        DEMO_SECRET_FILE.chmod(0o600)
    return DEMO_SECRET_FILE.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _demo_secret()
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("CIVICDESK_SITE_URL", "http://localhost:8000").rstrip("/")

# --- applications ---------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "civicdesk.core",
    "civicdesk.accounts",
    "civicdesk.catalog",
    "civicdesk.addresses",
    "civicdesk.cases",
    "civicdesk.privacy",
    "civicdesk.portal",
    "civicdesk.console",
    "civicdesk.integrations",
    "civicdesk.conversations",
    "civicdesk.knowledge",
    "civicdesk.assistant",
    "civicdesk.surveys",
    "civicdesk.schedules",
    "civicdesk.alerts",
    "civicdesk.meetings",
    "channels",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "parler",
]

MIDDLEWARE = [
    "civicdesk.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "civicdesk.core.middleware.NoStoreForPrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "civicdesk.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civicdesk.accounts.middleware.ResidentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "civicdesk.accounts.sessions.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civicdesk.integrations.idempotency.IdempotencyMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost, so that it sees a view's exception before Django turns it into a debug page.
    "civicdesk.core.middleware.DebugForLoopbackOnlyMiddleware",
]

ROOT_URLCONF = "civicdesk.urls"
ASGI_APPLICATION = "civicdesk.asgi.application"
WSGI_APPLICATION = "civicdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicdesk.core.context_processors.civicdesk",
                "civicdesk.conversations.context_processors.chat",
                "civicdesk.portal.context_processors.nav",
                "civicdesk.portal.context_processors.offline",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'civicdesk.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
    # the start of a transaction, so two writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django keeps a connection per thread, and a request's thread is only lent to it
    # (core/asgi_handler.py); psycopg's pool hands a connection to a request and takes it
    # back at the end. Two per process (so about two per core with one uvicorn worker per
    # core) measured best: more connections than cores make PostgreSQL and the request
    # threads fight over the CPU (docs/architecture.md, "Intake"). A request waits up to 10 s
    # for a free connection. CIVICDESK_DB_POOL_SIZE=0 turns the pool off (for PgBouncer in
    # transaction mode, say).
    _pool_size = int(os.environ.get("CIVICDESK_DB_POOL_SIZE", "2"))
    if _pool_size > 0:
        # reconnect_timeout: psycopg_pool retries a lost connection after 1, 2, 4, 8, 16 … s
        # with no ceiling, so after a 30 s outage a process could wait another 30 s before
        # trying again. Giving up after 5 s frees the slot, and the next request grows the
        # pool again from a 1 s delay: back within seconds of PostgreSQL (bench/drill.py).
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": _pool_size, "max_size": _pool_size, "timeout": 10, "reconnect_timeout": 5}
    # Health checks: with the pool, Django has psycopg_pool test each connection as it is
    # lent (`ConnectionPool.check_connection`), so after PostgreSQL restarts the dead ones
    # are replaced instead of failing one request each (docs/deployment.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (Redis when configured) ----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis away: pages keep working with an empty cache (core/cache.py); short timeouts so
    # a page never waits long for it.
    CACHES = {
        "default": {
            "BACKEND": "civicdesk.core.cache.SafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "civicdesk",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- channel layer (websockets) --------------------------------------------------------
# Redis pub/sub when REDIS_URL is set (needed for more than one server process);
# otherwise in memory, for a single-process install (docs/architecture.md).
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                  "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "civicdesk.conversations.layers.InMemoryChannelLayer"}}
ASGI_APPLICATION = "civicdesk.asgi.application"

# --- background tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "CIVICDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses sign-ins for a username after too many failures.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend",
                           "civicdesk.accounts.sso.StaffOIDCBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("CIVICDESK_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CIVICDESK_LOCKOUT_MINUTES", "15")))
# Locked per account *and* address together (django-axes' recommendation): a stranger who
# types a staff member's name five times locks out only their own address, not the staff
# member. Per-address limits on every sign-in form (console and admin) are CivicDesk's own
# rate limiter (core/ratelimit.py), hence axes.W006 is silenced. The address is read the
# same way as for the rate limits (CIVICDESK_TRUSTED_PROXIES).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "civicdesk.integrations.auth.client_ip_for_lockouts"
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "console/locked_out.html"
AXES_VERBOSE = False
# Staff must confirm sign-in with a one-time code (TOTP) unless this is off; `make demo`
# turns it off so the demo logins work as printed.
CIVICDESK_REQUIRE_2FA = env_bool("CIVICDESK_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("CIVICDESK_AGENCY_NAME", "CivicDesk")

# Single sign-on for staff with OpenID Connect (mozilla-django-oidc; docs/security.md). On
# when OIDC_RP_CLIENT_ID is set. The identity provider's groups give the role and the
# departments on every sign-in; someone in none of the role groups is refused.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "console:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/console/login/?sso=failed"
CIVICDESK_SSO_NAME = os.environ.get("CIVICDESK_SSO_NAME", "your organization's account")
CIVICDESK_SSO_GROUPS_CLAIM = os.environ.get("CIVICDESK_SSO_GROUPS_CLAIM", "groups")
# "role=group" pairs; the highest role whose group the person is in wins.
CIVICDESK_SSO_ROLE_GROUPS = dict(
    pair.split("=", 1)[::-1] for pair in os.environ.get(
        "CIVICDESK_SSO_ROLE_GROUPS",
        "administrator=civicdesk-administrators,supervisor=civicdesk-supervisors,agent=civicdesk-agents",
    ).split(",") if "=" in pair)
# A group named PREFIX + a department's slug puts the person in that department.
CIVICDESK_SSO_DEPARTMENT_PREFIX = os.environ.get("CIVICDESK_SSO_DEPARTMENT_PREFIX", "civicdesk-dept-")
# The identity provider enforces its own second factor, so CivicDesk does not ask again.
CIVICDESK_SSO_SATISFIES_2FA = env_bool("CIVICDESK_SSO_SATISFIES_2FA", True)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:requests"
LOGOUT_REDIRECT_URL = "console:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- i18n -----------------------------------------------------------------------------
# The agency's languages (core/languages.py, docs/translation.md): a settings line and a
# translation file each; the first (or CIVICDESK_DEFAULT_LANGUAGE) is the fallback.
LANGUAGES = _languages.parse(os.environ.get("CIVICDESK_LANGUAGES", "en,es"))
LANGUAGE_CODE = os.environ.get("CIVICDESK_DEFAULT_LANGUAGE", LANGUAGES[0][0])
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured("CIVICDESK_DEFAULT_LANGUAGE must be one of CIVICDESK_LANGUAGES")
LANGUAGES.sort(key=lambda language: language[0] != LANGUAGE_CODE)  # the default first
# Translated content (catalog, help, surveys, canned responses) in django-parler's tables:
# any number of languages, the default language as the fallback.
PARLER_DEFAULT_LANGUAGE_CODE = LANGUAGE_CODE
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {"fallbacks": [LANGUAGE_CODE], "hide_untranslated": False},
}
# Translations are read with their objects (prefetch_related("translations"), and the
# catalog's in-process snapshot); parler's own cache would only add a second copy that a
# save can leave stale for a moment.
PARLER_ENABLE_CACHING = False
# Machine translation in chat (core/translator.py): a LibreTranslate-compatible server the
# agency runs; unset, it is off and no text leaves the server.
CIVICDESK_TRANSLATOR_URL = os.environ.get("CIVICDESK_TRANSLATOR_URL", "")
CIVICDESK_TRANSLATOR_KEY = os.environ.get("CIVICDESK_TRANSLATOR_KEY", "")
CIVICDESK_TRANSLATOR_TIMEOUT_S = float(os.environ.get("CIVICDESK_TRANSLATOR_TIMEOUT_S", "10"))
# The language a resident picks is remembered for a year (and on their profile when signed in).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("CIVICDESK_TIME_ZONE", "America/Chicago")
USE_TZ = True

# --- static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("CIVICDESK_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CIVICDESK_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- email ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CivicDesk <no-reply@civicdesk.localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    EMAIL_TIMEOUT = 10
else:
    # Demo: every message lands as a file in var/outbox, where `make demo` points you.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"

# --- CivicDesk options ----------------------------------------------------------------
CIVICDESK_AGENCY_NAME = os.environ.get("CIVICDESK_AGENCY_NAME", "City of Riverton")
# The name in other languages: "es=Ciudad de Riverton;fr=Ville de Riverton;ar=مدينة ريفرتون" (the demo city's
# Spanish name when the agency's own name is not set).
CIVICDESK_AGENCY_NAMES = _languages.parse_names(os.environ.get(
    "CIVICDESK_AGENCY_NAMES", "" if "CIVICDESK_AGENCY_NAME" in os.environ else "es=Ciudad de Riverton;fr=Ville de Riverton;vi=Thành phố Riverton;zh-hans=里弗顿市;ar=مدينة ريفرتون"))
# How residents reach the agency other than online: the footer of every page, the assistant
# when it cannot help (empty: not shown). The demo city's when the agency's name is not set.
_DEMO_CONTACT = "CIVICDESK_AGENCY_NAME" not in os.environ
CIVICDESK_AGENCY_PHONE = os.environ.get("CIVICDESK_AGENCY_PHONE", "311 · (555) 010-0311" if _DEMO_CONTACT else "")
CIVICDESK_AGENCY_EMAIL = os.environ.get("CIVICDESK_AGENCY_EMAIL", "311@riverton.example" if _DEMO_CONTACT else "")
CIVICDESK_AGENCY_ADDRESS = os.environ.get("CIVICDESK_AGENCY_ADDRESS",
                                          "City Hall, 100 Main Street, Riverton" if _DEMO_CONTACT else "")
# The city's own name, as residents may type it after an address ("12 Main St, Riverton").
CIVICDESK_CITY_NAME = os.environ.get("CIVICDESK_CITY_NAME", "Riverton")
# Files that are never served (address register uploads).
CIVICDESK_PRIVATE_DIR = os.environ.get("CIVICDESK_PRIVATE_DIR", str(VAR_DIR / "private"))
# Geocoding (addresses/providers.py): "register" (the agency's address register, the
# default), "nominatim" (a Nominatim-compatible HTTP API at CIVICDESK_GEOCODER_URL, for an
# agency without a register) or "none" (typed addresses are kept as typed, unplaced).
CIVICDESK_GEOCODER = os.environ.get("CIVICDESK_GEOCODER", "register")
CIVICDESK_GEOCODER_URL = os.environ.get("CIVICDESK_GEOCODER_URL", "")
CIVICDESK_MAX_REGISTER_UPLOAD_BYTES = int(os.environ.get("CIVICDESK_MAX_REGISTER_UPLOAD_MB", "200")) * 10**6
# Address autocomplete and pin lookups per client address and minute (a resident typing
# sends one per pause).
CIVICDESK_ADDRESS_LOOKUPS_PER_MINUTE = int(os.environ.get("CIVICDESK_ADDRESS_LOOKUPS_PER_MINUTE", "120"))
CIVICDESK_DUPLICATE_RADIUS_M = float(os.environ.get("CIVICDESK_DUPLICATE_RADIUS_M", "50"))
CIVICDESK_REOPEN_DAYS = int(os.environ.get("CIVICDESK_REOPEN_DAYS", "14"))
CIVICDESK_MAX_PHOTOS = int(os.environ.get("CIVICDESK_MAX_PHOTOS", "5"))
# Seconds a process keeps its snapshot of the active catalog (catalog/snapshot.py).
CIVICDESK_CATALOG_TTL = float(os.environ.get("CIVICDESK_CATALOG_TTL", "10"))
CIVICDESK_MAX_PHOTO_BYTES = int(os.environ.get("CIVICDESK_MAX_PHOTO_BYTES", str(10 * 1024 * 1024)))

# Public meetings (meetings/, docs/meetings.md): agenda documents are PDFs up to this size and
# page count; interpretation and accommodations are asked for this many days ahead; the
# stream players meeting pages may embed (built in: youtube, vimeo), and the agency's own
# streaming servers ("https://stream.example.gov", comma-separated). The meeting pages'
# Content Security Policy frames exactly these.
# /metrics (core/metrics.py) answers this machine, or a scraper presenting this token.
CIVICDESK_METRICS_TOKEN = os.environ.get("CIVICDESK_METRICS_TOKEN", "")
CIVICDESK_MAX_DOCUMENT_BYTES = int(os.environ.get("CIVICDESK_MAX_DOCUMENT_BYTES", str(25 * 1024 * 1024)))
CIVICDESK_MAX_DOCUMENT_PAGES = int(os.environ.get("CIVICDESK_MAX_DOCUMENT_PAGES", "2000"))
CIVICDESK_MEETING_NOTICE_DAYS = int(os.environ.get("CIVICDESK_MEETING_NOTICE_DAYS", "3"))
CIVICDESK_STREAM_PROVIDERS = env_list("CIVICDESK_STREAM_PROVIDERS", "youtube,vimeo")
CIVICDESK_STREAM_ORIGINS = env_list("CIVICDESK_STREAM_ORIGINS")
CIVICDESK_MAX_PHOTO_PIXELS = int(os.environ.get("CIVICDESK_MAX_PHOTO_PIXELS", str(40_000_000)))
CIVICDESK_PHOTO_MAX_EDGE = int(os.environ.get("CIVICDESK_PHOTO_MAX_EDGE", "2048"))
CIVICDESK_SIGNIN_LINK_MINUTES = int(os.environ.get("CIVICDESK_SIGNIN_LINK_MINUTES", "20"))
CIVICDESK_MAP_CENTER = [float(x) for x in os.environ.get("CIVICDESK_MAP_CENTER", "41.8500,-89.4800").split(",")]
CIVICDESK_MAP_TILES = os.environ.get(
    "CIVICDESK_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
CIVICDESK_TASK_MAX_ATTEMPTS = int(os.environ.get("CIVICDESK_TASK_MAX_ATTEMPTS", "6"))
# A task still marked running this long after it started is taken to be a dead worker's and
# queued again when a worker starts (`manage.py worker`); our tasks are safe to run twice.
CIVICDESK_TASK_ABANDONED_AFTER = int(os.environ.get("CIVICDESK_TASK_ABANDONED_AFTER", "3600"))
# Collection reminders (schedules/reminders.py): sent from this hour (local time) the
# evening before, never during the quiet hours ("21-8": from 21:00 to 08:00).
CIVICDESK_REMINDER_HOUR = int(os.environ.get("CIVICDESK_REMINDER_HOUR", "17"))
CIVICDESK_QUIET_HOURS = os.environ.get("CIVICDESK_QUIET_HOURS", "21-8")
# Chat: seconds a resident waits for an agent before the widget offers to leave a message
CIVICDESK_CHAT_WAIT_OFFER_S = int(os.environ.get("CIVICDESK_CHAT_WAIT_OFFER_S", "120"))
# ... and the agency's target for answering a waiting chat: the inbox marks a chat "due soon"
# at three quarters of it and "over target" past it.
CIVICDESK_CHAT_ANSWER_TARGET_S = int(os.environ.get("CIVICDESK_CHAT_ANSWER_TARGET_S", "180"))
# The assistant (docs/assistant.md): on for chat and SMS.
CIVICDESK_ASSISTANT = os.environ.get("CIVICDESK_ASSISTANT", "1") == "1"
# Emergencies: the number residents are told to call, and the words (per language, accents
# and case ignored) on which the assistant shows the emergency notice before anything else.
CIVICDESK_EMERGENCY_NUMBER = os.environ.get("CIVICDESK_EMERGENCY_NUMBER", "911")
CIVICDESK_URGENT_WORDS = {
    "en": env_list("CIVICDESK_URGENT_WORDS_EN", "fire,smoke,gas smell,smell gas,smells like gas,gas leak,bleeding,"
                   "unconscious,not breathing,chest pain,overdose,gun,shooting,stabbed,stabbing,live wire,"
                   "power line down,downed power line,drowning,trapped,explosion,bitten"),
    "es": env_list("CIVICDESK_URGENT_WORDS_ES", "fuego,incendio,humo,olor a gas,huele a gas,fuga de gas,sangrando,"
                   "sangra,inconsciente,no respira,dolor de pecho,sobredosis,pistola,disparos,apunalado,"
                   "cable caido,cables caidos,ahogando,atrapado,explosion,mordio,mordida"),
}
# The assistant's sentence encoder (assistant/encoders.py): "e5" (multilingual-e5-small,
# bundled, no PyTorch: the default), a sentence-transformers model folder, or "" (lexical only).
CIVICDESK_ASSISTANT_ENCODER = os.environ.get("CIVICDESK_ASSISTANT_ENCODER", "e5")
CIVICDESK_ASSISTANT_THREADS = int(os.environ.get("CIVICDESK_ASSISTANT_THREADS", "1"))
# Server processes (uvicorn, at its lifespan startup) train and warm the engine, the encoder
# too, in the background before /readyz says ready, not on the first question (assistant/warm.py).
CIVICDESK_ASSISTANT_WARM = os.environ.get("CIVICDESK_ASSISTANT_WARM", "1") == "1"
# With the encoder: fine-tune a copy of it on the agency's own texts before use (adapt.py);
# the adapted weights are kept under var/assistant/ and reused while the knowledge is unchanged.
CIVICDESK_ASSISTANT_ADAPT = os.environ.get("CIVICDESK_ASSISTANT_ADAPT", "1") == "1"
CIVICDESK_ASSISTANT_ADAPT_DIR = os.environ.get(
    "CIVICDESK_ASSISTANT_ADAPT_DIR", str(VAR_DIR / "assistant"))
# Surveys (docs/cx.md): nobody is invited twice within this many days; invitation links last
# this long; post-interaction surveys are on unless a resident said no (0: only with a "yes");
# the public performance page hides satisfaction below this many answers.
CIVICDESK_SURVEY_CAP_DAYS = int(os.environ.get("CIVICDESK_SURVEY_CAP_DAYS", "30"))
CIVICDESK_SURVEY_LINK_DAYS = int(os.environ.get("CIVICDESK_SURVEY_LINK_DAYS", "30"))
CIVICDESK_SURVEY_CONSENT_DEFAULT = os.environ.get("CIVICDESK_SURVEY_CONSENT_DEFAULT", "1") == "1"
CIVICDESK_PUBLIC_MIN_ANSWERS = int(os.environ.get("CIVICDESK_PUBLIC_MIN_ANSWERS", "20"))
# Seconds the dashboard's and the public page's figures are kept before they are recomputed
CIVICDESK_FIGURES_TTL = int(os.environ.get("CIVICDESK_FIGURES_TTL", "300"))
# Minutes between two precomputations of the public page and the dashboard's default views
CIVICDESK_FIGURES_REFRESH_MINUTES = int(os.environ.get("CIVICDESK_FIGURES_REFRESH_MINUTES", "15"))
# Targets (cases/escalation.py): an open request due within this many hours, or late, goes up
# to its department's supervisors (console and email), checked every few minutes.
CIVICDESK_SLA_ESCALATE_HOURS = float(os.environ.get("CIVICDESK_SLA_ESCALATE_HOURS", "4"))
CIVICDESK_SLA_CHECK_MINUTES = int(os.environ.get("CIVICDESK_SLA_CHECK_MINUTES", "5"))
# Dashboard counts from daily rollups (surveys/rollups.py) instead of the raw tables
CIVICDESK_FIGURES_ROLLUPS = os.environ.get("CIVICDESK_FIGURES_ROLLUPS", "1") == "1"
# Email and SMS channels (docs/chat.md)
CIVICDESK_REPLY_EMAIL = os.environ.get("CIVICDESK_REPLY_EMAIL", "311@civicdesk.localhost")
CIVICDESK_INBOUND_EMAIL_TOKEN = os.environ.get("CIVICDESK_INBOUND_EMAIL_TOKEN", "")
CIVICDESK_SMS_PROVIDER = os.environ.get("CIVICDESK_SMS_PROVIDER", "civicdesk.core.sms.HttpSmsProvider")
CIVICDESK_SMS_API_URL = os.environ.get("CIVICDESK_SMS_API_URL", "")
# the country a phone number typed without "+" and a country code is read in (ISO 3166)
CIVICDESK_PHONE_REGION = os.environ.get("CIVICDESK_PHONE_REGION", "US")
# the countries residents' numbers may be in for texts they ask for (reminders), comma-separated
CIVICDESK_SMS_REGIONS = [r.strip().upper() for r in os.environ.get(
    "CIVICDESK_SMS_REGIONS", CIVICDESK_PHONE_REGION).split(",") if r.strip()]
CIVICDESK_SMS_API_TOKEN = os.environ.get("CIVICDESK_SMS_API_TOKEN", "")
CIVICDESK_SMS_FROM = os.environ.get("CIVICDESK_SMS_FROM", "")
CIVICDESK_SMS_WEBHOOK_SECRET = os.environ.get("CIVICDESK_SMS_WEBHOOK_SECRET", "")
# Staff are signed out after this many minutes without a request
CIVICDESK_STAFF_IDLE_MINUTES = int(os.environ.get("CIVICDESK_STAFF_IDLE_MINUTES", "30"))
# Rate limits per client address, per minute (core/ratelimit.py)
CIVICDESK_RATE_SIGNIN_PER_MINUTE = int(os.environ.get("CIVICDESK_RATE_SIGNIN_PER_MINUTE", "10"))
CIVICDESK_RATE_FORMS_PER_MINUTE = int(os.environ.get("CIVICDESK_RATE_FORMS_PER_MINUTE", "30"))
# Chat widget: conversations started, messages left, transcripts sent (conversations/views.py)
CIVICDESK_RATE_CHAT_PER_MINUTE = int(os.environ.get("CIVICDESK_RATE_CHAT_PER_MINUTE", "30"))
# Reverse proxies in front of CivicDesk that append to X-Forwarded-For (0: none).
CIVICDESK_TRUSTED_PROXIES = int(os.environ.get("CIVICDESK_TRUSTED_PROXIES", "0"))
# Integrations (docs/api.md)
CIVICDESK_JURISDICTION_ID = os.environ.get("CIVICDESK_JURISDICTION_ID", "civicdesk.local")
CIVICDESK_PUBLIC_API_RATE_PER_MINUTE = int(os.environ.get("CIVICDESK_PUBLIC_API_RATE_PER_MINUTE", "300"))
CIVICDESK_WEBHOOK_TIMEOUT_S = float(os.environ.get("CIVICDESK_WEBHOOK_TIMEOUT_S", "10"))
CIVICDESK_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("CIVICDESK_WEBHOOK_MAX_ATTEMPTS", "8"))
CIVICDESK_WEBHOOK_RETRY_BASE_S = float(os.environ.get("CIVICDESK_WEBHOOK_RETRY_BASE_S", "30"))
CIVICDESK_WEBHOOK_DISABLE_AFTER = int(os.environ.get("CIVICDESK_WEBHOOK_DISABLE_AFTER", "10"))
CIVICDESK_BENCH = env_bool("CIVICDESK_BENCH")

# --- logging: one JSON object per line ------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "civicdesk.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CIVICDESK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- production checks ----------------------------------------------------------------
if PRODUCTION:
    if not os.environ.get("SECRET_KEY") or SECRET_KEY == _demo_secret() or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured(
            "CIVICDESK_ENV=production needs its own SECRET_KEY (40+ characters) from the "
            "environment; the demo key generated into var/ is refused."
        )
    if DEBUG:
        raise ImproperlyConfigured("CIVICDESK_ENV=production refuses to start with DEBUG on.")
    SESSION_COOKIE_SECURE = env_bool("CIVICDESK_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("CIVICDESK_HSTS_SECONDS", "31536000"))
    SECURE_SSL_REDIRECT = env_bool("CIVICDESK_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content Security Policy (django-csp): no inline scripts or styles anywhere; images also
# from the map tile server; the only exception is the API's Swagger page (csp_exempt).
_tiles = urlsplit(CIVICDESK_MAP_TILES.replace("{s}", "a"))
_tile_origin = f"{_tiles.scheme}://{_tiles.netloc.replace('a.', '*.', 1) if _tiles.netloc.startswith('a.') else _tiles.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _tile_origin],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
