"""The real server that the concurrency tests and bench start on loopback (lib/loopback): the
database, task queue and middleware of every deployment, with test-speed password hashing so a
hundred clients can log in, and no debug."""

from config.settings.base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
