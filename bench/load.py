"""Load benchmark: many clients over loopback against `serve`-like workers; prints JSON.

    uv run python -m bench.load [--clients 50] [--seconds 60] [--workers 2] [--subjects 2000]

Starts its own embedded store in a temporary directory, seeds the demo data, and runs the API
as uvicorn worker processes on a free loopback port (the app of `serve --workers N`, with its
clock on a day inside the demo data's disclosure periods). Each client loops over a realistic
mix of anonymous portal pages and authenticated queries until the time is up, honouring
`Retry-After` after a 503 or 429 as a well-behaved client does. Bounded in time and count: it
stops by itself after `--seconds` (and at most `--max-requests`), then stops what it started.

Targets (issue 9.3): 0 INTERNAL_ERROR, 0 client timeouts, no 5xx other than deliberate 503s
(OVERLOADED, STORE_UNAVAILABLE), p99 of all responses ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from auth.keys import SIGNING_FILE, init_keys, load_signing_key
from auth.roles import Role
from auth.tokens import issue_token
from demo.seed import seed_demo
from reports.certificates import init_report_certificates
from server.app import create_app
from server.settings import Settings
from store.catalogue import read_default_catalogue
from store.database import SUBJECTS, connect
from store.embedded import EmbeddedServer, free_port

DAY = datetime(2020, 9, 1, 4, tzinfo=UTC)
DATABASE = "bench_load"
CLIENT_TIMEOUT = 10.0
DELIBERATE_503 = frozenset({"OVERLOADED", "STORE_UNAVAILABLE"})

RECORDS_PAGE = """{ records(first: 20) { edges { node { id decisionDate item { code title }
  disclosure { state end } dataItems { key value masked } subject { id name } } } } }"""
PORTAL_PAGE = """{ subjects(first: 20) { edges { node { id name identifier
  records(first: 5) { edges { node { id item { code } decisionDate disclosure { end } } } }
} } } }"""
SEARCH = """query ($q: String) { subjects(search: $q, first: 10) { edges { node { id name } } } }"""
CATALOGUE = "{ catalogue { version items { code title } } }"
GOVERNMENT_PAGE = """{ records(first: 20, filter: {category: DISHONEST}) { edges { node { id
  severity status dataItems { key value masked attribute } subject { id name identifier } } } } }"""
ELIGIBILITIES = """query ($s: [ID!]!) { eligibilities(subjects: $s, programme: "FINANCING") {
  subjectId eligible points blockers { code } } }"""

# (weight, name, document, token role): anonymous portal traffic first, then tokens.
MIX: list[tuple[int, str, str, str | None]] = [
    (35, "records_page", RECORDS_PAGE, None),
    (25, "portal_page", PORTAL_PAGE, None),
    (10, "search", SEARCH, None),
    (5, "catalogue", CATALOGUE, None),
    (15, "government_page", GOVERNMENT_PAGE, "government"),
    (10, "eligibilities_20", ELIGIBILITIES, "funding"),
]


def app_on_demo_day() -> Starlette:
    """The app of one worker, on the demo data's day; settings from the environment."""
    settings = Settings()
    assert settings.mongodb_uri is not None, "bench.load sets CREDITGRAPH_MONGODB_URI"
    return create_app(settings, mongodb_uri=settings.mongodb_uri, clock=lambda: DAY)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    by_query: Counter[str] = field(default_factory=Counter)
    timeouts: int = 0
    transport_errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)


async def client_loop(
    http: httpx.AsyncClient,
    tally: Tally,
    *,
    deadline: float,
    budget: list[int],
    tokens: dict[str, str],
    subject_ids: list[str],
    names: list[str],
    rng: random.Random,
) -> None:
    weights = [w for w, *_ in MIX]
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        _, name, document, role = rng.choices(MIX, weights)[0]
        variables: dict[str, Any] = {}
        if name == "search":
            variables = {"q": rng.choice(names)[:2]}
        elif name == "eligibilities_20":
            variables = {"s": rng.sample(subject_ids, 20)}
        headers = {} if role is None else {"authorization": f"Bearer {tokens[role]}"}
        started = time.perf_counter()
        try:
            response = await http.post(
                "/graphql", json={"query": document, "variables": variables}, headers=headers
            )
        except httpx.TimeoutException:
            tally.timeouts += 1
            continue
        except httpx.TransportError:
            tally.transport_errors += 1
            continue
        tally.latencies.append(time.perf_counter() - started)
        tally.statuses[str(response.status_code)] += 1
        tally.by_query[name] += 1
        try:
            errors = response.json().get("errors") or []
        except ValueError:
            errors = [{"extensions": {"code": "NOT_JSON"}}]
        for error in errors:
            tally.codes[str((error.get("extensions") or {}).get("code"))] += 1
        if response.status_code in (429, 503):
            wait = float(response.headers.get("retry-after", "1"))
            await asyncio.sleep(min(wait, max(0.0, deadline - time.monotonic())))


