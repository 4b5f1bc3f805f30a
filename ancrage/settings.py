"""One settings module, read from the environment (see README, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ANCRAGE_VAR_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only serves local runs (DEBUG, tests, `ancrage start` in demonstration
# mode); the WSGI server refuses to start with it and `check --deploy` fails (core/checks.py).
DEVELOPMENT_SECRET_KEY = "ancrage-local-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
# The embedded SQLite database of `make run` (no DATABASE_URL): where `ancrage start` may
# create the demonstration account.
EMBEDDED_DATABASE = not os.environ.get("DATABASE_URL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ancrage.core",
    "ancrage.programmes",
    "ancrage.territories",
    "ancrage.activities",
    "ancrage.surveys",
    "ancrage.accounts",
    "ancrage.evaluation",
    "ancrage.indicators",
    "ancrage.workbook",
    "ancrage.reports",
    "ancrage.registers",
    "django_tasks",
    "django_tasks_db",
    "ancrage.tasks",
    "ancrage.demo",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ancrage.audit",
    "ancrage.api",
]

MIDDLEWARE = [
    "ancrage.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (CSS, JS, fonts) are served by the app itself: no CDN, works offline.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ancrage.core.middleware.SecurityHeadersMiddleware",
    "ancrage.core.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # French whatever the browser says; English only when the user chooses it (accounts).
    "ancrage.accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A selector's « not found » (core.errors.NotFound) answered as a 404 page.
    "ancrage.core.middleware.NotFoundMiddleware",
    # Who made each change, for the audit trail (audit/).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ancrage.urls"
WSGI_APPLICATION = "ancrage.wsgi.application"

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
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'ancrage.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Distinct counts over millions of participations sort in memory rather than on disk.
    work_mem = os.environ.get("ANCRAGE_PG_WORK_MEM", "256MB")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c work_mem={work_mem}"
    # Each web thread keeps its connection between requests (a new PostgreSQL backend costs a
    # fork and its caches on every page otherwise), checked before reuse after a restart.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("ANCRAGE_PG_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-200000;"
    )
    # The task worker writes beside the web server (an import holds the write lock while it
    # runs): a web write waits for it rather than failing after SQLite's 5 s.
    DATABASES["default"]["OPTIONS"]["timeout"] = 60

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: source strings are French, English is the second language (README).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (meeting minutes) stay on the server, under the data folder.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Files not yet collected (tests, a fresh checkout) are found in the apps' static folders.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploads are refused beyond this size; a workbook (a zip archive) also when it would take
# more than ANCRAGE_WORKBOOK_MAX_MB once decompressed (core/uploads.py).
ANCRAGE_UPLOAD_MAX_MB = float(os.environ.get("ANCRAGE_UPLOAD_MAX_MB", "50"))
ANCRAGE_WORKBOOK_MAX_MB = float(os.environ.get("ANCRAGE_WORKBOOK_MAX_MB", "200"))
FILE_UPLOAD_HANDLERS = [
    "ancrage.core.uploads.UploadSizeHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# A deleted action is kept whole in the journal (to restore it) for this many days, then
# `ancrage purge_journal` keeps only its entry (who, when, what): 0 keeps them for ever.
ANCRAGE_DELETION_RETENTION_DAYS = int(os.environ.get("ANCRAGE_DELETION_RETENTION_DAYS", "365"))

# The anonymous online form accepts this many answers per hour from one address.
ANCRAGE_FORM_LIMIT = int(os.environ.get("ANCRAGE_FORM_LIMIT", "30"))
# One cache shared by every worker process of the machine (gunicorn runs several): login
# throttling, the form's limit and the computed figures (indicators/cache.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ANCRAGE_CACHE_DIR", str(VAR_DIR / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
if os.environ.get("ANCRAGE_REDIS_URL"):
    # Several machines (or many workers): one Redis shared by all of them (README, production).
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["ANCRAGE_REDIS_URL"],
        "KEY_PREFIX": "ancrage",
    }

# Reports and imports run as background tasks (ancrage/tasks), queued in the database and run by
# `ancrage worker` processes, on this machine or others sharing the database and MEDIA_ROOT.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Invitations are sent by e-mail; the console backend (printed in the server's output) unless
# an SMTP server is configured.
EMAIL_BACKEND = os.environ.get(
    "ANCRAGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ancrage@localhost")
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # an invitation link is valid for a week

SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Production (DEBUG off, behind HTTPS): `ancrage check --deploy` is clean with these.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("ANCRAGE_HTTPS", False)  # production sets ANCRAGE_HTTPS=1 (README)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("ANCRAGE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
ANCRAGE_LOGIN_ATTEMPTS = int(os.environ.get("ANCRAGE_LOGIN_ATTEMPTS", "5"))
ANCRAGE_LOGIN_LOCKOUT = 15 * 60
# Every login form (the app's, the admin's, the API's) goes through the attempt limit.
AUTHENTICATION_BACKENDS = ["ancrage.accounts.throttle.ThrottledModelBackend"]
# Reverse proxies in front of the app whose X-Forwarded-For is trusted for rate limits (login,
# online form): 0 = the socket address; 1 = one nginx or Caddy on the same machine…
ANCRAGE_TRUSTED_PROXIES = int(os.environ.get("ANCRAGE_TRUSTED_PROXIES", "0"))

# Logs go to stderr (gunicorn and systemd keep them), errors with their traceback; ADMINS (comma-
# separated addresses) also receive errors by e-mail. Every line carries the request id and
# passes through core/logs.py, which removes personal data.
ADMINS = [("", address) for address in env_list("ADMINS", "")]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ancrage.core.logs.RequestIdFilter"}},
    "formatters": {
        "redacted": {
            "()": "ancrage.core.logs.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "redacted",
        },
        "admins": {
            "class": "ancrage.core.logs.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id"],
            "formatter": "redacted",
        },
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("ANCRAGE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stderr", "admins"], "level": "INFO", "propagate": False},
        # The development server's request lines hold full addresses (queries, tokens): they
        # pass through the same redaction.
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

# The REST API (api/, README « L'API »): tokens for scripts, the session for the docs page;
# JSON or CSV; pages of 100; French errors; the OpenAPI schema and its docs served offline.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "ancrage.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ancrage.api.conventions.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ancrage.api.conventions.french_errors",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Ancrage",
    "DESCRIPTION": "Programmes, territoires, structures, actions, participations, "
    "questionnaires, réponses anonymes et indicateurs, dans votre périmètre.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
