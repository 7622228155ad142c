# Two commands do everything on a fresh Debian machine: `make` builds, `make test` tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# WeasyPrint's libraries and a fallback font; Ghostscript's data ships a free CMYK profile (the
# tests use it); ArgyllCMS makes the FOGRA39 print profile from icc-profiles-free's data;
# LibreOffice Impress makes the decks' PDFs, kept running through its Python bridge (python3-uno);
# the CJK font draws Japanese (fontconfig finds it); Cairo renders the icons as PNG for decks.
DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libgs-common libcairo2 \
	argyll icc-profiles-free libreoffice-impress python3-uno fonts-noto-cjk fontconfig
# The real clients the tests render with: Chromium (catalog, preview), poppler (PNG);
# faketime runs a build "on another day" for the reproducibility test.
TEST_DEBS := chromium poppler-utils faketime

.PHONY: materials setup setup-test test test-fast check lint bench clean messages
.DEFAULT_GOAL := materials

materials: setup
	$(PY) make_materials.py check --strict
	$(PY) make_materials.py build

setup: $(STAMP)
	@setup/apt-ensure.sh $(DEBS)
	@$(PY) -m bmr_materials.shared.printprofile >/dev/null  # built once (about 30 s), then cached

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup-test: setup
	@setup/apt-ensure.sh $(TEST_DEBS)

test: setup-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -n auto --dist loadfile

# The fast lane: no test that renders the shipped content (pytest -m "not slow").
test-fast: setup
	FAST_LANE=1 $(PY) -m pytest -m "not slow" -q -n auto --dist loadfile

check: setup
	$(PY) make_materials.py check --strict

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench: setup-test
	$(PY) bench/run.py

clean:
	rm -rf output

# Template labels: extract them, then merge into every language's catalog (fill in msgstr).
messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o bmr_materials/shared/locale/messages.pot .
	$(VENV)/bin/pybabel update -i bmr_materials/shared/locale/messages.pot -d bmr_materials/shared/locale --no-fuzzy-matching --omit-header
