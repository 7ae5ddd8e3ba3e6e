"""Reading the change feed (`recordChanges`, `creditgraph export`): every change to a record
exactly once, in a stable order that survives restarts, resumable from a cursor (writing it:
store/changes.py).

A reader settles what it meets: an entry a crash left unmarked is redone before it is shown
(`_settle_page`), and start-up does the same for everything logged since it last did
(`settle_changes`). The feed stops at the first entry it cannot settle, and at a sequence
number allocated but not logged yet; it passes such a gap only by claiming its numbers first,
which a writer still to log them then cannot (`_pass_gaps`), so a consumer resuming from a
cursor never passes a change it has not seen, however late its writer.

Entries logged before 2026-12-02, one per record with the write's last marked `all_applied`
for all of them (`through`), are still read and settled.
"""

from __future__ import annotations

import zlib
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from pymongo.errors import BulkWriteError, DuplicateKeyError

from domain.records import ChangeKind, Record
from store.changes import apply_change, create_logged, given_up, mark_applied
from store.counters import machine_ms
from store.database import COUNTERS, RECORD_CHANGES, Database, Document
from store.documents import duplicates_in
from store.records import record_from_document

SETTLED = "record_changes_settled"  # the counter of the feed settled through (settle_changes)

# How long a gap in the sequence numbers is waited at before it is taken for a dead writer's.
# Writers allocate and log in two commands, so a reader can meet a later write logged before an
# earlier one. A live writer logs right after allocating: a gap followed by an entry logged
# longer ago is most likely a writer that died between the two commands. The reader then claims
# the gap's numbers as given up (`_pass_gaps`); the unique index on `seq` decides between it
# and a writer that was only slow, who finds its numbers taken and logs under new ones
# (store.changes). The wait is thus a matter of speed, not of correctness: passing too early costs a
# slow writer new numbers, never a consumer a change.
LOGGING_WAIT_MS = 60_000


@dataclass(frozen=True)
class LoggedChange:
    seq: int
    kind: ChangeKind
    at: datetime
    record: Record


def _change(seq: int, record: Record) -> LoggedChange:
    last = record.history[-1]
    return LoggedChange(seq=seq, kind=last.kind, at=last.at, record=record)


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
    waited_since, expected = machine_ms() - LOGGING_WAIT_MS, after + 1
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
    of them afterwards (store.changes) and refuses the claim of one logged before.
    Each number is the first of some writer's, or inside one whose first is claimed before it
    (and whose writer therefore logs elsewhere). True when every one was claimed."""
    try:
        await db[RECORD_CHANGES].insert_many([given_up(s) for s in range(start, end)])
    except BulkWriteError as exc:
        duplicates_in(exc)  # a number logged meanwhile refuses its claim; anything else raises
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
            entry["skipped"] = await create_logged(db, entry["seq"], logged)
            await mark_applied(db, entry["_id"], entry["skipped"])
        elif not await apply_change(db, entry["_id"], _logged_record(entry)):
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
