"""Project-wide pytest setup."""

import os

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database calls made from that thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
