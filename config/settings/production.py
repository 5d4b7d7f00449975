"""Production differs only by environment; this file only hardens defaults, and refuses to start
without the settings that have development defaults in base.py (a known secret key, localhost,
a SQLite file): a missing variable must stop the server, not quietly use them."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_secret
from config.settings.base import *  # noqa: F401,F403

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
        + ". See config/settings/base.py for what each one holds."
    )
if env_secret("SECRET_KEY").strip() == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a secret one for production.")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
