"""Seeding demo data into a real store: counts, and nothing new on a second run."""

from __future__ import annotations

from datetime import UTC, datetime

from demo.seed import seed_demo
from domain.catalogue import Catalogue
from store.database import RECORDS, SUBJECTS, Database
from tests.factories import EPIDEMIC

CREATED = datetime(2021, 7, 1, tzinfo=UTC)


async def test_seed_demo_twice_with_same_seed_writes_nothing_new(
    db: Database, catalogue: Catalogue
) -> None:
    progress: list[int] = []

    first = await seed_demo(
        db,
        catalogue,
        subjects=120,
        seed=7,
        epidemic_window=EPIDEMIC,
        created_at=CREATED,
        progress=progress.append,
    )
    second = await seed_demo(
        db, catalogue, subjects=120, seed=7, epidemic_window=EPIDEMIC, created_at=CREATED
    )

    assert sum(progress) == 120
    assert first.subjects_written == 120
    assert first.records_written == first.records_total
    assert (second.subjects_written, second.records_written) == (0, 0)
    assert await db[SUBJECTS].count_documents({}) == 120
    assert await db[RECORDS].count_documents({}) == first.records_total
