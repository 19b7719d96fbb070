# Everything runs from a project-local .venv, created on first use, so the two
# quick-start commands work on a machine with only Python 3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_AS_OF := $(shell cat fixtures/demo-authority.as-of)

.PHONY: demo scan-demo test lint format golden bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# OCR of scanned first pages is an optional extra (docs/dating.md); the tests
	@# read a scan with it. Where it has no wheel, its tests skip with the reason.
	$(BIN)/python -m pip install --quiet -e '.[test,ocr]' \
		|| echo "note: the OCR extra could not be installed; the OCR tests will skip"
	@# An editable install leaves annexa's bytecode to its first run, and where
	@# PYTHONDONTWRITEBYTECODE is set (many CI images) every run would compile
	@# annexa again: 0.15 s of each start. pip compiles what it installs; so do we.
	$(BIN)/python -m compileall -q annexa >/dev/null
	@touch $(STAMP)

## demo: the live view of the bundled demo authority at its as-of date
demo: $(STAMP)
	$(BIN)/annexa watch fixtures/demo-authority --as-of $(DEMO_AS_OF)

## scan-demo: the one-off report of the demo authority
scan-demo: $(STAMP)
	-$(BIN)/annexa scan fixtures/demo-authority --as-of $(DEMO_AS_OF)

## test: lint, then the whole test suite
test: lint
	$(BIN)/python -m pytest

## lint: ruff, the type checker and the import contracts (pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check annexa tests benchmarks fixtures/make_demo.py
	$(BIN)/ruff format --check annexa tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format annexa tests benchmarks
	$(BIN)/ruff check --fix annexa tests benchmarks

## golden: regenerate the golden report files after an intended change
golden: $(STAMP)
	$(BIN)/python -m tests.golden.regenerate

bench: $(STAMP)
	$(BIN)/python benchmarks/scan_speed.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
