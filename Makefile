# Two commands matter: `make run` and `make test`. Both create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run play test lint typecheck bench refresh-spec clean

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

play: $(STAMP)
	$(BIN)/python -m bot.play

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/coach_replay.py
	$(BIN)/python bench/chart_render.py
	$(BIN)/python bench/interaction.py

# Replace the vendored Bot API spec with a newer copy: make refresh-spec SPEC=/path/api.min.json
refresh-spec: $(STAMP)
	@test -n "$(SPEC)" || { echo "usage: make refresh-spec SPEC=/path/to/api.min.json"; exit 2; }
	$(BIN)/python -m emulator.refresh_spec "$(SPEC)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
