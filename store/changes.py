"""Writing the change feed (`recordChanges`): every write of a record goes through here, so
that the feed shows every change to a record exactly once, in a stable order that survives
restarts (reading it: store/feed.py).

Write-ahead, without transactions (DESIGN.md §2.1): a change is first logged under the next
sequence number with the record as it will be, then applied to the stored record and its
subject's standing, then its log entry is marked applied. A crash between the steps leaves an
entry unmarked; whoever meets it next, the feed reader and start-up settling included, redoes
it (every step is idempotent: `create_logged`, `apply_change`), so the feed never skips a
change and never shows one that will not happen. A writer allocates its numbers and logs them
in two commands; a reader may take a gap left between them for a dead writer's and give its
numbers up (store.feed), and the writer then logs under new ones (`_log`, `_log_change`).

Three kinds of entry:
- A write of new records (`write_new_records`) is one entry, whatever its size: its records
  take the consecutive sequence numbers `seq`..`last` and ride in it as compressed JSON lines.
  nx-27017 spends about as much on each document inserted as on each record, so an entry per
  record cost an import a third of its speed. Writers racing to create one record (a retried
  batch, two submissions of one source record id) both log it; the stored record keeps the
  sequence number of the one whose insert stood (`store.records.LOGGED`, through every later
  version), and the others mark its position `skipped`: each creation shows once.
- A change to a stored record (`write_change`) is one entry keyed by (record, version), the
  optimistic lock: only one writer produces each version.
- A number given up (`given_up`), by a writer whose change was stale or by a reader passing
  a gap, is an entry that shows nothing.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Collection, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date

from bson import Binary
from pymongo.errors import DuplicateKeyError

from domain.records import Record, first_version
from store.blacklist import rejudge_entries_citing
from store.counters import allocate, machine_ms
from store.database import RECORD_CHANGES, RECORDS, Database, Document
from store.documents import insert_missing, insert_new
from store.errors import ChangedMeanwhile, StaleRecord, StoreUnavailable
from store.records import LOGGED, record_document
from store.standings import update_standings

FEED = "record_changes"  # the counter's stored name: kept as it was

log = logging.getLogger("creditgraph.store")

# A writer whose numbers readers gave up takes new ones (store.feed.LOGGING_WAIT_MS); each
# time, the store must have kept it from logging for over a minute, so this many times means
# the store is not answering.
CLAIMED_ATTEMPTS = 5


async def _allocate(db: Database, count: int) -> int:
    """Reserve `count` sequence numbers of the feed and return the first."""
    return await allocate(db, name=FEED, count=count)


@dataclass
class NewRecords:
    """New records made ready for `write_prepared`: their first versions (their creation by
    their source unit, at their `created_at`, as the first history entry), their documents and
    their lines in the feed. Made as records come (`add`), so that a caller may make them while
    the store is busy with an earlier write: made between a write's commands, they kept the
    store waiting about a seventh of a seed's time."""

    records: list[Record] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def add(self, records: Iterable[Record]) -> None:
        self.add_logged(first_version(r, at=r.created_at, by=r.source_unit) for r in records)

    def add_logged(self, versions: Iterable[Record]) -> None:
        """Add records already in the version they are logged in."""
        for version in versions:
            self.records.append(version)
            self.documents.append(record_document(version))
            self.lines.append(version.model_dump_json())


def _write_entry(first: int, new: NewRecords) -> Document:
    """The entry of a write of new records logged from `first` on. Marked by `_id` only:
    nx-27017 answers an update filtered on any other field by reading the whole collection."""
    lines = "\n".join(new.lines)  # JSON text escapes newlines
    return {
        "_id": f"write@{first}",
        "seq": first,
        "last": first + len(new.records) - 1,
        "applied": False,
        "records": Binary(zlib.compress(lines.encode(), 1)),
        "logged_at": machine_ms(),
    }


def given_up(seq: int) -> Document:
    """The entry of a sequence number given up, by its writer (its change was stale) or by a
    reader passing a gap (store.feed): a write whose one position shows nothing."""
    return {
        "_id": f"given-up@{seq}",
        "seq": seq,
        "last": seq,
        "applied": True,
        "skipped": [0],
        "records": Binary(zlib.compress(b"", 1)),
        "logged_at": machine_ms(),
    }


def _intent(seq: int, record: Record) -> Document:
    """The entry of one change: the record as it will be, keyed by (record, version)."""
    return {
        "_id": f"{record.id}@{record.version}",
        "seq": seq,
        "applied": False,
        "record": record.model_dump_json(),
        "logged_at": machine_ms(),
    }


async def write_new_records(
    db: Database, *, records: Sequence[Record], new_subjects: Collection[str] = ()
) -> int:
    """Log and insert new records in a constant number of round trips; how many were new: the
    ones created under this write's entry, by this call or by a reader that met the entry
    first and finished the write (`store.feed`).

    Each becomes version 1 with its creation (by its source unit, at its `created_at`) as the
    first history entry. Records already stored stay as they are and keep the creation logged
    first, so a retried batch changes nothing. `new_subjects`: the subjects the caller has just
    made, whose standings are inserted whole (`store.standings.update_standings`).
    """
    new = NewRecords()
    new.add(records)
    return await write_prepared(db, new, new_subjects=new_subjects)


async def write_prepared(
    db: Database, new: NewRecords, *, new_subjects: Collection[str] = ()
) -> int:
    """`write_new_records` of records made ready beforehand."""
    if not new.records:
        return 0
    first, entry_id = await _log_write(db, new)
    skipped = await create_logged(db, first, new.records, new_subjects, documents=new.documents)
    await mark_applied(db, entry_id, skipped)
    return len(new.records) - len(skipped)


