"""Heavy reads on a PostgreSQL read replica, with read-your-writes (docs/deploy.md, "Beyond one machine").

Nothing goes to the replica unless three things hold at the moment of the query:

1. `DATABASE_REPLICA_URL` is set (settings then define the "replica" alias; without it there is no
   second alias and every query goes to "default", exactly as on one machine);
2. the code is inside `replica()`: a context manager and decorator that the heavy read paths
   (home roll-ups, member lists and exports, report roll-ups, eligibility lists, the register, their
   API lists) opt into, one line each. Everything else, and every write, reads the primary;
3. the request is not pinned to the primary: `ReplicaMiddleware` pins every non-safe request
   (POST, PUT, PATCH, DELETE) and, for `REPLICA_STICKY_SECONDS` after one, every request of the
   same client (a stamp in its session, or for token clients in the cache keyed by the token), so
   the officer who just submitted a report sees it in the roll-up even if the replica lags.
   Inside `transaction.atomic` reads also go to the primary: a read-then-write flow never sees a
   stale row.

Writes always go to "default" (never to the instance's own database: an object read from the
replica and saved goes to the primary), and migrations never run on the replica.
"""

from __future__ import annotations

import contextvars
import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
WROTE_AT = "db_wrote_at"  # session key: when this client's last non-safe request ended
# Tables the replica never answers for, even inside replica(): sessions, API tokens (a token just
# issued is used at once), the database cache (rate limits), the task queue and the login throttle
# must be read where they are written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken", "django_cache", "django_tasks_database", "axes"})

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("db_replica_wanted", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("db_primary_pinned", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def sticky_seconds() -> float:
    return float(getattr(settings, "REPLICA_STICKY_SECONDS", 10))


@contextmanager
def replica() -> Iterator[None]:
    """Let the reads inside go to the replica (when there is one and the client is not pinned).

    `with replica(): ...` around a read, or `@replica()` on a view or selector."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


@contextmanager
def primary() -> Iterator[None]:
    """Pin the reads inside to the primary, whatever encloses them (the middleware uses it)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def streamed(iterable: Iterable) -> Iterator:
    """An iterable consumed after the view returned (a StreamingHttpResponse body) keeps the
    view's choice: each item is produced in a copy of the view's context (replica or primary)."""
    ctx = contextvars.copy_context()  # now, while the view runs (a generator would copy later)
    iterator = iter(iterable)

    def items() -> Iterator:
        while True:
            try:
                item = ctx.run(next, iterator)
            except StopIteration:
                return
            yield item

    return items()


def read_alias() -> str:
    """Where a read issued here and now goes."""
    if (
        _wanted.get()
        and not _pinned.get()
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads as `read_alias()` says, writes and migrations on the primary."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the primary's rows: one database seen twice

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


# --- read-your-writes ---------------------------------------------------------------------------

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _token_key(request) -> str | None:
    """The cache key of a token client (no session): a hash of its Authorization header."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    return "db:wrote:" + hashlib.sha256(header.encode()).hexdigest()


def _wrote_at(request) -> float:
    key = _token_key(request)
    if key is not None:
        from django.core.cache import cache

        return float(cache.get(key) or 0)
    session = getattr(request, "session", None)
    return float(session.get(WROTE_AT, 0)) if session is not None else 0.0


def _stamp(request) -> None:
    now = time.time()
    key = _token_key(request)
    if key is not None:
        from django.core.cache import cache

        cache.set(key, now, timeout=max(1, int(sticky_seconds()) + 1))
        return
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is not None and user is not None and user.is_authenticated:
        session[WROTE_AT] = now


def is_sticky(request) -> bool:
    """True when this client wrote less than REPLICA_STICKY_SECONDS ago."""
    return time.time() - _wrote_at(request) < sticky_seconds()


class ReplicaMiddleware:
    """Pin non-safe requests, and the client's requests for a while after one, to the primary.

    Sits after AuthenticationMiddleware (it reads the session and the user). Does nothing without
    a replica: no stamp is written, no query routed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018  load the session's user here, from the primary
        if request.method not in SAFE_METHODS:
            with primary():
                response = self.get_response(request)
            _stamp(request)
            return response
        if is_sticky(request):
            with primary():
                return self.get_response(request)
        return self.get_response(request)
