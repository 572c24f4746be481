# The README's two commands: `make run` (portal with demo content) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint install install-test clean

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	PYTHON=$(PYTHON) sh scripts/make-venv.sh $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements/base.txt requirements/production.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
