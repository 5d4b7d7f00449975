"""Log records as JSON lines (one object a line) or as readable text, each carrying the id of the
request it was written under.

No Django import here: the settings and gunicorn's configuration (config/gunicorn.conf.py) load
this module before Django is set up. lib/requestlog.py fills `request_context` for each request."""

from __future__ import annotations

import datetime
import json
import logging
from contextvars import ContextVar

# What the request under way says about itself: request_id, user_id, method, path.
request_context: ContextVar[dict | None] = ContextVar("request_context", default=None)

# Attributes a record may carry (from `extra=` or the request context), in output order.
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms", "client")


class RequestContextFilter(logging.Filter):
    """Copy the request under way (if any) onto every record, where `extra=` did not already."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (request_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def _time(record: logging.LogRecord) -> str:
    moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", request fields when known, "exc" on errors}."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": _time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time level logger [request id] message`, then the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None)
        line = f"{_time(record)} {record.levelname} {record.name}"
        line += f" [{rid}] " if rid else " "
        line += record.getMessage()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def logging_config(fmt: str = "text", level: str = "WARNING", request_level: str = "WARNING") -> dict:
    """The LOGGING dict: everything to standard error in `fmt` (json or text) at `level`, and the
    one-line-per-request logger (lib.requestlog) at `request_level` (INFO to see every request)."""
    if fmt not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, not {fmt!r}")
    formatter = JsonFormatter if fmt == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": RequestContextFilter}},
        "formatters": {"main": {"()": formatter}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "main", "filters": ["request"]}
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            "thidua.request": {"level": request_level.upper()},
            # Django's own 4xx/5xx lines repeat what thidua.request says; errors keep their traceback.
            "django.request": {"level": "ERROR"},
        },
    }
