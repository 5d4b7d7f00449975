"""Test run: fast hashing, tasks run at once, English-independent (vi is still the default)."""

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import TASKS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# The cache is shared inside a test process: tests of the limit set their own.
AWARDS_VERIFY_RATE_LIMIT = (100_000, 600)
