"""A scratch database (created, migrated, filled with the demo, dropped afterwards) and the
processes that serve it: gunicorn with threaded workers, as in production, and the task worker.

The database is the server's own, never the one the test suite or the demo uses: a temporary
SQLite file, or, when DATABASE_URL names PostgreSQL, a fresh database called after the configured
one plus `_conc_<pid>` on the same server."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS = "config.settings.loopback"
START_SECONDS = 90


class Unavailable(RuntimeError):
    """Something the probe needs (gunicorn, the PostgreSQL server) is missing."""


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


class ScratchDatabase:
    """The server's own database, named after the configured one (DATABASE_URL)."""

    def __init__(self, base_url: str | None = None) -> None:
        base_url = os.environ.get("DATABASE_URL", "") if base_url is None else base_url
        self.dir = Path(tempfile.mkdtemp(prefix="thidua-loopback-"))
        self.media = self.dir / "media"
        self.created = False
        if _is_postgres(base_url):
            import dj_database_url

            cfg = dj_database_url.parse(base_url)
            self.vendor = "postgresql"
            self.name = f"{cfg['NAME']}_conc_{os.getpid()}"
            self.url = urlsplit(base_url)._replace(path=f"/{self.name}").geturl()
            given = {"host": cfg.get("HOST"), "port": cfg.get("PORT"), "user": cfg.get("USER")}
            given["password"] = cfg.get("PASSWORD")
            self._pg = {k: str(v) for k, v in given.items() if v}
        else:
            self.vendor = "sqlite"
            self.name = str(self.dir / "db.sqlite3")
            self.url = f"sqlite:///{self.name}"

    # -- life cycle ------------------------------------------------------------------------------

    def create(self) -> None:
        if self.vendor == "postgresql":
            try:
                with self._admin() as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                    conn.execute(f'CREATE DATABASE "{self.name}"')
            except Exception as exc:  # psycopg.OperationalError: no server, refused
                raise Unavailable(f"PostgreSQL is not reachable: {exc}") from exc
        self.created = True

    def drop(self) -> None:
        if self.vendor == "postgresql" and self.created:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.dir, ignore_errors=True)

    def prepare(self, *, members: int = 2000) -> None:
        """Create, migrate and fill with the demo (its accounts, units, members, report request),
        in one process: each Django start-up costs a second or two."""
        self.create()
        self.python(
            "import django; django.setup(); from django.core.management import call_command; "
            "call_command('migrate', interactive=False, verbosity=0); "
            f"call_command('load_demo', members={int(members)}, verbosity=0)"
        )

    def _admin(self):
        import psycopg

        return psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **self._pg)

    # -- use ---------------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        """The environment of every process that works on this database."""
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "MEDIA_ROOT": str(self.media),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PYTHONUNBUFFERED": "1",
        }

    def python(self, code: str, *, timeout: float = 600) -> str:
        """Run Python code in a child process on this database; its output."""
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"{code}\nfailed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """Rows of one statement on a fresh connection (`%s` placeholders on both databases)."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname=self.name, connect_timeout=10, **self._pg) as conn:
                return conn.execute(sql, params).fetchall()
        conn = sqlite3.connect(self.name, timeout=60)
        try:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, params: tuple | list = ()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child process on the scratch database, its output in a log file, stopped by its id."""

    def __init__(self, db: ScratchDatabase, name: str) -> None:
        self.db, self.name = db, name
        self.log_path = db.dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def spawn(self, cmd: list[str]) -> None:
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.db.env(), stdout=self.log, stderr=subprocess.STDOUT
        )

    stop_signal = signal.SIGTERM

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        if self.proc is not None:
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def errors(self) -> list[str]:
        """The lines of its log that tell of an error."""
        return [line for line in self.output().splitlines() if _error_line(line)]


def _error_line(line: str) -> bool:
    return "Traceback" in line or "database is locked" in line or "FAILED" in line


class Server(Process):
    """The site on 127.0.0.1 and a free port: gunicorn's threaded workers (the production server)
    or, to compare, Django's development server as `make run` starts it."""

    stop_signal = signal.SIGINT  # gunicorn: quick shutdown, no wait for idle keep-alive connections

    @staticmethod
    def check(kind: str = "gunicorn") -> None:
        """Raise Unavailable when the server program is not installed."""
        if kind == "gunicorn" and importlib.util.find_spec("gunicorn") is None:
            raise Unavailable("gunicorn is not installed (pip install -r requirements.txt)")

    def __init__(self, db: ScratchDatabase, *, kind: str = "gunicorn", workers: int = 2, threads: int = 16):
        super().__init__(db, kind)
        self.kind, self.workers, self.threads = kind, workers, threads
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        address = f"127.0.0.1:{self.port}"
        self.check(self.kind)
        if self.kind == "gunicorn":
            cmd = [
                *(sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", address),
                *("--worker-class", "gthread", "--workers", str(self.workers)),
                *("--threads", str(self.threads), "--timeout", "120", "--graceful-timeout", "10"),
                *("--no-control-socket", "--access-logfile", "-", "--access-logformat", "%(s)s %(m)s %(U)s"),
            ]
        else:
            cmd = [sys.executable, "manage.py", "runserver", "--noreload", address]
        self.spawn(cmd)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_SECONDS} s:\n{self.output()}")

    def errors(self) -> list[str]:
        """Tracebacks and 5xx lines the server logged."""
        return [
            line
            for line in self.output().splitlines()
            if _error_line(line) or line.startswith("5") or '" 5' in line
        ]


class Worker(Process):
    """`manage.py db_worker`, as `make run` starts it beside the site."""

    def __init__(self, db: ScratchDatabase) -> None:
        super().__init__(db, "worker")

    def start(self) -> Worker:
        self.spawn([sys.executable, "manage.py", "db_worker", "--interval", "0.5"])
        return self
