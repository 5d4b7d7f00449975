"""The replica router and read-your-writes (lib/db.py), on any database and without a replica.

Where a read goes is decided by `lib.db.read_alias()`; these tests pretend a replica is configured
(`replica_configured` patched) and check the decision, the router's answers and the middleware's
stickiness. The real streaming replica is exercised by lib/tests/test_replica_streaming.py.
"""

import os
import subprocess
import sys
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, router
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from accounts.models import User
from lib import db
from lib.db import REPLICA, ReplicaMiddleware, primary, read_alias, replica, streamed
from org.models import Unit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: True)


def test_without_a_replica_every_read_goes_to_the_primary(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: False)
    with replica():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert router.db_for_read(Unit) == DEFAULT_DB_ALIAS


def test_reads_go_to_the_replica_only_inside_replica(configured):
    assert read_alias() == DEFAULT_DB_ALIAS
    with replica():
        assert read_alias() == REPLICA
        assert router.db_for_read(Unit) == REPLICA
        with primary():  # a pinned client (just wrote) reads the primary even inside replica()
            assert read_alias() == DEFAULT_DB_ALIAS
        assert read_alias() == REPLICA
    assert read_alias() == DEFAULT_DB_ALIAS


def test_replica_is_a_decorator_too(configured):
    @replica()
    def heavy():
        return read_alias()

    assert heavy() == REPLICA
    assert heavy() == REPLICA  # reusable: a fresh context manager per call
    assert read_alias() == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_inside_an_atomic_block_reads_go_to_the_primary(configured):
    # A django_db test runs inside an atomic block, as a service's read-then-write does.
    with replica():
        assert read_alias() == DEFAULT_DB_ALIAS


def test_session_cache_tasks_and_throttle_tables_never_read_the_replica(configured):
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult
    from rest_framework.authtoken.models import Token

    cache_entry = SimpleNamespace(_meta=SimpleNamespace(app_label="django_cache"))
    with replica():
        for model in (Session, Token, DBTaskResult, AccessAttempt, cache_entry):
            assert db.ReplicaRouter().db_for_read(model) == DEFAULT_DB_ALIAS, model
        assert db.ReplicaRouter().db_for_read(User) == REPLICA


def test_writes_and_migrations_stay_on_the_primary(configured):
    read_there = Unit(name="x")
    read_there._state.db = REPLICA  # as if loaded inside replica()
    with replica():
        # Without an explicit answer Django would write an instance back where it was read from.
        assert router.db_for_write(Unit, instance=read_there) == DEFAULT_DB_ALIAS
    assert router.allow_relation(read_there, Unit(name="y"))
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "org")
    assert not router.allow_migrate(REPLICA, "org")


def test_a_streamed_body_keeps_the_views_choice(configured):
    def rows():
        for _ in range(2):
            yield read_alias()

    with replica():
        body = streamed(rows())
        pinned_body = None
        with primary():
            pinned_body = streamed(rows())
    # Consumed later, outside both blocks, as the WSGI server consumes a StreamingHttpResponse.
    assert list(body) == [REPLICA, REPLICA]
    assert list(pinned_body) == [DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
    assert read_alias() == DEFAULT_DB_ALIAS


# --- read-your-writes through the middleware -----------------------------------------------------


class Client:
    """A browser (one session) or a token client sending requests through ReplicaMiddleware to a
    view that opted into the replica; each answer is where that view's reads went."""

    def __init__(self, *, token: str | None = None):
        self.session = SessionStore()
        self.token = token

    def send(self, method: str) -> str:
        request = getattr(RequestFactory(), method.lower())("/")
        request.session = self.session
        request.user = AnonymousUser() if self.token else User(pk=1, username="alice")
        if self.token:
            request.META["HTTP_AUTHORIZATION"] = f"Token {self.token}"

        @replica()
        def view(request):
            return HttpResponse(read_alias())

        return ReplicaMiddleware(view)(request).content.decode()


@override_settings(REPLICA_STICKY_SECONDS=10)
def test_after_a_write_the_client_reads_the_primary_for_a_while(configured):
    now = 1_000_000.0
    officer, other = Client(), Client()
    with mock.patch("lib.db.time.time", side_effect=lambda: now):
        assert officer.send("GET") == REPLICA
        assert officer.send("POST") == DEFAULT_DB_ALIAS  # a non-safe request reads the primary
        now += 9
        assert officer.send("GET") == DEFAULT_DB_ALIAS  # ...and so does the next one
        assert other.send("GET") == REPLICA  # only the client who wrote
        now += 2
        assert officer.send("GET") == REPLICA  # 11 s later: the replica again
        assert officer.send("PUT") == DEFAULT_DB_ALIAS
        assert officer.send("HEAD") == DEFAULT_DB_ALIAS


@override_settings(REPLICA_STICKY_SECONDS=10)
def test_a_token_client_is_sticky_too(configured):
    cache.clear()
    now = 2_000_000.0
    client, other = Client(token="abc"), Client(token="def")
    with mock.patch("lib.db.time.time", side_effect=lambda: now):
        assert client.send("GET") == REPLICA
        assert client.send("DELETE") == DEFAULT_DB_ALIAS
        now += 5
        assert client.send("GET") == DEFAULT_DB_ALIAS
        assert other.send("GET") == REPLICA
        now += 6
        assert client.send("GET") == REPLICA
    assert db.WROTE_AT not in client.session  # token clients keep no session stamp


def test_without_a_replica_the_middleware_stamps_nothing(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: False)
    officer = Client()
    assert officer.send("POST") == DEFAULT_DB_ALIAS
    assert db.WROTE_AT not in officer.session


def test_the_settings_define_the_replica_alias_only_when_its_url_is_set():
    code = (
        "import json; from config.settings import base; "
        "print(json.dumps({k: [v['PORT'], v.get('TEST')] for k, v in base.DATABASES.items()}))"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/thidua"}
    env.pop("DATABASE_REPLICA_URL", None)
    alone = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    env["DATABASE_REPLICA_URL"] = "postgres://postgres@127.0.0.1:5433/thidua"
    both = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert alone.returncode == 0 and both.returncode == 0, alone.stderr + both.stderr
    assert '"replica"' not in alone.stdout
    # The replica keeps its own port; under tests it takes the primary's test database name.
    assert '"replica": [5433, {"MIRROR": "default"}]' in both.stdout


def test_production_settings_keep_the_router_and_the_middleware():
    code = (
        "from config.settings import production as s; "
        "print('lib.db.ReplicaRouter' in s.DATABASE_ROUTERS, "
        "s.MIDDLEWARE.index('lib.db.ReplicaMiddleware') "
        "== s.MIDDLEWARE.index('django.contrib.auth.middleware.AuthenticationMiddleware') + 1)"
    )
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/thidua",
        "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5433/thidua",
        "SECRET_KEY": "a-test-secret-that-is-not-the-development-one",
        "ALLOWED_HOSTS": "thidua.example.org",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]
