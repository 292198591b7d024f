# Zichtop: `make run` sets up, builds the database from the best source and serves the dashboard;
# `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8050

.PHONY: run install build test lint docs screenshots bench serve serve-direct loadtest lock clean

# installs exactly the locked, hash-checked versions (requirements.lock; `make lock` renews it)
$(BIN)/zichtop: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(BIN)/zichtop

# Plotly with only the trace types the app draws (tools/plotly_bundle: npm's plotly.js and
# esbuild at the versions package-lock.json pins, installed beside the virtualenv); the app
# serves it instead of the whole library
PLOTLY := zichtop/web/static/plotly-partial.min.js
$(PLOTLY): tools/plotly_bundle/package-lock.json tools/plotly_bundle/entry.js tools/plotly_bundle/build.js
	mkdir -p $(VENV)/plotly-bundle $(dir $@)
	cp tools/plotly_bundle/package.json tools/plotly_bundle/package-lock.json $(VENV)/plotly-bundle/
	cd $(VENV)/plotly-bundle && npm ci --ignore-scripts --no-audit --no-fund --silent
	NODE_PATH=$(VENV)/plotly-bundle/node_modules node tools/plotly_bundle/build.js $@

install: $(BIN)/zichtop $(PLOTLY)

# rebuilt when the loaders, the catalog or a theme change
data/zichtop.duckdb: $(BIN)/zichtop $(shell find zichtop -name "*.py")
	$(BIN)/zichtop build

build: $(BIN)/zichtop
	$(BIN)/zichtop build

run: data/zichtop.duckdb $(PLOTLY)
	$(BIN)/zichtop info
	$(BIN)/python app.py --port $(PORT)

test: $(BIN)/zichtop $(PLOTLY)
	$(BIN)/ruff check zichtop app.py tests bench tools
	$(BIN)/mypy zichtop
	$(BIN)/python -m pytest -q

lint: $(BIN)/zichtop
	$(BIN)/ruff check zichtop app.py tests bench tools
	$(BIN)/mypy zichtop

docs: $(BIN)/zichtop
	$(BIN)/zichtop docs

screenshots: data/zichtop.duckdb $(PLOTLY)
	$(BIN)/python -m tools.screenshots docs/screenshots

bench: data/zichtop.duckdb
	$(BIN)/python bench/switch_payload.py
	$(BIN)/python bench/build_time.py
	$(BIN)/python bench/wijk_map.py
	$(BIN)/python bench/buurt_scale.py

# hosting: nginx (timeouts, body and rate limits, gzip) in front of gunicorn 2 x 4 threads
serve: data/zichtop.duckdb $(PLOTLY)
	$(BIN)/python -m zichtop.hosting.serve --port $(PORT)

# gunicorn alone, without the proxy (for a host that has its own reverse proxy)
serve-direct: data/zichtop.duckdb $(PLOTLY)
	$(BIN)/gunicorn --workers 2 --worker-class gthread --threads 4 --no-control-socket \
	  --bind 127.0.0.1:$(PORT) 'app:server'

# bounded load test on loopback against `make serve`: 50 users for 60 s, with 50 slow sockets
loadtest: data/zichtop.duckdb
	$(BIN)/python bench/load.py --serve --users 50 --seconds 60 --slow 50

# renew the lock file: resolve the newest allowed versions, run the suite on them in a fresh
# environment, and only then replace requirements.lock
lock: $(BIN)/zichtop
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --upgrade \
	  --python-version 3.11 -q -o requirements.lock.new
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --require-hashes -r requirements.lock.new
	.venv-lock/bin/pip install --quiet --no-deps -e .
	.venv-lock/bin/python -m pytest -q
	mv requirements.lock.new requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) data/zichtop.duckdb zichtop/web/static