def start_workers(directory: Path, uri: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    # Other CREDITGRAPH_ settings pass through, so a run can try e.g. STORE_CONCURRENCY.
    env = dict(os.environ) | {
        "CREDITGRAPH_MONGODB_URI": uri,
        "CREDITGRAPH_DATABASE": DATABASE,
        "CREDITGRAPH_DATA_DIR": str(directory),
    }
    command = [
        sys.executable, "-m", "uvicorn", "bench.load:app_on_demo_day", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning", "--timeout-worker-healthcheck", "60",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=Path(__file__).parent.parent)


async def await_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("the API workers exited during start-up")
            try:
                if (await http.get("/readyz", timeout=1)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the API workers did not become ready within 60 s")


def demo_tokens(directory: Path) -> dict[str, str]:
    key = load_signing_key(directory / "keys" / SIGNING_FILE)
    settings = Settings()
    roles = {"government": (Role.GOVERNMENT, None), "funding": (Role.FUNDING, "440300-FUNDING")}
    return {
        name: issue_token(
            key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            role=role,
            sub=f"bench-{name}",
            org=org,
            now=DAY,
        )
        for name, (role, org) in roles.items()
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def run(args: argparse.Namespace, directory: Path) -> dict[str, Any]:
    with EmbeddedServer(directory / "store") as server:
        client = await connect(server.uri, timeout_ms=10_000)
        summary = await seed_demo(
            client[DATABASE],
            read_default_catalogue(),
            subjects=args.subjects,
            seed=1,
            epidemic_window=Settings().epidemic_window,
            created_at=DAY,
        )
        found = await client[DATABASE][SUBJECTS].find({}, {"name": 1}, limit=2000).to_list(None)
        await client.close()
        init_keys(directory / "keys")
        init_report_certificates(directory / "keys", now=DAY)
        port = free_port()
        workers = start_workers(directory, server.uri, port, args.workers)
        try:
            await await_ready(port, workers)
            tally = Tally()
            rng = random.Random(args.seed)
            limits = httpx.Limits(
                max_connections=args.clients, max_keepalive_connections=args.clients
            )
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", timeout=CLIENT_TIMEOUT, limits=limits
            ) as http:
                started = time.monotonic()
                deadline = started + args.seconds
                budget = [args.max_requests]
                await asyncio.gather(
                    *(
                        client_loop(
                            http,
                            tally,
                            deadline=deadline,
                            budget=budget,
                            tokens=demo_tokens(directory),
                            subject_ids=[d["_id"] for d in found],
                            names=[d["name"] for d in found],
                            rng=random.Random(rng.random()),
                        )
                        for _ in range(args.clients)
                    )
                )
                elapsed = time.monotonic() - started
        finally:
            workers.terminate()
            workers.wait(timeout=30)
    fives = {s: n for s, n in tally.statuses.items() if s.startswith("5")}
    deliberate = sum(tally.codes[c] for c in DELIBERATE_503)
    latencies = tally.latencies
    result = {
        "benchmark": "load",
        "date": date.today().isoformat(),
        "subjects": summary.subjects_total,
        "records": summary.records_total,
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "throughput_rps": round(tally.requests / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "max_ms": round(1000 * max(latencies, default=0.0), 1),
        "by_status": dict(sorted(tally.statuses.items())),
        "by_code": dict(sorted(tally.codes.items())),
        "by_query": dict(sorted(tally.by_query.items())),
        "client_timeouts": tally.timeouts,
        "transport_errors": tally.transport_errors,
    }
    result["targets_met"] = (
        tally.codes["INTERNAL_ERROR"] == 0
        and tally.timeouts == 0
        and tally.transport_errors == 0
        and sum(fives.values()) == fives.get("503", 0) == deliberate
        and result["p99_ms"] <= 1000
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        result = asyncio.run(run(args, Path(directory)))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
