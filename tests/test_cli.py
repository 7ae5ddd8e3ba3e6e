"""The `creditgraph` command as a user runs it: serve, seed, keys, token."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jwt
import pytest

from auth.keys import load_verification_keys
from demo.generator import generate_demo
from domain.identifiers import SubjectKind
from domain.subjects import Subject
from server.cli import DEMO_SEED
from server.settings import Settings
from store.catalogue import read_default_catalogue
from store.embedded import free_port

COMMAND = str(Path(sys.executable).with_name("creditgraph"))


def environment(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITGRAPH_")}
    env["CREDITGRAPH_DATA_DIR"] = str(data_dir)
    env.update({f"CREDITGRAPH_{k.upper()}": v for k, v in settings.items()})
    return env


def processes_using(path: Path) -> list[int]:
    """Pids of live processes whose command line names `path` (the embedded store's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if str(path) in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def serve_until_ready(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [COMMAND, "serve", "--demo", "--demo-subjects", "30"],
        env=env | {"CREDITGRAPH_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("serve did not answer /healthz within 90 s")


def interrupt(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    return output


SUBJECTS_WITH_RECORDS = (
    "{ subjects(first: 100) { edges { node { id kind records { totalCount } } } } }"
)


DEMO_TOKEN_LINE = re.compile(r"^  (\w+) +(ey[\w.-]+)  \((.+)\)$", re.MULTILINE)


def demo_token_holders(output: str) -> dict[str, str]:
    """Role to the holder printed beside its token, checked against the token's own claims."""
    holders = {}
    for role, token, holder in DEMO_TOKEN_LINE.findall(output):
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["role"] == role
        kind, _, value = holder.partition(" ")
        if kind.startswith("s-"):
            assert claims["subject"] == kind
        else:
            assert claims[kind] == value
        holders[role] = holder
    return holders


def first_demo_firm(subjects: int) -> Subject:
    """The demo firm whose token `serve --demo` prints: the legal person of lowest id."""
    settings = Settings()
    batches = generate_demo(
        read_default_catalogue(),
        subjects=subjects,
        seed=DEMO_SEED,
        epidemic_window=settings.epidemic_window,
        created_at=datetime(2021, 7, 1, tzinfo=UTC),
    )
    firms = [s for b in batches for s in b.subjects if s.kind is SubjectKind.LEGAL_PERSON]
    return min(firms, key=lambda s: s.id)


def test_serve_demo_seeds_once_prints_tokens_and_stops_store_on_ctrl_c(tmp_path: Path) -> None:
    env = environment(tmp_path / "var")
    port = free_port()

    first = serve_until_ready(env, port)
    answer = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": SUBJECTS_WITH_RECORDS},
    ).json()
    output = interrupt(first)

    assert first.returncode == 0
    # Anonymous: every organisation, and the persons with a record on display only.
    nodes = [e["node"] for e in answer["data"]["subjects"]["edges"]]
    assert 0 < len(nodes) <= 30
    firm = first_demo_firm(30)
    assert all(n["records"]["totalCount"] > 0 for n in nodes if n["kind"] == "NATURAL_PERSON")
    assert "seeded 30 new subjects" in output
    assert f"GraphQL API: http://127.0.0.1:{port}/graphql" in output
    assert demo_token_holders(output) == {
        "subject": f"{firm.id} {firm.name}",
        "bank": "org DEMO-BANK",
        "funding": "org 440300-FUNDING",
        "government": "sub demo-government",
        "source_unit": "unit 440300-SAMR",
        "credit_centre": "sub demo-credit_centre",
    }
    assert processes_using(tmp_path / "var") == []

    second = serve_until_ready(env, port)
    again = interrupt(second)

    assert "seeded" not in again
    assert processes_using(tmp_path / "var") == []


def test_serve_stops_embedded_store_on_sigterm(tmp_path: Path) -> None:
    env = environment(tmp_path / "var")

    process = serve_until_ready(env, free_port())
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)

    assert process.returncode == 0
    assert processes_using(tmp_path / "var") == []


def test_serve_with_unreachable_mongodb_exits_with_one_line_naming_host(tmp_path: Path) -> None:
    env = environment(
        tmp_path,
        mongodb_uri="mongodb://app:s3cret@127.0.0.1:9/?serverSelectionTimeoutMS=300",
        store_timeout_ms="500",
    )
    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)

    # The timeout only stops a hang; how fast the refusal comes is not the test's business.
    result = subprocess.run([COMMAND, "serve"], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "127.0.0.1:9" in lines[0]
    assert "s3cret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_bad_setting_names_the_variable(tmp_path: Path) -> None:
    env = environment(tmp_path, port="not-a-port")

    result = subprocess.run([COMMAND, "serve"], env=env, capture_output=True, text=True)

    assert result.returncode != 0
    assert "CREDITGRAPH_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_token_issue_prints_only_a_token_the_key_set_verifies(tmp_path: Path) -> None:
    env = environment(tmp_path)
    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)

    result = subprocess.run(
        [COMMAND, "token", "issue", "--role", "bank", "--org", "BANK-1", "--ttl", "600"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    header = jwt.get_unverified_header(token)
    key = load_verification_keys(tmp_path / "keys").get(header["kid"])
    assert key is not None
    claims = jwt.decode(token, key=key.key, algorithms=[key.algorithm], audience="creditgraph")
    assert claims["role"] == "bank"
    assert claims["org"] == "BANK-1"
    assert claims["scope"] == "financing:read"
    assert claims["exp"] - claims["iat"] == 600


def test_token_issue_refuses_ttl_over_role_maximum(tmp_path: Path) -> None:
    env = environment(tmp_path)
    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)

    result = subprocess.run(
        [COMMAND, "token", "issue", "--role", "bank", "--org", "B", "--ttl", "7200"],
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


# What a command that opens no store must not load: the driver, the schema, the app.
HEAVY_MODULES = ("pymongo", "strawberry", "uvicorn", "schema", "resolvers", "server.app")
LOADED_AFTER = """
import sys
from typer.testing import CliRunner
from server.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
assert result.exit_code == 0, result.output
print(" ".join(m for m in %r if m in sys.modules))
"""


@pytest.mark.parametrize(
    "command", [["token", "issue", "--role", "government"], ["keys", "init"], ["--help"]]
)
def test_command_without_store_loads_neither_app_nor_store(
    tmp_path: Path, command: list[str]
) -> None:
    env = environment(tmp_path)
    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)

    result = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER % (HEAVY_MODULES,), *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == ""


def test_keys_init_keeps_existing_key_set(tmp_path: Path) -> None:
    env = environment(tmp_path)
    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)
    before = json.loads((tmp_path / "keys" / "jwks.json").read_text())

    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)

    assert json.loads((tmp_path / "keys" / "jwks.json").read_text()) == before
    assert (tmp_path / "keys" / "signing.jwks.json").stat().st_mode & 0o777 == 0o600


def test_keys_init_writes_report_signing_set_once(tmp_path: Path) -> None:
    env = environment(tmp_path)
    first = subprocess.run(
        [COMMAND, "keys", "init"], env=env, check=True, capture_output=True, text=True
    )
    written = {p.name: p.read_bytes() for p in (tmp_path / "keys").glob("report-*")}

    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)

    assert sorted(written) == ["report-ca.pem", "report-signing.key", "report-signing.pem"]
    assert {p.name: p.read_bytes() for p in (tmp_path / "keys").glob("report-*")} == written
    assert (tmp_path / "keys" / "report-signing.key").stat().st_mode & 0o777 == 0o600
    assert f"report signing key: {tmp_path / 'keys' / 'report-signing.key'}" in first.stdout


def test_serve_without_report_certificates_exits_with_one_line(tmp_path: Path) -> None:
    env = environment(tmp_path)
    subprocess.run([COMMAND, "keys", "init"], env=env, check=True, capture_output=True)
    (tmp_path / "keys" / "report-signing.key").unlink()

    result = subprocess.run([COMMAND, "serve"], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("creditgraph: cannot sign credit reports:")
    assert "Traceback" not in result.stderr
