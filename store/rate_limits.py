"""Counters per fixed time window, shared by every worker: how rate limits are kept.

A window's count lives in one document keyed by what is counted and the window's start, raised
by an atomic `$inc` upsert (DESIGN.md §2.1: no transactions, upserts on unique keys), so every
worker process of the API sees the same count. Documents expire once their window has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument

from store.database import RATE_LIMITS, Database


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
    counter = await db[RATE_LIMITS].find_one_and_update(
        {"_id": window.key(counted)},
        {"$inc": {"count": amount}, "$setOnInsert": {"expires_at": window.end}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    assert counter is not None, "an upsert returning AFTER always returns the document"
    return int(counter["count"])


async def count_in_window(db: Database, *, counted: str, window: Window) -> int:
    """The count of `counted` in `window` so far (0 when nothing was counted)."""
    counter = await db[RATE_LIMITS].find_one({"_id": window.key(counted)}, {"count": 1})
    return 0 if counter is None else int(counter["count"])
