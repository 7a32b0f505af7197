# careops — two commands on a fresh machine: `make demo` and `make test` (`make test-pg`: the same on PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/careops.db
HOSPITAL_DB := .demo/hospital.db
NOW ?= 2026-11-27 08:30

CATALOGUES := $(patsubst %.po,%.mo,$(wildcard src/careops/locale/*/LC_MESSAGES/careops.po))

.PHONY: demo test test-pg test-future test-dev lint format install install-test install-lint bench clean docs messages

$(BIN)/careops: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

# The build compiles the catalogues (hatch_build.py); this recompiles them after a .po is edited.
%.mo: %.po $(BIN)/careops
	$(BIN)/python scripts/catalogues.py

install: $(BIN)/careops $(CATALOGUES)

# Extract every message (`_()` and the commands' help) and merge it into each language's .po.
messages: install
	$(BIN)/python scripts/messages.py

$(VENV)/.test-extras: pyproject.toml $(BIN)/careops
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install-test: $(VENV)/.test-extras

$(VENV)/.lint-extras: pyproject.toml $(BIN)/careops
	$(BIN)/pip install --quiet -e '.[lint]'
	@touch $@

install-lint: $(VENV)/.lint-extras

# Build the demo site (600 households, a year of history) and the hospital office's, and show a butler's morning list.
demo: install
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm; mkdir -p .demo
	@$(BIN)/careops --db $(DEMO_DB) --now "$(NOW)" demo > .demo/demo.txt && cat .demo/demo.txt
	@rm -f $(HOSPITAL_DB) $(HOSPITAL_DB)-wal $(HOSPITAL_DB)-shm
	@$(BIN)/careops --db $(HOSPITAL_DB) --now "$(NOW)" demo --site hospital | sed 's|careops due|careops --db $(HOSPITAL_DB) due|'
	@echo
	@$(BIN)/careops --db $(DEMO_DB) --now "$(NOW)" due --staff "$$(sed -n '1s/.*--staff "\(.*\)".*/\1/p' .demo/demo.txt)"

# pytest-xdist runs one worker per core, each on its own databases; a worker that runs out of tests
# takes queued ones from the other (the long fuzz tests), so both cores stay busy to the end.
PYTEST := $(BIN)/python -m pytest -n auto --dist worksteal
# Years ahead of the real date: no test may depend on the day it runs (Debian's faketime).
FUTURE ?= +1830d

# The whole suite on SQLite, each test on a copy of a template database; branch coverage per package after.
# (The html report's browser test needs Debian's chromium: installed if missing.)
test: install-test $(CATALOGUES)
	bash scripts/ensure-chromium.sh
	@mkdir -p build
	env -u CAREOPS_TEST_PG $(PYTEST) --cov=careops --cov-branch --cov-report= --cov-report=json:build/coverage.json
	@$(BIN)/python scripts/coverage_by_package.py build/coverage.json

# The whole suite again, each test on its own database of a throwaway PostgreSQL server
# (Debian's postgresql package; started and stopped by scripts/with-postgres.sh).
test-pg: install-test $(CATALOGUES)
	bash scripts/ensure-chromium.sh
	bash scripts/with-postgres.sh $(PYTEST)

# The whole suite with the machine's clock $(FUTURE) ahead (faketime; installed if missing), but for the
# two tests that reach outside (the wheel's build dependencies from PyPI, whose certificates would look
# expired, and the browser).
test-future: install-test $(CATALOGUES)
	bash scripts/ensure-faketime.sh
	env -u CAREOPS_TEST_PG faketime -f "$(FUTURE)" $(PYTEST) -m "not outside"

# A quick look while working: a tenth of the fuzzing examples, no coverage (HYPOTHESIS_PROFILE=dev).
test-dev: install-test $(CATALOGUES)
	env -u CAREOPS_TEST_PG HYPOTHESIS_PROFILE=dev $(PYTEST) -m "not outside"

# Format, lint and types: what CI checks first.
lint: install-lint
	$(BIN)/ruff format --check src tests scripts benchmarks migrations hatch_build.py
	$(BIN)/ruff check src tests scripts benchmarks migrations hatch_build.py
	$(BIN)/mypy

format: install-lint
	$(BIN)/ruff format src tests scripts benchmarks migrations hatch_build.py
	$(BIN)/ruff check --fix src tests scripts benchmarks migrations hatch_build.py

docs: install
	$(BIN)/python scripts/gen_cli_reference.py > docs/cli-reference.md

bench: install
	$(BIN)/python benchmarks/bench_due.py

clean:
	rm -rf $(VENV) .demo .bench dist build .coverage*
