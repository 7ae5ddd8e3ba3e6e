"""Seeding demo data into a real store: counts, and nothing new on a second run."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

import pytest

from demo import seed
from demo.generator import generate_demo
from demo.seed import seed_demo
from domain.catalogue import Catalogue
from store.changes import NewRecords, write_prepared
from store.database import RECORDS, SUBJECTS, Database
from store.errors import StoreUnavailable
from store.feed import find_changes
from store.standings import add_standings
from tests.factories import EPIDEMIC
from tests.test_records_cli import run

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


async def seed_70_in_batches_of_20(
    db: Database, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, *, first_batch: int
) -> tuple[list[int], list[str], list[str]]:
    """Seed 70 subjects in batches of at most 20; the subjects of each batch written, the
    records in the order the feed lists them, and in the order generated."""
    monkeypatch.setattr(seed, "BATCH_SIZE", 20)
    monkeypatch.setattr(seed, "FIRST_BATCH", first_batch)
    progress: list[int] = []

    summary = await seed_demo(
        db,
        catalogue,
        subjects=70,
        seed=3,
        epidemic_window=EPIDEMIC,
        created_at=CREATED,
        progress=progress.append,
    )

    generated = generate_demo(
        catalogue, subjects=70, seed=3, epidemic_window=EPIDEMIC, created_at=CREATED
    )
    records = [r.id for batch in generated for r in batch.records]
    assert (summary.subjects_written, summary.records_written) == (70, len(records))
    changes = await find_changes(db, after=0, limit=len(records) + 1)
    return progress, [c.record.id for c in changes], records


async def test_seed_demo_writes_batch_after_batch_in_the_order_generated(
    db: Database, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline (one batch written while the next is generated) stores what the generator
    yields, and the change feed lists the records in the order generated."""
    progress, listed, generated = await seed_70_in_batches_of_20(
        db,
        catalogue,
        monkeypatch,
        first_batch=20,  # whole batches only: sizes known beforehand
    )

    assert progress == [20, 20, 20, 10]
    assert listed == generated


async def test_seed_demo_hands_over_a_first_batch_early_and_keeps_the_order_generated(
    db: Database, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While no write is in flight the store need not wait for a whole batch; how large the
    later batches grow depends on how fast the store is, the order never does."""
    progress, listed, generated = await seed_70_in_batches_of_20(
        db, catalogue, monkeypatch, first_batch=5
    )

    assert progress[0] == 5
    assert sum(progress) == 70
    assert max(progress) <= 20
    assert listed == generated


async def test_seed_demo_whose_write_fails_raises_it_and_writes_no_later_batch(
    db: Database, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed, "BATCH_SIZE", 20)
    monkeypatch.setattr(seed, "FIRST_BATCH", 20)
    written: list[int] = []

    async def failing_second(
        db: Database, new: NewRecords, *, new_subjects: Collection[str]
    ) -> int:
        if written:
            raise StoreUnavailable("the store went away")
        written.append(len(new.records))
        return await write_prepared(db, new, new_subjects=new_subjects)

    monkeypatch.setattr(seed, "write_prepared", failing_second)

    with pytest.raises(StoreUnavailable):
        await seed_demo(
            db, catalogue, subjects=70, seed=3, epidemic_window=EPIDEMIC, created_at=CREATED
        )

    # The first batch whole; the second batch's subjects (written before its records); nothing
    # of the batches after it.
    assert await db[RECORDS].count_documents({}) == written[0]
    assert await db[SUBJECTS].count_documents({}) == 40


# The command's own event loop may leave a monitor socket to be finalised later (as in
# tests/test_records_cli.py).
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
)
async def test_a_store_seeded_by_the_command_is_not_read_again_at_the_next_start(
    db: Database, cli_environment: dict[str, str]
) -> None:
    result = await run(cli_environment, "seed", "--subjects", "5")
    assert result.exit_code == 0, result.output

    records = await db[RECORDS].count_documents({})
    built_again = await add_standings(db)

    assert records > 0
    assert built_again == 0
