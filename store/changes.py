"""The change feed (`recordChanges`): every change to a record, exactly once, in a stable order
that survives restarts. Every write of a record goes through it.

Write-ahead, without transactions (DESIGN.md §2.1): a change is first logged under the next
sequence number with the record as it will be, then applied to the stored record and its
subject's standing, then its log entry is marked applied. A crash between the steps leaves an
entry unmarked; whoever meets it next, the feed reader and start-up settling included, redoes
it (every step is idempotent), so the feed never skips a change and never shows one that will
not happen. The feed stops at the first entry it cannot settle, and at a sequence number
allocated but not logged yet; it passes such a gap only by claiming its numbers first, which
a writer still to log them then cannot (`_pass_gaps`), so a consumer resuming from a cursor
never passes a change it has not seen, however late its writer.

Two kinds of entry:
- A write of new records (`write_new_records`) is one entry, whatever its size: its records
  take the consecutive sequence numbers `seq`..`last` and ride in it as compressed JSON lines.
  nx-27017 spends about as much on each document inserted as on each record, so an entry per
  record cost an import a third of its speed. Writers racing to create one record (a retried
  batch, two submissions of one source record id) both log it; the stored record keeps the
  sequence number of the one whose insert stood (`store.records.LOGGED`, through every later
  version), and the others mark its position `skipped`: each creation shows once.
- A change to a stored record (`write_change`) is one entry keyed by (record, version), the
  optimistic lock: only one writer produces each version.

Entries logged before 2026-12-02, one per record with the write's last marked `all_applied`
for all of them (`through`), are still read and settled.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

from bson import Binary
from pymongo.errors import BulkWriteError, DuplicateKeyError

from domain.records import ChangeKind, Record, first_version
from store.blacklist import rejudge_entries_citing
from store.counters import allocate
from store.database import COUNTERS, RECORD_CHANGES, RECORDS, Database, Document
from store.documents import DUPLICATE_KEY, insert_missing, insert_new
from store.errors import ChangedMeanwhile, StaleRecord, StoreUnavailable
from store.records import LOGGED, record_document, record_from_document
from store.standings import update_standings

FEED = "record_changes"  # the counter's stored name: kept as it was
SETTLED = "record_changes_settled"  # the counter of the feed settled through (settle_changes)

log = logging.getLogger("creditgraph.store")

# How long a gap in the sequence numbers is waited at before it is taken for a dead writer's.
# Writers allocate and log in two commands, so a reader can meet a later write logged before an
# earlier one. A live writer logs right after allocating: a gap followed by an entry logged
# longer ago is most likely a writer that died between the two commands. The reader then claims
# the gap's numbers as given up (`_pass_gaps`); the unique index on `seq` decides between it
# and a writer that was only slow, who finds its numbers taken and logs under new ones
# (`_log`). The wait is thus a matter of speed, not of correctness: passing too early costs a
# slow writer new numbers, never a consumer a change.
LOGGING_WAIT_MS = 60_000
# A writer whose numbers readers gave up takes new ones; each time, the store must have kept it
# from logging for over `LOGGING_WAIT_MS`, so this many times means the store is not answering.
CLAIMED_ATTEMPTS = 5


@dataclass(frozen=True)
class LoggedChange:
    seq: int
    kind: ChangeKind
    at: datetime
    record: Record


def _change(seq: int, record: Record) -> LoggedChange:
    last = record.history[-1]
    return LoggedChange(seq=seq, kind=last.kind, at=last.at, record=record)


async def _allocate(db: Database, count: int) -> int:
    """Reserve `count` sequence numbers of the feed and return the first."""
    return await allocate(db, name=FEED, count=count)


def _write_entry(first: int, records: Sequence[Record]) -> Document:
    """The entry of a write of new records logged from `first` on. Marked by `_id` only:
    nx-27017 answers an update filtered on any other field by reading the whole collection."""
    lines = "\n".join(r.model_dump_json() for r in records)  # JSON text escapes newlines
    return {
        "_id": f"write@{first}",
        "seq": first,
        "last": first + len(records) - 1,
        "applied": False,
        "records": Binary(zlib.compress(lines.encode(), 1)),
        "logged_at": _now_ms(),
    }


def _given_up(seq: int) -> Document:
    """The entry of a sequence number whose writer gave it up (its change was stale): a write
    whose one position shows nothing, so readers have no gap to wait at."""
    return {
        "_id": f"given-up@{seq}",
        "seq": seq,
        "last": seq,
        "applied": True,
        "skipped": [0],
        "records": Binary(zlib.compress(b"", 1)),
        "logged_at": _now_ms(),
    }


def _intent(seq: int, record: Record) -> Document:
    """The entry of one change: the record as it will be, keyed by (record, version)."""
    return {
        "_id": f"{record.id}@{record.version}",
        "seq": seq,
        "applied": False,
        "record": record.model_dump_json(),
        "logged_at": _now_ms(),
    }


def _now_ms() -> int:
    """When an entry is logged, in milliseconds since the epoch (a number, which both stores
    compare natively): the machine's clock, not the service's (which tests and demos set to a
    day of their own), as only `LOGGING_WAIT_MS` reads it."""
    return time.time_ns() // 1_000_000


async def write_new_records(
    db: Database, *, records: Sequence[Record], new_subjects: Collection[str] = ()
) -> int:
    """Log and insert new records in a constant number of round trips; how many were new: the
    ones created under this write's entry, by this call or by a reader that met the entry
    first and finished the write (`_settle_page`).

    Each becomes version 1 with its creation (by its source unit, at its `created_at`) as the
    first history entry. Records already stored stay as they are and keep the creation logged
    first, so a retried batch changes nothing. `new_subjects`: the subjects the caller has just
    made, whose standings are inserted whole (`store.standings.update_standings`).
    """
    if not records:
        return 0
    records = [first_version(r, at=r.created_at, by=r.source_unit) for r in records]
    first, entry_id = await _log_write(db, records)
    skipped = await _create(db, first, records, new_subjects)
    await _mark_applied(db, entry_id, skipped)
    return len(records) - len(skipped)


async def _log_write(db: Database, records: Sequence[Record]) -> tuple[int, str]:
    """Log a write of new records; its first sequence number and its entry's `_id`."""
    return await _log(db, await _allocate(db, len(records)), records)


