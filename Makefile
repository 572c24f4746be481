# The README's two commands: `make run` (portal with demo content) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install install-test clean

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py erase_expired_personal_data
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.installed-test node_modules/.package-lock.json
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test node_modules/.package-lock.json

$(BIN)/python:
	PYTHON=$(PYTHON) sh scripts/make-venv.sh $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements/base.txt requirements/production.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

# axe-core for the accessibility checks of the browser tests (package-lock.json pins it).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser accessibility checks will skip (they fail under CI=true)"; fi

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media private-media staticfiles screenshots .test-db.sqlite3* .pytest_cache .ruff_cache
