# Quick start: `make demo` checks the bundled example, `make test` runs the test suite.
# Both create their own virtual environment in .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench docs readme dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/haizhi check examples/work-base/applicant.yaml
	mkdir -p out
	$(BIN)/haizhi build-packet examples/work-base/applicant.yaml -o out/demo --force
	@if command -v pdftoppm >/dev/null 2>&1; then \
		rm -rf out/demo-pages && mkdir -p out/demo-pages && \
		pdftoppm -r 60 -png out/demo/packet.pdf out/demo-pages/page && \
		echo "page images of the packet: out/demo-pages/"; \
	else echo "pdftoppm not found (Debian: apt-get install poppler-utils): no page images"; fi

# The benchmarks of the performance targets (benchmarks/run.py); they rewrite the results in docs/performance.md.
# hyperfine times them when it is installed (Debian: apt-get install hyperfine), else a Python timer.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py --record docs/performance.md

# The rule reference pages in docs/rules/ and the committed JSON Schema, generated from the rule files and the
# models (tests/test_ruledocs.py and tests/test_schema.py check that they are current).
docs: $(STAMP)
	$(BIN)/python -m haizhi_cli.reports._ruledocs docs/rules
	$(BIN)/haizhi schema -o schema/applicant-format-1.schema.json --force

# The command outputs README.md and README.en.md show, from real runs on the bundled examples
# (scripts/make_readme.py; tests/test_readme.py fails when either README shows anything else).
readme: $(STAMP)
	$(BIN)/python scripts/make_readme.py

# A wheel in dist/ for a machine or a CI job that cannot reach this repository: `pip install dist/haizhi-*.whl`
# (docs/ci.md). The rule files, templates and the eligible examples travel inside it.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	@ls dist/*.whl

test: $(STAMP)
	$(BIN)/ruff check haizhi_cli tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check haizhi_cli tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build dist out
