# Two commands do all the set-up: `make run` serves the demo, `make test` runs the whole suite.
VENV ?= .venv
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
SEED_CONTACTS ?= 10000
# test processes of `make test` (make test WORKERS=4)
WORKERS ?= 2
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint lock bench clean system-packages graphviz messages translations
CATALOGS := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# constraints.txt pins every package to the version the suite passed with; `make lock`
# rebuilds it in a throwaway environment from pyproject.toml's ranges.
$(VENV)/.app-installed: pyproject.toml constraints.txt | $(BIN)/activate
	PYTHONWARNINGS=ignore $(BIN)/pip install -q -c constraints.txt -e '.[serve]'
	touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt | $(BIN)/activate
	PYTHONWARNINGS=ignore $(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.app-installed

lock:
	rm -rf /tmp/survey-app-lock && $(PYTHON) -m venv /tmp/survey-app-lock
	PYTHONWARNINGS=ignore /tmp/survey-app-lock/bin/pip install -q -e '.[test]'
	{ sed -n '1,2p' constraints.txt; /tmp/survey-app-lock/bin/pip freeze --exclude-editable \
	  | grep -v '^survey-app'; } > constraints.new && mv constraints.new constraints.txt
	rm -rf /tmp/survey-app-lock

# The interface's words: `make messages` extracts them from the code and templates into
# translations/messages.pot and merges them into each language's messages.po (then translate
# what it counts as new); the .mo files are compiled from the .po, never committed.
messages: $(VENV)/.app-installed
	$(BIN)/flask translations update

translations: $(CATALOGS)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.app-installed
	$(BIN)/flask translations compile

run: $(VENV)/.app-installed translations graphviz
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --contacts $(SEED_CONTACTS)
	@echo "Survey app: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	HOST=$(HOST) PORT=$(PORT) TRAINING_MODE=$${TRAINING_MODE:-1} exec $(BIN)/gunicorn -c gunicorn.conf.py

# Graphviz's dot draws a questionnaire's picture on its page: the app needs it too.
graphviz:
	@command -v dot >/dev/null || { apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; }

# Debian's chromium drives the browser tests, redis-server carries the bus between web
# processes and postgresql is the second database of the tests (each test session starts
# its own servers on loopback), nginx serves the app over HTTPS with deploy/nginx-survey.conf
# (tests/test_behind_nginx.py), Graphviz's dot draws a questionnaire's picture; install what
# is missing.
system-packages:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null || missing="$$missing nginx"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi

test: $(VENV)/.test-installed system-packages translations
	$(BIN)/ruff check survey_app tests benchmarks
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile -q

lint: $(VENV)/.test-installed
	$(BIN)/ruff check survey_app tests benchmarks
	$(BIN)/lint-imports --no-logo --no-cache

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/survey_step.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
