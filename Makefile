# The two commands a new machine needs: `make run` and `make test`.
# Both create .venv with the pinned requirements; `make test` also installs Debian's Chromium
# (browser tests) and fonts when they are missing and we are root.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test venv system-deps lint messages check-messages worker bench-small clean api-fuzz load-test

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Debian packages for browser tests, PDF fonts and (on PostgreSQL) pg_dump/pg_restore for the backup
# tests; installed only when missing, only as root.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf || missing="$$missing fonts-liberation2"; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	case "$$DATABASE_URL" in postgres*) command -v pg_dump >/dev/null || ls /usr/lib/postgresql/*/bin/pg_dump >/dev/null 2>&1 \
	  || missing="$$missing postgresql-client";; esac; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing (run as root to install them; the tests that need them will skip)"; \
	  fi; \
	fi

run: venv
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	@echo "Starting the background task worker (imports, reminders)..."
	$(BIN)/python manage.py db_worker > var/worker.log 2>&1 & echo $$! > var/worker.pid
	@echo "Queueing the report reminders for the worker every hour (var/reminders.log)..."
	while :; do $(BIN)/python manage.py send_report_reminders >> var/reminders.log 2>&1; sleep 3600; done & echo $$! > var/reminders.pid
	@trap 'loop=$$(cat var/reminders.pid); kids=$$(pgrep -P $$loop 2>/dev/null); \
	  kill $$(cat var/worker.pid) $$loop $$kids 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: venv
	$(BIN)/python manage.py db_worker

test: venv system-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

# The API fuzzed by schemathesis against /api/schema/, on a throwaway database holding the demo
# (never var/thidua.sqlite3); FUZZ_SEED=random FUZZ_EXAMPLES=200 … to explore (see .ci/api-fuzz).
api-fuzz: venv
	.ci/api-fuzz

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

MAKEMESSAGES := $(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=bench --ignore=staticfiles --no-location --no-obsolete

# Re-extract the messages after changing UI text; then translate the new ones and compile.
messages: venv
	$(MAKEMESSAGES)
	$(BIN)/python manage.py compilemessages -l vi --ignore=.venv

# CI: fail when a UI string in the code has no Vietnamese translation (needs GNU gettext).
check-messages: venv
	@$(MAKEMESSAGES) >/dev/null
	@stats=$$(msgfmt --statistics -o /dev/null locale/vi/LC_MESSAGES/django.po 2>&1); echo "vi catalogue: $$stats"; \
	  case "$$stats" in *untranslated*|*fuzzy*) echo "Translate the new messages (make messages)"; exit 1;; esac

# Benchmarks on their own database (never the demo's): see bench/README.md for PostgreSQL.
BENCH_DB ?= sqlite:///$(CURDIR)/var/bench.sqlite3
bench-small: venv
	mkdir -p var
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/generate.py --members 200000 --reset
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/rollup_bench.py
	DATABASE_URL=$(BENCH_DB) $(BIN)/python bench/search_bench.py

# Load test (bench/load/): LOAD_USERS officers for LOAD_TIME against the real server on loopback,
# on a scratch database holding the demo (DATABASE_URL names PostgreSQL to use it); fails on any
# error or lost/doubled submission. LOAD_ARGS="--database postgres://…" for an existing data set.
LOAD_USERS ?= 20
LOAD_TIME ?= 30s
load-test: venv
	$(BIN)/python bench/load/run.py --users $(LOAD_USERS) --run-time $(LOAD_TIME) --members 500 $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/test-media
