"""`creditgraph seed`: the demo data of `demo.generator`, written to the store.

The writer is a pipeline one batch deep: a batch is written while the next is generated, one
subject at a time, and made ready to write as it comes (`store.changes.NewRecords`), so that
each of the write's commands goes out as soon as the store answers it. A batch is handed over
when it is full, or, while no write is in flight (at the start), once `FIRST_BATCH` subjects
are ready: the store need not wait for a whole batch.

Measured on the bench's 2 cores (issue 9.2), each of these was worth 4–7% of the seed's time:
ten subjects a turn held each of the write's awaits (about eight a command) for the 3 ms a
turn took; the documents and the feed's lines, made between the write's commands, kept the
store waiting about a seventh of the time; and the first 500 subjects took 260 ms before the
first write. With all three, `bench.api` seeds 3,150–3,200 records/s instead of 2,580.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from demo.generator import BATCH_SIZE, generate_demo
from domain.calendar import DateWindow
from domain.catalogue import Catalogue
from domain.subjects import Subject
from store.changes import NewRecords, write_prepared
from store.database import Database
from store.subjects import insert_new_subjects

# Subjects generated (and made ready to write) between two turns of the event loop while a
# batch is written: half a millisecond of work, so the write's next step waits no longer.
SUBJECTS_PER_TURN = 1
# Subjects enough to hand over while no write is in flight.
FIRST_BATCH = 50


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
    """Write the demo data, at most `BATCH_SIZE` subjects at a time; what is stored already is
    kept. The records are written in the order generated.

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

    async def hand_over(batch: _Batch) -> asyncio.Task[None]:
        if writing is not None:
            await writing
        total[0] += len(batch.subjects)
        total[1] += len(batch.records.records)
        return asyncio.create_task(written.write(db, batch, progress))

    batch = _Batch()
    try:
        for step in steps:
            batch.subjects.extend(step.subjects)
            batch.records.add(step.records)
            idle = writing is None or writing.done()
            if len(batch.subjects) >= (min(FIRST_BATCH, BATCH_SIZE) if idle else BATCH_SIZE):
                writing = await hand_over(batch)
                batch = _Batch()
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
class _Batch:
    """Subjects and their records, made ready to write as they are generated (`NewRecords`)."""

    subjects: list[Subject] = field(default_factory=list)
    records: NewRecords = field(default_factory=NewRecords)


@dataclass
class _Written:
    """What the writes of a seed run stored."""

    subjects: int = 0
    records: int = 0

    async def write(
        self, db: Database, batch: _Batch, progress: Callable[[int], None] | None
    ) -> None:
        self.subjects += await insert_new_subjects(db, subjects=batch.subjects)
        made = {s.id for s in batch.subjects}
        self.records += await write_prepared(db, batch.records, new_subjects=made)
        if progress is not None:
            progress(len(batch.subjects))
