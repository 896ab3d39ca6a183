# territory-watch: `make demo`, `make test`, `make up` (see README).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export TERRITORY_WATCH_HOME ?= $(CURDIR)/var

.PHONY: venv test lint demo up bench bench-scale clean system-packages figures-model

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,demo,postgres,celery,local-postgres]'
	touch $(STAMP)

venv: $(STAMP)

# Debian's chromium and PostgreSQL, driven for real by the tests (never `playwright install`)
system-packages:
	sh scripts/ensure_test_packages.sh

# ruff (style, imports, likely bugs) and mypy (types) over the whole tree
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(STAMP) system-packages lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	$(BIN)/python -m demo.run

up: $(STAMP)
	$(BIN)/python -m territory_watch.orchestration.airflow_env up

bench: $(STAMP)
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/crawl.py

# one worker vs two on the Celery deployment of the scale-out test; `make up` under backfill load
bench-scale: $(STAMP) system-packages
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/up_backfills.py --engine postgres

# refit the figure engine's learned layer on tests/corpus (after adding or editing cases),
# then refresh the gate's baseline
figures-model: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[train]'
	$(BIN)/python scripts/train_figure_model.py
	$(BIN)/python tests/eval_gate.py --write-baseline --quiet

clean:
	rm -rf $(VENV) var .pytest_cache
