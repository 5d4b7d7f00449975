"""`make serve` on loopback, as two machines: `manage.py serve` with the production settings (the
documented environment, behind a pretend TLS proxy that sets X-Forwarded-Proto/-For) on a scratch
database and a shared Redis. Machine A prepares (migrate, collectstatic) and runs gunicorn and the
task worker; machine B only gunicorn.

Wanted: the probes answer over plain HTTP, pages go to HTTPS with HSTS, whitenoise serves hashed
static files with a far-future cache header, log lines are JSON with the request's id, the verify
page's limit and the login throttle count across both machines (the counters in Redis, the
throttle in the database), a session opened on A works on B, and stopping `serve` stops gunicorn
and the worker. Needs gunicorn and Redis on 127.0.0.1:6379: skipped without them, failed on CI."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from lib.loopback.server import ROOT, ScratchDatabase, Server, Unavailable, free_port
from lib.testing import require_service

pytestmark = pytest.mark.xdist_group("serve")

REDIS = "redis://127.0.0.1:6379/0"
OFFICER, PASSWORD = "tinh.quangtri", "thidua2021"  # the demo's provincial officer
START_SECONDS = 300
SET_PASSWORD = (
    "import django; django.setup(); from accounts.models import User; "
    f"u = User.objects.get(username={OFFICER!r}); u.set_password({PASSWORD!r}); u.save()"
)  # machine A migrates and collects the static files first


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


class Machine:
    """`manage.py serve` on a free loopback port, its output in a log file."""

    def __init__(self, name: str, db: ScratchDatabase, env: dict[str, str], *extra: str) -> None:
        self.name, self.port = name, free_port()
        self.log_path = db.dir / f"{name}.log"
        self.log = self.log_path.open("w")
        cmd = [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{self.port}", *extra]
        cmd += ["--reminders-every", "0"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer within {START_SECONDS} s:\n{self.output()}")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def children(self) -> dict[str, int]:
        found = re.search(r"Serving \(pids: ([^)]*)\)", self.output())
        return {k: int(v) for k, v in (p.split() for p in found.group(1).split(", "))} if found else {}


@pytest.fixture(scope="module")
def site():
    try:
        Server.check()
    except Unavailable as exc:
        require_service(False, str(exc))
    redis = redis_client()
    require_service(redis is not None, "Redis is not reachable on 127.0.0.1:6379")
    db = ScratchDatabase()
    prefix = f"thidua-serve-test-{os.getpid()}"
    machines: list[Machine] = []
    try:
        try:
            db.prepare(members=200)
        except Unavailable as exc:
            require_service(False, str(exc))
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY_FILE")
            },
            # The documented environment (docs/deploy.md), a TLS proxy in front.
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "p4Vn8Qx2Lw7Rt5Ym1Zk9Hs3Jd6Gf0Bc2Na8Me4Ki7Lo1Pu5Iy3Tr9Ew6Qs2Az8Xc",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": db.url,
            "REDIS_URL": REDIS,
            "CACHE_KEY_PREFIX": prefix,
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
            "TRUSTED_PROXY_HEADER": "HTTP_X_FORWARDED_FOR",
            "TRUSTED_PROXY_COUNT": "1",
            # Small for the test: this machine's cores are shared, the limits quick to reach.
            "WEB_WORKERS": "2",
            "WEB_THREADS": "4",
            "AWARDS_VERIFY_RATE_LIMIT": "4",
            "AXES_FAILURE_LIMIT": "3",
            "STATIC_ROOT": str(db.dir / "static"),
            "MEDIA_ROOT": str(db.media),
            "LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }
        # The demo's passwords were hashed for speed (config.settings.loopback): the officer's again
        # with production's hasher.
        subprocess.run(
            [sys.executable, "-c", SET_PASSWORD],
            cwd=ROOT,
            env={**env, "STATIC_ROOT": str(db.dir)},
            check=True,
            capture_output=True,
            timeout=120,
        )
        a = Machine("a", db, env)
        machines.append(a)
        a.wait_ready()
        b = Machine("b", db, env, "--no-prepare", "--no-worker")
        machines.append(b)
        b.wait_ready()
        yield {"a": a, "b": b, "db": db, "redis": redis, "prefix": prefix, "static": Path(env["STATIC_ROOT"])}
    finally:
        for machine in machines:
            machine.stop()
        db.drop()
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)


HTTPS = {"X-Forwarded-Proto": "https"}


def client(address: str) -> dict[str, str]:
    """Headers of a request the proxy passed on: over TLS, from `address`."""
    return {**HTTPS, "X-Forwarded-For": address}


def test_the_probes_answer_over_plain_http_at_the_machine_address(site):
    for machine in (site["a"], site["b"]):
        status, _headers, body = machine.get("/healthz", {"Host": "10.0.0.7:8000"})
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        status, _headers, body = machine.get("/readyz", {"Host": "10.0.0.7:8000"})
        answer = json.loads(body)
        assert status == 200, answer
        assert answer["checks"] == {"database": "ok", "cache": "ok", "tasks": "ok"}


def test_pages_go_to_https_and_answer_there_with_hsts_and_secure_cookies(site):
    a = site["a"]
    status, headers, _body = a.get("/accounts/login/")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{a.port}/accounts/login/"
    status, headers, _body = a.get("/accounts/login/", HTTPS)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Secure" in headers["Set-Cookie"]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_whitenoise_serves_hashed_static_files_cached_for_a_year(site):
    manifest = json.loads((site["static"] / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/thidua.css"]
    assert hashed != "css/thidua.css"
    status, headers, body = site["b"].get(f"/static/{hashed}", {**HTTPS, "Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/css")
    assert body  # gzip of the stylesheet
    status, headers, _body = site["b"].get("/static/css/thidua.css", HTTPS)  # the unhashed name
    assert status == 200
    assert "immutable" not in headers["Cache-Control"]


def test_log_lines_are_json_objects_with_the_request_id(site):
    a = site["a"]
    _status, headers, _body = a.get("/accounts/login/?from=log-test", HTTPS)
    rid = headers["X-Request-ID"]
    deadline = time.monotonic() + 10
    while rid not in a.output() and time.monotonic() < deadline:
        time.sleep(0.2)
    lines = [json.loads(line) for line in a.output().splitlines() if line.startswith("{")]
    (mine,) = [line for line in lines if line.get("request_id") == rid]
    assert {k: mine[k] for k in ("level", "logger", "method", "path", "status", "client")} == {
        "level": "INFO",
        "logger": "thidua.request",
        "method": "GET",
        "path": "/accounts/login/",
        "status": 200,
        "client": "127.0.0.1",
    }
    assert mine["duration_ms"] >= 0 and mine["time"].endswith("Z") and mine["message"]
    assert any(line["logger"].startswith("gunicorn") for line in lines)  # gunicorn's own, as JSON too
    plain = [line for line in a.output().splitlines() if line and not line.startswith("{")]
    assert all(line.startswith(("Migrating", "Serving")) for line in plain), plain[:10]


def test_the_verify_limit_counts_one_client_across_both_machines_in_redis(site):
    a, b = site["a"], site["b"]
    url = "/verify/ABCDE23456/"
    me = client("198.51.100.7")
    assert [m.get(url, me)[0] for m in (a, b, a, b)] == [404] * 4
    assert b.get(url, me)[0] == 429
    assert a.get(url, me)[0] == 429
    assert a.get(url, client("198.51.100.8"))[0] == 404  # another client behind the same proxy
    keys = {k.decode() for k in site["redis"].scan_iter(f"{site['prefix']}:*awards:verify:*")}
    assert keys == {f"{site['prefix']}:1:awards:verify:{ip}" for ip in ("198.51.100.7", "198.51.100.8")}


def token(machine: Machine, password: str, address: str) -> int:
    body = json.dumps({"username": OFFICER, "password": password}).encode()
    headers = {**client(address), "Content-Type": "application/json"}
    return machine.request("POST", "/api/auth/token/", body, headers)[0]


def test_the_login_throttle_counts_one_client_across_both_machines(site):
    a, b = site["a"], site["b"]
    address = "198.51.100.9"
    assert [token(a, "wrong", address), token(b, "wrong", address)] == [400, 400]
    token(a, "wrong", address)  # the third: locked from now on, on every machine
    assert token(b, PASSWORD, address) == 429
    assert token(a, PASSWORD, address) == 429
    assert token(b, PASSWORD, "198.51.100.10") == 200  # the same account from elsewhere


def test_a_session_opened_on_one_machine_works_on_the_other(site):
    a, b = site["a"], site["b"]
    origin = f"https://127.0.0.1:{a.port}"
    _status, headers, page = a.get("/accounts/login/", HTTPS)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    form_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"csrfmiddlewaretoken": form_token, "username": OFFICER, "password": PASSWORD})
    status, headers, _body = a.request(
        "POST",
        "/accounts/login/",
        form.encode(),
        {
            **client("198.51.100.11"),
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
    )
    assert status == 302, _body[:500]
    session = re.search(r"sessionid=([^;]+)", " ".join(headers.get_all("Set-Cookie"))).group(1)
    status, _headers, _body = b.get(
        "/", {**HTTPS, "Cookie": f"sessionid={session}", "Host": f"127.0.0.1:{a.port}"}
    )
    assert status == 200
    cached = list(site["redis"].scan_iter(f"{site['prefix']}:*django.contrib.sessions.cached_db*"))
    assert cached, "the session is not in Redis"


def test_stopping_serve_stops_gunicorn_and_the_worker_together(site):
    a = site["a"]
    children = a.children()
    assert set(children) == {"gunicorn", "worker"}
    assert a.stop() == 0
    for name, pid in children.items():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"{name} ({pid}) still runs after serve stopped")
