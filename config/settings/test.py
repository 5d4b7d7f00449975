"""Test run: fast hashing, tasks run at once, English-independent (vi is still the default)."""

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import TASKS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# Tests only: the cache in the test process's memory, so that the pages' query counts stay the
# pages' own (the database cache costs ~10 queries a rate-limited lookup). Every deployment's
# settings use Redis or the database (lib/tests/test_serving.py checks local and production; the
# loopback servers of lib/tests/test_concurrency.py and test_serve_loopback.py use them).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The cache is shared inside a test process: tests of the limit set their own.
AWARDS_VERIFY_RATE_LIMIT = (100_000, 600)
