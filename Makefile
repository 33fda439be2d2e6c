# Everything a fresh machine needs: `make run` and `make test` build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-writers bytecode clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Compiled bytecode for our own source: an editable install gets none, and where
# PYTHONDONTWRITEBYTECODE is set (as in many images) every start would compile ~25k lines
# again, a quarter of a second. Quick when nothing changed.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

run: bytecode
	$(BIN)/caseterm --demo

# Four workers on two cores: a test spends about 40% of its time waiting (a screen settling, a
# subprocess, the database server), so two workers leave the cores 60% busy; four finish the
# Pilot tests in 72 s instead of 112 s. Work is stolen at the end, so no worker idles.
test: lint bytecode
	$(BIN)/pytest -n 4 --dist worksteal -q

# ruff (lint and format), mypy, and the import contracts in pyproject.toml (the layers).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: bytecode
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# 16 `caseterm contact add` started at once on one SQLite file (a small demo built in a temporary
# folder; `benchmarks/writers.py --db FILE` for another): p50 / p99 wall, CPU per writer, lock held.
bench-writers: bytecode
	$(BIN)/python benchmarks/writers.py --rounds 3 --resident
