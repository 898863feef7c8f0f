# The course's commands. Each one creates .venv and installs what it needs first.
#   make book    build the book into _build/html (from the notebooks' stored outputs)
#   make test    run every test: unit tests, notebooks (nbval), the book build, browser
#   make lab     open the chapters in JupyterLab
# The environment is the exact versions in requirements-lock.txt; `make lock` resolves
# it again after requirements.txt changes (UPGRADE=1: every package to its newest
# allowed version). NEWEST=1 (e.g. `make test NEWEST=1`) installs the newest versions
# requirements.txt allows instead of the lock, as the scheduled CI job does.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements-lock.txt

ifdef NEWEST
STAMP   := $(VENV)/.installed-newest
INSTALL := --upgrade --upgrade-strategy eager -r requirements.txt
else
STAMP   := $(VENV)/.installed
INSTALL := -r $(LOCK)
endif

.PHONY: help venv book test lab notebooks torch bench clean test-browser figures lock
.DEFAULT_GOAL := help

help:
	@echo "make book   build the book from the stored outputs; then open _build/html/index.html"
	@echo "make test   run all tests (unit, notebooks, book build, browser)"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make torch  add PyTorch (CPU build) for the chapters that compare with it"
	@echo "make notebooks  re-run every chapter and store its outputs (needs make torch)"
	@echo "make bench  run the benchmarks (installs micrograd and PyTorch)"
	@echo "make test-browser  check the built book in headless Chromium (builds it first)"
	@echo "make lock   resolve requirements-lock.txt again from requirements.txt (UPGRADE=1: newest)"

venv: $(STAMP)

# An empty virtual environment, made with a Python that the course supports.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	  echo "error: the course needs Python 3.10 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "       Run make with PYTHON=/path/to/python3.11 (for example)."; exit 1; }
	@test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); } || { rm -rf $(VENV); \
	  echo "error: could not create a virtual environment."; \
	  echo "       On Debian or Ubuntu: sudo apt install python3-venv, then run make again."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(LOCK) requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install $(INSTALL)
	$(BIN)/python -m pip install --no-deps -e .
	@rm -f $(VENV)/.installed $(VENV)/.installed-newest
	@touch $(STAMP)

# Every platform and Python 3.10+ at once (uv's universal resolution): a package whose
# newest release needs a newer Python gets a second, marked line for the older ones.
# The versions already in the lock stay where requirements.txt still allows them;
# UPGRADE=1 moves every package to its newest allowed version.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv>=0.5"
	$(BIN)/uv pip compile requirements.txt --universal --python-version 3.10 \
	  $(if $(UPGRADE),--upgrade) --no-emit-package nnscratch \
	  --custom-compile-command "make lock" --quiet --output-file $(LOCK)

# The book shows the outputs stored in the notebooks (make notebooks stores them; the
# tests check them), so it needs no kernel and takes about ten seconds.
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "The book is built. Open it in a browser: file://$(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# The built book in a real browser (headless Chromium): pages, links, figures, math, dark
# mode, phone width, menus, search. Screenshots go to _build/screenshots/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

# Redraw the landing page's figures (committed) with the package.
figures: $(STAMP)
	$(BIN)/python book/figures/make_figures.py

# The chapters' backprop players and self-check questions run a script in their stored
# output, which JupyterLab runs only in a notebook it trusts: sign the chapters first.
# Jupyter's signatures and key are kept in .venv, like everything else the course adds.
lab: $(STAMP)
	JUPYTER_DATA_DIR=$(CURDIR)/$(VENV)/share/jupyter $(BIN)/jupyter trust notebooks/*.ipynb
	JUPYTER_DATA_DIR=$(CURDIR)/$(VENV)/share/jupyter $(BIN)/jupyter lab notebooks/

# Re-run every chapter (or NB=notebooks/04_automatic_backprop.ipynb, say) and store its
# outputs (what the book shows and nbval compares against). Chapters 07, 10 and 12 print
# PyTorch's and micrograd's results, so both must be installed: outputs stored without
# them would leave those results out. What a cell prints in several bursts is stored as
# one output, as the reader saw it, rather than split where the kernel happened to flush.
NB ?= notebooks/*.ipynb
notebooks: $(STAMP)
	@$(BIN)/python -c 'import torch, micrograd' 2>/dev/null || { \
	  echo "error: make notebooks stores what the chapters print, PyTorch's and micrograd's"; \
	  echo "       results included, and one of them is not installed. Run make torch first."; exit 1; }
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --Exporter.preprocessors='["nbconvert.preprocessors.CoalesceStreamsPreprocessor"]' \
	  --CoalesceStreamsPreprocessor.enabled=True $(NB)

# PyTorch's CPU build: on Linux the default PyPI build pulls in CUDA (gigabytes), so ask
# for the +cpu build by name; on macOS and Windows the PyPI build is the CPU one. The
# lock holds the versions of what it shares with the course.
ifeq ($(shell uname -s),Linux)
TORCH_SPEC := "torch==2.13.0+cpu" --extra-index-url https://download.pytorch.org/whl/cpu
else
TORCH_SPEC := "torch==2.13.0"
endif

torch: $(STAMP)
	$(BIN)/python -m pip install $(if $(NEWEST),,-c $(LOCK)) $(TORCH_SPEC)

bench: torch
	$(BIN)/python -m pip install -r bench/requirements.txt
	$(BIN)/python bench/engine_vs_micrograd.py
	@for script in bench/*.py; do [ $$script = bench/engine_vs_micrograd.py ] || $(BIN)/python $$script; done

clean:
	rm -rf _build .pytest_cache .hypothesis

# --- Colab and releases ----------------------------------------------------------------
# make colab-check              run chapters the way Google Colab does: each alone in an
#                               empty folder and a fresh environment, set-up cell first,
#                               with a snapshot of this tree standing in for GitHub
#                               (CHAPTERS="03 07" or CHAPTERS=all for others)
# make release VERSION=0.2.0    set the version everywhere, date the changelog, rewrite
#                               the set-up cells, commit and tag v0.2.0 (CONTRIBUTING.md)
.PHONY: colab-check release

colab-check: $(STAMP)
	$(BIN)/python tools/colab_check.py $(CHAPTERS)

release: $(STAMP)
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=0.2.0"; exit 1; }
	$(BIN)/python tools/release.py $(VERSION)
