# make demo | make test | make bench -- each sets up .venv and what it needs first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

# CI also installs the PyTorch parity extra; locally: make test EXTRAS=test,parity
ifeq ($(CI),true)
EXTRAS ?= test,parity
else
EXTRAS ?= test
endif

.PHONY: demo test bench graphviz clean

demo: $(VENV)/.installed-$(EXTRAS) graphviz
	$(PY) demos/chain_rule.py

test: $(VENV)/.installed-$(EXTRAS) graphviz
	$(PY) -m pytest

bench: $(VENV)/.installed-bench
	$(PY) benchmarks/bench.py

# One stamp per set of extras: reinstall when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[$*]"
	@touch $@

# Graphviz's dot renders the pictures: install it with apt-get when we can, else say how.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Graphviz (apt-get install graphviz)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's dot is missing: run 'sudo apt-get install graphviz' (Debian/Ubuntu) or 'brew install graphviz' (macOS)" >&2; \
	    exit 1; \
	  fi; }

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
