"""The change feed (`recordChanges`): every change to a record, exactly once, in a stable order
that survives restarts. Every write of a record goes through it.

Write-ahead, without transactions (DESIGN.md §2.1): a change is first logged as an intent with
the next sequence number and the whole record as it will be, then applied to the record
(conditional on the version it replaces), then marked applied. The unique (record, version)
key lets only one writer produce each version. A crash between the steps leaves an unapplied
intent; whoever meets it next, the feed reader included, redoes it, so the feed never skips a
change and never shows one that will not happen. The feed stops at the first intent it cannot
settle, so a consumer resuming from a cursor never passes a change it has not seen.

An intent is written once and marked once, never rewritten whole: the record rides in it as
its JSON text (one string, cheap for the store to encode and index around), and a write of
many records (`write_new_records`) marks only its last intent. Every intent names that last
one (`through`): an intent is settled when it or the last intent of its write is marked.
Intents of one write take consecutive sequence numbers, so a reader that meets an unmarked
one redoes the write's intents in order, and marks each it settled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

from pymongo.errors import DuplicateKeyError

from domain.records import ChangeKind, Record, first_version
from store.blacklist import rejudge_entries_citing
from store.counters import allocate
from store.database import COUNTERS, RECORD_CHANGES, RECORDS, Database, Document
from store.documents import insert_new
from store.errors import ChangedMeanwhile, StaleRecord
from store.records import record_document, record_from_document
from store.standings import update_standings

FEED = "record_changes"  # the counter's stored name: kept as it was
SETTLED = "record_changes_settled"  # the counter of the feed settled through (settle_changes)

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


def _intent(seq: int, record: Record, *, through: int) -> Document:
    """The intent of one change: the record as it will be, and `through`, the sequence number
    of the last intent of the write it belongs to (its own for a single change)."""
    last = record.history[-1]
    return {
        "_id": _intent_id(record),
        "seq": seq,
        "through": through,
        "record_id": record.id,
        "version": record.version,
        "kind": last.kind.value,
        "at": last.at,
        "applied": False,
        "all_applied": False,
        "record": record.model_dump_json(),
    }


def _intent_id(record: Record) -> str:
    """The (record, version) key: one writer per version, the optimistic lock. Intents are
    updated by it only: nx-27017 answers an update filtered on any other field, indexed or
    not, by reading the whole collection (40 ms at 10,000 intents, against 0.6 ms)."""
    return f"{record.id}@{record.version}"


async def _log_new(db: Database, records: Sequence[Record]) -> int:
    """Log the intents of new records, in order; the sequence number of the write's last."""
    first = await _allocate(db, len(records))
    through = first + len(records) - 1
    intents = [_intent(first + i, r, through=through) for i, r in enumerate(records)]
    await insert_new(db, RECORD_CHANGES, intents)
    return through


async def _mark_write_applied(db: Database, last: Record, through: int) -> None:
    """Settle every intent of a write at once by marking its last (the writer alone does this:
    it knows that every record of the write is stored).

    Only if that intent is this write's own: when the last record was logged by an earlier
    write (a retry after a crash), its intent speaks for that write, whose other records this
    one may not have stored.
    """
    await db[RECORD_CHANGES].update_one(
        {"_id": _intent_id(last), "seq": through}, {"$set": {"all_applied": True}}
    )


async def write_new_records(db: Database, *, records: Sequence[Record]) -> int:
    """Log and insert new records in a constant number of round trips.

    Each becomes version 1 with its creation (by its source unit, at its `created_at`) as the
    first history entry. Records already stored keep their first intent, so a retried batch
    changes nothing. The steps, any of which a crash may end: log every intent, insert every
    record, mark the write applied (store/changes.py's docstring says how a reader settles
    what a crash left).
    """
    if not records:
        return 0
    records = [first_version(r, at=r.created_at, by=r.source_unit) for r in records]
    through = await _log_new(db, records)
    written = await insert_new(db, RECORDS, [record_document(r) for r in records])
    await update_standings(db, records=records)  # before marking: a crash leaves it to redo
    await _mark_write_applied(db, records[-1], through)
    return written


async def write_change(db: Database, *, before: Record, after: Record, today: date) -> Record:
    """Log and apply one change from `before` to `after` (made by `domain.records.next_version`),
    then re-judge on `today` the blacklist entries citing the record (DESIGN.md §4: in the
    write path of every change, so no path can forget it).

    Raises `StaleRecord` when another writer changed the record first.
    """
    seq = await _allocate(db, 1)
    try:
        await db[RECORD_CHANGES].insert_one(_intent(seq, after, through=seq))
    except DuplicateKeyError:
        raise StaleRecord(f"record {after.id} changed meanwhile; read it again") from None
    await _apply(db, _intent_id(after), after)
    try:
        await rejudge_entries_citing(db, record=after, day=today)
    except ChangedMeanwhile:
        # The change stands (it is written and logged); the entries citing the record kept
        # changing under us. Failing the request now would tell the client it did not happen:
        # the start-up sweep (`store.blacklist.rejudge_in_force`) judges them again.
        log.warning("blacklist entries citing %s kept changing; left for the sweep", after.id)
    return after


