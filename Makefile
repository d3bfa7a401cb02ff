# HireDay: `make run` serves the demo on http://127.0.0.1:8000 with its job worker; `make test` runs every test;
# `make lint` runs ruff and mypy (configured in pyproject.toml).
# Both set themselves up on a fresh machine (virtualenv in .venv/, system packages, database).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 8000
# Exported so that links made outside a request (`flask links`, e-mails sent in the background)
# follow the port when BASE_URL is unset.
export PORT
PYTEST_ARGS ?=

.PHONY: run test lint setup migrate demo translations extract-messages bench clean

run: setup
	@./.ci/system-packages.sh run
	@$(FLASK) db upgrade
	@$(FLASK) demo --if-empty
	@[ -n "$$BASE_URL" ] || echo "BASE_URL is not set: QR codes and links made outside a request use http://127.0.0.1:$(PORT) (set BASE_URL to the public address)."
	@echo "HireDay is starting on http://127.0.0.1:$(PORT) with its job worker  (Ctrl-C stops both)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	PORT=$(PORT) $(BIN)/gunicorn -c python:app.gunicorn_config wsgi:app

test: $(VENV)/.test-installed translations
	@./.ci/system-packages.sh test
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff over the whole tree, mypy over app/, tests/ and bench/ (both set up in pyproject.toml; the
# tools come from the `lint` extra, pinned to a range, and mypy reads the tests' own libraries too).
lint: $(VENV)/.lint-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

setup: $(VENV)/.installed translations

migrate: setup
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "HireDay needs Python 3.11 or newer (found $$($(PYTHON) --version))." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $(VENV)/.installed $@

$(VENV)/.lint-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,lint]'
	@touch $(VENV)/.installed $(VENV)/.test-installed $@

# Spanish: messages.po is kept in git, the compiled .mo is built here.
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -f -d app/translations >/dev/null

extract-messages: setup
	$(BIN)/pybabel extract -F app/translations/babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* node_modules' -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations

bench: setup $(VENV)/.test-installed
	@./.ci/system-packages.sh bench
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.registration
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.checkin
	$(BIN)/python -m bench.badges
	$(BIN)/python -m bench.report
	$(BIN)/python -m bench.event_day
	$(BIN)/python -m bench.surveys
	$(BIN)/python -m bench.phone

clean:
	rm -rf $(VENV) .pytest_cache
