"""Production differs only by environment; this file only hardens defaults, and refuses to start
without the settings that have development defaults in base.py (a known secret key, localhost,
a SQLite file): a missing variable must stop the server, not quietly use them."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_int, env_secret
from config.settings.base import *  # noqa: F401,F403
from config.settings.base import MIDDLEWARE
from lib.jsonlog import logging_config

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"

_missing = [
    name
    for name, value in (
        ("SECRET_KEY (or SECRET_KEY_FILE)", env_secret("SECRET_KEY")),
        ("ALLOWED_HOSTS", ",".join(h.strip() for h in env("ALLOWED_HOSTS").split(",") if h.strip())),
        ("DATABASE_URL", env("DATABASE_URL")),
    )
    if not value.strip()
]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: "
        + ", ".join(_missing)
        + ". See docs/deploy.md (Environment) for what each one holds."
    )
if env_secret("SECRET_KEY").strip() == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a secret one for production.")

DEBUG = False

# HTTPS only. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
# (the proxy must overwrite that header, never pass the client's on); without it every request
# looks like plain HTTP and is redirected forever. SECURE_SSL_REDIRECT=false and
# SECURE_COOKIES=false only for a try on a machine's own loopback (make serve SERVE_LOCAL=1).
_proxy_ssl_header = env("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP (lib/health.py answers before the redirect anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Static files from the app itself (whitenoise), collected into STATIC_ROOT first
# (`manage.py collectstatic`, done by `manage.py serve`): hashed names, cached for a year, gzip.
STATIC_ROOT = env("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "lib.staticstorage.StaticStorage"},
}

# JSON lines, one per request at least (LOG_FORMAT=text for people reading a terminal).
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING = logging_config(LOG_FORMAT, env("LOG_LEVEL", "WARNING"), env("REQUEST_LOG_LEVEL", "INFO"))
