# Two commands work from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --disable-pip-version-check -q

.PHONY: demo test install dev clean bench browser java example example-verification compare install-check lowest-pins fixtures

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

# The card's browser test needs Debian's chromium and chromium-driver; installed here when missing.
browser:
	.ci/install-chromium

# Java for the Spark engine's tests on a real local[2] (Debian's openjdk-17-jre-headless when missing).
java:
	.ci/install-java

# The suite runs on TEST_WORKERS processes (pytest-xdist), a test module at a time per worker: a module's
# fixtures (most of them an audit shared by its tests) and the Spark JVM are built once. TEST_WORKERS=0 runs
# it in this process.
TEST_WORKERS ?= 2
test: dev browser java
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

# The golden files of tests/test_golden.py (demo audit.json, model_card.json, a comparison's JSON).
# Regenerate them only when a change alters what users read on purpose, and say why in the commit.
fixtures: dev
	$(PY) -m tests.golden.regenerate

# The committed example card (reports/example/): the demo's card, charts and gate summary, and a PDF
# when Chromium is installed. Rebuild it whenever the card changes.
EXAMPLE_BUILD := build/example
example: install
	rm -rf $(EXAMPLE_BUILD) && mkdir -p $(EXAMPLE_BUILD) reports/example
	$(VENV)/bin/ethicscheck demo -o $(EXAMPLE_BUILD) --tracking-uri sqlite:///$(EXAMPLE_BUILD)/mlflow.db
	find reports/example -type f ! -name README.md -delete
	cp $(EXAMPLE_BUILD)/model_card.* $(EXAMPLE_BUILD)/chart_*.svg $(EXAMPLE_BUILD)/summary.md reports/example/
	-$(VENV)/bin/ethicscheck card $(EXAMPLE_BUILD)/audit.json --format pdf --out reports/example
	$(PY) docs/update_readme.py $(EXAMPLE_BUILD)/audit.json README.md

# The face-matching demo's card, committed beside the classification one (reports/example_verification/).
example-verification: install
	rm -rf $(EXAMPLE_BUILD)_verification && mkdir -p $(EXAMPLE_BUILD)_verification reports/example_verification
	$(VENV)/bin/ethicscheck demo --verification -o $(EXAMPLE_BUILD)_verification --tracking-uri sqlite:///$(EXAMPLE_BUILD)_verification/mlflow.db
	find reports/example_verification -type f -delete
	cp $(EXAMPLE_BUILD)_verification/model_card.* $(EXAMPLE_BUILD)_verification/chart_*.svg $(EXAMPLE_BUILD)_verification/summary.md reports/example_verification/

clean:
	rm -rf $(VENV) reports/demo mlflow.db .pytest_cache build

# Benchmarks print Markdown; the fairness figures land in benchmarks/results/fairness.md.
bench: dev
	( $(PY) benchmarks/bench_fairness.py && echo && $(PY) benchmarks/bench_scale.py && echo && \
	  $(PY) benchmarks/coverage_study.py ) > benchmarks/results/fairness.md
	cat benchmarks/results/fairness.md
	$(PY) benchmarks/bench_pii.py > benchmarks/results/pii.md
	cat benchmarks/results/pii.md
	$(PY) benchmarks/bench_compare.py > benchmarks/results/compare.md
	cat benchmarks/results/compare.md

# The research recipe: every built-in mitigation on the demo corpus, three seeds (about 5 minutes).
compare: install
	$(VENV)/bin/ethicscheck compare --config configs/compare_demo.yaml

# Install the built wheel into fresh venvs (core, then [compare]); sizes and what works, as Markdown.
install-check:
	bash benchmarks/install_check.sh > benchmarks/results/install.md
	cat benchmarks/results/install.md

# The core at the lowest supported numpy/pandas/scikit-learn/MLflow, with the core tests (also run by .ci/run).
lowest-pins:
	.ci/lowest-pins
