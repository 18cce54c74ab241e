# Huddle: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails, previews and sitemaps point here: the address `make run` serves, unless SITE_URL
# is set in the environment (settings default to port 8000, wrong for `make run PORT=8123`).
# CACHE_DIR: the web server, worker and scheduler share one cache on disk (without REDIS_URL each
# would keep its own in memory, and a version one of them moves would not reach the others).
DEV_ENV := SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} CACHE_DIR=$${CACHE_DIR:-$(CURDIR)/var/cache}

.PHONY: system-deps browser-deps run serve install install-dev migrate demo test test-fast lint check deploy-check smoke bench scale-report worker scheduler clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (looked for $(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Stamp files: reinstall only when the requirements change.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

system-deps:
	@bash bin/system-deps

browser-deps:
	@bash bin/system-deps --browser

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install system-deps
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "  Huddle is starting at http://$(HOST):$(PORT)/"
	@echo "  Wagtail admin:  http://$(HOST):$(PORT)/admin/   Django admin: http://$(HOST):$(PORT)/django-admin/"
	@echo "  Web server, task worker and scheduler run together (Procfile.dev); emails are printed"
	@echo "  here by the worker (console backend). Ctrl-C stops all three."
	@echo ""
	PYTHONUNBUFFERED=1 HOST=$(HOST) PORT=$(PORT) $(DEV_ENV) $(VENV)/bin/honcho -f Procfile.dev start

# Start the server without migrating or loading demo content (fastest restart).
serve: install
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate
	$(DEV_ENV) $(PY) manage.py run_worker --queue-name '*'

scheduler: migrate
	$(DEV_ENV) $(PY) manage.py run_scheduler

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# The whole suite, browser journeys included (needs /usr/bin/chromium: see .ci/run).
test: install-dev browser-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Everything except the browser journeys.
test-fast: install-dev
	$(VENV)/bin/pytest -m "not browser"

# In the production environment (its variables set), right after a deploy (migrate, collectstatic,
# processes restarted): Django's deploy checks, no missing or unapplied migrations, static files, then bin/smoke
# against SMOKE_URL (default: SITE_URL). Behind a proxy locally: SMOKE_ARGS=--behind-proxy.
DEPLOY_SETTINGS ?= config.settings.production
deploy-check: install
	$(PY) manage.py check --deploy --fail-level WARNING --settings=$(DEPLOY_SETTINGS)
	$(PY) manage.py makemigrations --check --dry-run --settings=$(DEPLOY_SETTINGS)
	$(PY) manage.py migrate --check --settings=$(DEPLOY_SETTINGS)
	$(PY) manage.py collectstatic --noinput -v0 --settings=$(DEPLOY_SETTINGS)
	$(MAKE) --no-print-directory smoke

smoke:
	$(PY) bin/smoke $(SMOKE_URL) $(SMOKE_ARGS)

bench: install-dev
	@bash bin/system-deps --bench
	$(PY) bench/run.py

# Issue 20's report at scale (docs/performance.md, bench/README.md): DATABASE_URL must name a
# throwaway PostgreSQL database (it gets 5,000 learners; seeding them once takes about 5 minutes),
# REDIS_URL a Redis database. Then about 10 minutes: each page alone with wrk, the mix's capacity
# with locust (closed loop), then the mix at half of it (open loop). Stopped after 40 minutes.
scale-report: install-dev
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to a throwaway PostgreSQL database (and REDIS_URL)."; exit 1; }
	@bash bin/system-deps --bench
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo > /dev/null
	timeout 2400 $(PY) bench/scale_report.py

clean:
	rm -rf $(VENV) var/huddle.sqlite3* var/static var/media var/cache
