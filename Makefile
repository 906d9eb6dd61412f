# One command runs the app, one runs every test; both install what they need.
# Debian's python3.11 is built with PGO and LTO into a static binary; pyenv's default build is neither
# (and --enable-shared), and serves the app's pages about 10 % slower (make bench, 2026-11-29).
PY      ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV    := .venv
BIN     := $(VENV)/bin
FLASK   := $(BIN)/flask --app wizard
CATALOG := wizard/translations

.PHONY: run test install install-test translations extract-messages browser bench bench-tools bench-instructions bench-messages load faults fuzz lint clean

$(BIN)/activate:
	$(PY) -m venv $(VENV) || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3.11-venv && \
	  $(PY) -m venv --clear $(VENV); }
	$(BIN)/pip install -q --upgrade pip

# The venv's own setuptools comes from ensurepip and may be years old (66.1.1 on Debian 12: CVE-2024-6345).
$(VENV)/.installed: $(BIN)/activate setup.cfg
	$(BIN)/pip install -q 'setuptools==84.2.1'
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed-load: $(VENV)/.installed setup.cfg
	$(BIN)/pip install -q -e '.[load]'
	touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(BIN)/pybabel --quiet compile -d $(CATALOG)

# Re-extract the strings and merge them into fa and en after changing any text.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -o $(CATALOG)/messages.pot --no-location --sort-output . >/dev/null
	$(BIN)/pybabel --quiet update -i $(CATALOG)/messages.pot -d $(CATALOG) --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/fill_en_catalog.py
	@echo "Now translate the new entries in $(CATALOG)/fa/LC_MESSAGES/messages.po"

run: install
	$(FLASK) init-db
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Browser tests drive Debian's Chromium; Playwright must not download a browser of its own here.
# axe-core (accessibility tests) comes from npm, pinned in package.json / package-lock.json.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-core; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

# Static checks: ruff (pyproject.toml), bandit (fails on any medium or high finding) and the offline
# dependency audit (installed versions against scripts/advisories.toml; pip-audit cannot reach its service here).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r wizard bench scripts -ll -c pyproject.toml
	$(BIN)/python scripts/audit_dependencies.py

# Two workers (pytest-xdist, one per core); tests marked "alone" (one restarts PostgreSQL) run after them.
test: install-test browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not alone"
	$(BIN)/python -m pytest -m alone

# The app against the framework floor (bench/run.py); wrk comes from Debian's packages.
bench-tools:
	@command -v wrk >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; }

bench: install bench-tools
	$(BIN)/python -m bench.run

# Instructions per step GET and POST under valgrind (bench/instructions.py): steady where req/s is not.
bench-instructions: install
	@command -v valgrind >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind; }
	$(BIN)/python -m bench.instructions

# 20,000 SMS reminders queued by `flask messages tick` and drained by two RQ workers (bench/messages.py): needs Redis.
bench-messages: install
	$(BIN)/python -m bench.messages

# The deadline day on PostgreSQL (bench/load.py): LOAD_DATABASE_URL, default .../wizard_load.
load: $(VENV)/.installed-load translations
	$(BIN)/python -m bench.load

# Every fault scenario at full length (CI runs the short versions inside make test).
faults: install-test browser
	FAULTS_FULL=1 $(BIN)/python -m pytest tests/faults

# The hostile-input fuzzer at full length: 2,000 inputs per holder or public form, 300 per staff form.
fuzz: install-test
	HOSTILE_FULL=1 $(BIN)/python -m pytest -s tests/test_hostile_forms.py

clean:
	rm -rf $(VENV) instance/wizard.sqlite* .pytest_cache