async def _log(db: Database, first: int, records: Sequence[Record]) -> tuple[int, str]:
    """Log a write of new records under the numbers allocated from `first` on, or, when a reader
    gave those up meanwhile as a dead writer's (`_pass_gaps`), under new ones: its records are
    not stored yet, so nothing was shown under the old numbers."""
    for _ in range(CLAIMED_ATTEMPTS):
        entry = _write_entry(first, records)
        try:
            await db[RECORD_CHANGES].insert_one(entry)
        except DuplicateKeyError:
            first = await _allocate(db, len(records))
            continue
        return first, entry["_id"]
    raise StoreUnavailable("the store kept this write from its change feed for minutes; try again")


async def _create(
    db: Database, first: int, records: Sequence[Record], new_subjects: Collection[str] = ()
) -> list[int]:
    """Store the records logged from `first` on, and their standings. Returns the positions of
    those another write created (its entry shows them)."""
    documents = [record_document(r) | {LOGGED: first + i} for i, r in enumerate(records)]
    refused = await insert_missing(db, RECORDS, documents)
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


async def _mark_applied(db: Database, entry_id: str, skipped: list[int] | None = None) -> None:
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
    await _apply(db, intent["_id"], after)
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
    newer one when a reader gave the first up as a dead writer's (`_pass_gaps`).

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
                await db[RECORD_CHANGES].insert_one(_given_up(seq))
            raise StaleRecord(f"record {after.id} changed meanwhile; read it again") from None
        return intent
    raise StoreUnavailable("the store kept this change from its change feed for minutes; try again")


async def _apply(db: Database, intent_id: str, record: Record) -> bool:
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
    await _mark_applied(db, intent_id)
    return True


async def find_changes(db: Database, *, after: int, limit: int) -> list[LoggedChange]:
    """Changes with a sequence number above `after`, in order, up to the first unsettled one
    or the first gap a writer may still fill (`LOGGING_WAIT_MS`).

    A page of entries may show fewer changes than it has entries (a write whose every record
    another write created shows none), so an entry page that is full but short of changes is
    followed by the next: an empty answer means the end of what is settled, never a gap.
    """
    changes: list[LoggedChange] = []
    while len(changes) < limit:
        entries, _ = await _settle_page(db, after=after, limit=limit)
        logged = await _pass_gaps(db, entries, after=after)
        changes += await _changes_in(db, logged, after=after, limit=limit - len(changes))
        if len(logged) < limit:  # the feed's end, an entry it cannot settle, or a gap
            break
        after = _end(logged[-1])
    return changes


