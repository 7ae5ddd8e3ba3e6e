"""`creditgraph seed`: the demo data of `demo.generator`, written to the store.

The writer is a pipeline one batch deep: a batch is written while the next is generated, in
small steps that let the write go on between them (issue 9.2).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from demo.generator import BATCH_SIZE, DemoBatch, generate_demo
from domain.calendar import DateWindow
from domain.catalogue import Catalogue
from store.changes import write_new_records
from store.database import Database
from store.subjects import insert_new_subjects

# Subjects generated between two turns of the event loop while a batch is written: a few
# milliseconds of work, so the write sends its next command soon after the store answers.
SUBJECTS_PER_TURN = 10


@dataclass(frozen=True)
class SeedSummary:
    """How many documents a seed run wrote, and how many it generated in all."""

    subjects_written: int
    records_written: int
    subjects_total: int
    records_total: int


async def seed_demo(
    db: Database,
    catalogue: Catalogue,
    *,
    subjects: int,
    seed: int,
    epidemic_window: DateWindow,
    created_at: datetime,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Write the demo data, `BATCH_SIZE` subjects at a time; what is stored already is kept.

    At most one batch is in flight: the next is generated meanwhile, and a failed write is
    raised once the batch after it is ready (or at the end).
    """
    written = _Written()
    writing: asyncio.Task[None] | None = None
    total = [0, 0]
    steps = generate_demo(
        catalogue,
        subjects=subjects,
        seed=seed,
        epidemic_window=epidemic_window,
        created_at=created_at,
        batch_size=SUBJECTS_PER_TURN,
    )

    async def hand_over(batch: DemoBatch) -> asyncio.Task[None]:
        if writing is not None:
            await writing
        total[0] += len(batch.subjects)
        total[1] += len(batch.records)
        return asyncio.create_task(written.write(db, batch, progress))

    batch = DemoBatch(subjects=[], records=[])
    try:
        for step in steps:
            batch.subjects.extend(step.subjects)
            batch.records.extend(step.records)
            if len(batch.subjects) >= BATCH_SIZE:
                writing = await hand_over(batch)
                batch = DemoBatch(subjects=[], records=[])
            await asyncio.sleep(0)
        if batch.subjects:
            writing = await hand_over(batch)
        if writing is not None:
            await writing
    except BaseException:
        if writing is not None:
            await asyncio.gather(writing, return_exceptions=True)
        raise
    return SeedSummary(
        subjects_written=written.subjects,
        records_written=written.records,
        subjects_total=total[0],
        records_total=total[1],
    )


@dataclass
class _Written:
    """What the writes of a seed run stored."""

    subjects: int = 0
    records: int = 0

    async def write(
        self, db: Database, batch: DemoBatch, progress: Callable[[int], None] | None
    ) -> None:
        self.subjects += await insert_new_subjects(db, subjects=batch.subjects)
        made = {s.id for s in batch.subjects}
        self.records += await write_new_records(db, records=batch.records, new_subjects=made)
        if progress is not None:
            progress(len(batch.subjects))
