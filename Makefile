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

.PHONY: run serve test venv system-deps lint messages check-messages worker bench-small bench-national clean api-fuzz load-test

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

# Served as production serves it (docs/deploy.md): production settings, gunicorn's threaded workers
# (from the cores) with static files by whitenoise, and the task worker beside it, stopped together
# (manage.py serve). Needs SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS and DATABASE_URL, and
# HOST=0.0.0.0 to be reached from elsewhere. SERVE_LOCAL=1 fills them in for a try on this machine
# (a secret generated once into var/secret_key, var/thidua.sqlite3 with the demo, plain HTTP).
serve: venv
	mkdir -p var
	@if [ "$(SERVE_LOCAL)" = "1" ]; then \
	  test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key; \
	  chmod 600 var/secret_key; \
	  [ -n "$$SECRET_KEY$$SECRET_KEY_FILE" ] || export SECRET_KEY_FILE="$(CURDIR)/var/secret_key"; \
	  export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	    DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/thidua.sqlite3}" \
	    SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 LOG_FORMAT="$${LOG_FORMAT:-text}"; \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py migrate --noinput || exit 1; \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py load_demo --if-empty || exit 1; \
	fi; \
	DJANGO_SETTINGS_MODULE=config.settings.production exec $(BIN)/python manage.py serve --bind "$(HOST):$(PORT)"

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

# The national set (11 M members, 130,764 units, ~10.9 M award lines) on PostgreSQL, built only when
# BENCH_NATIONAL_DB does not hold it already (or FORCE=1), then every benchmark against it; a failing
# bench (answers differ) does not stop the others, the target fails at the end. See bench/README.md.
BENCH_NATIONAL_DB ?= postgres://postgres@127.0.0.1:5432/thidua_bench
NATIONAL_BENCHES ?= rollup_bench report_rollup_bench eligibility_bench page_bench campaign_bench \
	distribution_bench report_submit_bench search_bench import_bench
bench-national: venv
	@if [ "$(FORCE)" = 1 ] || ! DATABASE_URL=$(BENCH_NATIONAL_DB) $(BIN)/python bench/national_ready.py; then \
	  DATABASE_URL=$(BENCH_NATIONAL_DB) $(BIN)/python bench/generate.py --members 11000000 --reset && \
	  DATABASE_URL=$(BENCH_NATIONAL_DB) $(BIN)/python bench/awards_generate.py --reset || exit 1; \
	fi
	@failed=""; for b in $(NATIONAL_BENCHES); do \
	  echo "== bench/$$b.py"; \
	  DATABASE_URL=$(BENCH_NATIONAL_DB) $(BIN)/python bench/$$b.py || failed="$$failed $$b"; \
	done; \
	if [ -n "$$failed" ]; then echo "bench-national: FAILED:$$failed"; exit 1; fi; echo "bench-national: all benches ran"
# Load test (bench/load/): LOAD_USERS officers for LOAD_TIME against the real server on loopback,
# on a scratch database holding the demo (DATABASE_URL names PostgreSQL to use it); fails on any
# error or lost/doubled submission. LOAD_ARGS="--database postgres://…" for an existing data set.
LOAD_USERS ?= 20
LOAD_TIME ?= 30s
load-test: venv
	$(BIN)/python bench/load/run.py --users $(LOAD_USERS) --run-time $(LOAD_TIME) --members 500 $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/test-media
