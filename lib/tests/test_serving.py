"""Serving as production serves (issue 13 item 4), in process: the load balancer's probes, the
request log and its id, the client address from a configured proxy header only, and where the
cache lives. The real server (gunicorn, production settings, two machines) is in
lib/tests/test_serve_loopback.py."""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import subprocess
import sys
from unittest import mock

from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lib.jsonlog import JsonFormatter, RequestContextFilter, TextFormatter, logging_config
from lib.proxy import forwarded_client
from lib.testing import PASSWORD, BaseTestCase


class ProbeTests(TestCase):
    def test_healthz_answers_ok_without_touching_the_database(self):
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertEqual(reverse("healthz"), "/healthz")

    def test_readyz_checks_the_database_the_cache_and_the_queue(self):
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["checks"], {"database": "ok", "cache": "ok", "tasks": "ok"})
        self.assertEqual(body["queue_wait_seconds"], 0)

    def test_readyz_is_503_when_the_cache_fails_and_says_no_more(self):
        with mock.patch("lib.health.cache.set", side_effect=ConnectionError("redis://secret@host down")):
            with self.assertLogs("lib.health", "ERROR"):
                response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["cache"], "error")
        self.assertNotIn(b"secret", response.content)
        self.assertNotIn(b"redis", response.content)

    def test_a_queue_that_waited_too_long_fails_readyz_only_when_configured(self):
        task = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="reports.tasks.send_report_reminders",
            backend_name="default",
            run_after=timezone.now() - datetime.timedelta(hours=2),
        )
        DBTaskResult.objects.filter(pk=task.pk).update(
            enqueued_at=timezone.now() - datetime.timedelta(hours=2)
        )
        body = self.client.get("/readyz").json()
        self.assertGreaterEqual(body["queue_wait_seconds"], 7190)
        self.assertEqual(body["checks"]["tasks"], "ok")
        with override_settings(READYZ_QUEUE_MAX_WAIT=3600):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["tasks"], "stale")

    @override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["thidua.example.vn"])
    def test_probes_over_plain_http_to_the_machine_address_are_answered(self):
        # What a load balancer sends: http, Host = the machine's address.
        for path in ("/healthz", "/readyz"):
            with self.subTest(path):
                self.assertEqual(self.client.get(path, HTTP_HOST="10.0.0.7:8000").status_code, 200)
        # Any other page there is still refused (host) or sent to https.
        self.assertEqual(self.client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code, 400)
        login = self.client.get("/accounts/login/", HTTP_HOST="thidua.example.vn")
        self.assertEqual(login.status_code, 301)
        self.assertTrue(login["Location"].startswith("https://"))

    def test_only_get_and_head_are_probes(self):
        self.assertEqual(self.client.head("/healthz").status_code, 200)
        self.assertEqual(self.client.post("/healthz").status_code, 405)