async def _apply(db: Database, intent_id: str, record: Record) -> bool:
    """Make the stored record be `record` if it is still at the version before; mark its intent.

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
        await db[RECORD_CHANGES].update_one({"_id": intent_id}, {"$set": {"applied": True}})
    return applied


async def find_changes(db: Database, *, after: int, limit: int) -> list[LoggedChange]:
    """Changes with a sequence number above `after`, in order, up to the first unsettled one.

    An intent is settled when it is marked applied or its write's last intent is marked
    `all_applied`; any other is redone (`_apply`, idempotent) and marked on its own, never as
    its write: a reader that starts inside a write (any cursor) cannot vouch for the intents
    before `after`.
    """
    settled, _ = await _settle_page(db, after=after, limit=limit)
    return [
        LoggedChange(seq=e["seq"], kind=ChangeKind(e["kind"]), at=e["at"], record=_logged_record(e))
        for e in settled
    ]


async def _settle_page(db: Database, *, after: int, limit: int) -> tuple[list[Document], int]:
    """The intents after `after`, up to `limit`, settled (`_settled`)."""
    cursor = db[RECORD_CHANGES].find({"seq": {"$gt": after}}, sort=[("seq", 1)], limit=limit)
    return await _settled(db, await cursor.to_list(None))


async def _settled(db: Database, entries: list[Document]) -> tuple[list[Document], int]:
    """`entries` up to the first that cannot be settled, each unsettled one redone; and how
    many were redone."""
    writes_applied = await _writes_applied(db, entries)
    redone = 0
    for at, entry in enumerate(entries):
        if entry["applied"] or entry.get("through") in writes_applied:
            continue
        if not await _apply(db, entry["_id"], _logged_record(entry)):
            return entries[:at], redone
        redone += 1
    return entries, redone


async def settle_changes(db: Database, *, page: int = 1000) -> int:
    """Redo every change a crash left unsettled since the last settling; how many it redid.

    Run at start-up (server/app.py), so a write cut short between its steps (its intents
    logged, its records or their standings not yet written) is finished before the first
    request instead of when a feed reader next passes. Stops at the first intent it cannot
    settle, and keeps where it stopped (`SETTLED`), so a start-up reads only what was logged
    since the one before.
    """
    mark = await db[COUNTERS].find_one({"_id": SETTLED})
    through = start = int(mark["seq"]) if mark is not None else 0
    redone = 0
    while True:
        settled, redid = await _settle_page(db, after=through, limit=page)
        redone += redid
        if settled:
            through = settled[-1]["seq"]
        if len(settled) < page:
            break
    if through > start:
        # Only forwards: a worker that settled further keeps its mark.
        with suppress(DuplicateKeyError):
            await db[COUNTERS].update_one(
                {"_id": SETTLED, "seq": {"$lt": through}}, {"$set": {"seq": through}}, upsert=True
            )
    return redone


async def _writes_applied(db: Database, entries: list[Document]) -> set[int]:
    """The writes among `entries` (by their last sequence number) marked all applied.

    Writes take consecutive sequence numbers, so only the page's last write may end beyond
    it: one more read at most.
    """
    throughs = {e["through"] for e in entries if "through" in e}
    marked = {e["seq"] for e in entries if e["seq"] in throughs and e.get("all_applied")}
    for seq in throughs - {e["seq"] for e in entries}:
        last = await db[RECORD_CHANGES].find_one({"seq": seq}, {"all_applied": 1})
        if last is not None and last["all_applied"]:
            marked.add(seq)
    return marked


def _logged_record(entry: Document) -> Record:
    """The record an intent carries: its JSON text, or (intents logged before 2026-12-01)
    the record document itself."""
    if "record" in entry:
        return Record.model_validate_json(entry["record"])
    return record_from_document(entry["document"])


async def count_changes(db: Database) -> int:
    return await db[RECORD_CHANGES].count_documents({})


async def last_sequence(db: Database) -> int:
    """The highest sequence number logged, 0 for an empty feed."""
    cursor = db[RECORD_CHANGES].find({}, {"seq": 1}, sort=[("seq", -1)], limit=1)
    found = await cursor.to_list(None)
    return int(found[0]["seq"]) if found else 0
