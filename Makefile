# Portevoix — `make run` starts the platform, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format messages install lock clean

# Python packages come from requirements.lock (exact versions and their hashes, the `test` extra
# included), made from pyproject.toml's ranges by `make lock`; then the project itself, alone.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing a range in pyproject.toml, or to take new releases: the newest versions
# pyproject.toml allows, with the hashes of every file PyPI has for them.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --upgrade --extra=test --generate-hashes --strip-extras \
	  --allow-unsafe --no-emit-index-url --no-emit-find-links --output-file=requirements.lock pyproject.toml

# Node tools for the tests and benchmarks (axe-core, a Web Push test service, Lighthouse), pinned
# by package-lock.json; skipped with a warning where Node is missing or older than 20.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if node -e 'process.exit(parseInt(process.versions.node) < 20 ? 1 : 0)' 2>/dev/null; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP) \
	  || echo "!! npm ci failed (the Bluesky test network builds better-sqlite3: it needs g++): the tests that need these Node tools will say they could not run"; \
	else echo "!! Node >= 20 not found: browser accessibility checks, push and Lighthouse will not run"; fi

install: $(STAMP) $(NODE_STAMP)
	$(PY) manage.py compile_catalogs

run: install
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py demo
	$(PY) manage.py collectstatic --no-input -v0
	exec scripts/run.sh

test: install
	scripts/test.sh

# PostgreSQL figures use scratch databases on TEST_POSTGRES_URL's server, as the tests do.
bench: install
	TEST_POSTGRES_URL=$${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/portevoix} $(PY) -m portevoix.bench $(ONLY)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (xgettext): refreshes every app's French catalogue.
messages: install
	for app in portevoix/*/; do \
	  if [ -d "$$app/templates" ] || ls $$app*.py >/dev/null 2>&1; then \
	    mkdir -p $$app/locale && (cd $$app && ../../$(PY) ../../manage.py makemessages -l fr --no-obsolete -v0); \
	  fi; \
	done
	$(PY) manage.py compile_catalogs

clean:
	rm -rf $(VENV) var
