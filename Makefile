# xling — build, test, lab, bench. Every target installs what it needs itself.
# Fresh Debian machine:  make lab   (JupyterLab on notebooks/ with the xling kernel)
#                        make test  (the whole suite)
SHELL := /bin/bash
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
XLING := $(CURDIR)/.build/release/xling
XLING_BENCH := $(CURDIR)/.build/release/xling-bench
# A Python with a CPU torch, numpy and scipy (PyPI), for the PyTorch fixtures and the benchmarks
# against PyTorch and MUSE only; `torch-env` makes it on first use (make test never needs it).
TORCH_VENV ?= /work/venvs/torch
TORCH_PYTHON ?= $(TORCH_VENV)/bin/python
APT_PKGS := libzmq3-dev libopenblas-dev liblapacke-dev zlib1g-dev libfftw3-dev
BROWSER_PKGS := chromium chromium-driver
SWIFT_SOURCES := $(shell find Sources -type f) Package.swift

.PHONY: all deps browser-deps venv build kernelspec test lint format swift-test python-test notebooks notebooks-write browser-test lab bench clean neural-fixtures mlm-fixtures mlm-tables torch-env

all: build

deps:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi

browser-deps:
	@missing=""; for p in $(BROWSER_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  SUDO=$$( [ $$(id -u) -eq 0 ] || echo sudo ); $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi

# python/xling-papermill: the papermill parameter translator for xling notebooks (README: papermill).
$(VENV)/.installed: Tests/requirements.txt $(wildcard python/xling-papermill/*.toml python/xling-papermill/xling_papermill/*.py)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/requirements.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check ./python/xling-papermill
	touch $@

venv: $(VENV)/.installed

$(XLING): $(SWIFT_SOURCES) | deps
	swift build -c release --product xling

$(XLING_BENCH): $(SWIFT_SOURCES) | deps
	swift build -c release --product xling-bench

build: deps $(XLING) $(XLING_BENCH)

# A stock JupyterLab: tables carry text/html and Table Schema JSON (which JupyterLab does not
# render), so the HTML table shows without any lab configuration.
# An older checkout's lab disabled JupyterLab's JSON renderers; the lab is left unmodified now.
kernelspec: build venv
	$(XLING) install --prefix $(VENV)
	rm -f $(VENV)/etc/jupyter/labconfig/page_config.json

# The committed .swift-format style (swift-format ships with the Swift toolchain), plus a bound on
# line length in Sources: long help text belongs in multi-line literals, not 700-character lines.
lint:
	swift-format lint --strict --recursive --parallel Sources Tests Package.swift
	@long=$$(awk 'length > 160 { print FILENAME ":" FNR ": " length " characters" }' $$(find Sources -name '*.swift')); \
	if [ -n "$$long" ]; then echo "$$long"; echo "lines over 160 characters in Sources (make format, then split what is left)"; exit 1; fi

# Rewrites the tree in the committed style.
format:
	swift-format format --in-place --recursive --parallel Sources Tests Package.swift

# OpenBLAS's thread count is process-wide and the tile sweeps switch it (`withSingleThreadedBLAS`)
# while other suites run BLAS concurrently in this process, which changed the last bits of some
# same-seed results; one BLAS thread for the whole test process keeps every suite exact (our own
# worker threads still run; kernel tests in Python exercise multi-threaded BLAS).
swift-test: deps
	OPENBLAS_NUM_THREADS=1 swift test

python-test: kernelspec browser-deps
	cd Tests && $(PY) -m pytest -q -p no:cacheprovider conformance python reference

notebooks: kernelspec
	$(PY) Tests/python/execute_notebooks.py notebooks/*.ipynb

# Re-execute the notebooks and store their outputs (commit the result).
notebooks-write: kernelspec
	$(PY) Tests/python/execute_notebooks.py --write notebooks/*.ipynb

browser-test: kernelspec browser-deps
	$(PY) -m pytest -q -p no:cacheprovider Tests/browser

test: lint swift-test python-test notebooks browser-test

lab: kernelspec
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $$( [ $$(id -u) -eq 0 ] && echo --allow-root )

torch-env:
	@if ! $(TORCH_PYTHON) -c "import torch, numpy, scipy" 2>/dev/null; then \
	  [ -x "$(TORCH_PYTHON)" ] || python3 -m venv $(TORCH_VENV); \
	  $(TORCH_PYTHON) -m pip install -q torch numpy scipy; \
	fi

bench: kernelspec torch-env
	swift build -c release --product xling-bench
	$(PY) Tests/bench/kernel_bench.py
	$(PY) Tests/bench/engine_bench.py
	$(PY) Tests/bench/factorization_bench.py
	$(PY) Tests/bench/transfer_bench.py
	$(PY) Tests/bench/tsne_bench.py
	$(PY) Tests/bench/tsne_fft_bench.py
	$(PY) Tests/bench/unsupervised_bench.py
	@if [ -x "$(TORCH_PYTHON)" ]; then $(TORCH_PYTHON) Tests/bench/neural_bench.py; else echo "neural_bench.py skipped: no torch at TORCH_PYTHON=$(TORCH_PYTHON)"; fi
	@if [ -x "$(TORCH_PYTHON)" ]; then $(TORCH_PYTHON) Tests/bench/mlm_bench.py; else echo "mlm_bench.py skipped: no torch at TORCH_PYTHON=$(TORCH_PYTHON)"; fi
	@if [ -x "$(TORCH_PYTHON)" ]; then TORCH_PYTHON=$(TORCH_PYTHON) $(PY) Tests/bench/muse_bench.py; else echo "muse_bench.py skipped: no torch at TORCH_PYTHON=$(TORCH_PYTHON)"; fi

# Regenerate the PyTorch golden fixtures of Tests/NeuralTests (commit the result); needs torch
# (CPU) in TORCH_PYTHON's environment. make test reads only the committed fixtures.
neural-fixtures: torch-env
	$(TORCH_PYTHON) Tests/reference/neural_torch_reference.py

# The multilingual LM's PyTorch fixtures (Tests/EmbeddingsTests/Fixtures/mlm; commit the result).
mlm-fixtures: torch-env
	$(TORCH_PYTHON) Tests/reference/mlm_torch_reference.py

# Issue 15's full %train mlm runs, baselines and BLI tables (hours; not part of bench): Tests/bench/README.md.
mlm-tables:
	swift build -c release --product xling && $(PY) Tests/bench/mlm_tables.py run all && $(PY) Tests/bench/mlm_tables.py tables

clean:
	rm -rf .build $(VENV)
