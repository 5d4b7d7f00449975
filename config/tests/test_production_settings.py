"""Production settings refuse to start without their secrets; development and test settings do not
need them. Each case imports the settings in a fresh interpreter with a controlled environment."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

GOOD = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "thidua.example.vn",
    "DATABASE_URL": "postgres://thidua@db.example.vn:5432/thidua",
}
OURS = ("SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
PROBE = (
    "from django.conf import settings; print(settings.SECRET_KEY[:8], settings.ALLOWED_HOSTS, settings.DEBUG)"
)


def start(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_it_starts_with_every_variable_set(self):
        run = start("config.settings.production", **GOOD)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.stdout.split(), ["xxxxxxxx", "['thidua.example.vn']", "False"])

    def test_it_refuses_to_start_without_each_variable(self):
        for name in GOOD:
            with self.subTest(missing=name):
                run = start("config.settings.production", **{k: v for k, v in GOOD.items() if k != name})
                self.assertNotEqual(run.returncode, 0)
                self.assertIn("ImproperlyConfigured", run.stderr)
                self.assertIn(name, run.stderr.splitlines()[-1])

    def test_blank_values_count_as_missing(self):
        run = start("config.settings.production", **{**GOOD, "SECRET_KEY": " ", "ALLOWED_HOSTS": " , "})
        self.assertIn("ImproperlyConfigured", run.stderr)
        last = run.stderr.splitlines()[-1]
        self.assertIn("SECRET_KEY", last)
        self.assertIn("ALLOWED_HOSTS", last)
        self.assertNotIn("DATABASE_URL", last)

    def test_the_development_key_is_refused(self):
        run = start("config.settings.production", **{**GOOD, "SECRET_KEY": "dev-only-insecure-key-change-me"})
        self.assertIn("ImproperlyConfigured", run.stderr)
        self.assertIn("development key", run.stderr)

    def test_the_key_may_come_from_a_file(self):
        path = os.path.join(settings.BASE_DIR, "var", "test-secret-key")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write("y" * 50 + "\n")
        self.addCleanup(os.remove, path)
        env = {k: v for k, v in GOOD.items() if k != "SECRET_KEY"}
        run = start("config.settings.production", SECRET_KEY_FILE=path, **env)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue(run.stdout.startswith("yyyyyyyy"))

    def test_development_and_test_settings_need_none_of_them(self):
        for module in ("config.settings.local", "config.settings.test"):
            with self.subTest(module):
                run = start(module)
                self.assertEqual(run.returncode, 0, run.stderr)


# The environment docs/deploy.md documents for one machine behind a TLS-terminating proxy.
DOCUMENTED = {
    **GOOD,
    "SECRET_KEY": "k7Rf2mQ9vXw4Lp8sZt1Yb6Nc3Hd5Gj0Ua7Ee2Ii9Oo4Pq8Rr1Ss6Tt3Uu5Vv0Ww",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    "TRUSTED_PROXY_HEADER": "HTTP_X_FORWARDED_FOR",
    "TRUSTED_PROXY_COUNT": "1",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Set by the test run itself (pytest-django's async guard is off in tests), not by a deployment.
DEPLOY_ENV = (
    *("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "REDIS_URL", "LOG_FORMAT"),
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OURS + DEPLOY_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_gives_no_warning_with_the_documented_environment(self):
        run = check_deploy(**DOCUMENTED)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("System check identified no issues (0 silenced).", run.stdout)

    def test_the_local_try_relaxations_are_warned_about(self):
        # make serve SERVE_LOCAL=1 turns these off for plain HTTP on loopback: never in production.
        run = check_deploy(**DOCUMENTED, SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false")
        self.assertNotEqual(run.returncode, 0)
        for warning in ("security.W008", "security.W012", "security.W016"):
            self.assertIn(warning, run.stderr)

    def test_production_serves_https_only_and_its_static_files_itself(self):
        probe = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT, s.LOGGING['formatters']['main']['()'].__name__, "
            "s.MIDDLEWARE.index('whitenoise.middleware.WhiteNoiseMiddleware') "
            "- s.MIDDLEWARE.index('django.middleware.security.SecurityMiddleware'))"
        )
        clean = {k: v for k, v in os.environ.items() if k not in OURS + DEPLOY_ENV}
        run = subprocess.run(
            [sys.executable, "-c", probe],
            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **DOCUMENTED},
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(
            run.stdout.strip(),
            "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') ['^healthz$', '^readyz$'] JsonFormatter 1",
        )
