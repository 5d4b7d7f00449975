"""All settings live here and are read from the environment; the other modules only override."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_int, env_secret
from lib.jsonlog import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_secret("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "lib",
    "accounts",
    "org",
    "imports",
    "campaigns",
    "reports",
    "awards",
    "documents",
    "api",
    "demo",
]

MIDDLEWARE = [
    # Load-balancer probes first: no host check, no redirect, no session, no log line.
    "lib.health.HealthMiddleware",
    # The client's address from the configured proxy header (TRUSTED_PROXY_HEADER), before
    # anything reads REMOTE_ADDR: django-axes and the /verify/ rate limit count by it.
    "lib.proxy.TrustedProxyMiddleware",
    # One log line per request with its id, duration and status (lib/requestlog.py).
    "lib.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
            "builtins": ["lib.templatetags.vn"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'thidua.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the site reads. Write transactions start IMMEDIATE:
    # SQLite's default (deferred) transaction takes the write lock only at its first write and
    # fails at once with "database is locked" when another connection wrote meanwhile; taken at
    # BEGIN, the lock is waited for, up to the busy timeout (seconds). The longest holder is a
    # roster import's write pass, about 0.1-0.2 ms a row: 60 s covers a few hundred thousand rows
    # (larger rosters belong on PostgreSQL, where writers lock rows, not the database).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 60),
        }
    )
# A streaming read replica of the PostgreSQL primary (docs/deploy.md, "Beyond one machine"): set
# DATABASE_REPLICA_URL and the heavy reads that opt in (lib.db.replica) go there, unless the client
# wrote less than REPLICA_STICKY_SECONDS ago (read-your-writes) or the code is inside an atomic
# block. Without it there is no "replica" alias and every query goes to "default", as before.
# Under tests the alias is the replica's copy of the primary's test database (TEST MIRROR copies
# only the NAME: the replica keeps its own host and port, and receives the database by streaming).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10)
DATABASE_ROUTERS = ["lib.db.ReplicaRouter"]
# Read-your-writes: after AuthenticationMiddleware (it reads the session and the user).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "lib.db.ReplicaMiddleware",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottledBackend",
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

# Login throttling: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and lock a client address after this many failures across all usernames (0: never).
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_HANDLER = "accounts.throttle.AddressLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The address lib.proxy.TrustedProxyMiddleware settled on (REMOTE_ADDR), whatever else is installed.
AXES_CLIENT_IP_CALLABLE = "lib.proxy.client_address"
# The throttle's state is the database's (AccessAttempt rows, accounts/throttle.py), which every
# worker and machine shares; not the cache: see docs/deploy.md ("Where shared state lives").

# Behind a reverse proxy or load balancer: the META key of the header holding the client chain
# (e.g. HTTP_X_FORWARDED_FOR) and how many proxies of ours append to it. Unset: the header is
# ignored and REMOTE_ADDR (the peer) is the client, since anyone can write X-Forwarded-For.
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Folder of the PostgreSQL client programs for `manage.py backup`/`restore` when the ones found
# (Debian's /usr/lib/postgresql/<major>/bin, then PATH) do not match the server's version.
PG_BINDIR = env("PG_BINDIR", "")

# The site's public address, printed in certificates' QR codes when no request is at hand
# (background batches). Public certificate checks per client address: (lookups, seconds).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
AWARDS_VERIFY_RATE_LIMIT = (
    env_int("AWARDS_VERIFY_RATE_LIMIT", 30),
    env_int("AWARDS_VERIFY_RATE_WINDOW", 600),
)

# Uploads larger than this go to a temporary file, so big rosters never sit in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
# Rows a roster, pledge list or old register sheet may have, header included: a province's
# roster fits (Quảng Trị has ~60,000 members); bigger federations import one district at a time.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
# Uploaded pictures above this many pixels are refused (decompression bombs).
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 64_000_000)
# Uploads are parsed in the worker, in a child process with these limits (lib/sandbox.py).
UPLOAD_SANDBOX = {
    "CPU_SECONDS": env_int("UPLOAD_SANDBOX_CPU_SECONDS", 120),
    "MEMORY_MB": env_int("UPLOAD_SANDBOX_MEMORY_MB", 768),
    "WALL_SECONDS": env_int("UPLOAD_SANDBOX_WALL_SECONDS", 300),
}
# A running import whose worker has not shown a sign of life for this long is marked failed.
IMPORT_JOB_STALE_SECONDS = env_int("IMPORT_JOB_STALE_SECONDS", 120)

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "thidua@localhost")

# The cache holds rate-limit counters (/verify/, public notices) and the sessions' cache, so it
# must be shared by every worker and machine: Redis when REDIS_URL is set, else a table of the
# database (created by lib's migration). Never a process's memory.
REDIS_URL = env("REDIS_URL", "")
CACHE_TABLE = "thidua_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "thidua"),
        }
    }
else:
    # Room for every counter of a busy window: Django culls a third of the table past MAX_ENTRIES,
    # which would forget rate-limit counts.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 50_000)},
        }
    }
# /readyz fails when the oldest task ready to run has waited longer than this (seconds; 0: it only
# reports the wait). A dead worker then takes every machine out of the balancer: see docs/deploy.md.
READYZ_QUEUE_MAX_WAIT = env_int("READYZ_QUEUE_MAX_WAIT", 0)
# Sessions are written to the database and, with Redis, read through the cache: a Redis restart or
# eviction logs nobody out, and most requests skip the session table. Without Redis the cache is a
# table too, so sessions stay in their own table and out of the cache's.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")

# API tokens last this many days from when they are issued (POST /api/auth/token/).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.base.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",  # documents the error answers too
}
SPECTACULAR_SETTINGS = {
    "TITLE": "thidua API",
    "DESCRIPTION": "Emulation campaigns and awards of the Vietnamese trade union.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: it would fetch an image from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Units and members both have a `status` choice field; name the two enums apart.
    "ENUM_NAME_OVERRIDES": {
        "UnitStatusEnum": "org.models.UnitStatus",
        "MemberStatusEnum": "org.models.MemberStatus",
    },
}

# Demo accounts exist only when the demo loader ran; production never sets this.
DEMO_PASSWORD = "thidua2021"

# Logs go to standard error: LOG_FORMAT=json writes one JSON object a line (time, level, logger,
# message, request id, user, path, status, duration), text a readable line. Production defaults to
# json. Incoming X-Request-ID is kept only when REQUEST_ID_HEADER names it (e.g. HTTP_X_REQUEST_ID
# behind a proxy that sets it); otherwise every request gets a fresh id.
LOG_FORMAT = env("LOG_FORMAT", "text")
REQUEST_ID_HEADER = env("REQUEST_ID_HEADER", "")
LOGGING = logging_config(LOG_FORMAT, env("LOG_LEVEL", "WARNING"), env("REQUEST_LOG_LEVEL", "WARNING"))
