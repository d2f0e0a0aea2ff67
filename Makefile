# Sharebox: `make run` serves the API against an embedded AWS emulator; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint fmt bench deploy clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[local,dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) $(PY) -m app.local

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff format --check app tests
	$(PY) -m ruff check app tests
	$(PY) -m mypy app

fmt: $(STAMP)
	$(PY) -m ruff format app tests
	$(PY) -m ruff check --fix app tests

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
