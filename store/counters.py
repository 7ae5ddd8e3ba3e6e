"""Counters kept in the store and shared by every worker: sequences and rate-limit windows.

One document per counter, raised by an atomic `$inc` upsert: the portable form of a sequence
or of a shared count (no transactions, upserts on unique keys; DESIGN.md §2.1).

- A named counter (`allocate`) hands out sequence numbers that are never handed out twice,
  across restarts. A number reserved by a writer that then fails is a gap; gaps are harmless,
  repeats are not.
- A count per fixed time window (`add_to_window`, `count_in_window`) is how rate limits are
  kept: it lives in one document keyed by what is counted and the window's start, so every
  worker process of the API sees the same count. Documents expire once their window has passed.
- A turn at a chore (`take_turn`) goes to one worker at a time: the first to ask once the
  last turn ran out holds it for a while.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from store.database import COUNTERS, RATE_LIMITS, Database, Document


async def _raise(
    db: Database,
    collection: str,
    *,
    key: str,
    field: str,
    amount: int,
    on_insert: Document | None = None,
) -> int:
    """Add `amount` to `field` of the counter `key` (created by the first raise); the new value."""
    update: Document = {"$inc": {field: amount}}
    if on_insert:
        update["$setOnInsert"] = on_insert
    counter = await db[collection].find_one_and_update(
        {"_id": key}, update, upsert=True, return_document=ReturnDocument.AFTER
    )
    assert counter is not None, "an upsert returning AFTER always returns the document"
    return int(counter[field])


async def allocate(db: Database, *, name: str, count: int = 1) -> int:
    """Reserve `count` numbers of the counter `name` (which starts at 1); returns the first."""
    last = await _raise(db, COUNTERS, key=name, field="seq", amount=count)
    return last - count + 1


def machine_ms() -> int:
    """The machine's clock in milliseconds since the epoch (a number, which both stores compare
    natively), not the service's, which tests and demos set to a day of their own: what turns
    run out by, and how long the change feed waits at a gap (store.feed)."""
    return time.time_ns() // 1_000_000


async def take_turn(db: Database, *, name: str, seconds: float) -> bool:
    """Whether this worker takes the turn `name` for the next `seconds`: True for the first to
    ask once the last turn ran out, False while another holds it.

    A chore every worker would otherwise do, done once for all of them. The turn's end is kept
    in `machine_ms`. An expired turn is taken by the update; a turn held makes the upsert meet
    the document and fail as a duplicate `_id`; the first turn ever is inserted.
    """
    now = machine_ms()
    try:
        await db[COUNTERS].update_one(
            {"_id": name, "until": {"$lte": now}},
            {"$set": {"until": now + int(seconds * 1000)}},
            upsert=True,
        )
    except DuplicateKeyError:
        return False
    return True


@dataclass(frozen=True)
class Window:
    """The fixed window of `seconds` that holds `now`, counted from the Unix epoch."""

    now: datetime
    seconds: int

    @property
    def start(self) -> datetime:
        epoch = int(self.now.timestamp())
        return datetime.fromtimestamp(epoch - epoch % self.seconds, UTC)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    def key(self, counted: str) -> str:
        return f"{counted}@{int(self.start.timestamp())}"

    @property
    def seconds_left(self) -> int:
        """Whole seconds until the window ends (at least 1), for a `Retry-After` header."""
        return max(1, int((self.end - self.now).total_seconds() + 0.999))


async def add_to_window(db: Database, *, counted: str, window: Window, amount: int = 1) -> int:
    """Add `amount` to the count of `counted` in `window` and return the new count."""
    return await _raise(
        db,
        RATE_LIMITS,
        key=window.key(counted),
        field="count",
        amount=amount,
        on_insert={"expires_at": window.end},
    )


async def count_in_window(db: Database, *, counted: str, window: Window) -> int:
    """The count of `counted` in `window` so far (0 when nothing was counted)."""
    counter = await db[RATE_LIMITS].find_one({"_id": window.key(counted)}, {"count": 1})
    return 0 if counter is None else int(counter["count"])
