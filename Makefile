# helpwanted: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := HELPWANTED_DEMO=1

.PHONY: install demo test lint format bench clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "helpwanted needs Python 3.12 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

demo: install
	$(DEMO_ENV) $(BIN)/helpwanted migrate --noinput
	$(DEMO_ENV) $(BIN)/helpwanted collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/helpwanted seed_demo
	@$(DEMO_ENV) bash scripts/serve.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/static

# Drills (docs/deploy.md, "Drills"): on SQLite, and on PostgreSQL too when DATABASE_URL is set.
LOADTEST_SECONDS ?= 60
LOADTEST_USERS ?= 20
DRILL_SIZE ?= full
.PHONY: loadtest drill

loadtest: install
	LOADTEST_SECONDS=$(LOADTEST_SECONDS) LOADTEST_USERS=$(LOADTEST_USERS) $(BIN)/python -m loadtest.run --db sqlite
	@if [ -n "$$DATABASE_URL" ]; then \
	  LOADTEST_SECONDS=$(LOADTEST_SECONDS) LOADTEST_USERS=$(LOADTEST_USERS) $(BIN)/python -m loadtest.run --db postgres; \
	fi

drill: install
	$(BIN)/python -m loadtest.drill --db sqlite --size $(DRILL_SIZE)
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/python -m loadtest.drill --db postgres --size $(DRILL_SIZE); fi