async def _log_write(db: Database, new: NewRecords) -> tuple[int, str]:
    """Log a write of new records; its first sequence number and its entry's `_id`."""
    return await _log(db, await _allocate(db, len(new.records)), new)


async def _log(db: Database, first: int, new: NewRecords) -> tuple[int, str]:
    """Log a write of new records under the numbers allocated from `first` on, or, when a reader
    gave those up meanwhile as a dead writer's (`store.feed`), under new ones: its records are
    not stored yet, so nothing was shown under the old numbers."""
    for _ in range(CLAIMED_ATTEMPTS):
        entry = _write_entry(first, new)
        try:
            await db[RECORD_CHANGES].insert_one(entry)
        except DuplicateKeyError:
            first = await _allocate(db, len(new.records))
            continue
        return first, entry["_id"]
    raise StoreUnavailable("the store kept this write from its change feed for minutes; try again")


async def create_logged(
    db: Database,
    first: int,
    records: Sequence[Record],
    new_subjects: Collection[str] = (),
    *,
    documents: Sequence[Document] | None = None,
) -> list[int]:
    """Store the records logged from `first` on, and their standings; `documents`, when given,
    are theirs already made (`NewRecords`). Returns the positions of those another write
    created (its entry shows them)."""
    made = documents if documents is not None else [record_document(r) for r in records]
    refused = await insert_missing(
        db, RECORDS, [d | {LOGGED: first + i} for i, d in enumerate(made)]
    )
    skipped = await _created_by_others(db, first, records, refused)
    if skipped:
        left_out = set(skipped)
        records = [r for i, r in enumerate(records) if i not in left_out]
    await update_standings(db, records=records, new_subjects=new_subjects)
    return skipped


async def _created_by_others(
    db: Database, first: int, records: Sequence[Record], refused: list[int]
) -> list[int]:
    """The positions among `refused` (inserts of records already stored) whose stored record
    was not created under this write's sequence number."""
    if not refused:
        return []
    ids = [records[i].id for i in refused]
    cursor = db[RECORDS].find(
        {"_id": {"$in": ids}}, {LOGGED: 1}, limit=len(ids), batch_size=len(ids)
    )
    logged = {d["_id"]: d.get(LOGGED) for d in await cursor.to_list(None)}
    return [i for i in refused if logged.get(records[i].id) != first + i]


async def mark_applied(db: Database, entry_id: str, skipped: list[int] | None = None) -> None:
    marks: Document = {"applied": True}
    if skipped:  # DESIGN.md §2.1: no stored empties where absence says it
        marks["skipped"] = skipped
    await db[RECORD_CHANGES].update_one({"_id": entry_id}, {"$set": marks})


async def write_change(db: Database, *, before: Record, after: Record, today: date) -> Record:
    """Log and apply one change from `before` to `after` (made by `domain.records.next_version`),
    then re-judge on `today` the blacklist entries citing the record (DESIGN.md §4: in the
    write path of every change, so no path can forget it).

    Raises `StaleRecord` when another writer changed the record first.
    """
    intent = await _log_change(db, after)
    await apply_change(db, intent["_id"], after)
    try:
        await rejudge_entries_citing(db, record=after, day=today)
    except ChangedMeanwhile:
        # The change stands (it is written and logged); the entries citing the record kept
        # changing under us. Failing the request now would tell the client it did not happen:
        # the start-up sweep (`store.blacklist.rejudge_in_force`) judges them again.
        log.warning("blacklist entries citing %s kept changing; left for the sweep", after.id)
    return after


async def _log_change(db: Database, after: Record) -> Document:
    """Log the intent of the change to `after` under a new sequence number; another under a
    newer one when a reader gave the first up as a dead writer's (`store.feed`).

    Raises `StaleRecord` when another writer logged that version first; its number is then
    given up here, so readers have no gap to wait at.
    """
    for _ in range(CLAIMED_ATTEMPTS):
        seq = await _allocate(db, 1)
        intent = _intent(seq, after)
        try:
            await db[RECORD_CHANGES].insert_one(intent)
        except DuplicateKeyError:
            if await db[RECORD_CHANGES].find_one({"_id": intent["_id"]}, {"_id": 1}) is None:
                continue  # the number was given up, not the version taken
            with suppress(DuplicateKeyError):  # a reader may have given it up already
                await db[RECORD_CHANGES].insert_one(given_up(seq))
            raise StaleRecord(f"record {after.id} changed meanwhile; read it again") from None
        return intent
    raise StoreUnavailable("the store kept this change from its change feed for minutes; try again")


async def apply_change(db: Database, intent_id: str, record: Record) -> bool:
    """Make the stored record be `record` if it is still at the version before; mark its intent.

    The document is made afresh from the model (an intent logged before a derived field
    existed still applies with it) and keeps the sequence number its creation was logged
    under. Only this intent makes its version, so a replace that finds the record moved on
    met a redo of this same change. Returns False when the record is at neither version (an
    earlier change is unsettled).
    """
    document = record_document(record)
    if record.version == 1:  # only entries logged before 2026-12-02 create one by one
        await insert_new(db, RECORDS, [document])
    else:
        current = await db[RECORDS].find_one({"_id": record.id}, {"version": 1, LOGGED: 1})
        if current is None or current["version"] < record.version - 1:
            return False
        if current["version"] == record.version - 1:
            if LOGGED in current:
                document[LOGGED] = current[LOGGED]
            query = {"_id": record.id, "version": current["version"]}
            await db[RECORDS].replace_one(query, document)
    await update_standings(db, records=[record])  # before marking: a crash leaves it to redo
    await mark_applied(db, intent_id)
    return True
