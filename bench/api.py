"""Benchmark: API latency and store round trips over seeded demo data; prints JSON.

    uv run python -m bench.api [--subjects 2000] [--runs 30]

Runs its own embedded store in a temporary directory and the app in-process (no network),
so the figures compare run to run on one machine; they are not a load test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pymongo import monitoring

from auth.keys import init_keys
from reports.certificates import init_report_certificates
from server.app import create_app
from server.demo import seed_demo
from server.settings import Settings
from store.catalogue import read_default_catalogue
from store.database import connect
from store.embedded import EmbeddedServer

# Inside the demo data's disclosure periods, so anonymous viewers see records.
DAY = datetime(2020, 9, 1, 4, tzinfo=UTC)

QUERIES = {
    "subjects_50_with_records_20": """{ subjects(first: 50) { edges { node { id name
        records(first: 20) { totalCount edges { node { id dataItems { key value } } } } } } } }""",
    "records_100": """{ records(first: 100) { edges { node { id decisionDate
        dataItems { key value masked } subject { id name } } } } }""",
    "records_100_dishonest_2020": """{ records(first: 100, filter: {category: DISHONEST,
        decidedFrom: "2020-01-01", decidedTo: "2020-12-31"}) { edges { node { id } } } }""",
}


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.count = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.count += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def measure(http: httpx.AsyncClient, query: str, runs: int, commands: Commands) -> Any:
    timings = []
    before = commands.count
    for _ in range(runs):
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": query})
        timings.append((time.perf_counter() - started) * 1000)
        assert "errors" not in response.json(), response.json()
    timings.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (runs - 1))], 2),
        "commands_per_request": (commands.count - before) / runs,
    }


async def run(subjects: int, runs: int, directory: Path) -> dict[str, Any]:
    commands = Commands()
    monitoring.register(commands)
    with EmbeddedServer(directory / "store") as server:
        client = await connect(server.uri, timeout_ms=10_000)
        started = time.perf_counter()
        summary = await seed_demo(
            client["bench"],
            read_default_catalogue(),
            subjects=subjects,
            seed=1,
            epidemic_window=Settings().epidemic_window,
            created_at=DAY,
        )
        seeded = time.perf_counter() - started
        await client.close()
        init_keys(directory / "keys")
        init_report_certificates(directory / "keys", now=DAY)
        settings = Settings(database="bench", data_dir=directory, jwks_path=directory / "keys")
        app = create_app(settings, mongodb_uri=server.uri, clock=lambda: DAY)
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                results = {
                    name: await measure(http, q, runs, commands) for name, q in QUERIES.items()
                }
    return {
        "benchmark": "api",
        "date": date.today().isoformat(),
        "subjects": summary.subjects_total,
        "records": summary.records_total,
        "seed_seconds": round(seeded, 2),
        "seed_records_per_second": round(summary.records_total / seeded),
        "queries": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        result = asyncio.run(run(args.subjects, args.runs, Path(directory)))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
