"""The one settings module. Every knob is an environment variable with a safe default;
the README has the table. With nothing set, crewplan runs on an SQLite file in the
per-user data directory with a secret key generated there on first start."""

import os
from pathlib import Path
from typing import Literal

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from crewplan.lib.env import env_bool, env_int, env_list
from crewplan.lib.paths import data_dir, private_file, secret_key

# Lets classes the type stubs make generic be subscripted at runtime too (ModelForm[User]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("CREWPLAN_DEBUG", False)
SECRET_KEY = os.environ.get("CREWPLAN_SECRET_KEY") or secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("CREWPLAN_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CREWPLAN_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("CREWPLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "crewplan.accounts",
    "crewplan.workspaces",
    "crewplan.audit",
    "crewplan.raci",
    "crewplan.planning",
    "crewplan.work",
    "crewplan.measure",
    "crewplan.reports",
    "crewplan.reallocation",
    # Later capabilities land here as apps of their own: api
    # (see docs/architecture.md).
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks_db",  # the task queue's table (TASKS below) and its worker
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "crewplan.accounts.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crewplan.accounts.middleware.PrivateResponseMiddleware",
    "crewplan.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crewplan.urls"
WSGI_APPLICATION = "crewplan.wsgi.application"

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
                "crewplan.workspaces.context_processors.workspace_nav",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'crewplan.sqlite3'}",
        conn_max_age=env_int("CREWPLAN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's readers and one writer work at once; IMMEDIATE avoids
    # "database is locked" when two requests upgrade read transactions to writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        # Created 0600 before SQLite creates it with the umask's mode (its -wal and -shm
        # files copy the database file's mode); an existing one is tightened.
        private_file(Path(DATABASES["default"]["NAME"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login rate limiting (crewplan/accounts/lockout.py): after this many failures for one
# e-mail (any case) from one address the login is refused for the cool-off period; an
# address with the higher per-address count of failures on any accounts is refused for
# all of them. Stored in the database, so every app process sees the same count.
AXES_FAILURE_LIMIT = env_int("CREWPLAN_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("CREWPLAN_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = env_int("CREWPLAN_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "crewplan.accounts.lockout.client_username"
AXES_HANDLER = "crewplan.accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crewplan.accounts.views.locked_out"
AXES_VERBOSE = False
# How many reverse proxies stand in front of the app, each appending to X-Forwarded-For.
# The client address (for the login limit) is read that many entries from the right;
# 0 ignores the header. (axes' own AXES_IPWARE_* settings need django-ipware.)
PROXY_COUNT = env_int("CREWPLAN_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "crewplan.accounts.lockout.client_address"

INVITATION_DAYS = env_int("CREWPLAN_INVITATION_DAYS", 7)

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "crewplan_language"
LANGUAGE_COOKIE_SECURE = env_bool("CREWPLAN_HTTPS", False)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"
USE_I18N = True
# One date format per language (crewplan/formats/<locale>/formats.py), read by |date.
FORMAT_MODULE_PATH = ["crewplan.formats"]
TIME_ZONE = "Asia/Taipei"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# E-mail: SMTP when a host is configured, and in production (CREWPLAN_HTTPS) to the
# local mail relay by default; printed to the console for local use.
_email_host = os.environ.get("CREWPLAN_EMAIL_HOST") or (
    "localhost" if env_bool("CREWPLAN_HTTPS", False) else ""
)
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int(
                    "CREWPLAN_EMAIL_PORT", 587 if "CREWPLAN_EMAIL_HOST" in os.environ else 25
                ),
                "username": os.environ.get("CREWPLAN_EMAIL_USER", ""),
                "password": os.environ.get("CREWPLAN_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("CREWPLAN_EMAIL_TLS", "CREWPLAN_EMAIL_HOST" in os.environ),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("CREWPLAN_EMAIL_FROM", "crewplan <noreply@localhost>")

# Side effects that can fail or take time (e-mail, imports; fits and reports later) are
# tasks of Django's tasks API, enqueued after the commit of the change that causes them.
# By default they go into a table of the database (django-tasks-db) and `crewplan worker`
# runs them in its own process, so a slow mail server or a million-row import never holds
# up a request. CREWPLAN_TASKS_BACKEND=immediate runs each at once in the request instead
# (no worker needed; a small single-process install, and the tests); any other value is
# the dotted path of a backend, e.g. a broker-backed one. A task that raises is marked
# failed and logged (logger django.tasks), and never fails the request.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("CREWPLAN_TASKS_BACKEND", "").strip() or "database"
if _tasks_backend not in TASK_BACKENDS and "." not in _tasks_backend:
    raise ValueError(
        f"CREWPLAN_TASKS_BACKEND={_tasks_backend!r} is not one of "
        f"{', '.join(TASK_BACKENDS)} nor the dotted path of a backend"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend)}}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security: everything that `check --deploy` asks for is on when CREWPLAN_HTTPS is set
# (production behind TLS); plain-HTTP local use keeps working without it.
HTTPS = env_bool("CREWPLAN_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("CREWPLAN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("CREWPLAN_HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# The preload directive only consents: nothing is listed until someone submits the domain.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("CREWPLAN_HSTS_PRELOAD", True)
if env_bool("CREWPLAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features crewplan never uses, denied to every page (Permissions-Policy).
PERMISSIONS_POLICY = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Secret URL paths (the iCal feed token) are redacted from every log line: the handlers
# carry the filter, so it covers django.request's "Not Found: /ical/…" and runserver too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "crewplan.lib.redact.RedactSecretsFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CREWPLAN_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own defaults would add an unfiltered console handler (in DEBUG): its
        # records go to the root's filtered one instead.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},  # failed tasks (ERROR), not every run
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

APP_NAME = _("crewplan")
