"""Probes for a load balancer: /healthz (the process answers; touches nothing) and /readyz (the
database, the cache and the task queue answer). 200 or 503 with a small JSON body that names the
checks and nothing else (no hosts, no error texts: those go to the log).

The middleware answers both before any other middleware: a probe that comes by plain HTTP with
the machine's address as Host gets neither an HTTPS redirect nor a DisallowedHost 400, opens no
session and writes no request log line. The same views are in config/urls.py for reverse()."""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def _answer(body: dict, ok: bool, status: int = 503) -> JsonResponse:
    response = JsonResponse(body, status=200 if ok else status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        return _answer({"status": "method not allowed"}, False, 405)
    return _answer({"status": "ok"}, True)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, 1, timeout=10)
    if cache.get(key) != 1:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _queue() -> float:
    """Seconds the oldest task ready to run has waited (0 when none waits): one query on the
    partial index of ready tasks."""
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def readyz(request) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        return _answer({"status": "method not allowed"}, False, 405)
    checks: dict[str, str] = {}
    body: dict = {"checks": checks}
    started = time.perf_counter()
    for name, check in (("database", _database), ("cache", _cache), ("tasks", _queue)):
        try:
            value = check()
        except Exception:
            logger.exception("readyz: the %s check failed", name)
            checks[name] = "error"
            continue
        checks[name] = "ok"
        if name == "tasks":
            body["queue_wait_seconds"] = round(value)
            limit = getattr(settings, "READYZ_QUEUE_MAX_WAIT", 0)
            if limit and value > limit:
                checks[name] = "stale"
    ok = all(state == "ok" for state in checks.values())
    body["status"] = "ok" if ok else "unavailable"
    body["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return _answer(body, ok)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
