"""Standings (domain/standings.py): one document per subject, what eligibility reads.

    {"_id": "s-1", "kind": "LEGAL_PERSON",
     "records": {"r-1": {"version": 2, "item_code": "GOOD_7", "category": "GOOD",
                         "decided": "2020-03-01", "shown_from": "2020-03-01",
                         "shown_until": "2021-03-01"},          # stands (no severity: none)
                 "r-2": {"version": 3}}}                         # stopped standing

A batch of checks (三(十二)) reads 1,000 of these, 6 or 7 values per record that stands,
where it read every record (about 35 values each): nx-27017 decodes every value it returns.

Kept in the write path, so no path can forget it: every record write (store.changes: new
records, and `_apply`, which the feed reader also calls to redo an intent a crash left). A
subject's first record that stands makes its standing; a subject on file with none has no
standing document and is read as standing with no record (`get_standings`). A store written
before standings existed gets them once at start-up (`add_standings`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import date
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from domain.catalogue import Category
from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.records import Record
from domain.standings import RecordFacts, Standing, in_list_order, standing_facts
from store.database import RECORDS, STANDINGS, SUBJECTS, Database, Document
from store.documents import backfill_once, duplicates_in, insert_missing
from store.records import record_from_document

# Records read per pass of the start-up backfill (DESIGN.md §2.1: bounded cursors).
BACKFILL_BATCH = 1000
# Entries one update sets at most: nx-27017 turns each condition into SQL and refuses an
# expression deeper than 1,000 ("Expression tree is too large").
ENTRIES_PER_UPDATE = 50
BACKFILLED = "standings"  # its note in `migrations`


def _entry(record: Record) -> Document:
    """The record's entry: its version, and its facts while it stands."""
    facts = standing_facts(record)
    if facts is None:
        return {"version": record.version}
    entry: Document = {
        "version": facts.version,
        "item_code": facts.item_code,
        "category": facts.category.value,
        "decided": facts.decision_date.isoformat(),
        "shown_from": facts.shown_from.isoformat(),
        "shown_until": facts.shown_until.isoformat(),
    }
    if facts.severity is not None:  # DESIGN.md §2.1: no stored nulls
        entry["severity"] = facts.severity.value
    return entry


def _update(records: Sequence[Record], *, upsert: bool) -> UpdateOne:
    """Set the entries of `records`, all of one subject, unless the standing holds any of them
    at its version or a later one.

    Conditional on each stored entry's version: writers of two versions of a record may reach
    the standing in either order (the writer of version 2 is overtaken by that of version 3
    between its record write and this one), and a redone intent or a retried batch brings a
    version already there, so the update is idempotent and an older version never overwrites a
    newer one. A record that stops standing keeps its version for the same reason: with its
    entry gone, a late older version would bring it back. (Recomputing the standing from the
    stored records instead would read every record of the subject again on each write, the
    decoding standings exist to avoid, and two recomputations racing would still need a
    condition.) The upsert makes the standing of a subject that has none; when an entry is
    as new, it fails as a duplicate `_id` (see `_update_entries`).

    A first version has nothing older than "no entry": its condition is a plain `$exists`,
    which nx-27017 answers in SQL. A later one needs an `$or`, under `$and` with the `_id`:
    nx-27017 ignores an `_id` beside a top-level `$or` and updates whatever document the
    `$or` matches (tests/test_store_conformance.py); MongoDB reads both alike. Record ids
    (domain.records.Record.id: letters, digits, `_`, `-`) are safe field names.
    """
    first = records[0]
    query: Document = {"_id": first.subject_id}
    changed = []
    for record in records:
        path = f"records.{record.id}"
        if record.version == 1:
            query[path] = {"$exists": False}
        else:
            lower = {f"{path}.version": {"$lt": record.version}}
            changed.append({"$or": [lower, {path: {"$exists": False}}]})
    return UpdateOne(
        {"$and": [query, *changed]} if changed else query,
        {
            "$set": {f"records.{r.id}": _entry(r) for r in records},
            "$setOnInsert": {"kind": first.subject_kind.value},
        },
        upsert=upsert,
    )


