# Zichtop: `make run` sets up, builds the database from the best source and serves the dashboard;
# `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8050

.PHONY: run install build test lint docs screenshots bench serve clean

$(BIN)/zichtop: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/zichtop

install: $(BIN)/zichtop

data/zichtop.duckdb: $(BIN)/zichtop
	$(BIN)/zichtop build

build: $(BIN)/zichtop
	$(BIN)/zichtop build

run: data/zichtop.duckdb
	$(BIN)/zichtop info | head -2
	$(BIN)/python app.py --port $(PORT)

test: $(BIN)/zichtop
	$(BIN)/ruff check zichtop app.py tests bench
	$(BIN)/mypy zichtop
	$(BIN)/python -m pytest -q

lint: $(BIN)/zichtop
	$(BIN)/ruff check zichtop app.py tests bench
	$(BIN)/mypy zichtop

docs: $(BIN)/zichtop
	$(BIN)/zichtop docs

screenshots: data/zichtop.duckdb
	$(BIN)/python -m zichtop.screenshots docs/screenshots

bench: data/zichtop.duckdb
	$(BIN)/python bench/switch_payload.py
	$(BIN)/python bench/build_time.py

serve: data/zichtop.duckdb
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) 'app:server'

clean:
	rm -rf $(VENV) data/zichtop.duckdb
