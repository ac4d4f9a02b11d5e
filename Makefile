# Two commands on a bare machine:  `make run` (demo data + dashboard)  and  `make test` (whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# localhost: the demo serves this machine only and makes no outside request (Streamlit looks up a
# public IP to print when it listens on every interface); ADDRESS=0.0.0.0 to share it on a network
ADDRESS ?= localhost

.PHONY: run test setup system-deps demo lint bench clean

$(BIN)/tracker: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

setup: $(BIN)/tracker

system-deps:
	./scripts/system-deps.sh

demo: setup
	$(BIN)/tracker db upgrade  # a store from an earlier version is brought up to date first (no-op otherwise)
	$(BIN)/tracker demo

run: demo
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.address $(ADDRESS) --server.headless true

test: setup system-deps
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/ingest.py
	$(BIN)/python ../shared/eval/timex_eval.py --cmd "$(BIN)/tracker timex"

clean:
	rm -rf $(VENV) data/tracker.db data/tracker.db-* .pytest_cache test-artifacts
