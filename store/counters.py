"""Named counters: sequence numbers that are never handed out twice, across restarts.

One document per counter, raised by an atomic `$inc` upsert: the portable form of a sequence
(no transactions, DESIGN.md §2.1). A number reserved by a writer that then fails is a gap;
gaps are harmless, repeats are not.
"""

from __future__ import annotations

from pymongo import ReturnDocument

from store.database import COUNTERS, Database


async def allocate(db: Database, *, name: str, count: int = 1) -> int:
    """Reserve `count` numbers of the counter `name` (which starts at 1); returns the first."""
    counter = await db[COUNTERS].find_one_and_update(
        {"_id": name},
        {"$inc": {"seq": count}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    assert counter is not None, "an upsert returning AFTER always returns the document"
    return int(counter["seq"]) - count + 1
