# The two commands: `make demo` and `make test`. Each sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint system install lock bench clean

demo: install
	$(BIN)/scl demo

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2

system:
	@PYTHON=$(PYTHON) bash scripts/system-deps.sh

install: system $(STAMP)

# Reinstalled only when the dependencies or their pins change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e '.[test,audio,postgres]'
	touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Re-pin after changing dependencies in pyproject.toml (setuptools too: the wheel test
# builds offline with the venv's own).
lock: system
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,audio,postgres]'
	{ echo "# Exact versions a clean clone installs (pip install -c constraints.txt)."; \
	  echo "# Regenerate: make lock"; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v -e '^-e' -e '^pip=='; } \
	  > constraints.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
