# One command runs the app, one runs every test; both install what they need.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
FLASK   := $(BIN)/flask --app wizard
CATALOG := wizard/translations

.PHONY: run test install install-test translations extract-messages browser bench bench-tools clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate setup.cfg
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(BIN)/pybabel --quiet compile -d $(CATALOG)

# Re-extract the strings and merge them into fa and en after changing any text.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -o $(CATALOG)/messages.pot --no-location --sort-output . >/dev/null
	$(BIN)/pybabel --quiet update -i $(CATALOG)/messages.pot -d $(CATALOG) --no-location --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/fill_en_catalog.py
	@echo "Now translate the new entries in $(CATALOG)/fa/LC_MESSAGES/messages.po"

run: install
	$(FLASK) init-db
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Browser tests drive Debian's Chromium; Playwright must not download a browser of its own here.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-core; }

test: install-test browser
	$(BIN)/python -m pytest

# The app against the framework floor (bench/run.py); wrk comes from Debian's packages.
bench-tools:
	@command -v wrk >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; }

bench: install bench-tools
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance/wizard.sqlite* .pytest_cache
