"""One log line per request (logger `thidua.request`), and a request id on every log line written
while it is served, echoed to the client in the X-Request-ID header.

The id is the incoming header named by settings.REQUEST_ID_HEADER (e.g. HTTP_X_REQUEST_ID, set by
the proxy) when that is configured and the value looks like an id; otherwise a fresh one. Fields
go to lib.jsonlog's formatters: request_id, user_id, method, path, status, duration_ms, client."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import empty

from lib.jsonlog import request_context

logger = logging.getLogger("thidua.request")

VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def request_id(request) -> str:
    header = getattr(settings, "REQUEST_ID_HEADER", "")
    given = request.META.get(header, "") if header else ""
    if given and VALID_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def user_id(request) -> int | None:
    """The signed-in user's id when the request already looked it up: never a query of our own."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # AuthenticationMiddleware's lazy object
    if wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


class RequestLogMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id(request)
        request.request_id = rid
        context = {"request_id": rid, "method": request.method, "path": request.path}
        token = request_context.set(context)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = rid
            return response
        finally:
            duration = round((time.perf_counter() - started) * 1000, 1)
            uid = user_id(request)
            if uid is not None:
                context["user_id"] = uid
            level = logging.INFO if status < 500 else logging.ERROR
            logger.log(
                level,
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                status,
                duration,
                extra={"status": status, "duration_ms": duration, "client": request.META.get("REMOTE_ADDR")},
            )
            request_context.reset(token)
