# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean migration postgres-binaries

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/crm

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check crm tests migrations

# The tests run on SQLite and on a throwaway PostgreSQL cluster they start themselves (tests/postgres.py), which needs
# PostgreSQL's server programs: Debian's `postgresql` package, installed here when initdb is nowhere to be found (if
# that fails, the PostgreSQL tests fail saying how to install it).
APT_GET = $(if $(filter 0,$(shell id -u)),,sudo -n )apt-get
HAVE_INITDB = ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
	|| [ -x "$$CRM_PG_BINDIR/initdb" ]

postgres-binaries:
	@$(HAVE_INITDB) || { echo "installing PostgreSQL's server programs for the tests"; \
		{ $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq postgresql; } \
		|| echo "note: PostgreSQL could not be installed; the tests that run on it will fail saying how to install it"; }

test: lint postgres-binaries
	$(BIN)/python -m pytest

# Bench-only tools (issue 12), never installed by `make test`: Taskwarrior, the baseline for `crm due`
# (from apt when `task` is missing; if that fails its rows say "not available"), and sqlite-utils in the venv.
# PostgreSQL's server programs as for the tests (issue 15's rows; "not available" with a note without them).
# `make bench BENCH_ARGS="--runs 3"` passes options on (see `python -m tests.bench --help`).
BENCH_APT_GET = $(if $(filter 0,$(shell id -u)),,sudo -n )apt-get
BENCH_ARGS ?=

bench: $(VENV)/.installed-dev postgres-binaries
	@command -v task >/dev/null 2>&1 || { echo "installing Taskwarrior for the benchmarks"; \
		{ $(BENCH_APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(BENCH_APT_GET) install -y -qq taskwarrior; } \
		|| echo "note: Taskwarrior could not be installed; the bench reports its rows as not available"; }
	@$(BIN)/python -c "import sqlite_utils" 2>/dev/null || $(BIN)/python -m pip install --quiet sqlite-utils
	$(BIN)/python -m tests.bench --write $(BENCH_ARGS)

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache

migration: $(VENV)/.installed-dev
	$(BIN)/python migrations/new_revision.py $(m)
