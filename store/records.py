"""Reading and writing records.

Lists are ordered newest decision first, ties broken by id, and paged by keyset: each stored
record carries `order_key` (`store.documents.position` of decision date and id), one string
whose order is the list order, so "after this cursor" is a single range on an indexed field.
(A compound index ending in `_id` would do the same on MongoDB, but nx-27017 then fails every
write with "JSON path error near '_id'"; tests/test_store_conformance.py pins this.)

No filter compares date-like strings (DESIGN.md §2.1, "Measured since"): the disclosure days
are stored again as integers (`store.documents.day_number`), `disclosure_start_day` and
`disclosure_end_day` (the last day on display), and a decided range is a range of `order_key`,
whose first eight digits are the decision day as yyyymmdd, so the index scan that sorts the
list is the one the range bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.catalogue import Category
from domain.records import Record, RecordScope, RecordStatus
from store.database import RECORDS, Database, Document
from store.documents import (
    day_number,
    fill_derived,
    from_document,
    one_of,
    position,
    to_document,
)

ORDER = [("order_key", -1)]
# Files up to this many records (under a list's filter) are read whole for a page of them.
WHOLE_FILE = 50


@dataclass(frozen=True)
class RecordFilter:
    """What a record list is restricted to; `disclosed_on` keeps records in public disclosure."""

    subject_id: str | None = None
    category: Category | None = None
    item_code: str | None = None
    status: RecordStatus | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    disclosed_on: date | None = None
    # Leaves out records whose recording the person refused (domain.records.sees_opted_out).
    hide_opted_out: bool = False
    # Any of these items / decided by any of these units (a public list's items, a district).
    item_codes: frozenset[str] | None = None
    source_units: frozenset[str] | None = None

    @classmethod
    def of_scope(cls, scope: RecordScope, **narrower: Any) -> RecordFilter:
        """The filter selecting what `scope` admits: the one visibility rule, as a query
        (tests/test_gate.py checks the two against each other on the real store)."""
        return cls(
            disclosed_on=scope.on_display, hide_opted_out=not scope.with_opted_out, **narrower
        )


def order_key(record: Record) -> str:
    """The record's position in list order, as stored; also what its cursor holds."""
    return position(record.decision_date, record.id)


def source_key(source_unit: str, source_record_id: str) -> str:
    """One string for the unit's own record id, unique among records: a unit's code has no `|`
    (`domain.source_units.SourceUnit`), so no two pairs give one key; a unit's ids are
    neighbours in its order."""
    return f"{source_unit}|{source_record_id}"


def _derived(record: Record) -> Document:
    """The fields stored for queries only: list order, the days lists filter on, and the
    source key that batches of submissions are matched by."""
    return {
        "order_key": order_key(record),
        "disclosure_start_day": day_number(record.disclosure.start),
        "disclosure_end_day": day_number(record.disclosure.end),
        "source_key": source_key(record.source_unit, record.source_record_id),
    }


DERIVED = ("order_key", "disclosure_start_day", "disclosure_end_day", "source_key")
# The sequence number the record's creation was logged under in the change feed, kept by
# store.changes through every version: of writers racing to create it, the one whose insert
# stood shows the creation (a store written before 2026-12-02 has none).
LOGGED = "logged_seq"


def record_from_document(document: Document) -> Record:
    data = from_document(document)
    for name in (*DERIVED, LOGGED):
        data.pop(name, None)
    return Record.model_validate(data)


def record_document(record: Record) -> Document:
    return to_document(record) | _derived(record)


async def add_day_numbers(db: Database) -> int:
    """Give records stored before the day numbers and source key existed their derived fields;
    returns how many. Idempotent: only documents without `source_key` (the newest) are touched."""
    return await fill_derived(
        db,
        RECORDS,
        missing="source_key",
        derive=lambda document: _derived(record_from_document(document)),
    )


