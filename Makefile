# The two commands: `make run` and `make test`. Both install what they need on a machine
# that has only python3 and make: uv goes into .tools/ (never system-wide) when it is not on PATH.
UV_HOME := .tools/uv
UV := $(shell command -v uv 2>/dev/null || echo $(UV_HOME)/bin/uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test test-tools lint sync bench

$(UV_HOME)/bin/uv:
	python3 -m pip install --quiet --disable-pip-version-check --target $(UV_HOME) uv

sync: $(UV)
	$(UV) sync --locked --quiet

run: sync
	$(UV) run --no-sync creditgraph serve --demo

# System tools the report tests use, as command:Debian package. `make test` installs the
# missing ones with apt-get (sudo when not root); where it cannot, their tests skip and say why.
TEST_TOOLS := pdffonts:poppler-utils pdftoppm:poppler-utils zbarimg:zbar-tools chromium:chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

test-tools:
	@missing=""; for tool in $(TEST_TOOLS); do \
		command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool#*:}"; \
	done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$(echo $$missing | tr ' ' '\n' | sort -u) \
		|| echo "could not install$$missing: the tests that need them skip"; \
	fi

test: sync test-tools
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .
	$(UV) run --no-sync mypy .
	$(UV) run --no-sync pytest

# Every module of bench/ in turn; each prints its JSON figures.
bench: sync
	for module in $(basename $(notdir $(filter-out bench/__init__.py,$(wildcard bench/*.py)))); do \
		$(UV) run --no-sync python -m bench.$$module || exit 1; \
	done
