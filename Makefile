# The two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv if it is missing and installs the project into it
# (skipped when pyproject.toml has not changed since the last install).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck check clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/actionbot demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy bot store adapters scheduler

check: lint typecheck test

# `actionbot serve` under load beside its floors at 100,000 actions (bench/serve_load.py; a few minutes).
# make bench BENCH_ARGS="--requests 100 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/actionbot_bench"
bench: $(STAMP)
	$(BIN)/python bench/serve_load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