async def _pass_gaps(db: Database, entries: list[Document], *, after: int) -> list[Document]:
    """`entries` (in order) up to the first that follows a sequence number not logged yet whose
    writer may still log it: one that the entry after it was logged less than
    `LOGGING_WAIT_MS` ago (the gap's writer allocated before that entry's did).

    An older gap is passed only once its numbers are claimed as given up (`_claim`): a writer
    that was slow, not dead, then logs under new numbers, after this reader's cursor. The
    invariant: no number is passed by a reader and later logged with a change. Entries logged
    before 2026-12-02 carry no time; gaps before them are claimed at once."""
    waited_since, expected = _now_ms() - LOGGING_WAIT_MS, after + 1
    for at, entry in enumerate(entries):
        if entry["seq"] > expected:
            waiting = entry.get("logged_at", waited_since) > waited_since
            if waiting or not await _claim(db, expected, entry["seq"]):
                return entries[:at]
        expected = max(expected, _end(entry) + 1)
    return entries


async def _claim(db: Database, start: int, end: int) -> bool:
    """Give up the sequence numbers from `start` up to `end` (not included), each as an entry
    of its own, in order, so that the unique index on `seq` refuses a writer logging under one
    of them afterwards (`_log`, `_log_change`) and refuses the claim of one logged before.
    Each number is the first of some writer's, or inside one whose first is claimed before it
    (and whose writer therefore logs elsewhere). True when every one was claimed."""
    try:
        await db[RECORD_CHANGES].insert_many([_given_up(s) for s in range(start, end)])
    except BulkWriteError as exc:
        if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
            raise
        return False
    return True


async def _changes_in(
    db: Database, entries: list[Document], *, after: int, limit: int
) -> list[LoggedChange]:
    """The first `limit` changes that `entries` (settled) hold after `after`; the records of
    writes read in one round trip."""
    wanted, count = [], 0
    for entry in entries:
        if count >= limit:
            break
        wanted.append(entry)
        count += _span(entry, after=after)
    lines = await _lines_of(db, [e for e in wanted if "last" in e])
    changes: list[LoggedChange] = []
    for entry in wanted:
        if "last" not in entry:
            changes.append(_change(entry["seq"], _logged_record(entry)))
            continue
        skipped = set(entry.get("skipped", ()))
        for i in range(max(0, after + 1 - entry["seq"]), len(lines[entry["_id"]])):
            if len(changes) == limit:
                break
            if i not in skipped:
                record = Record.model_validate_json(lines[entry["_id"]][i])
                changes.append(_change(entry["seq"] + i, record))
    return changes[:limit]


def _end(entry: Document) -> int:
    """The last sequence number an entry holds."""
    return int(entry["last"] if "last" in entry else entry["seq"])


def _span(entry: Document, *, after: int = 0) -> int:
    """How many changes an entry shows beyond `after`."""
    if "last" not in entry:
        return 1
    skipped = entry.get("skipped", ())
    first = max(int(entry["seq"]), after + 1)
    return int(entry["last"]) - first + 1 - sum(1 for i in skipped if entry["seq"] + i >= first)


async def _lines_of(db: Database, entries: list[Document]) -> dict[str, list[str]]:
    """The records of write entries as JSON lines, by entry, in one round trip."""
    if not entries:
        return {}
    ids = [e["_id"] for e in entries]
    cursor = db[RECORD_CHANGES].find(
        {"_id": {"$in": ids}}, {"records": 1}, limit=len(ids), batch_size=len(ids)
    )
    return {
        d["_id"]: zlib.decompress(d["records"]).decode().split("\n")
        for d in await cursor.to_list(None)
    }