def captured(logger_name: str = "thidua.request", fmt=JsonFormatter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(fmt())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger(logger_name)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(old_level)

    return restore, stream


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


class RequestLogTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        restore, self.stream = captured()
        self.addCleanup(restore)

    def test_one_json_line_per_request_with_its_id_user_path_status_and_duration(self):
        self.login(self.alice)
        response = self.client.get("/org/members/")
        self.assertEqual(response.status_code, 200)
        (line,) = json_lines(self.stream)
        self.assertEqual(line["request_id"], response["X-Request-ID"])
        self.assertRegex(line["request_id"], r"^[0-9a-f]{32}$")
        self.assertEqual(line["user_id"], self.alice.pk)
        self.assertEqual((line["method"], line["path"], line["status"]), ("GET", "/org/members/", 200))
        self.assertIsInstance(line["duration_ms"], float)
        self.assertEqual((line["level"], line["logger"]), ("INFO", "thidua.request"))
        self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertIn("/org/members/ 200", line["message"])

    def test_anonymous_requests_have_no_user_and_every_request_its_own_id(self):
        first, second = self.client.get("/accounts/login/"), self.client.get("/accounts/login/")
        self.assertNotEqual(first["X-Request-ID"], second["X-Request-ID"])
        lines = json_lines(self.stream)
        self.assertEqual(len(lines), 2)
        self.assertNotIn("user_id", lines[0])

    def test_an_incoming_id_is_kept_only_when_configured_and_well_formed(self):
        given = "edge-4f2a9c:17"
        self.assertNotEqual(
            self.client.get("/accounts/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"], given
        )
        with override_settings(REQUEST_ID_HEADER="HTTP_X_REQUEST_ID"):
            self.assertEqual(
                self.client.get("/accounts/login/", HTTP_X_REQUEST_ID=given)["X-Request-ID"], given
            )
            for bad in ('x"}\n{"level":"ERROR', "a" * 200, "-leading"):
                with self.subTest(bad=bad):
                    echoed = self.client.get("/accounts/login/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
                    self.assertRegex(echoed, r"^[0-9a-f]{32}$")

    @override_settings(ROOT_URLCONF="lib.tests.urls_requestlog")
    def test_lines_written_during_a_request_carry_its_id_and_errors_are_logged(self):
        restore, stream = captured("lib.tests.urls_requestlog")
        self.addCleanup(restore)
        response = self.client.get("/says/")
        (said,) = json_lines(stream)
        self.assertEqual(said["message"], "inside the view")
        self.assertEqual(said["request_id"], response["X-Request-ID"])
        self.assertEqual(said["path"], "/says/")
        answer = Client(raise_request_exception=False).get("/fails/")
        self.assertEqual(answer.status_code, 500)
        last = json_lines(self.stream)[-1]
        self.assertEqual((last["status"], last["level"]), (500, "ERROR"))

    def test_text_format_for_people(self):
        restore, stream = captured(fmt=TextFormatter)
        self.addCleanup(restore)
        response = self.client.get("/accounts/login/")
        line = stream.getvalue().strip()
        self.assertIn(f"INFO thidua.request [{response['X-Request-ID']}] GET /accounts/login/ 200", line)

    def test_the_log_format_is_json_or_text(self):
        self.assertEqual(logging_config("json")["formatters"]["main"]["()"], JsonFormatter)
        with self.assertRaises(ValueError):
            logging_config("xml")


class ProxyAddressTests(BaseTestCase):
    def test_the_client_is_the_nth_address_from_the_right(self):
        chain = "6.6.6.6, 203.0.113.5, 10.0.0.2"
        self.assertEqual(forwarded_client(chain, 1), "10.0.0.2")
        self.assertEqual(forwarded_client(chain, 2), "203.0.113.5")
        self.assertIsNone(forwarded_client(chain, 4))  # fewer hops than proxies: not trusted
        self.assertIsNone(forwarded_client("not-an-address", 1))
        self.assertEqual(forwarded_client("203.0.113.5:4711", 1), "203.0.113.5")
        self.assertEqual(forwarded_client("[2001:db8::1]:443", 1), "2001:db8::1")
        self.assertEqual(forwarded_client("2001:db8::1", 1), "2001:db8::1")
        self.assertIsNone(forwarded_client("", 1))

    def fail_login(self, **headers) -> None:
        self.client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"}, **headers)

    def test_without_configuration_x_forwarded_for_is_ignored(self):
        self.fail_login(HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="10.0.0.2")
        self.assertEqual(list(AccessAttempt.objects.values_list("ip_address", flat=True)), ["10.0.0.2"])

    @override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1)
    def test_with_one_trusted_proxy_the_throttle_counts_the_forwarded_client(self):
        self.fail_login(HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1", REMOTE_ADDR="10.0.0.2")
        self.assertEqual(list(AccessAttempt.objects.values_list("ip_address", flat=True)), ["198.51.100.1"])

    @override_settings(
        TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1, AWARDS_VERIFY_RATE_LIMIT=(2, 600)
    )
    def test_the_verify_limit_counts_the_forwarded_client(self):
        url = reverse("verify", args=["ABCDE23456"])
        behind = {"REMOTE_ADDR": "10.0.0.2"}  # every request comes from the proxy
        codes = [
            self.client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1", **behind).status_code for _ in range(3)
        ]
        self.assertEqual(codes, [404, 404, 429])
        other = self.client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2", **behind)
        self.assertEqual(other.status_code, 404)

    def test_a_good_login_still_works_behind_the_proxy(self):
        with override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR"):
            response = self.client.post(
                reverse("accounts:login"),
                {"username": "alice", "password": PASSWORD},
                HTTP_X_FORWARDED_FOR="198.51.100.1",
            )
        self.assertEqual(response.status_code, 302)


def settings_in_child(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class CacheSettingTests(SimpleTestCase):
    PROBE = "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"

    def test_the_cache_is_never_a_process_memory(self):
        # The developer's settings and production's (without REDIS_URL): the database's table.
        production = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "thidua.example.vn",
            "DATABASE_URL": "postgres://thidua@db.example.vn:5432/thidua",
        }
        for env in ({}, {"DJANGO_SETTINGS_MODULE": "config.settings.loopback"}, production):
            with self.subTest(env.get("DJANGO_SETTINGS_MODULE", "local")):
                self.assertEqual(
                    settings_in_child(self.PROBE, **env),
                    "django.core.cache.backends.db.DatabaseCache django.contrib.sessions.backends.db",
                )

    def test_only_the_test_settings_keep_the_cache_in_memory(self):
        folder = settings.BASE_DIR / "config" / "settings"
        in_memory = sorted(p.name for p in folder.glob("*.py") if "LocMemCache" in p.read_text())
        self.assertEqual(in_memory, ["test.py"])

    def test_with_redis_url_the_cache_is_redis(self):
        out = settings_in_child(
            self.PROBE + "; print(settings.CACHES['default']['LOCATION'])",
            REDIS_URL="redis://127.0.0.1:6379/3",
        )
        self.assertEqual(
            out.split(),
            [
                "django.core.cache.backends.redis.RedisCache",
                "django.contrib.sessions.backends.cached_db",
                "redis://127.0.0.1:6379/3",
            ],
        )
