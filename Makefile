# Zichtop: `make run` sets up, builds the database from the best source and serves the dashboard;
# `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8050

.PHONY: run install build test lint docs screenshots bench serve loadtest clean

$(BIN)/zichtop: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/zichtop

install: $(BIN)/zichtop

# rebuilt when the loaders, the catalog or a theme change
data/zichtop.duckdb: $(BIN)/zichtop $(wildcard zichtop/*.py zichtop/themes/*.py)
	$(BIN)/zichtop build

build: $(BIN)/zichtop
	$(BIN)/zichtop build

run: data/zichtop.duckdb
	$(BIN)/zichtop info
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

GUNICORN = $(BIN)/gunicorn --workers 2 --worker-class gthread --threads 4 --bind 127.0.0.1:$(PORT)

serve: data/zichtop.duckdb
	$(GUNICORN) 'app:server'

# bounded load test on loopback: serve in the background, 50 users for 60 s, then stop
loadtest: data/zichtop.duckdb
	$(GUNICORN) --pid .gunicorn.pid --daemon 'app:server'
	sleep 5
	$(BIN)/python bench/load.py --url http://127.0.0.1:$(PORT) --users 50 --seconds 60; \
	  status=$$?; kill $$(cat .gunicorn.pid); rm -f .gunicorn.pid; exit $$status

clean:
	rm -rf $(VENV) data/zichtop.duckdb
