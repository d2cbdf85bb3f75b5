# Reintegra — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export REINTEGRA_ENV ?= development

.PHONY: run test install lint typecheck pytest messages compile-messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) compile-messages

compile-messages: $(STAMP)
	$(BIN)/python manage.py compile_translations

PORT ?= 8000

# The demo is served by the production stack: gunicorn, with whitenoise serving the collected
# static files (runserver re-reads them from disk and serves one request at a time).

## make run: the demo on SQLite with seeded data at http://127.0.0.1:8000 (PORT=... to change)
run: install
	REINTEGRA_DEMO=1 $(BIN)/python manage.py migrate --no-input
	REINTEGRA_DEMO=1 $(BIN)/python manage.py seed_demo
	@echo
	@echo "Reintegra demo: open http://127.0.0.1:$(PORT)/accounts/login/ and sign in with a demo account above."
	@echo "Demo mode: the second factor is not asked of the demo accounts at sign-in (a banner says so on every page);"
	@echo "signing a plan on screen asks for a code from the demo authenticator key printed above."
	@echo
	REINTEGRA_DEMO=1 DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --no-input -v0
	REINTEGRA_DEMO=1 DJANGO_DEBUG=0 $(BIN)/gunicorn reintegra.wsgi --bind 127.0.0.1:$(PORT) \
		--workers 2 --threads 4 --access-logfile - --log-level warning

## make test: lint, format check, types, and the test suite (PostgreSQL when DATABASE_URL is set)
test: install lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

# Browser tests run on their own after the rest: two browsers and a parallel suite on two
# cores starve each other of time.
pytest: $(STAMP)
	$(BIN)/pytest -n auto -m "not browser" $(PYTEST_ARGS)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

## make messages: refresh the translation catalogues after changing source strings (needs gettext)
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --no-obsolete --no-location -l ro -l ru -l ka -l sq --ignore '.venv/*' --ignore 'var/*'

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