async def _settle_page(db: Database, *, after: int, limit: int) -> tuple[list[Document], int]:
    """The entries (without their records) holding changes after `after`, up to `limit`
    entries and the first that cannot be settled, each unsettled one redone; and how many
    were redone. The first may be a write begun at or before `after` that ends beyond it."""
    entries = []
    if after > 0:
        cursor = db[RECORD_CHANGES].find(
            {"seq": {"$lte": after}}, {"records": 0}, sort=[("seq", -1)], limit=1
        )
        entries = [e for e in await cursor.to_list(None) if e.get("last", 0) > after]
    cursor = db[RECORD_CHANGES].find(
        {"seq": {"$gt": after}}, {"records": 0}, sort=[("seq", 1)], limit=limit
    )
    entries += await cursor.to_list(None)
    writes_applied = await _writes_applied(db, entries)
    redone = 0
    for at, entry in enumerate(entries):
        if entry["applied"] or entry.get("through") in writes_applied:
            continue
        if "last" in entry:
            [records] = (await _lines_of(db, [entry])).values()
            logged = [Record.model_validate_json(line) for line in records]
            entry["skipped"] = await _create(db, entry["seq"], logged)
            await _mark_applied(db, entry["_id"], entry["skipped"])
        elif not await _apply(db, entry["_id"], _logged_record(entry)):
            return entries[:at], redone
        redone += 1
    return entries, redone


async def settle_changes(db: Database, *, page: int = 1000) -> int:
    """Redo every change a crash left unsettled since the last settling; how many entries it
    redid.

    Run at start-up (server/app.py), so a write cut short between its steps (logged, its
    records or their standings not yet written) is finished before the first request instead
    of when a feed reader next passes. Stops at the first entry it cannot settle, and keeps
    where it stopped (`SETTLED`), short of any gap a writer may still fill (`_pass_gaps`), so
    a start-up reads only what was logged since the one before and misses nothing logged late.
    """
    found = await db[COUNTERS].find_one({"_id": SETTLED})
    through = mark = start = int(found["seq"]) if found is not None else 0
    redone, gapless = 0, True
    while True:
        settled, redid = await _settle_page(db, after=through, limit=page)
        redone += redid
        if gapless:
            logged = await _pass_gaps(db, settled, after=through)
            mark = _end(logged[-1]) if logged else mark
            gapless = len(logged) == len(settled)
        if settled:
            through = _end(settled[-1])
        if len(settled) < page:
            break
    if mark > start:
        # Only forwards: a worker that settled further keeps its mark.
        with suppress(DuplicateKeyError):
            await db[COUNTERS].update_one(
                {"_id": SETTLED, "seq": {"$lt": mark}}, {"$set": {"seq": mark}}, upsert=True
            )
    return redone


async def _writes_applied(db: Database, entries: list[Document]) -> set[int]:
    """Among entries logged before 2026-12-02, the writes (by their last sequence number)
    marked all applied. Writes took consecutive sequence numbers, so only the page's last
    write may end beyond it: one more read at most."""
    throughs = {e["through"] for e in entries if "through" in e}
    marked = {e["seq"] for e in entries if e["seq"] in throughs and e.get("all_applied")}
    for seq in throughs - {e["seq"] for e in entries}:
        last = await db[RECORD_CHANGES].find_one({"seq": seq}, {"all_applied": 1})
        if last is not None and last.get("all_applied"):
            marked.add(seq)
    return marked


def _logged_record(entry: Document) -> Record:
    """The record of a one-record entry: its JSON text, or (logged before 2026-12-01) the
    record document itself."""
    if "record" in entry:
        return Record.model_validate_json(entry["record"])
    return record_from_document(entry["document"])


async def count_changes(db: Database) -> int:
    """How many changes the feed holds: its entries, each write counted by its records."""
    writes = (
        await db[RECORD_CHANGES]
        .find({"last": {"$exists": True}}, {"seq": 1, "last": 1, "skipped": 1})
        .to_list(None)
    )
    entries = await db[RECORD_CHANGES].count_documents({})
    return entries - len(writes) + sum(_span(w) for w in writes)


async def last_sequence(db: Database) -> int:
    """The highest sequence number logged, 0 for an empty feed."""
    cursor = db[RECORD_CHANGES].find({}, {"seq": 1, "last": 1}, sort=[("seq", -1)], limit=1)
    found = await cursor.to_list(None)
    return _end(found[0]) if found else 0