def record_query(spec: RecordFilter, *, after: str | None = None) -> Document:
    """The filter of `spec`, and of the list after the order key `after`."""
    query: Document = {}
    if spec.subject_id is not None:
        query["subject_id"] = one_of([spec.subject_id])
    if spec.category is not None:
        query["category"] = spec.category.value
    items = spec.item_codes
    if spec.item_code is not None:
        items = frozenset({spec.item_code}) & (items or frozenset({spec.item_code}))
    if items is not None:
        # One item is an equality (an index prefix); several, or none left, an `$in`.
        query["item_code"] = next(iter(items)) if len(items) == 1 else {"$in": sorted(items)}
    if spec.source_units is not None:
        query["source_unit"] = {"$in": sorted(spec.source_units)}
    statuses = {spec.status} if spec.status is not None else set(RecordStatus)
    decided_to = spec.decided_to
    if spec.disclosed_on is not None:
        # domain.records.RecordScope.admits as a query; tests/test_gate.py keeps them in step.
        statuses &= {RecordStatus.ACTIVE}
        day = day_number(spec.disclosed_on)
        query["disclosure_start_day"] = {"$lte": day}
        query["disclosure_end_day"] = {"$gte": day}  # the end day is on display
        query["hidden"] = {"$ne": True}
        # Implied by the start (display never begins before the decision), but it bounds the
        # newest-first scan: it starts at the day instead of walking every pending record.
        decided_to = min(decided_to or spec.disclosed_on, spec.disclosed_on)
    if spec.disclosed_on is not None or spec.hide_opted_out:
        # `$ne` also matches records stored before the flags existed (no key at all).
        query["opted_out"] = {"$ne": True}
    if statuses != set(RecordStatus):
        # Kept an `$in` even for one status: nx-27017 would otherwise pick the status index
        # over the subject range (below) in aggregations, and read every active record.
        query["status"] = {"$in": sorted(s.value for s in statuses)}
    ordered: Document = {}
    if spec.decided_from is not None:
        ordered["$gte"] = str(day_number(spec.decided_from))
    uppers = [str(day_number(decided_to + timedelta(days=1)))] if decided_to else []
    if after is not None:
        uppers.append(after)
    if uppers:
        ordered["$lt"] = min(uppers)
    if ordered:
        # `order_key` begins with the decision day's digits: "20200510|r-1" >= "20200510"
        # and < "20200511", so a decided range is a range of the key the list is sorted on.
        query["order_key"] = ordered
    return query


async def get_records(db: Database, *, ids: Sequence[str]) -> list[Record | None]:
    """Records in the order of `ids`, None where there is none (a DataLoader batch)."""
    if not ids:
        return []
    cursor = db[RECORDS].find({"_id": {"$in": list(ids)}}, limit=len(ids), batch_size=len(ids))
    found = await cursor.to_list(None)
    by_id = {doc["_id"]: record_from_document(doc) for doc in found}
    return [by_id.get(i) for i in ids]


async def get_records_by_source(
    db: Database, *, source_unit: str, source_record_ids: Sequence[str]
) -> list[Record | None]:
    """A unit's records by its own record ids, in their order, in one round trip.

    Matched on `source_key` by `one_of`: the unit's ids of one batch span a short stretch of
    its index, where a unit and an id `$in` cost nx-27017 a full scan.
    """
    if not source_record_ids:
        return []
    query = {"source_key": one_of([source_key(source_unit, i) for i in source_record_ids])}
    found = (
        await db[RECORDS]
        .find(query, limit=len(source_record_ids), batch_size=len(source_record_ids))
        .to_list(None)
    )
    by_source = {doc["source_record_id"]: record_from_document(doc) for doc in found}
    return [by_source.get(i) for i in source_record_ids]


async def find_records(
    db: Database, *, spec: RecordFilter, after: str | None = None, limit: int
) -> list[Record]:
    """Records in list order after the order key `after`, at most `limit`."""
    query = record_query(spec, after=after)
    documents = await db[RECORDS].find(query, sort=ORDER, limit=limit).to_list(None)
    return [record_from_document(doc) for doc in documents]


async def find_records_of_items(
    db: Database, *, subject_id: str, item_codes: Sequence[str], limit: int
) -> list[Record]:
    """A subject's records of the given catalogue items, whatever their status, in list order."""
    query = {"subject_id": one_of([subject_id]), "item_code": {"$in": list(item_codes)}}
    documents = await db[RECORDS].find(query, sort=ORDER, limit=limit).to_list(None)
    return [record_from_document(doc) for doc in documents]


