# goodstanding — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR ?= $(or $(GOODSTANDING_HOME),$(HOME)/.local/share/goodstanding)/demo-reports

.PHONY: install run test check pytest browser-deps bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Debian's chromium drives the browser tests (playwright cannot download its own build here);
# the CJK fonts let Chinese and Japanese pages (and their screenshots) render real glyphs, and
# WenQuanYi's TrueType outlines let the PDF tests embed a CJK font.
browser-deps:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" && fc-list 2>/dev/null | grep -qi "zenhei"; } || { \
	  echo "installing Debian's chromium and CJK fonts for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-cjk fonts-wqy-zenhei >/dev/null) \
	  || echo "WARNING: could not install chromium; browser tests will say so and skip"; }

run: install
	$(BIN)/goodstanding demo --out "$(DEMO_DIR)"
	$(BIN)/goodstanding ingest "$(DEMO_DIR)"/* --account demo-store
	$(BIN)/goodstanding users demo --account demo-store
	$(BIN)/goodstanding serve --host $(HOST) --port $(PORT)

check: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install browser-deps
	$(BIN)/pytest -n auto -m "not browser" tests
	$(BIN)/pytest -p no:xdist -m browser tests

test: check pytest

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/health.py
	$(BIN)/python bench/notice.py
	$(BIN)/python bench/grade.py
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
