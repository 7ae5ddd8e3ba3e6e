# The two commands: `make run` and `make test`. Both install what they need on a machine
# that has only python3 and make: uv goes into .tools/ (never system-wide) when it is not on PATH.
UV_HOME := .tools/uv
UV := $(shell command -v uv 2>/dev/null || echo $(UV_HOME)/bin/uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint sync bench system-tools

$(UV_HOME)/bin/uv:
	python3 -m pip install --quiet --disable-pip-version-check --target $(UV_HOME) uv

sync: $(UV)
	$(UV) sync --locked --quiet

run: sync
	$(UV) run --no-sync creditgraph serve --demo

# Debian packages some tests drive (a headless browser); installed when missing. Where they
# cannot be installed, those tests skip and say why.
system-tools:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium could not be installed: the browser tests will be skipped"

test: sync system-tools
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync mypy .
	$(UV) run --no-sync pytest

# Every module of bench/ in turn; each prints its JSON figures.
bench: sync
	for module in $(basename $(notdir $(filter-out bench/__init__.py,$(wildcard bench/*.py)))); do \
		$(UV) run --no-sync python -m bench.$$module || exit 1; \
	done
