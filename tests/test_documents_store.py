"""Store tests: the one optimistic write (`store.documents.update_optimistically`) against a
real server, with a rival writer that comes between our read and our write."""

from __future__ import annotations

import pytest

from store.database import Database, Document
from store.documents import update_optimistically

COLLECTION = "optimistic"


class GaveUp(Exception):
    """The caller's own conflict error."""


async def _counter_update(db: Database, *, rival_writes: int, attempts: int) -> tuple[int, bool]:
    """Add one to a stored counter while a rival adds ten after each of our first reads."""
    await db[COLLECTION].insert_one({"_id": "c", "value": 0})
    rivals = iter(range(rival_writes))

    async def read() -> Document:
        document = await db[COLLECTION].find_one({"_id": "c"})
        assert document is not None
        if next(rivals, None) is not None:
            await db[COLLECTION].update_one({"_id": "c"}, {"$inc": {"value": 10}})
        return document

    async def add_one(document: Document) -> Document:
        return document | {"value": document["value"] + 1}

    async def write(before: Document, after: Document) -> bool:
        result = await db[COLLECTION].replace_one({"_id": "c", "value": before["value"]}, after)
        return result.matched_count == 1

    after, written = await update_optimistically(
        read=read, apply=add_one, write=write, what="c", conflict=GaveUp, attempts=attempts
    )
    return after["value"], written


async def test_update_after_a_rival_writer_lands_on_what_it_read_again(db: Database) -> None:
    value, written = await _counter_update(db, rival_writes=2, attempts=3)

    stored = await db[COLLECTION].find_one({"_id": "c"})
    assert (value, written) == (21, True)
    assert stored is not None
    assert stored["value"] == 21


@pytest.mark.parametrize("attempts", [1, 3])
async def test_update_beaten_on_every_attempt_raises_the_callers_conflict(
    db: Database, attempts: int
) -> None:
    with pytest.raises(GaveUp, match="c; try again"):
        await _counter_update(db, rival_writes=attempts, attempts=attempts)

    stored = await db[COLLECTION].find_one({"_id": "c"})
    assert stored is not None
    assert stored["value"] == 10 * attempts


async def test_update_with_nothing_left_to_write_writes_nothing(db: Database) -> None:
    await db[COLLECTION].insert_one({"_id": "c", "value": 0})

    async def read() -> Document:
        document = await db[COLLECTION].find_one({"_id": "c"})
        assert document is not None
        return document

    async def nothing(_: Document) -> None:
        return None

    async def never(before: Document, after: Document) -> bool:
        raise AssertionError("nothing to write, so no write")

    after, written = await update_optimistically(
        read=read, apply=nothing, write=never, what="c", conflict=GaveUp
    )

    assert (after["value"], written) == (0, False)
