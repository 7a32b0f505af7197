# careops — two commands on a fresh machine: `make demo` and `make test` (`make test-pg`: the same on PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/careops.db
HOSPITAL_DB := .demo/hospital.db
NOW ?= 2026-11-27 08:30

CATALOGUES := $(patsubst %.po,%.mo,$(wildcard src/careops/locale/*/LC_MESSAGES/careops.po))

.PHONY: demo test test-pg install install-test bench clean docs messages

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

# Build the demo site (600 households, a year of history) and the hospital office's, and show a butler's morning list.
demo: install
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm; mkdir -p .demo
	@$(BIN)/careops --db $(DEMO_DB) --now "$(NOW)" demo > .demo/demo.txt && cat .demo/demo.txt
	@rm -f $(HOSPITAL_DB) $(HOSPITAL_DB)-wal $(HOSPITAL_DB)-shm
	@$(BIN)/careops --db $(HOSPITAL_DB) --now "$(NOW)" demo --site hospital | sed 's|careops due|careops --db $(HOSPITAL_DB) due|'
	@echo
	@$(BIN)/careops --db $(DEMO_DB) --now "$(NOW)" due --staff "$$(sed -n '1s/.*--staff "\(.*\)".*/\1/p' .demo/demo.txt)"

# Every test on its own SQLite file (the html report's browser test needs Debian's chromium: installed if missing).
test: install-test $(CATALOGUES)
	bash scripts/ensure-chromium.sh
	env -u CAREOPS_TEST_PG $(BIN)/python -m pytest

# The whole suite again, each test on its own database of a throwaway PostgreSQL server
# (Debian's postgresql package; started and stopped by scripts/with-postgres.sh).
test-pg: install-test $(CATALOGUES)
	bash scripts/ensure-chromium.sh
	bash scripts/with-postgres.sh $(BIN)/python -m pytest

docs: install
	$(BIN)/python scripts/gen_cli_reference.py > docs/cli-reference.md

bench: install
	$(BIN)/python benchmarks/bench_due.py

clean:
	rm -rf $(VENV) .demo .bench dist build
