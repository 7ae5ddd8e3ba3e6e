"""Reading and writing blacklist entries.

Whether an entry is in force is a matter of dates (`listed_on <= day <= until`) and of the
explicit `removed` flag: filters on a missing `removed_on` are not portable (nx-27017 treats
null and missing alike in `$exists`). Lists are newest listing first, keyset-paged on
`order_key` (`store.documents.position` of the listing day and id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.blacklist import BlacklistEntry
from store.database import BLACKLIST_ENTRIES, Database, Document
from store.documents import from_document, insert_new, position, to_document

ORDER = [("order_key", -1)]
# Entries per subject in a batch read: a subject is rarely listed more than once or twice.
MAX_PER_SUBJECT = 50


@dataclass(frozen=True)
class EntryFilter:
    """`in_force` True keeps entries in force on `day`, False those that are not."""

    subject_id: str | None = None
    in_force: bool | None = None
    day: date | None = None


def order_key(entry: BlacklistEntry) -> str:
    return position(entry.listed_on, entry.id)


def _document(entry: BlacklistEntry) -> Document:
    return to_document(entry) | {"order_key": order_key(entry), "removed": entry.removed}


def _entry(document: Document) -> BlacklistEntry:
    data = from_document(document)
    data.pop("order_key")
    data.pop("removed")
    return BlacklistEntry.model_validate(data)


def _in_force(day: date) -> Document:
    """Mirrors `BlacklistEntry.in_force`; a store test keeps the two in step."""
    iso = day.isoformat()
    return {"removed": False, "listed_on": {"$lte": iso}, "until": {"$gte": iso}}


def _query(spec: EntryFilter) -> Document:
    query: Document = {}
    if spec.subject_id is not None:
        query["subject_id"] = spec.subject_id
    if spec.in_force is not None:
        if spec.day is None:
            raise ValueError("an in-force filter needs the day it is judged on")
        iso = spec.day.isoformat()
        if spec.in_force:
            query |= _in_force(spec.day)
        else:
            query["$or"] = [
                {"removed": True},
                {"until": {"$lt": iso}},
                {"listed_on": {"$gt": iso}},
            ]
    return query


async def insert_entry(db: Database, *, entry: BlacklistEntry) -> bool:
    """Store a new entry; False when one with its id exists already."""
    return await insert_new(db, BLACKLIST_ENTRIES, [_document(entry)]) == 1


async def get_entry(db: Database, *, entry_id: str) -> BlacklistEntry | None:
    document = await db[BLACKLIST_ENTRIES].find_one({"_id": entry_id})
    return None if document is None else _entry(document)


async def replace_unremoved(db: Database, *, entry: BlacklistEntry) -> bool:
    """Store `entry` (now removed) unless it was removed meanwhile; True when stored."""
    result = await db[BLACKLIST_ENTRIES].replace_one(
        {"_id": entry.id, "removed": False}, _document(entry)
    )
    return result.matched_count == 1


async def find_entries(
    db: Database, *, spec: EntryFilter, after: str | None = None, limit: int
) -> list[BlacklistEntry]:
    query = _query(spec)
    if after is not None:
        query["order_key"] = {"$lt": after}
    found = await db[BLACKLIST_ENTRIES].find(query, sort=ORDER, limit=limit).to_list(None)
    return [_entry(doc) for doc in found]


async def count_entries(db: Database, *, spec: EntryFilter) -> int:
    return await db[BLACKLIST_ENTRIES].count_documents(_query(spec))


async def entries_of_subjects(
    db: Database, *, subject_ids: Sequence[str], in_force_on: date | None = None
) -> list[list[BlacklistEntry]]:
    """Each subject's entries (only those in force on `in_force_on` if given), one round trip."""
    if not subject_ids:
        return []
    query: Document = {"subject_id": {"$in": list(subject_ids)}}
    if in_force_on is not None:
        query |= _in_force(in_force_on)
    limit = MAX_PER_SUBJECT * len(subject_ids)
    cursor = db[BLACKLIST_ENTRIES].find(query, sort=ORDER, limit=limit, batch_size=limit)
    found = await cursor.to_list(None)
    by_subject: dict[str, list[BlacklistEntry]] = {}
    for entry in map(_entry, found):
        by_subject.setdefault(entry.subject_id, []).append(entry)
    return [by_subject.get(i, []) for i in subject_ids]


async def lift_entries_for_record(
    db: Database, *, record_id: str, at: date, reason: str, by: str = "credit-repair"
) -> int:
    """Remove, on `at`, every entry in force that rests on the record; returns how many.

    DESIGN.md §4: an approved repair removes the subject from the blacklist. Entries that
    ended already keep their history as it was.
    """
    iso = at.isoformat()
    result = await db[BLACKLIST_ENTRIES].update_many(
        {"basis_record_ids": record_id, "removed": False, "until": {"$gte": iso}},
        {
            "$set": {
                "removed": True,
                "removed_on": iso,
                "removed_by": by,
                "removal_reason": reason,
            }
        },
    )
    return result.modified_count