async def count_records(db: Database, *, spec: RecordFilter) -> int:
    return await db[RECORDS].count_documents(record_query(spec))


async def find_records_of_subjects(
    db: Database,
    *,
    subject_ids: Sequence[str],
    spec: RecordFilter,
    limit_each: int,
    counts: Sequence[int] | None = None,
) -> list[list[Record]]:
    """The first `limit_each` records of each subject, in key order, in at most three round trips.

    A `find` cannot bound each subject's share of an `$in`, so the subjects are split by how
    many records they have (`counts`, read here unless given): those with no more than
    `WHOLE_FILE` (or `limit_each`) are read whole with one find bounded by that many each and
    cut to `limit_each` here; only the others go through the `$firstN` pipeline, which bounds
    the server's memory per group (MongoDB 5.2+). Most files are short, and nx-27017 runs that
    pipeline in its Python tier over the whole collection (2.7 s at 10k records).
    """
    if not subject_ids:
        return []
    if counts is None:
        counts = await count_records_of_subjects(db, subject_ids=subject_ids, spec=spec)
    whole = max(limit_each, WHOLE_FILE)
    short = [s for s, n in zip(subject_ids, counts, strict=True) if 0 < n <= whole]
    long = [s for s, n in zip(subject_ids, counts, strict=True) if n > whole]
    by_subject: dict[str, list[Record]] = {}
    if short:
        files = await files_of_subjects(db, subject_ids=short, spec=spec, limit_each=whole)
        by_subject.update((s, file[:limit_each]) for s, file in zip(short, files, strict=True))
    if long:
        pipeline: list[Document] = [
            {"$match": record_query(spec) | {"subject_id": one_of(long)}},
            {"$sort": {"subject_id": 1, "order_key": -1}},
            {
                "$group": {
                    "_id": "$subject_id",
                    "records": {"$firstN": {"input": "$$ROOT", "n": limit_each}},
                }
            },
        ]
        # One group per subject in one batch (up to 16 MiB per reply), not 101 at a time.
        cursor = await db[RECORDS].aggregate(pipeline, batchSize=len(long))
        for group in await cursor.to_list(None):
            by_subject[group["_id"]] = [record_from_document(d) for d in group["records"]]
    return [by_subject.get(i, []) for i in subject_ids]


async def files_of_subjects(
    db: Database, *, subject_ids: Sequence[str], spec: RecordFilter, limit_each: int
) -> list[list[Record]]:
    """Each subject's records under `spec`, newest first, in one `find`, in key order.

    For judging whole files (eligibility, 三(十二)): a plain `$in` find, bounded in all by
    `limit_each` per subject and sorted here, takes half the time of the `$firstN` pipeline
    on nx-27017, whose server-side sort of the whole match is the costly part.
    """
    if not subject_ids:
        return []
    query = record_query(spec) | {"subject_id": one_of(subject_ids)}
    limit = limit_each * len(subject_ids)
    documents = await db[RECORDS].find(query, limit=limit, batch_size=limit).to_list(None)
    documents.sort(key=lambda d: d["order_key"], reverse=True)
    by_subject: dict[str, list[Record]] = {}
    for document in documents:
        by_subject.setdefault(document["subject_id"], []).append(record_from_document(document))
    return [by_subject.get(i, []) for i in subject_ids]


async def count_records_of_subjects(
    db: Database, *, subject_ids: Sequence[str], spec: RecordFilter
) -> list[int]:
    """How many records each subject has under `spec`, in one round trip."""
    if not subject_ids:
        return []
    match = record_query(spec) | {"subject_id": one_of(subject_ids)}
    pipeline: list[Document] = [
        {"$match": match},
        {"$group": {"_id": "$subject_id", "n": {"$sum": 1}}},
    ]
    cursor = await db[RECORDS].aggregate(pipeline)
    counts = {g["_id"]: int(g["n"]) for g in await cursor.to_list(None)}
    return [counts.get(i, 0) for i in subject_ids]
