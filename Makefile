# One task runner for people and CI: `make run`, `make test`, `make lint`, `make bench`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= dev
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
comma := ,
export HF_HUB_OFFLINE := 1

.PHONY: setup run test lint bench clean

# torch is installed first, pinned to the CPU build: otherwise pip would pull the CUDA build (several GB).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/python -m pip install -q --disable-pip-version-check -e ".[$(EXTRAS)]"
	$(BIN)/python -c "from retrieval.embeddings import onnx_path; onnx_path()"
	@touch $@

setup: $(STAMP)

# Index seeds/ (incremental: unchanged articles cost nothing), then the Telegram bot if a token is set,
# else the REPL.
run: setup
	$(BIN)/newsbot ingest
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		exec $(BIN)/newsbot telegram; else exec $(BIN)/newsbot repl; fi

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check bot retrieval prompts tests benchmarks scripts
	$(BIN)/ruff format --check bot retrieval prompts tests benchmarks scripts
	$(BIN)/mypy bot retrieval prompts

bench:
	$(MAKE) setup EXTRAS=dev,bench
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
