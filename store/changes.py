"""The change feed (`recordChanges`): every change to a record, exactly once, in a stable order
that survives restarts. Every write of a record goes through it.

Write-ahead, without transactions (DESIGN.md §2.1): a change is first logged as an intent with
the next sequence number and the whole record as it will be, then applied to the record
(conditional on the version it replaces), then marked applied. The unique (record, version)
key lets only one writer produce each version. A crash between the steps leaves an unapplied
intent; whoever meets it next, the feed reader included, redoes it, so the feed never skips a
change and never shows one that will not happen. The feed stops at the first intent it cannot
settle, so a consumer resuming from a cursor never passes a change it has not seen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pymongo.errors import DuplicateKeyError

from domain.records import ChangeKind, Record, first_version
from store.blacklist import rejudge_entries_citing
from store.counters import allocate
from store.database import RECORD_CHANGES, RECORDS, Database, Document
from store.documents import insert_new
from store.errors import ChangedMeanwhile, StaleRecord
from store.records import record_document, record_from_document
from store.standings import update_standings

FEED = "record_changes"  # the counter's stored name: kept as it was

log = logging.getLogger("creditgraph.store")


@dataclass(frozen=True)
class LoggedChange:
    seq: int
    kind: ChangeKind
    at: datetime
    record: Record


async def _allocate(db: Database, count: int) -> int:
    """Reserve `count` sequence numbers of the feed and return the first."""
    return await allocate(db, name=FEED, count=count)


def _intent(seq: int, record: Record) -> Document:
    last = record.history[-1]
    return {
        "_id": f"{seq:020d}",
        "seq": seq,
        "record_id": record.id,
        "version": record.version,
        "kind": last.kind.value,
        "at": last.at,
        "applied": False,
        "document": record_document(record),
    }


async def write_new_records(db: Database, *, records: Sequence[Record]) -> int:
    """Log and insert new records in a constant number of round trips.

    Each becomes version 1 with its creation (by its source unit, at its `created_at`) as the
    first history entry. Records already stored keep their first intent, so a retried batch
    changes nothing.
    """
    if not records:
        return 0
    records = [first_version(r, at=r.created_at, by=r.source_unit) for r in records]
    first = await _allocate(db, len(records))
    intents = [_intent(first + i, r) for i, r in enumerate(records)]
    await insert_new(db, RECORD_CHANGES, intents)
    written = await insert_new(db, RECORDS, [record_document(r) for r in records])
    await update_standings(db, records=records)  # before marking: a crash leaves it to redo
    await db[RECORD_CHANGES].update_many(
        {"seq": {"$gte": first, "$lt": first + len(records)}}, {"$set": {"applied": True}}
    )
    return written


async def write_change(db: Database, *, before: Record, after: Record, today: date) -> Record:
    """Log and apply one change from `before` to `after` (made by `domain.records.next_version`),
    then re-judge on `today` the blacklist entries citing the record (DESIGN.md §4: in the
    write path of every change, so no path can forget it).

    Raises `StaleRecord` when another writer changed the record first.
    """
    seq = await _allocate(db, 1)
    try:
        await db[RECORD_CHANGES].insert_one(_intent(seq, after))
    except DuplicateKeyError:
        raise StaleRecord(f"record {after.id} changed meanwhile; read it again") from None
    await _apply(db, seq, after)
    try:
        await rejudge_entries_citing(db, record=after, day=today)
    except ChangedMeanwhile:
        # The change stands (it is written and logged); the entries citing the record kept
        # changing under us. Failing the request now would tell the client it did not happen:
        # the start-up sweep (`store.blacklist.rejudge_in_force`) judges them again.
        log.warning("blacklist entries citing %s kept changing; left for the sweep", after.id)
    return after


async def _apply(db: Database, seq: int, record: Record) -> bool:
    """Make the stored record be `record` if it is still at the version before; mark the intent.

    The document is made afresh from the model, so an intent logged before a derived query
    field existed still applies with it. Returns False when the record is at neither version
    (an earlier change is unsettled).
    """
    document = record_document(record)
    version = record.version
    if version == 1:
        await insert_new(db, RECORDS, [document])
        applied = True
    else:
        result = await db[RECORDS].replace_one(
            {"_id": document["_id"], "version": version - 1}, document
        )
        if result.matched_count == 0:
            current = await db[RECORDS].find_one({"_id": document["_id"]}, {"version": 1})
            applied = current is not None and current["version"] >= version
        else:
            applied = True
    if applied:
        await update_standings(db, records=[record])  # before marking: a crash leaves it to redo
        await db[RECORD_CHANGES].update_one({"_id": f"{seq:020d}"}, {"$set": {"applied": True}})
    return applied


async def find_changes(db: Database, *, after: int, limit: int) -> list[LoggedChange]:
    """Changes with a sequence number above `after`, in order, up to the first unsettled one."""
    cursor = db[RECORD_CHANGES].find({"seq": {"$gt": after}}, sort=[("seq", 1)], limit=limit)
    changes = []
    for entry in await cursor.to_list(None):
        record = record_from_document(entry["document"])
        if not entry["applied"] and not await _apply(db, entry["seq"], record):
            break
        changes.append(
            LoggedChange(
                seq=entry["seq"], kind=ChangeKind(entry["kind"]), at=entry["at"], record=record
            )
        )
    return changes


async def count_changes(db: Database) -> int:
    return await db[RECORD_CHANGES].count_documents({})


async def last_sequence(db: Database) -> int:
    """The highest sequence number logged, 0 for an empty feed."""
    cursor = db[RECORD_CHANGES].find({}, {"seq": 1}, sort=[("seq", -1)], limit=1)
    found = await cursor.to_list(None)
    return int(found[0]["seq"]) if found else 0
