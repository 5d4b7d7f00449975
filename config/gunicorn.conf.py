"""gunicorn's settings for `manage.py serve` (`make serve`): threaded workers like the loopback
tests (lib/loopback), their number from the machine's cores, logs in the site's format.

Each can be changed by the environment: WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT, and BIND (or
HOST/PORT). Every thread may hold a database connection: keep WEB_WORKERS x WEB_THREADS (plus
the task worker's) under PostgreSQL's max_connections on every machine together."""

import os

from lib.jsonlog import logging_config

cores = os.cpu_count() or 1
workers = int(os.environ.get("WEB_WORKERS") or 2 * cores + 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
timeout = int(os.environ.get("WEB_TIMEOUT") or 120)  # the biggest exports take a while
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (with jitter), so slow leaks cannot pile up.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS") or 5000)
max_requests_jitter = max_requests // 10
control_socket_disable = True
# The site logs each request itself (lib/requestlog.py, with its id and user): no access log.
accesslog = None
logconfig_dict = logging_config(
    os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO"), "INFO"
)
# gunicorn's own lines (start, workers booting and exiting) in the same format, through our handler
# (naming the loggers replaces the handlers gunicorn gives them); its access log stays off.
logconfig_dict["loggers"].update(
    {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    }
)
