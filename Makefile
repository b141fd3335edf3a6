# Two commands work from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --disable-pip-version-check -q

.PHONY: demo test install dev clean bench

# Runtime install: the package and its dependencies.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $@

# Development install: test and conversion tools on top.
$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

demo: install
	$(VENV)/bin/ethicscheck demo

test: dev
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest

clean:
	rm -rf $(VENV) reports/demo mlflow.db .pytest_cache

# Benchmarks print Markdown; the fairness figures land in benchmarks/results/fairness.md.
bench: dev
	( $(PY) benchmarks/bench_fairness.py && echo && $(PY) benchmarks/bench_scale.py && echo && \
	  $(PY) benchmarks/coverage_study.py ) > benchmarks/results/fairness.md
	cat benchmarks/results/fairness.md
	$(PY) benchmarks/bench_pii.py > benchmarks/results/pii.md
	cat benchmarks/results/pii.md
