# The two commands of the README:  `make run` (the assistant)  and  `make test` (the tests).
# Both set everything up on a fresh machine first: venv, CPU torch, the stack, the models.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
# llama.cpp is compiled for this CPU's vector units, but never with AMX: a -march=native build
# on a CPU with AMX crashed (SIGSEGV) on its first batched prompt here. AVX-512 where the CPU
# has it: prompt evaluation then ran at 80 tokens/s against 50 with AVX2 alone (README).
CPU_FLAGS := $(shell cat /proc/cpuinfo 2>/dev/null)
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
  $(if $(filter avx512f,$(CPU_FLAGS)),-DGGML_AVX512=ON) $(if $(filter avx512_vnni,$(CPU_FLAGS)),-DGGML_AVX512_VNNI=ON) \
  $(if $(filter avx512vbmi,$(CPU_FLAGS)),-DGGML_AVX512_VBMI=ON) $(if $(filter avx512_bf16,$(CPU_FLAGS)),-DGGML_AVX512_BF16=ON)

.PHONY: setup models index run chat ask test test-fast browser-deps bench eval clean

setup: $(STAMP) models

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	# CPU torch first (a local wheel): otherwise pip pulls several GB of CUDA packages
	$(BIN)/pip install --disable-pip-version-check -q torch==2.13.0
	# llama-cpp-python compiles from source on first install (about 5 minutes; pip caches the wheel)
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip install --disable-pip-version-check -q "llama-cpp-python==0.3.36"
	$(BIN)/pip install --disable-pip-version-check -q -e ".[test,eval]"
	touch $(STAMP)

models: $(STAMP)
	$(BIN)/rag setup

index: setup
	$(BIN)/rag index

run: index
	$(BIN)/rag chat

chat: run

# Debian's Chromium for the browser tests (Playwright drives it; no browser download)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: setup browser-deps
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: index
	$(BIN)/python scripts/bench.py

# both question sets with their corpora (data/eval on the shipped articles, XQuAD dev), and the baseline
eval: index
	$(BIN)/rag-eval --suite all

clean:
	rm -rf .rag test-artifacts
