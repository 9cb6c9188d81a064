# labeling-analytics: `make build` builds the warehouse, `make test` runs every test.
# Both create .venv and install the pinned dependencies first when needed (only then).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export DBT_PROFILES_DIR := $(CURDIR)/profiles
export DBT_PROJECT_DIR := $(CURDIR)
export LABELING_ANALYTICS_DUCKDB_THREADS ?= $(shell nproc 2>/dev/null || echo 2)

# LABELING_ANALYTICS_RAW_DIR when set, else your exports in data/raw/ when there are any, else
# the sample that ships with the repository. -L: team folders may be symbolic links.
HAS_RAW := $(shell find -L data/raw -type f ! -name '.*' 2>/dev/null | head -n 1)
RAW_DIR ?= $(or $(LABELING_ANALYTICS_RAW_DIR),$(if $(HAS_RAW),data/raw,data/sample))

# The warehouse `make build` writes (profiles/profiles.yml, target dev), which docs and report read.
DEV_DB := $(or $(LABELING_ANALYTICS_DUCKDB_PATH),warehouse/labeling_analytics.duckdb)
DOCS_SITE := site

SIMULATE_ARGS ?= --users 50 --days 30 --seed 1
SIMULATED_DIR := data/simulated

BENCH_ARGS ?=
REPORT_ARGS ?=

.PHONY: help install build docs report simulate bench-simulator bench-extract bench test lint lint-python lint-sql test-python test-dbt test-metrics constraints clean

help:  ## List the commands.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml constraints.txt
	@echo "==> creating $(VENV) and installing the pinned dependencies"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input \
		-c constraints.txt -e '.[dev]'
	@touch $@

install: $(INSTALLED)  ## Create .venv with the pinned dependencies.

build: $(INSTALLED)  ## Build the DuckDB warehouse (target dev) from data/raw, or data/sample.
	@mkdir -p warehouse
	@test -d "$(RAW_DIR)" || { echo "error: the raw folder '$(RAW_DIR)' does not exist; set LABELING_ANALYTICS_RAW_DIR to the folder of your exports" >&2; exit 1; }
	@echo "==> dbt build --target dev on $(RAW_DIR)"
	LABELING_ANALYTICS_RAW_DIR=$(RAW_DIR) $(BIN)/dbt build --target dev

docs: $(INSTALLED)  ## The docs site (models, columns, lineage, metrics) as one offline file: site/index.html.
	@test -f "$(DEV_DB)" || { echo "error: no warehouse at $(DEV_DB): run make build first (the docs read its tables' columns)" >&2; exit 1; }
	@echo "==> dbt docs generate --static on $(DEV_DB)"
	LABELING_ANALYTICS_RAW_DIR=$(RAW_DIR) $(BIN)/dbt docs generate --target dev --static
	@mkdir -p $(DOCS_SITE)
	cp target/static_index.html $(DOCS_SITE)/index.html
	@echo "==> open $(DOCS_SITE)/index.html in a browser: one self-contained file, no server needed"

report: $(INSTALLED)  ## Write reports/labeling-report.html, an offline dashboard of the warehouse (REPORT_ARGS="--team-id 1").
	$(BIN)/labeling-analytics report $(REPORT_ARGS)

simulate: $(INSTALLED)  ## Simulate a labeling team into data/simulated/ (SIMULATE_ARGS="--users 50 --days 30 --seed 1").
	$(BIN)/labeling-analytics simulate $(SIMULATE_ARGS) --out $(SIMULATED_DIR) --force
	@echo "==> build the warehouse on it: make build RAW_DIR=$(SIMULATED_DIR)"

bench-simulator: $(INSTALLED)  ## Events per second and peak memory of the simulator at 1M and 10M events.
	$(BIN)/python scripts/bench_simulator.py

bench-extract: $(INSTALLED)  ## Events per second and peak memory of extract against a local server, 1M events.
	$(BIN)/python scripts/bench_extract.py

bench: $(INSTALLED)  ## Time full and incremental builds against a DuckDB floor, 1M events (BENCH_ARGS="--events 10000000").
	$(BIN)/labeling-analytics bench $(BENCH_ARGS)

test: lint test-dbt test-metrics test-python  ## Every test: ruff, sqlfluff, dbt data and unit tests, MetricFlow, pytest.

lint: lint-python lint-sql  ## ruff and sqlfluff.

lint-python: $(INSTALLED)
	@echo "==> ruff"
	$(BIN)/ruff check src tests/python scripts
	$(BIN)/ruff format --check src tests/python scripts

lint-sql: $(INSTALLED)
	@echo "==> sqlfluff lint"
	LABELING_ANALYTICS_RAW_DIR=data/sample $(BIN)/sqlfluff lint models tests macros

test-dbt: $(INSTALLED)  ## dbt build (seeds, models, data and unit tests) on the sample, target test.
	@mkdir -p warehouse
	@echo "==> dbt build --target test on data/sample"
	rm -f warehouse/test.duckdb
	LABELING_ANALYTICS_RAW_DIR=data/sample $(BIN)/dbt build --target test

# mf reads target/semantic_manifest.json, whose table names are those of the target last parsed.
test-metrics: $(INSTALLED) test-dbt  ## mf validate-configs: the semantic models and metrics, checked against test-dbt's warehouse.
	@echo "==> mf validate-configs on warehouse/test.duckdb"
	LABELING_ANALYTICS_TARGET=test LABELING_ANALYTICS_RAW_DIR=data/sample $(BIN)/dbt parse --quiet
	LABELING_ANALYTICS_TARGET=test LABELING_ANALYTICS_RAW_DIR=data/sample $(BIN)/mf validate-configs

test-python: $(INSTALLED)  ## pytest (builds its own warehouses in temporary folders).
	@echo "==> pytest"
	$(BIN)/pytest

constraints:  ## Re-pin constraints.txt from a fresh install of pyproject.toml's dependencies.
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	{ head -n 2 constraints.txt; .venv-constraints/bin/python -m pip freeze --exclude-editable \
		| grep -v '^labeling-analytics'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-constraints

clean:  ## Remove the warehouse files, dbt's target/, the report and the docs site (keeps .venv).
	rm -rf warehouse target logs reports $(DOCS_SITE)
