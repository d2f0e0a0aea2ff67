# Sharebox: `make run` serves the API against an embedded AWS emulator; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# pyproject extras `make install` installs; CI adds `workflows` (actionlint, needs GitHub).
EXTRAS ?= local,dev

.PHONY: install run test lint fmt bench fuzz load deploy requirements build-ApiFunction build-WorkerFunction build-PostConfirmationFunction build-NotificationsFunction lambda-source lambda-bytecode clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) $(PY) -m app.local

# The browser tests drive /usr/bin/chromium, else Playwright's own chromium, which this
# downloads once (the stamp records the attempt, failed or not: `rm $(BROWSER_STAMP)` retries);
# where neither exists they skip, saying why.
BROWSER_STAMP := $(VENV)/.playwright-chromium
$(BROWSER_STAMP): $(STAMP)
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	$(PY) -m playwright install chromium \
		|| echo "make: could not download Playwright's chromium: the browser tests will skip" >&2; \
	touch $@

test: $(STAMP) $(BROWSER_STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff format --check app tests deploy
	$(PY) -m ruff check app tests deploy
	$(PY) -m mypy app deploy
	@# .github/workflows: actionlint when installed (CI always installs it), else say so.
	@if [ -x $(VENV)/bin/actionlint ]; then $(VENV)/bin/actionlint -color=false; \
	else echo "make lint: no actionlint (make install EXTRAS=local,dev,workflows): workflows not checked" >&2; fi

fmt: $(STAMP)
	$(PY) -m ruff format app tests
	$(PY) -m ruff check --fix app tests

# Costs against their floors, as ratios (writes bench/results.json; README "Performance").
bench: $(STAMP)
	$(PY) -m bench

# Schemathesis against `make run`'s server with the demo user's token (bounded for CI).
fuzz: $(STAMP)
	$(PY) -m bench.fuzz

# 50 concurrent users for 60 s against `make run`'s server: zero 5xx, p99 reported.
load: $(STAMP)
	$(PY) -m bench.load

# Deploy to the AWS account of your current credentials: guided (asks, then saves
# samconfig.toml) the first time, from samconfig.toml afterwards. Needs the SAM CLI.
deploy:
	sam build --build-in-source
	if [ -f samconfig.toml ]; then sam deploy; else sam deploy --guided; fi

# requirements/*.txt are what `sam build` installs: locks (exact versions, hashes) that uv
# resolves for Lambda's platform from pyproject.toml. Regenerate after editing pyproject.toml.
requirements: $(STAMP)
	$(PY) requirements/generate.py

# `sam build` runs these (template.yaml: BuildMethod makefile) with ARTIFACTS_DIR set.
# pip fetches Linux arm64 (Graviton) wheels whatever the build machine is, so no Docker is
# needed; `--only-binary` fails the build rather than compile for the wrong CPU. The locks
# pin every package with its hashes: `--require-hashes` refuses anything else.
LAMBDA_PIP = $(PYTHON) -m pip install --quiet --no-compile --upgrade --no-warn-conflicts \
	--require-hashes --no-deps \
	--target "$(ARTIFACTS_DIR)" \
	--implementation cp --python-version 3.12 --only-binary=:all: \
	--platform manylinux2014_aarch64 --platform manylinux_2_28_aarch64 \
	--platform manylinux_2_34_aarch64

build-ApiFunction:
	$(LAMBDA_PIP) -r requirements/api.txt
	$(MAKE) --no-print-directory lambda-source lambda-bytecode ARTIFACTS_DIR="$(ARTIFACTS_DIR)"

# The PostConfirmation trigger and the notifications sender are the API's package with
# another handler.
build-PostConfirmationFunction: build-ApiFunction

build-NotificationsFunction: build-ApiFunction

build-WorkerFunction:
	$(LAMBDA_PIP) -r requirements/worker.txt
	$(MAKE) --no-print-directory lambda-source lambda-bytecode ARTIFACTS_DIR="$(ARTIFACTS_DIR)"

# Lambda's /var/task is read-only, so a package without bytecode compiles every module it
# imports on every cold start (tens of ms). Bytecode must come from the runtime's Python
# (3.12); unchecked-hash .pyc files stay valid whatever mtimes the zip gives the sources.
LAMBDA_PYTHON ?= python3.12
LAMBDA_PYTHON_VERSION ?= 3.12
lambda-bytecode:
	@if [ "$$($(LAMBDA_PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$(LAMBDA_PYTHON_VERSION)" ]; then \
		$(LAMBDA_PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)"; \
	else \
		echo "warning: no Python $(LAMBDA_PYTHON_VERSION) as $(LAMBDA_PYTHON) here: the package ships without bytecode (slower cold starts)" >&2; \
	fi

# The app without what only `make run` needs (app/local, the emulator glue) and without the
# command-line client (app/cli).
lambda-source:
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -R app "$(ARTIFACTS_DIR)/"
	rm -rf "$(ARTIFACTS_DIR)/app/local" "$(ARTIFACTS_DIR)/app/cli"
	find "$(ARTIFACTS_DIR)/app" -name __pycache__ -prune -exec rm -rf {} +

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
