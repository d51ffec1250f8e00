# Every target sets itself up: a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format serve bench setup migrate superuser collectstatic backup restore clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) sync_posts

superuser: migrate
	$(MANAGE) ensure_dev_superuser

## make run: set up, migrate, sync the posts and serve the site on http://127.0.0.1:8000
run: superuser
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

## make test: set up and run the whole suite (unit, integration, browser)
test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

collectstatic: setup
	$(MANAGE) collectstatic --noinput -v0

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
