# Every target sets itself up: a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format serve bench lighthouse setup migrate superuser collectstatic backup restore clean

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

## make run: set up, migrate, sync the posts and serve the site on http://127.0.0.1:8000,
## with the background worker (manage.py run_worker) beside it; Ctrl+C stops both
run: superuser
	@echo "DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000 (and $(MANAGE) run_worker)"
	@trap 'kill $$server $$worker 2>/dev/null; wait' INT TERM HUP EXIT; \
	export DJANGO_DEBUG=1; \
	$(MANAGE) run_worker & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:8000 & server=$$!; \
	wait $$server

## make test: set up and run the whole suite (unit, integration, browser)
test: setup
	$(BIN)/pytest

## make serve: production-like serving (gunicorn, DEBUG off, whitenoise) on 127.0.0.1:8000,
## with the background worker beside it
serve: migrate collectstatic
	@test -f .serve-secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .serve-secret-key
	@echo "$(BIN)/gunicorn -c config/gunicorn.py config.wsgi (and $(MANAGE) run_worker)"
	@trap 'kill $$server $$worker 2>/dev/null; wait' INT TERM HUP EXIT; \
	export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat .serve-secret-key)" \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL=http://127.0.0.1:8000 \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0; \
	$(MANAGE) run_worker & worker=$$!; \
	$(BIN)/gunicorn -c config/gunicorn.py config.wsgi & server=$$!; \
	wait $$server

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

collectstatic: setup
	$(MANAGE) collectstatic --noinput -v0

## make backup: a consistent copy of the database into backups/
backup: setup
	$(MANAGE) backup_db

## make restore FILE=backups/…: replace the database with a backup (asks first)
restore: setup
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>"; exit 2; }
	$(MANAGE) restore_db "$(FILE)"

## make bench: load and scale benchmarks, printed as ratios (see docs/performance.md)
bench: setup
	$(BIN)/python -m bench.run

## make lighthouse: Lighthouse's four scores on every public page type, phone and desktop
## (needs `npm install -g lighthouse` and Chromium; see docs/lighthouse.md)
lighthouse: setup
	$(BIN)/python -m bench.lighthouse

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
