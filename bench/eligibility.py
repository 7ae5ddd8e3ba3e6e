"""Benchmark: eligibility of 1,000 seeded demo subjects in one request; prints JSON.

    uv run python -m bench.eligibility [--subjects 2000] [--batch 1000] [--runs 10]

Like bench/api.py: its own embedded store in a temporary directory and the app in-process, so
the figures compare run to run on one machine. A funding department's token asks for the
batch through the API, as a client would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pymongo import monitoring

from auth.keys import init_keys, load_signing_key
from auth.tokens import issue_token
from bench.api import DAY, Commands
from demo.seed import seed_demo
from reports.certificates import init_report_certificates
from server.app import create_app, prepare_store
from server.settings import Settings
from store.catalogue import read_default_catalogue
from store.database import SUBJECTS, connect
from store.embedded import EmbeddedServer

QUERY = """query ($subjects: [ID!]!, $programme: String!) {
  eligibilities(subjects: $subjects, programme: $programme) {
    subjectId eligible points qualifyingRecordIds blockers { code message } rulesVersion
  }
}"""
PROGRAMMES = ("FINANCING", "AWARDS_PRIORITY")


async def measure(
    http: httpx.AsyncClient,
    token: str,
    ids: list[str],
    programme: str,
    runs: int,
    commands: Commands,
) -> dict[str, Any]:
    timings = []
    before = commands.count
    eligible = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = await http.post(
            "/graphql",
            json={"query": QUERY, "variables": {"subjects": ids, "programme": programme}},
            headers={"authorization": f"Bearer {token}"},
        )
        timings.append((time.perf_counter() - started) * 1000)
        body = response.json()
        assert "errors" not in body, body["errors"]
        eligible = sum(r["eligible"] for r in body["data"]["eligibilities"])
    timings.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (runs - 1))], 2),
        "commands_per_request": (commands.count - before) / runs,
        "eligible": eligible,
    }


async def run(subjects: int, batch: int, runs: int, directory: Path) -> dict[str, Any]:
    commands = Commands()
    monitoring.register(commands)
    settings = Settings(database="bench", data_dir=directory, jwks_path=directory / "keys")
    with EmbeddedServer(directory / "store") as server:
        client = await connect(server.uri, timeout_ms=10_000)
        await prepare_store(client["bench"])  # seeded into a store as served: indexes first
        summary = await seed_demo(
            client["bench"],
            read_default_catalogue(),
            subjects=subjects,
            seed=1,
            epidemic_window=settings.epidemic_window,
            created_at=DAY,
        )
        cursor = client["bench"][SUBJECTS].find({}, {"_id": 1}, sort=[("_id", 1)], limit=batch)
        ids = [doc["_id"] for doc in await cursor.to_list(None)]
        await client.close()
        keys = init_keys(directory / "keys")
        init_report_certificates(directory / "keys", now=DAY)
        token = issue_token(
            load_signing_key(keys.signing),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            role="funding",
            sub="bench",
            org="FUND-BENCH",
            now=DAY,
        )
        app = create_app(settings, mongodb_uri=server.uri, clock=lambda: DAY)
        async with LifespanManager(app, startup_timeout=60) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                results = {
                    p: await measure(http, token, ids, p, runs, commands) for p in PROGRAMMES
                }
    return {
        "benchmark": "eligibility",
        "date": date.today().isoformat(),
        "subjects": summary.subjects_total,
        "records": summary.records_total,
        "batch": len(ids),
        "programmes": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        result = asyncio.run(run(args.subjects, args.batch, args.runs, Path(directory)))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
