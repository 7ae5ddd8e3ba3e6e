"""Standings (domain/standings.py): one document per subject, what eligibility reads.

    {"_id": "s-1", "kind": "LEGAL_PERSON",
     "records": {"r-1": {"version": 2, "item_code": "GOOD_7", "category": "GOOD",
                         "decided": "2020-03-01", "shown_from": "2020-03-01",
                         "shown_until": "2021-03-01"},          # stands (no severity: none)
                 "r-2": {"version": 3}}}                         # stopped standing

A batch of checks (三(十二)) reads 1,000 of these, about 8 values per record that stands,
where it read every record (about 35 values each): nx-27017 decodes every value it returns.

Kept in the write path, so no path can forget it: every record write (store.changes: new
records, and `_apply`, which the feed reader also calls to redo an intent a crash left) and
every new subject (store.subjects.insert_new_subjects). A store written before standings
existed gets them once at start-up (`add_standings`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from domain.catalogue import Category
from domain.disclosure import Severity
from domain.identifiers import SubjectKind
from domain.records import Record
from domain.standings import RecordFacts, Standing, in_list_order, standing_facts
from domain.subjects import Subject
from store.database import MIGRATIONS, RECORDS, STANDINGS, SUBJECTS, Database, Document
from store.documents import DUPLICATE_KEY, insert_new
from store.records import record_from_document

# Subjects or records read per pass of the start-up backfill (DESIGN.md §2.1: bounded cursors).
BACKFILL_BATCH = 1000
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
    """Set the entries of records of one subject unless the standing holds any of them at its
    version or a later one.

    Conditional on the stored entry's version: writers of two versions of a record may reach
    the standing in either order (the writer of version 2 is overtaken by that of version 3
    between its record write and this one), and a redone intent or a retried batch brings a
    version already there, so the update is idempotent and an older version never overwrites a
    newer one. A record that stops standing keeps its version for the same reason: with its
    entry gone, a late older version would bring it back. (Recomputing the standing from the
    stored records instead would read every record of the subject again on each write, the
    decoding standings exist to avoid, and two recomputations racing would still need a
    condition.) The upsert gives a standing to a subject stored without one; when an entry is
    newer, it fails as a duplicate `_id` (see `update_standings`).

    `$and` because nx-27017 ignores an `_id` beside a top-level `$or` and updates whatever
    document the `$or` matches (tests/test_store_conformance.py); MongoDB reads both alike.
    Record ids (domain.records.Record.id: letters, digits, `_`, `-`) are safe field names.
    """
    first = records[0]
    older = [
        {
            "$or": [
                {f"records.{r.id}.version": {"$lt": r.version}},
                {f"records.{r.id}": {"$exists": False}},
            ]
        }
        for r in records
    ]
    return UpdateOne(
        {"$and": [{"_id": first.subject_id}, *older]},
        {
            "$set": {f"records.{r.id}": _entry(r) for r in records},
            "$setOnInsert": {"kind": first.subject_kind.value},
        },
        upsert=upsert,
    )


async def update_standings(db: Database, *, records: Sequence[Record]) -> None:
    """Bring the standings of the records' subjects up to these versions, in one bulk write
    of one update per subject (nx-27017 spends about 0.3 ms on each update, a batch of new
    records has about five a subject).

    An upsert refused as a duplicate `_id` met a standing holding one of its entries as new or
    newer (a retried batch, a redone intent, a late writer), or lost a race to create the
    standing (MongoDB does not retry an upsert whose filter is more than the `_id`): its
    records are written once more one by one as plain updates, which leave alone each entry
    already as new and apply the others. A second round trip only then.
    """
    latest: dict[str, Record] = {}
    for record in records:  # a record given twice: its newest version is the one that counts
        if record.id not in latest or latest[record.id].version < record.version:
            latest[record.id] = record
    by_subject: dict[str, list[Record]] = {}
    for record in latest.values():
        by_subject.setdefault(record.subject_id, []).append(record)
    groups = list(by_subject.values())
    if not groups:
        return
    try:
        await db[STANDINGS].bulk_write([_update(g, upsert=True) for g in groups], ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        again = [_update([r], upsert=False) for e in errors for r in groups[e["index"]]]
        await db[STANDINGS].bulk_write(again, ordered=False)


async def insert_new_standings(db: Database, *, subjects: Sequence[Subject]) -> None:
    """An empty standing for each subject that has none: a subject on file is judged even
    before it has a record, and one with no standing is answered as unknown."""
    await insert_new(db, STANDINGS, [{"_id": s.id, "kind": s.kind.value} for s in subjects])


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
    """Standings in the order of `ids`, None where no subject has the id, in one `find`."""
    if not ids:
        return []
    query = {"_id": {"$in": list(ids)}}
    cursor = db[STANDINGS].find(query, limit=len(ids), batch_size=len(ids))
    by_id = {doc["_id"]: _standing(doc) for doc in await cursor.to_list(None)}
    return [by_id.get(i) for i in ids]


async def add_standings(db: Database) -> int:
    """Give a store written before standings existed its standings; returns how many subjects
    were read. Once done it leaves a note in `migrations`, so later start-ups cost one lookup.

    Safe beside writers and when interrupted: both passes write only what `insert_new_standings`
    and `update_standings` write, which never undo a newer write.
    """
    if await db[MIGRATIONS].find_one({"_id": BACKFILLED}) is not None:
        return 0
    subjects = 0
    async for batch in _batches(db, SUBJECTS, {"kind": 1}):
        await insert_new(db, STANDINGS, [{"_id": d["_id"], "kind": d["kind"]} for d in batch])
        subjects += len(batch)
    async for batch in _batches(db, RECORDS, None):
        await update_standings(db, records=[record_from_document(d) for d in batch])
    await insert_new(db, MIGRATIONS, [{"_id": BACKFILLED, "filled": subjects}])
    return subjects


async def _batches(
    db: Database, collection: str, projection: Document | None
) -> AsyncIterator[list[Document]]:
    """Every document of `collection` in `_id` order, `BACKFILL_BATCH` at a time."""
    last = None
    while True:
        query: Document = {} if last is None else {"_id": {"$gt": last}}
        cursor = db[collection].find(
            query, projection, sort=[("_id", 1)], limit=BACKFILL_BATCH, batch_size=BACKFILL_BATCH
        )
        batch = await cursor.to_list(None)
        if not batch:
            return
        yield batch
        last = batch[-1]["_id"]
