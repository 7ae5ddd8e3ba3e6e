"""Benchmark: `creditgraph import` of demo records into a fresh store, then again; prints JSON.

    uv run python -m bench.import_records [--records 10000]

The lines are the demo generator's records (`demo.generator.generate_demo`) written as a source
unit would submit them. The import runs through the command's own code in-process against an
embedded store in a temporary directory; the second pass over the same file shows what a
retried import costs (every line a duplicate). Store round trips are counted with a PyMongo
command listener, as in `bench.api`; the CPU time the importer and the store's process spent per
record (Linux) shows where the time goes, and stays comparable when the machine is busy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pymongo import monitoring

from bench.api import Commands
from demo.generator import generate_demo
from domain.records import Record
from domain.subjects import Subject
from server.app import prepare_store
from server.import_report import ImportSummary
from server.record_import import import_file
from server.settings import Settings
from store.catalogue import read_default_catalogue
from store.database import connect
from store.embedded import EmbeddedServer

CREATED = datetime(2021, 7, 1, tzinfo=UTC)


def submission(record: Record, subject: Subject) -> dict[str, Any]:
    """A demo record as its source unit would submit it (README: the import file)."""
    return {
        "unit": record.source_unit,
        "sourceRecordId": record.source_record_id,
        "subject": {"kind": subject.kind, "identifier": subject.identifier, "name": subject.name},
        "item": record.item_code,
        "decisionDate": record.decision_date.isoformat(),
        "documentNumber": record.document_number,
        "severity": record.severity,
        "epidemicRelated": record.epidemic_related,
        "dataItems": [{"key": k, "value": v} for k, v in record.data_items.items()],
    }


def submission_lines(records: int, *, seed: int, settings: Settings) -> Iterator[str]:
    """`records` lines of demo records (five a subject on average), as units would send them."""
    catalogue = read_default_catalogue()
    batches = generate_demo(
        catalogue,
        subjects=records,
        seed=seed,
        epidemic_window=settings.epidemic_window,
        created_at=CREATED,
    )
    made = 0
    for batch in batches:
        subjects = {s.id: s for s in batch.subjects}
        for record in batch.records:
            yield json.dumps(submission(record, subjects[record.subject_id]), ensure_ascii=False)
            made += 1
            if made == records:
                return


def process_cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU time of a process so far, from /proc (None where there is none)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def per_record_ms(spent: float | None, records: int) -> float | None:
    return None if spent is None else round(spent * 1000 / records, 3)


def figures(
    summary: ImportSummary, round_trips: int, importer_cpu: float, store_cpu: float | None
) -> dict[str, Any]:
    return {
        "records": summary.lines,
        "accepted": summary.accepted,
        "duplicates": summary.duplicates,
        "conflicts": summary.conflicts,
        "rejected": summary.rejected,
        "batches": summary.batches,
        "seconds": round(summary.seconds, 2),
        "records_per_second": round(summary.lines / summary.seconds),
        "store_round_trips_total": round_trips,
        "round_trips_per_1000_records": round(round_trips * 1000 / summary.lines, 1),
        "importer_cpu_ms_per_record": per_record_ms(importer_cpu, summary.lines),
        "store_cpu_ms_per_record": per_record_ms(store_cpu, summary.lines),
    }


async def run(records: int, seed: int, directory: Path) -> dict[str, Any]:
    settings = Settings()
    source = directory / "records.jsonl"
    with source.open("w", encoding="utf-8") as file:
        file.writelines(
            f"{text}\n" for text in submission_lines(records, seed=seed, settings=settings)
        )
    commands = Commands()
    monitoring.register(commands)
    passes = []
    with EmbeddedServer(directory / "store") as server:
        client = await connect(server.uri, timeout_ms=10_000)
        try:
            db = client["bench"]
            catalogues = await prepare_store(db)
            for _ in range(2):
                before = commands.count
                importer_before = time.process_time()
                store_before = process_cpu_seconds(server.pid)
                summary = await import_file(
                    db,
                    source,
                    rejects=directory / "rejects.jsonl",
                    catalogues=catalogues,
                    epidemic_window=settings.epidemic_window,
                    operator="bench",
                )
                store_after = process_cpu_seconds(server.pid)
                store_cpu = (
                    None
                    if store_before is None or store_after is None
                    else store_after - store_before
                )
                importer_cpu = time.process_time() - importer_before
                passes.append(figures(summary, commands.count - before, importer_cpu, store_cpu))
        finally:
            await client.close()
    first, again = passes
    return {
        "benchmark": "import_records",
        "date": date.today().isoformat(),
        **first,
        "duplicate_pass": again,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        result = asyncio.run(run(args.records, args.seed, Path(directory)))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
