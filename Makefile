# The two commands of the README, and the pieces they are made of.
# Each creates the virtualenv in .venv and installs what it needs on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export LK_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
DEMO_ENV := LK_DEMO=1 LK_DATABASE_URL=sqlite:///var/demo.sqlite3
# `make demo PORT=8100` (or HOST=0.0.0.0) on the command line; the environment's PORT
# and HOST, set for other programs, are not taken.
HOST := 127.0.0.1
PORT := 8000

.PHONY: demo check lint test e2e install bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the portal on SQLite with the demo company (loaded on first run).
demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/lk demo
	$(DEMO_ENV) $(BIN)/lk serve --host $(HOST) --port $(PORT)

## Lint, types, import contracts and every test (PostgreSQL included).
check: lint test

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## The browser tests need Debian's Chromium; the script installs it when missing.
test: $(STAMP)
	sh scripts/install-browser.sh
	$(BIN)/pytest -q

e2e: $(STAMP)
	sh scripts/install-browser.sh
	$(BIN)/pytest -q -m e2e

bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done
