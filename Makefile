# make demo | make test | make bench -- each sets up .venv and what it needs first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

# CI also installs the PyTorch parity extra and JupyterLab (the widget's browser test); locally: make test EXTRAS=test,demos,parity,notebooks,jupyter,lint
ifeq ($(CI),true)
EXTRAS ?= test,demos,parity,notebooks,jupyter,lint
else
EXTRAS ?= test,demos,notebooks,lint
endif

.PHONY: demo test lint bench notebooks graphviz chromium node vendor web check-js clean

demo: $(VENV)/.installed-demos graphviz vendor
	$(PY) demos/chain_rule.py
	$(PY) demos/moons.py

test: lint graphviz chromium vendor
	$(PY) -m pytest

# ruff and mypy as pyproject.toml configures them, and the front end's JavaScript checked.
lint: $(VENV)/.installed-$(EXTRAS) check-js
	$(VENV)/bin/ruff check .
	$(PY) -m mypy

# The front end's JavaScript (autograd/show/assets/*.js), syntax-checked with node --check.
check-js: node
	@sh tools/check-js

bench: $(VENV)/.installed-bench
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/startup.py

# The classroom notebooks in demos/, opened in JupyterLab (installed into .venv first).
notebooks: $(VENV)/.installed-notebooks,jupyter graphviz
	$(VENV)/bin/jupyter lab demos/

# One stamp per set of extras: reinstall when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[$*]"
	@touch $@

# Graphviz compiled to WebAssembly and Pyodide for the pages (npm registry), pinned and
# hash-checked in tools/vendor.json, unpacked into autograd/show/vendor/ (gitignored, in the wheel).
vendor:
	@$(PYTHON) tools/fetch-vendor

# chainrule in the browser: a static site in out/web (Pyodide runs the engine; nothing installed).
web: $(VENV)/.installed-demos vendor
	$(VENV)/bin/chainrule web out/web

# Graphviz's dot renders the pictures; the player's tests drive a headless Chromium.
# Each is installed with apt-get when we run as root on Debian; otherwise we say how.
# Outside CI a missing program is not fatal: the tests that need it are skipped, and say why.
ALLOW_MISSING := $(if $(filter true,$(CI)),false,true)

graphviz:
	@sh tools/ensure-program dot graphviz || $(ALLOW_MISSING)

node:
	@sh tools/ensure-program node nodejs || $(ALLOW_MISSING)

chromium:
	@sh tools/ensure-program chromium chromium || $(ALLOW_MISSING)
	@sh tools/ensure-program chromedriver chromium-driver || $(ALLOW_MISSING)

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis autograd/show/vendor
