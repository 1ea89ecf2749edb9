# Two commands matter: `make demo` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PW     := $(VENV)/bin/pactwatch
DB     ?= pactwatch.db
BBC    ?= ../shared/corpus/bbc
LIMIT  ?= 0
REPEAT ?= 1

.PHONY: setup demo test lint bench browser postgresql clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Debian's chromium for the browser tests and PDF briefings (no browser download at run time).
browser:
	@bash scripts/install-debian-package.sh chromium 'command -v chromium'

# Debian's PostgreSQL server: the tests start a throwaway cluster of their own and remove it (tests/postgres_server.py).
postgresql:
	@bash scripts/install-debian-package.sh postgresql 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'

# DEMO_SERVE=0 stops after the summary instead of serving the dashboard.
DEMO_SERVE ?= 1
demo: setup
	rm -f demo.db
	$(PW) ingest examples/seeds --db demo.db
	$(PW) show documents --db demo.db
	$(PW) show actors --db demo.db --limit 15
	$(PW) show events --db demo.db --limit 15
	$(PW) track --db demo.db
	$(PW) export --db demo.db --format json -o export.json
	@echo "Exported the record to export.json"
ifeq ($(DEMO_SERVE),1)
	@echo "Dashboard: open http://127.0.0.1:8000/ (Ctrl-C stops it)"
	$(PW) serve --db demo.db
endif

test: setup browser postgresql
	$(VENV)/bin/ruff check src tests
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy src/pactwatch

bench: setup
	$(PY) bench/ingest_bench.py --corpus $(BBC) --limit $(LIMIT) --workers 2 --repeat $(REPEAT)
	$(PY) bench/web_bench.py
	$(PY) bench/watch_bench.py --corpus $(BBC) --repeat $(REPEAT)
	$(PY) bench/scale_bench.py --corpus $(BBC)

clean:
	rm -rf $(VENV) demo.db export.json test-artifacts
