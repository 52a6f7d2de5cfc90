# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test install install-dev install-ray browser bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Ray, for the trainings' second backend (rnn_core/ray_jobs.py); not needed by `make run`.
$(VENV)/.installed-ray: $(VENV)/.installed requirements-ray.txt
	$(PY) -m pip install --quiet -r requirements-ray.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-ray: $(VENV)/.installed-ray

# Debian's Chromium drives the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

test: install-dev install-ray browser
	$(PY) -m pytest

bench: install-dev
	$(PY) bench/train_vs_keras.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
