# Two commands do everything: `make run` (the application with demo data) and `make test` (the suite).
# Without DATABASE_URL / REDIS_URL a project-local PostgreSQL and Redis run under .data/.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SERVICES_ENV := .data/services.env
PORT ?= 8000
MAIL_PORT ?= 8025
export MAIL_PORT

.PHONY: audit run test install services stop bench lint clean messages chromium container-check typecheck

$(STAMP): pyproject.toml package.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	npm install --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

services: install
	@mkdir -p .data
	$(PY) scripts/devservices.py up > $(SERVICES_ENV)

stop:
	@test -x $(PY) && $(PY) scripts/devservices.py down || true

# Update the English translation after adding strings (needs GNU gettext); the compiled .mo is committed,
# so `make run` and `make test` need no gettext.
messages: install
	. ./$(SERVICES_ENV) 2>/dev/null; DJANGO_SETTINGS_MODULE=verwijsindex.settings.test $(PY) manage.py makemessages -l en \
		--ignore=node_modules --ignore=.venv --ignore=.data --ignore=tests --ignore=benchmarks --no-obsolete
	DJANGO_SETTINGS_MODULE=verwijsindex.settings.test $(PY) manage.py compilemessages -l en -l nl --ignore=.venv

run: services
	. ./$(SERVICES_ENV) && $(PY) manage.py migrate --noinput && $(PY) manage.py load_demo
	. ./$(SERVICES_ENV) && PORT=$(PORT) $(PY) scripts/run_dev.py

# The browser tests (tests/e2e) drive Debian's chromium. Install it when it is missing and we can (root with
# apt-get, as on CI); otherwise those tests are skipped with the reason (and fail when CI=true).
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get > /dev/null; then \
		echo "[make] installing chromium for the browser tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get install -y -qq --no-install-recommends chromium fonts-liberation > /dev/null 2>&1 \
		|| { apt-get update -qq > /dev/null 2>&1 \
			&& apt-get install -y -qq --no-install-recommends chromium fonts-liberation > /dev/null 2>&1; }; } \
		|| echo "[make] could not install chromium: the browser tests will be skipped"; \
	fi

test: services chromium
	. ./$(SERVICES_ENV) && $(PY) -m ruff check --quiet .
	$(PY) -m ruff format --check --quiet .
	$(MAKE) --no-print-directory typecheck
	$(PY) scripts/audit_dependencies.py
	. ./$(SERVICES_ENV) && $(PY) manage.py makemigrations --check --dry-run --settings=verwijsindex.settings.test > /dev/null
	. ./$(SERVICES_ENV) && $(PY) -m pytest $(PYTEST_ARGS)

# The import contracts (pyproject.toml [tool.importlinter]) and the type checker ([tool.mypy] files).
typecheck: install
	$(VENV)/bin/lint-imports --no-cache
	. ./$(SERVICES_ENV) 2>/dev/null; $(PY) -m mypy

bench: services
	. ./$(SERVICES_ENV) && $(PY) benchmarks/run_all.py

# The container stack for real (Dockerfile, docker-compose.yml + docker-compose.debian.yml): its own dockerd, a
# Debian base image made with debootstrap, the production settings, a match through the API and its e-mail, the
# production headers; removes everything it made afterwards. Needs root; takes ~10 minutes. Not part of `make test`.
container-check:
	$(PYTHON) scripts/container_check.py

clean: stop
	rm -rf .data $(VENV) node_modules staticfiles

audit: install
	$(PY) scripts/audit_dependencies.py
