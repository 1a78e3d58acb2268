# Every target sets up the virtual environment it needs (.venv, from requirements.txt).
# `make` alone lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help reports test test-fast validate docs lint bench scaling clean-venv

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## reports: validate the data and render every report into reports/
reports: $(STAMP)
	$(BIN)/python -m iraq_attacks render

## test: run the whole test suite (unit, data, render end to end, browser), one test file per core
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

## test-fast: the suite without notebook renders and browser checks (about a minute)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not render and not browser" -q

## validate: check the data files against the schema, then for duplicate attacks and against the press's counts
validate: $(STAMP)
	$(BIN)/python -m iraq_attacks validate
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_duplicates.py tests/test_coverage.py -k "not docs"

## docs: regenerate the data dictionary, coverage table and data/datapackage.json
docs: $(STAMP)
	$(BIN)/python -m iraq_attacks docs

## lint: ruff over the package and the tests
lint: $(STAMP)
	$(BIN)/ruff check iraq_attacks tests benchmarks

## bench: time a full render, stage by stage
bench: $(STAMP)
	$(BIN)/python benchmarks/render.py

## scaling: the full suite on 100 to 10,000 synthetic rows, against the naive loop
scaling: $(STAMP)
	$(BIN)/python benchmarks/scaling.py 100 1000 10000

## clean-venv: remove the virtual environment
clean-venv:
	rm -rf $(VENV)
