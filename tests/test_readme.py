"""The README's commands, run as a reader runs them, so they cannot rot (issue 10.1).

The README's convention: a fenced `sh` block runs verbatim at the root of a clone while
`make run` serves on port 8000, and the blocks under one heading build on each other in one
shell. Here each heading's blocks run in order in one `bash -e` shell, in a directory that
looks like that clone (`.venv`, data under `var/`), against a `serve --demo` the test starts:
- `make TARGET` lines are only checked (`make -n TARGET` must succeed), never run;
- `curl` reaches the test's server where the README says `127.0.0.1:8000`, and an answer of
  `/graphql` must be JSON without `errors`;
- every other line runs as written, `.venv/bin/creditgraph` against the test's store;
- no line serves (`make run` does) and none holds a placeholder.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from store.embedded import free_port

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
VENV = Path(sys.executable).parent.parent
README_PORT = "127.0.0.1:8000"
# The demo firms the README's flows name are among the first the demo seed generates.
DEMO_SUBJECTS = 20

# Runs before each heading's lines: `curl` goes to the test's server and a GraphQL answer
# with errors fails the line (and so, under `set -e`, the block).
PREAMBLE = """\
set -eo pipefail
curl() {
  local args=() arg body
  for arg in "$@"; do args+=("${arg//%(readme)s/%(served)s}"); done
  if [[ " ${args[*]} " == *" -o "* ]]; then command curl --fail "${args[@]}"; return; fi
  body=$(command curl "${args[@]}")
  if [[ "${args[*]}" == *"/graphql"* ]]; then
    printf '%%s' "$body" | %(python)s -c %(check)s
  fi
  printf '%%s\\n' "$body"
}
"""
CHECK_GRAPHQL = (
    "import json, sys; body = json.load(sys.stdin); "
    "'errors' in body and sys.exit(f'GraphQL errors: {body[\"errors\"]}')"
)


def runnable_sections(markdown: str) -> dict[str, list[str]]:
    """Each heading's lines of `sh` blocks, in order; headings without such blocks left out."""
    sections: dict[str, list[str]] = {}
    heading = ""
    fence: str | None = None
    for line in markdown.splitlines():
        if line.startswith("```"):
            fence = line[3:].strip() if fence is None else None
        elif fence == "sh":
            sections.setdefault(heading, []).append(line)
        elif fence is None and line.startswith("#"):
            heading = line.lstrip("#").strip()
    return sections


def as_run(line: str) -> str:
    """The line as the test runs it: a `make` line checked with `make -n`, others verbatim."""
    words = line.split("#")[0].split()
    if words[:1] == ["make"]:
        return f"make -n -s -C {shlex.quote(str(REPO))} {shlex.join(words[1:])} > /dev/null"
    return line


def script(lines: list[str], port: int) -> str:
    preamble = PREAMBLE % {
        "readme": README_PORT,
        "served": f"127.0.0.1:{port}",
        "python": shlex.quote(sys.executable),
        "check": shlex.quote(CHECK_GRAPHQL),
    }
    return preamble + "\n".join(as_run(line) for line in lines if line.strip()) + "\n"


@pytest.fixture
def reader(
    cli_environment: dict[str, str], tmp_path: Path
) -> Iterator[tuple[Path, dict[str, str], int]]:
    """A clone-like directory, its environment and the port of a `serve --demo` serving it."""
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".venv").symlink_to(VENV)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITGRAPH_")}
    env |= cli_environment | {
        "CREDITGRAPH_DATA_DIR": str(clone / "var"),
        "CREDITGRAPH_PORT": str(port),
    }
    server = subprocess.Popen(
        [str(clone / ".venv/bin/creditgraph"), "serve", "--demo"]
        + ["--demo-subjects", str(DEMO_SUBJECTS)],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_healthy(server, port)
        yield clone, env, port
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def wait_until_healthy(server: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[0]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("serve --demo did not answer /healthz within 90 s")


def test_readme_keeps_to_runnable_commands() -> None:
    text = README.read_text()
    sections = runnable_sections(text)
    lines = [line for block in sections.values() for line in block]
    assert "uv run" not in text  # uv lives in .tools/: a bare `uv` is not on a reader's PATH
    assert "Asking it something" in sections
    assert any(line.startswith("make run") for line in lines)
    for line in lines:
        # `make run` serves on port 8000 already; a second `serve` would find the port taken.
        assert "creditgraph serve" not in line, line
        # A placeholder can't run verbatim: such examples go in `text` blocks.
        assert "…" not in line, line
        assert "<" not in line, line


def test_readme_sh_blocks_run_verbatim(reader: tuple[Path, dict[str, str], int]) -> None:
    clone, env, port = reader
    failures = []
    for heading, lines in runnable_sections(README.read_text()).items():
        result = subprocess.run(
            ["bash", "-e", "-c", script(lines, port)],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            failures.append(f"## {heading}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    assert not failures, "\n".join(failures)
