# MIRAGE Labeller: setup, tests, demo and packaging on Debian 12.
# Quick start on a fresh machine:  make demo   |   make test
SHELL := /bin/bash
.DEFAULT_GOAL := help

SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
DEBS := qgis python3-qgis qgis-providers python3-rasterio python3-geopandas python3-fiona \
        python3-shapely python3-scipy python3-matplotlib python3-numba python3-attr python3-venv python3-pip \
        xvfb xauth imagemagick gdal-bin saga qttools5-dev-tools
# Debian's pyproj finds its data from /usr; inside a venv it has to be told.
export PROJ_DATA ?= /usr/share/proj

.PHONY: help setup translations test demo screenshots package bench bench-terrain bench-processes bench-export styles clean

help:
	@echo "make demo     QGIS with the plugin on the synthetic demo workspace (screenshot when headless)"
	@echo "make test     the whole test suite, headless"
	@echo "make setup    install Debian packages and the test venv (done by demo and test)"
	@echo "make screenshots  real QGIS under xvfb-run: build/demo-screenshot.png, build/terrain-check.png"
	@echo "make package  build dist/MirageLabeller-<version>.zip for 'Install from ZIP'"
	@echo "make bench    speed figures (bench/): label store, synthetic data, dock switching"
	@echo "make bench-terrain  morphometry vs gdaldem, screening vs gdalinfo (10000x10000 DEM: minutes)"
	@echo "make bench-processes  grouping 5 000 to 50 000 labels into processes"
	@echo "make bench-export  training-set export throughput (chips per second)"
	@echo "make styles   rewrite the QML styles in resources/styles from the plugin's styling code"

setup: $(VENV_STAMP) translations
	@tools/ensure_debs.sh $(DEBS)
	@$(PY) tools/check_stack.py

# the .qm QGIS loads, built from the .ts sources (not committed)
QM := $(patsubst %.ts,%.qm,$(wildcard i18n/*.ts))
translations: $(QM)

i18n/%.qm: i18n/%.ts
	@tools/ensure_debs.sh qttools5-dev-tools
	lrelease -silent $< -qm $@

# an existing venv is kept: it may be a link to one that work trees share (venv refuses links)
$(VENV_STAMP): requirements-dev.txt
	@tools/ensure_debs.sh $(DEBS)
	[ -x $(PY) ] || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

test: setup
	$(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

demo: setup
	$(PY) tools/demo.py

screenshots: setup
	$(PY) tools/demo.py --screenshot build/demo-screenshot.png
	$(PY) tools/demo.py --scene terrain --screenshot build/terrain-check.png
	$(PY) tools/demo.py --scene recurrence --screenshot build/recurrence-gallery.png
	$(PY) tools/demo.py --scene review --screenshot build/review-queue.png
	$(PY) tools/demo.py --scene guide --screenshot build/class-guide.png
	$(PY) tools/demo.py --scene guide --locale it_IT --screenshot build/class-guide-it.png
	$(PY) tools/demo.py --scene exercise --locale it_IT --screenshot build/exercise-checked-it.png

bench-terrain: setup
	$(SYSTEM_PYTHON) bench/bench_terrain_screen.py

styles: setup
	$(SYSTEM_PYTHON) tools/make_styles.py

bench-processes: setup
	$(SYSTEM_PYTHON) bench/bench_processes.py

bench-export: setup
	$(SYSTEM_PYTHON) bench/bench_export.py

bench: setup
	$(PY) bench/bench_foundation.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/bench_dock_switch.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/bench_recurrence_gallery.py

package: translations
	$(SYSTEM_PYTHON) tools/package.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
