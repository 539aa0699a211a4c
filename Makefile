# Two commands a user needs: `make lab` and `make test` (README). Everything else is a step
# they run, each skipped when its inputs have not changed since the last time.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
JUPYTER := $(VENV)/bin/jupyter
LAB_PORT ?= 8888
# The venv's bin first, so `jupyter-builder` and `jupyter` in npm scripts are ours.
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# Never let a test tool download a browser: Galata drives Debian's /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TS_SOURCES := $(shell find src -name '*.ts' -o -name '*.tsx' -o -name '*.json' | grep -v __tests__ | grep -v snippets.generated) \
	$(wildcard python_snippets/*.py python_snippets/i18n/*.json) $(wildcard style/*) $(wildcard schema/*.json schema/settings/*.json) package.json tsconfig.json

.PHONY: help lab test build dist venv node jest pytest ui-test bench clean

help:
	@echo "make lab    set up, build, and start JupyterLab on examples/quickstart.ipynb"
	@echo "make test   set up, build, and run every test (jest, pytest, Galata)"
	@echo "make build  set up and build only"
	@echo "make dist   the sdist and the wheel a user installs, in dist/ (production bundles, from HEAD)"

# Python: torch alone first, pinned, so pip takes the CPU build on this disk and never a CUDA one.
$(VENV)/.stamp-python: requirements-dev.txt constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt torch==2.13.0
	$(PIP) install -q -c constraints.txt -r requirements-dev.txt
	# DeepSpeed, so tests/test_multi_gpu.py checks the generated ZeRO configs with DeepSpeed's own
	# parser. An sdist whose setup imports torch: no build isolation, no CUDA ops built. If it
	# fails here, that test skips its DeepSpeed part and says so.
	DS_BUILD_OPS=0 $(PIP) install -q --no-build-isolation deepspeed==0.19.8 || echo "deepspeed did not install; its config check will skip"
	touch $@

# A real non-Python kernel, for the test that the sidebar says it needs Python. Only the test
# server sees it (ui-tests/start-lab.sh puts this prefix on JUPYTER_PATH): in the lab a user
# starts, File → New → Notebook must not ask them to choose between Python and Bash.
TEST_KERNELS := $(VENV)/test-kernels
$(VENV)/.stamp-test-kernel: $(VENV)/.stamp-python
	$(PY) -m bash_kernel.install --prefix $(CURDIR)/$(TEST_KERNELS) >/dev/null
	@# Earlier checkouts installed it into the venv itself, where every lab sees it.
	rm -rf $(VENV)/share/jupyter/kernels/bash
	touch $@

venv: $(VENV)/.stamp-python

node_modules/.stamp-npm: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

node: node_modules/.stamp-npm

# The extension, built and installed into the venv (develop mode: a link to our build).
$(VENV)/.stamp-build: $(VENV)/.stamp-python node_modules/.stamp-npm $(TS_SOURCES)
	npm run build
	SKIP_JUPYTER_BUILDER=1 $(PIP) install -q --no-build-isolation --no-deps -e .
	$(JUPYTER) labextension develop . --overwrite >/dev/null
	touch $@

build: $(VENV)/.stamp-build

# The release a user installs: sdist + wheel with the production labextension and the widget
# and engine bundles (minified, no source maps), built from a clean checkout of HEAD (git clone,
# so nothing untracked or built for development gets in; node_modules is shared, it is the
# same lock). Rebuilt only when a commit or the build's inputs changed.
DIST_STAMP := dist/.stamp-$(shell git rev-parse --short HEAD 2>/dev/null)
$(DIST_STAMP): $(VENV)/.stamp-python node_modules/.stamp-npm $(TS_SOURCES) $(wildcard model_advisor/*.py) pyproject.toml
	rm -rf dist .dist-checkout && mkdir -p dist
	git clone -q --no-hardlinks . .dist-checkout
	ln -s $(CURDIR)/node_modules .dist-checkout/node_modules
	@# Built here, so hatch-jupyter-builder finds its targets and skips its own npm install + build.
	cd .dist-checkout && npm run build:prod >/dev/null && $(CURDIR)/$(PY) -m hatchling build -d $(CURDIR)/dist >/dev/null 2>&1
	rm -rf .dist-checkout
	@ls -l dist
	touch $@

dist: $(DIST_STAMP)

lab: build
	@# Earlier checkouts put the tests' bash kernel where this lab would offer it.
	rm -rf $(VENV)/share/jupyter/kernels/bash
	@# This lab is for trying the advisor: no "get Jupyter news?" toast over the notebook.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp scripts/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@# The printed URL opens the demo notebook itself (default_url), served from examples/.
	$(JUPYTER) lab --ip=127.0.0.1 --port=$(LAB_PORT) --no-browser $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.root_dir=examples --LabApp.default_url=/lab/tree/quickstart.ipynb

# Each suite prints its own summary; scripts/test-all adds them up into one last line.
test: build dist $(VENV)/.stamp-test-kernel
	bash scripts/test-all

jest: build
	npx jest

pytest: build dist
	$(VENV)/bin/pytest -q

ui-test: build $(VENV)/.stamp-test-kernel
	cd ui-tests && npx playwright test

# Not part of `make test`: the estimates against published measurements → docs/accuracy.md,
# docs/accuracy.png, docs/accuracy-speed.md and docs/accuracy-speed.png. matplotlib is only needed here, so it is installed here (pinned in constraints.txt).
bench: build
	$(PIP) install -q -c constraints.txt matplotlib
	npm run --silent build:lib
	node bench/accuracy/run.js
	$(PY) bench/accuracy/report.py
	node bench/speed/run.js
	$(PY) bench/speed/report.py

clean:
	npm run clean
	rm -rf $(VENV) node_modules dist .dist-checkout
