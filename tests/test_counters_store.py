"""Store tests of what the workers share through counters: a turn at a chore."""

from __future__ import annotations

from store.counters import take_turn
from store.database import Database


async def test_a_turn_goes_to_the_first_worker_that_asks_and_not_to_the_next(
    db: Database,
) -> None:
    assert await take_turn(db, name="chore", seconds=3600)
    assert not await take_turn(db, name="chore", seconds=3600)
    assert await take_turn(db, name="other chore", seconds=3600)


async def test_a_turn_run_out_is_taken_again(db: Database) -> None:
    assert await take_turn(db, name="chore", seconds=0)
    assert await take_turn(db, name="chore", seconds=3600)
    assert not await take_turn(db, name="chore", seconds=0)
