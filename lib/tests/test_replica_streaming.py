"""Against a REAL PostgreSQL streaming replica (.ci/replica starts one): what the router promises.

Runs only when DATABASE_REPLICA_URL is set (the "replica" alias is the standby's copy of the
primary's test database, received by streaming). Elsewhere it skips; on CI it fails unless
.ci/run will run it against the replica afterwards (CI_REPLICA_FOLLOWS=true).

Replay on the standby is paused (`pg_wal_replay_pause`) while a row is written on the primary, so
"the replica is behind" is a state the test holds, not a race it hopes to win. The data must be
committed to be streamed: these tests are transactional, and few.
"""

import datetime
import os
import time
from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from lib.db import REPLICA, replica, replica_configured
from lib.testing import make_unit, make_user, on_ci
from org.models import Sex, Unit, UnitKind
from org.services.members import member_create

CONFIGURED = replica_configured()
pytestmark = pytest.mark.django_db(
    transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA] if CONFIGURED else [DEFAULT_DB_ALIAS]
)


@pytest.fixture(autouse=True)
def standby():
    if not CONFIGURED:
        message = "DATABASE_REPLICA_URL is not set: the streaming replica tests run in .ci/replica"
        if on_ci() and os.environ.get("CI_REPLICA_FOLLOWS", "").lower() != "true":
            pytest.fail(f"{message}, and no replica run follows this one on CI")
        pytest.skip(message)
    caught_up()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("select pg_is_in_recovery()")
        assert cursor.fetchone()[0], "DATABASE_REPLICA_URL must name a standby, not a primary"
    yield
    _resume()


def _lsn(alias: str, sql: str):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def caught_up(timeout: float = 60) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    target = _lsn(DEFAULT_DB_ALIAS, "select pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
        except OperationalError:  # the test database may not have reached the standby yet
            connections[REPLICA].close()
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay up to {target} in {timeout} s")
        time.sleep(0.05)


def _resume() -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("select pg_wal_replay_resume()")


@contextmanager
def replay_paused():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("select pg_wal_replay_pause()")
        for _ in range(200):
            cursor.execute("select pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                break
            time.sleep(0.05)
        else:
            pytest.fail("replay on the standby did not pause")
    try:
        yield
    finally:
        _resume()


def test_a_read_inside_replica_goes_to_the_standby_and_sees_a_row_once_replayed():
    with replay_paused():
        make_unit(None, "RPL", "Liên đoàn Lao động Thử nghiệm", UnitKind.CONFEDERATION)
        assert Unit.objects.filter(code="RPL").exists()  # outside replica(): the primary
        with replica(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert not Unit.objects.filter(code="RPL").exists()  # the standby is behind
        assert len(on_replica) == 1
    caught_up()
    with replica(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        unit = Unit.objects.get(code="RPL")
    assert len(on_replica) == 1 and unit._state.db == REPLICA
    # An object read on the standby is saved on the primary.
    unit.name = "Liên đoàn Lao động Thử nghiệm (đổi tên)"
    unit.save(update_fields=["name"])
    assert Unit.objects.get(code="RPL").name.endswith("(đổi tên)")


def test_the_officer_who_just_wrote_reads_the_primary_and_the_others_the_replica(client):
    root = make_unit(None, "RPT", "Tổng Liên đoàn", UnitKind.CONFEDERATION)
    province = make_unit(root, "RPT.QT", "LĐLĐ tỉnh Quảng Trị", UnitKind.PROVINCE)
    school = make_unit(province, "RPT.QT.001", "Công đoàn Trường Lê Lợi", UnitKind.GRASSROOTS)
    alice = make_user("alice", province, Role.Kind.OFFICER)
    bob = make_user("bob", province, Role.Kind.VIEWER)
    caught_up()
    members = reverse("org:member-list")
    with replay_paused():
        member_create(
            unit=school, full_name="Phạm Văn Mới", sex=Sex.MALE, date_of_birth=datetime.date(1990, 1, 1)
        )
        client.force_login(bob, backend="django.contrib.auth.backends.ModelBackend")
        assert "Phạm Văn Mới" not in client.get(members).content.decode()  # served by the standby
        client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
        assert "Phạm Văn Mới" not in client.get(members).content.decode()
        client.post(reverse("org:member-create"), {})  # any write (here a refused form) pins her
        assert "Phạm Văn Mới" in client.get(members).content.decode()  # read-your-writes
        client.force_login(bob, backend="django.contrib.auth.backends.ModelBackend")
        assert "Phạm Văn Mới" not in client.get(members).content.decode()
    caught_up()
    assert "Phạm Văn Mới" in client.get(members).content.decode()


def test_the_standby_refuses_writes():
    make_unit(None, "RPW", "Liên đoàn Ghi", UnitKind.CONFEDERATION)
    caught_up()
    with pytest.raises(DatabaseError, match="read-only transaction"):
        Unit.objects.using(REPLICA).filter(code="RPW").update(name="x")
    assert Unit.objects.get(code="RPW").name == "Liên đoàn Ghi"


def test_the_heavy_pages_read_the_standby(client):
    """The opt-ins are in place: each heavy page (and API list) queries the standby, and still
    answers as on the primary; a non-safe request queries the standby not once."""
    root = make_unit(None, "RPH", "Tổng Liên đoàn", UnitKind.CONFEDERATION)
    school = make_unit(root, "RPH.001", "Công đoàn Trường Lê Lợi", UnitKind.GRASSROOTS)
    member_create(
        unit=school, full_name="Lê Thị Đọc", sex=Sex.FEMALE, date_of_birth=datetime.date(1990, 1, 1)
    )
    alice = make_user("alice", root, Role.Kind.OFFICER)
    caught_up()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    pages = [
        reverse("home"),
        reverse("org:member-list"),
        reverse("org:member-export") + "?format=csv",
        reverse("awards:register"),
        "/api/members/",
        "/api/register/",
    ]
    for url in pages:
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert len(on_replica) > 0, f"{url} did not read the standby"
        if "member" in url:  # the rows themselves came from the standby (the CSV is streamed)
            assert "Lê Thị Đọc" in body.decode(), url
            assert any('"org_member"' in q["sql"] for q in on_replica), url
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        client.post(reverse("org:member-list"))
    assert len(on_replica) == 0
