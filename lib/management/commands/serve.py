"""`manage.py serve`: the site as production serves it (`make serve`).

Prepares the database and static files (migrate, the cache table, collectstatic), then runs
gunicorn (config/gunicorn.conf.py: threaded workers from the cores) and the task worker
(`manage.py db_worker`) side by side, with the hourly report reminders queued from here. When one
of the two stops, or this process is told to stop (Ctrl-C, SIGTERM), both are stopped together
and the command exits: a supervisor (systemd) restarts the whole set.

Run it with the production settings and their environment (docs/deploy.md)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

STOP_SECONDS = 25


class Command(BaseCommand):
    help = "Serve the site with gunicorn and the task worker, stopped together (make serve)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bind", default="", help="host:port (default: BIND, or HOST:PORT, or 127.0.0.1:8000)"
        )
        parser.add_argument("--no-prepare", action="store_true", help="Skip migrate and collectstatic.")
        parser.add_argument("--no-worker", action="store_true", help="Run no task worker here.")
        parser.add_argument(
            "--reminders-every",
            type=int,
            default=3600,
            help="Queue the report reminders every this many seconds (0: never; use cron instead).",
        )

    def handle(self, *args, bind: str, no_prepare: bool, no_worker: bool, reminders_every: int, **options):
        if not no_prepare:
            self.stdout.write("Migrating the database and collecting the static files...")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-c",
            "config/gunicorn.conf.py",
        ]
        if bind:
            gunicorn += ["--bind", bind]
        children = {"gunicorn": subprocess.Popen(gunicorn, cwd=settings.BASE_DIR)}
        if not no_worker:
            worker = [sys.executable, "manage.py", "db_worker"]
            children["worker"] = subprocess.Popen(worker, cwd=settings.BASE_DIR)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        if reminders_every > 0:
            threading.Thread(target=self.reminders, args=(reminders_every, stop), daemon=True).start()
        self.stdout.write(f"Serving (pids: {', '.join(f'{k} {p.pid}' for k, p in children.items())}).")
        ended = ""
        while not stop.is_set() and not ended:
            ended = next((name for name, proc in children.items() if proc.poll() is not None), "")
            stop.wait(0.5)
        code = 0
        if ended:
            code = children[ended].returncode or 1
            self.stderr.write(f"{ended} exited with {children[ended].returncode}; stopping the rest.")
        self.stop(children)
        sys.exit(code)

    def reminders(self, every: int, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                call_command("send_report_reminders")
            except Exception as exc:  # said, then tried again next time
                self.stderr.write(f"Queueing the reminders failed: {exc}")
            if stop.wait(every):
                return

    @staticmethod
    def stop(children: dict[str, subprocess.Popen]) -> None:
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # gunicorn: graceful; db_worker: finish the task
        deadline = time.monotonic() + STOP_SECONDS
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