async def update_standings(
    db: Database, *, records: Sequence[Record], new_subjects: Collection[str] = ()
) -> None:
    """Bring the standings of the records' subjects up to these versions, in at most three
    round trips whatever the number of records.

    The standing of a subject in `new_subjects` (the caller made the subject, so it can have
    no standing yet) is inserted whole, which nx-27017 does for a fraction of a conditional
    update; one found made meanwhile (a retried batch, a writer racing this one) is updated
    like the others. The others get one update per subject (nx-27017 spends about 0.2 ms on
    each). A subject's first record that stands makes its standing (the upsert). A first
    version that does not stand is not written at all: no older version of it exists for an
    entry to stop.
    """
    latest: dict[str, Record] = {}
    for record in records:  # a record given twice: its newest version is the one that counts
        if record.id not in latest or latest[record.id].version < record.version:
            latest[record.id] = record
    by_subject: dict[str, list[Record]] = {}
    for record in latest.values():
        if record.version > 1 or standing_facts(record) is not None:
            by_subject.setdefault(record.subject_id, []).append(record)
    made = [s for s in by_subject if s in new_subjects]
    if made:
        documents = [_whole(by_subject[s]) for s in made]
        refused = {made[i] for i in await insert_missing(db, STANDINGS, documents)}
        by_subject = {s: g for s, g in by_subject.items() if s not in made or s in refused}
    step = ENTRIES_PER_UPDATE
    groups = [g[i : i + step] for g in by_subject.values() for i in range(0, len(g), step)]
    await _update_entries(db, groups)


def _whole(records: Sequence[Record]) -> Document:
    """The standing of a subject with no other records than `records`."""
    first = records[0]
    return {
        "_id": first.subject_id,
        "kind": first.subject_kind.value,
        "records": {r.id: _entry(r) for r in records},
    }


async def _update_entries(db: Database, groups: list[list[Record]]) -> None:
    """Each group's entries in its subject's standing, in one bulk write of conditional upserts.

    An upsert refused as a duplicate `_id` met a standing holding one of the entries as new or
    newer (a retried batch, a redone intent, a late writer), or lost a race to make the
    standing (MongoDB does not retry an upsert whose filter is more than the `_id`): its
    records are written once more one by one as plain updates, which leave an entry as new
    alone and apply the others.
    """
    if not groups:
        return
    try:
        await db[STANDINGS].bulk_write([_update(g, upsert=True) for g in groups], ordered=False)
    except BulkWriteError as exc:
        again = [_update([r], upsert=False) for i in duplicates_in(exc) for r in groups[i]]
        await db[STANDINGS].bulk_write(again, ordered=False)


def _facts(record_id: str, entry: dict[str, Any]) -> RecordFacts | None:
    if "item_code" not in entry:
        return None  # stopped standing: only its version is kept
    severity = entry.get("severity")
    return RecordFacts(
        id=record_id,
        version=entry["version"],
        item_code=entry["item_code"],
        category=Category(entry["category"]),
        severity=None if severity is None else Severity(severity),
        decision_date=date.fromisoformat(entry["decided"]),
        shown_from=date.fromisoformat(entry["shown_from"]),
        shown_until=date.fromisoformat(entry["shown_until"]),
    )


def _standing(document: Document) -> Standing:
    entries = document.get("records", {}).items()
    facts = (f for i, e in entries if (f := _facts(i, e)) is not None)
    return Standing(document["_id"], SubjectKind(document["kind"]), in_list_order(facts))


async def get_standings(db: Database, *, ids: Sequence[str]) -> list[Standing | None]:
    """Standings in the order of `ids`, None where no subject has the id.

    One `find`, and a second for the ids it did not find, if any: a subject's first record
    that stands makes its standing, so a subject on file without one has no record that
    stands, and an id no subject has is None whether or not it ever had records.
    """
    if not ids:
        return []
    query = {"_id": {"$in": list(ids)}}
    cursor = db[STANDINGS].find(query, limit=len(ids), batch_size=len(ids))
    by_id = {doc["_id"]: _standing(doc) for doc in await cursor.to_list(None)}
    missing = [i for i in dict.fromkeys(ids) if i not in by_id]
    if missing:
        query = {"_id": {"$in": missing}}
        cursor = db[SUBJECTS].find(query, {"kind": 1}, limit=len(missing), batch_size=len(missing))
        for doc in await cursor.to_list(None):
            by_id[doc["_id"]] = Standing(doc["_id"], SubjectKind(doc["kind"]))
    return [by_id.get(i) for i in ids]


async def add_standings(db: Database) -> int:
    """Give the records of a store written before standings existed their standings; returns
    how many records were read. Runs once (`store.documents.backfill_once`).

    Safe beside writers and when interrupted: it writes only what `update_standings` writes,
    which never undoes a newer write.
    """

    async def build() -> int:
        read = 0
        async for batch in _records(db):
            await update_standings(db, records=[record_from_document(d) for d in batch])
            read += len(batch)
        return read

    return await backfill_once(db, BACKFILLED, build)


async def _records(db: Database) -> AsyncIterator[list[Document]]:
    """Every record document in `_id` order, `BACKFILL_BATCH` at a time."""
    last = None
    while True:
        query: Document = {} if last is None else {"_id": {"$gt": last}}
        cursor = db[RECORDS].find(
            query, sort=[("_id", 1)], limit=BACKFILL_BATCH, batch_size=BACKFILL_BATCH
        )
        batch = await cursor.to_list(None)
        if not batch:
            return
        yield batch
        last = batch[-1]["_id"]
