# One task runner for people and CI: `make run`, `make test`, `make lint`, `make bench`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?=
comma := ,
STAMP := $(VENV)/.installed$(if $(EXTRAS),-$(subst $(comma),-,$(EXTRAS)))
# The ONNX export of the packaged MiniLM runs once at setup and needs torch; the query path never imports it.
ALL_EXTRAS := export$(if $(EXTRAS),$(comma)$(EXTRAS))
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run test lint bench clean

# llama.cpp (the llm extra) is built for what every x86-64 CPU of the last decade has (AVX2, FMA, F16C), not for the
# build machine's own instruction set: built "native" on a CPU with Intel AMX, it used AMX and crashed (SIGSEGV) at
# the first prompt longer than one token on a virtual machine whose kernel does not enable AMX (docs/evaluation.md,
# session 42). Built from source, never from pip's cache, which may hold a native build.
LLAMA_CPP := llama-cpp-python[server]>=0.3
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

# torch is installed first, pinned to the CPU build: otherwise pip would pull the CUDA build (several GB).
# The stamp makes a second run instant while pyproject.toml is unchanged.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check torch==2.13.0
	$(if $(findstring llm,$(EXTRAS)),CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install -q \
		--disable-pip-version-check --no-cache-dir "$(LLAMA_CPP)")
	$(BIN)/python -m pip install -q --disable-pip-version-check -e ".[$(ALL_EXTRAS)]"
	$(BIN)/python -c "from retrieval.embeddings import onnx_path; onnx_path('int8')"
	@touch $@

setup: $(STAMP)

# Index seeds/ (incremental: unchanged articles cost nothing), then the Telegram bot if a token is set,
# else the REPL.
run: setup
	$(BIN)/newsbot ingest
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		exec $(BIN)/newsbot telegram; else exec $(BIN)/newsbot repl; fi

# The tests need the dev tools and the LLM extra (llama.cpp's server; its first build takes ~8 min).
test:
	@$(MAKE) --no-print-directory setup EXTRAS=dev,llm
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	@$(MAKE) --no-print-directory setup EXTRAS=dev,llm
	$(BIN)/ruff check bot retrieval prompts tests benchmarks scripts
	$(BIN)/ruff format --check bot retrieval prompts tests benchmarks scripts
	$(BIN)/mypy bot retrieval prompts

bench:
	@$(MAKE) --no-print-directory setup EXTRAS=dev,llm,bench
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/llm_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
