# Two commands for a newcomer: `make demo` and `make test`. Both create .venv
# (Python 3.11) and install the pinned dependencies first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SPARK_VENV  ?= .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed-stamp
SPARK_HOME  ?= .peixun-spark
SCALE  ?= city
PEIXUN_HOME ?= .peixun
# The bundled sample's pseudonym key: marked, public, never for real exports (README: Configuration).
DEMO_SALT := DEMO-SALT-NOT-FOR-PRODUCTION-sample-data-only

.PHONY: demo test test-slow test-spark lint bench docs sample program-seeds dev clean

$(STAMP): pyproject.toml generator/pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<26"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]" -e ./generator
	touch $(STAMP)

demo: $(STAMP)  ## run the whole nightly job on the bundled sample and print a summary
	PEIXUN_PII_SALT=$(DEMO_SALT) $(BIN)/peixun run --raw-dir data/raw --home .peixun

test: $(STAMP)  ## the test suite (fast by default; the heavy end-to-end runs on the bundled sample)
	$(BIN)/pytest -q

test-slow: $(STAMP)  ## city-scale calibration and reconciliation tests
	$(BIN)/pytest -q -m slow

$(SPARK_STAMP): spark/requirements.txt spark/constraints.txt
	test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --upgrade "pip<26"
	$(SPARK_VENV)/bin/python -m pip install --quiet -c spark/constraints.txt -r spark/requirements.txt
	touch $(SPARK_STAMP)

test-spark: $(STAMP) $(SPARK_STAMP)  ## the same dbt models on Spark (pyspark in .venv-spark; needs Java 17), compared with DuckDB
	rm -rf $(SPARK_HOME) && mkdir -p $(SPARK_HOME)
	PEIXUN_PII_SALT=$(DEMO_SALT) $(BIN)/peixun run --raw-dir data/raw --home $(SPARK_HOME)/duckdb > $(SPARK_HOME)/duckdb-run.log
	cd spark && PEIXUN_SPARK_REFERENCE=$(abspath $(SPARK_HOME))/duckdb/warehouse.duckdb \
		PEIXUN_SPARK_REPORT=$(abspath $(SPARK_HOME))/spark_report.json $(abspath $(SPARK_VENV))/bin/pytest -q

lint: $(STAMP)  ## ruff over the Python; sqlfluff over the dbt models (dbt templater, .sqlfluff; needs no warehouse)
	$(BIN)/ruff check dagster_project generator benchmarks tests spark
	PEIXUN_WAREHOUSE=:memory: $(BIN)/sqlfluff lint dbt/models

sample: $(STAMP)  ## regenerate the bundled sample in data/raw (committed seed)
	rm -rf data/raw && $(BIN)/peixun generate --scale sample --out data/raw --seed 2201

program-seeds: $(STAMP)  ## compile config/programs/*.yml into the dbt seeds (every dbt invocation does it too; commit them)
	$(BIN)/python -m dagster_project.defs.programs

bench: $(STAMP)  ## benchmark SCALE=sample|city|province (default city): nightly job vs pandas peer and DuckDB floor -> docs/benchmarks.md
	PEIXUN_PII_SALT=$(DEMO_SALT) $(BIN)/python -m benchmarks --scale $(SCALE) $(BENCH_ARGS)

docs: $(STAMP)  ## dbt documentation site with lineage in $(PEIXUN_HOME)/dbt_docs (open static_index.html)
	cd dbt && PEIXUN_WAREHOUSE=$(abspath $(PEIXUN_HOME))/warehouse.duckdb $(abspath $(BIN))/dbt docs generate \
		--static --profiles-dir . --target-path $(abspath $(PEIXUN_HOME))/dbt_docs

dev: $(STAMP)  ## the Dagster UI on http://127.0.0.1:3000, on the Dagster home of $(PEIXUN_HOME) (peixun run's too)
	DAGSTER_HOME=$$($(BIN)/python -m dagster_project.defs.operations.dagster_home $(PEIXUN_HOME)) \
	PEIXUN_HOME=$(abspath $(PEIXUN_HOME)) PEIXUN_WAREHOUSE=$(abspath $(PEIXUN_HOME))/warehouse.duckdb \
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/dagster dev -m dagster_project.definitions

clean:
	rm -rf .peixun $(SPARK_HOME) $(VENV) $(SPARK_VENV)
