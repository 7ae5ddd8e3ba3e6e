"""Turning domain models into stored documents and back.

The portable subset (DESIGN.md §2.1): string ids, calendar dates as ISO strings (they sort and
compare as text, and nx-27017 mishandles datetimes in aggregation), no stored nulls. A date
that a list filters or sorts on is stored again beside its ISO string as a `day_number`, which
both engines compare natively.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from store.database import MIGRATIONS, Database, Document
from store.errors import PublicationRefused, StoreError

S = TypeVar("S")
V = TypeVar("V")

# Published versions of a set of rules read at most; far above a lifetime of publications.
MAX_VERSIONS = 1000

# Tries of one optimistic write before another writer is deemed to keep coming first.
WRITE_ATTEMPTS = 3


# Values stored as they are, matched by exact type first: most values of a document are these,
# and one type lookup is cheaper than the checks below (records are written by the thousand).
_AS_THEY_ARE = frozenset({str, int, float, bool, datetime})


def _plain(value: Any) -> Any:
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def position(moment: date, tie: str) -> str:
    """A list position as one string that sorts like (moment, tie): "20200301|r-1".

    Digits only, never "2020-03-01...": nx-27017 takes any compared string that starts like an
    ISO date for a date and compares it through SQLite's datetime(), which turns
    "2020-03-01|r-1" into NULL, so a `$lt` on such keys silently matches nothing. MongoDB
    compares strings bytewise either way.
    """
    if isinstance(moment, datetime):
        return f"{moment.astimezone(UTC).strftime('%Y%m%d%H%M%S%f')}|{tie}"
    return f"{moment.strftime('%Y%m%d')}|{tie}"


def day_number(day: date) -> int:
    """A calendar day as the integer yyyymmdd (2020-03-01 -> 20200301), ordered like the days.

    DESIGN.md §2.1: nx-27017 sends any comparison on a date-like string to a Python tier that
    loads and decodes every document of the collection; integers stay in its SQL tier, and
    MongoDB indexes them as well as strings. The ISO string stays the form shown to clients.
    """
    return day.year * 10_000 + day.month * 100 + day.day


def one_of(values: Sequence[str]) -> Document:
    """A filter matching a string field equal to any of `values`, as an index range scan.

    The `$in` says it; the `$gte`/`$lte` around it, which MongoDB intersects with the `$in`
    into the same point bounds, are for nx-27017: it writes an equality or `$in` as a test
    that also looks inside arrays, which SQLite cannot answer from an index (a full scan per
    query), but a range it can. For values that are neighbours in key order (a page of
    subjects listed by id) the range holds little else. The values must not look like dates:
    a range on those would send nx-27017 to its Python tier (DESIGN.md §2.1).
    """
    return {"$in": list(values), "$gte": min(values), "$lte": max(values)}


def to_document(model: BaseModel, *, key: str = "id") -> Document:
    """A model as a document: `key` becomes `_id`, dates become strings, None keys are left out."""
    data: dict[str, Any] = _plain(model.model_dump(mode="python", exclude_none=True))
    data["_id"] = data.pop(key)
    return data


def from_document(document: Document, *, key: str = "id") -> dict[str, Any]:
    """A stored document as model input: `_id` becomes `key`."""
    data = dict(document)
    data[key] = data.pop("_id")
    return data


async def insert_new(db: Database, collection: str, documents: list[Document]) -> int:
    """Insert the documents whose `_id` is not stored yet; returns how many were new."""
    return len(documents) - len(await insert_missing(db, collection, documents))


async def insert_missing(db: Database, collection: str, documents: list[Document]) -> list[int]:
    """Insert the documents whose `_id` is not stored yet; returns the positions of the others.

    An unordered insert that skips duplicate keys is the portable form of "insert if
    missing": nx-27017 fails upserts filtered on `_id` ("JSON path error near '_id'").
    """
    if not documents:
        return []
    try:
        await db[collection].insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        return duplicates_in(exc)
    return []


DUPLICATE_KEY = 11000


def duplicates_in(exc: BulkWriteError) -> list[int]:
    """The positions of a bulk write's operations refused as duplicate keys, in order; the
    failure itself when any was refused for another reason."""
    errors = exc.details.get("writeErrors", [])
    if any(e.get("code") != DUPLICATE_KEY for e in errors):
        raise exc
    return sorted(e["index"] for e in errors)


async def backfill_once(db: Database, note: str, backfill: Callable[[], Awaitable[int]]) -> int:
    """Run `backfill` (which returns how much it filled) unless a note in `migrations` says it
    finished before, and leave that note when it does: later start-ups cost one lookup. A
    backfill cut short runs again whole, so it must be idempotent."""
    if await db[MIGRATIONS].find_one({"_id": note}) is not None:
        return 0
    filled = await backfill()
    await insert_new(db, MIGRATIONS, [{"_id": note, "filled": filled}])
    return filled


async def fill_derived(
    db: Database,
    collection: str,
    *,
    missing: str,
    derive: Callable[[Document], Document],
    batch: int = 1000,
) -> int:
    """Set `derive(document)` (which sets `missing`) on every document that lacks the field
    `missing`; returns how many.

    For documents stored before a derived query field existed. Idempotent and safe beside
    writers: each update is conditional on the field still missing, and a writer stores the
    fields itself. Reads are bounded by `batch` (DESIGN.md §2.1: no unbounded cursors). Runs
    once (`backfill_once`).
    """

    async def fill() -> int:
        filled = 0
        while True:
            cursor = db[collection].find(
                {missing: {"$exists": False}}, limit=batch, batch_size=batch
            )
            documents = await cursor.to_list(None)
            if not documents:
                return filled
            updates = [
                UpdateOne({"_id": d["_id"], missing: {"$exists": False}}, {"$set": derive(d)})
                for d in documents
            ]
            result = await db[collection].bulk_write(updates, ordered=False)
            filled += result.modified_count

    return await backfill_once(db, f"{collection}.{missing}", fill)


async def update_optimistically(
    *,
    read: Callable[[], Awaitable[S]],
    apply: Callable[[S], Awaitable[S | None]],
    write: Callable[[S, S], Awaitable[bool]],
    what: str,
    conflict: Callable[[str], Exception],
    attempts: int = WRITE_ATTEMPTS,
) -> tuple[S, bool]:
    """Read, apply, and write conditionally on what was read; returns the state as it now
    stands and whether this call wrote it.

    The invariant of every conditional update (no transactions, DESIGN.md §2.1): a write lands
    only on the state it was decided on. `write` says False when another writer came first;
    then the state is read and decided again, `attempts` times in all, after which the
    caller's own `conflict` error says `what` (so that a client hears "try again", never an
    internal error). `apply` may refuse by raising, or return None: nothing left to write.
    """
    for _ in range(attempts):
        before = await read()
        after = await apply(before)
        if after is None:
            return before, False
        if await write(before, after):
            return after, True
    raise conflict(f"{what}; try again")


async def landed(write: Awaitable[object], lost: type[StoreError]) -> bool:
    """True when `write` landed, False when it raised `lost`: another writer came first (for
    `update_optimistically`, from writes that raise rather than answer False)."""
    try:
        await write
    except lost:
        return False
    return True


async def insert_first_version(db: Database, collection: str, *, document: Document) -> bool:
    """Store a shipped version of rules on a store that holds none yet (a new store); True
    when it was stored.

    Invariant: start-up never adds a version to a store that serves one. A shipped version's
    effective day is long past, so adding it beside a served one would judge again what was
    judged (and tie with it on the day); an existing store takes a newer shipped version only
    by publishing it, from today on.
    """
    if await db[collection].find_one({}, {"_id": 1}) is not None:
        return False
    return await insert_new(db, collection, [document]) == 1


async def publish_version(
    db: Database, collection: str, *, document: Document, effective_from: date, today: date
) -> None:
    """Store a new version of rules published as data (`_id` its number), or raise
    `PublicationRefused` with nothing stored.

    Invariant of every such publication (catalogue, programmes): a number names one version
    for ever, and no version takes effect before `today` (what was judged stays judged by the
    version in force when it was).
    """
    what = f"{collection.removesuffix('_versions')} version {document['_id']}"
    if await db[collection].find_one({"_id": document["_id"]}, {"_id": 1}):
        raise PublicationRefused(
            f"{what} is published already; give the new one its own number", taken=True
        )
    if effective_from < today:
        raise PublicationRefused(
            f"effective_from {effective_from} is before today ({today}): a version "
            "takes effect from today or a later day"
        )
    if await insert_new(db, collection, [document]) != 1:
        raise PublicationRefused(f"{what} was published meanwhile", taken=True)


class Published(ABC, Generic[V]):
    """The versions of some rules a process serves from, reloaded when the store holds others.

    Invariant: a version published through any worker is served by every worker once it has
    reloaded (the publishing worker at once, the others at their next poll): no restart.
    Subclasses name the collection, read the versions and number them.
    """

    collection: str

    def __init__(self, versions: V) -> None:
        self.versions = versions

    @abstractmethod
    def numbers(self) -> set[str]:
        """The numbers of the versions served."""

    @abstractmethod
    async def read(self, db: Database) -> V:
        """Every stored version."""

    async def reload_if_changed(self, db: Database) -> bool:
        """Read the versions again if the store's set differs from the one served (a cheap
        look at their numbers first); True when it did."""
        cursor = db[self.collection].find({}, {"_id": 1}, limit=MAX_VERSIONS)
        stored = {doc["_id"] for doc in await cursor.to_list(None)}
        if stored == self.numbers():
            return False
        self.versions = await self.read(db)
        return True
