"""Reading and writing blacklist entries.

Whether an entry is in force is a matter of dates (`listed_on <= day <= until`) and of the
explicit `removed` flag: filters on a missing `removed_on` are not portable (nx-27017 treats
null and missing alike in `$exists`). The two days are compared as the integers `listed_day`
and `until_day` (`store.documents.day_number`) stored beside the ISO strings: nx-27017 sends a
comparison on a date-like string to its slow Python tier (DESIGN.md §2.1). Lists are newest
listing first, keyset-paged on `order_key` (`store.documents.position` of the listing day and
id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.blacklist import BlacklistEntry
from store.database import BLACKLIST_ENTRIES, Database, Document
from store.documents import day_number, fill_derived, insert_new, position
from store.ordered import NewestFirst

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


ENTRY_LIST = NewestFirst(
    BLACKLIST_ENTRIES,
    BlacklistEntry,
    order_key,
    derived={
        "removed": lambda e: e.removed,
        "listed_day": lambda e: day_number(e.listed_on),
        "until_day": lambda e: day_number(e.until),
    },
)


async def add_day_numbers(db: Database) -> int:
    """Give entries stored before `listed_day`/`until_day` existed those fields; returns how
    many. Idempotent: only entries without `until_day` are touched."""
    return await fill_derived(
        db,
        BLACKLIST_ENTRIES,
        missing="until_day",
        derive=lambda document: ENTRY_LIST.derived_fields(ENTRY_LIST.item(document)),
    )


def _in_force(day: date) -> Document:
    """Mirrors `BlacklistEntry.in_force`; a store test keeps the two in step."""
    number = day_number(day)
    return {"removed": False, "listed_day": {"$lte": number}, "until_day": {"$gte": number}}


def _query(spec: EntryFilter) -> Document:
    query: Document = {}
    if spec.subject_id is not None:
        query["subject_id"] = spec.subject_id
    if spec.in_force is not None:
        if spec.day is None:
            raise ValueError("an in-force filter needs the day it is judged on")
        number = day_number(spec.day)
        if spec.in_force:
            query |= _in_force(spec.day)
        else:
            query["$or"] = [
                {"removed": True},
                {"until_day": {"$lt": number}},
                {"listed_day": {"$gt": number}},
            ]
    return query


async def insert_entry(db: Database, *, entry: BlacklistEntry) -> bool:
    """Store a new entry; False when one with its id exists already."""
    return await insert_new(db, BLACKLIST_ENTRIES, [ENTRY_LIST.document(entry)]) == 1


async def get_entry(db: Database, *, entry_id: str) -> BlacklistEntry | None:
    return await ENTRY_LIST.get(db, {"_id": entry_id})


async def replace_unremoved(db: Database, *, entry: BlacklistEntry) -> bool:
    """Store `entry` (now removed) unless it was removed meanwhile; True when stored."""
    return await ENTRY_LIST.replace(db, {"_id": entry.id, "removed": False}, entry)


async def find_entries(
    db: Database, *, spec: EntryFilter, after: str | None = None, limit: int
) -> list[BlacklistEntry]:
    return await ENTRY_LIST.find(db, _query(spec), after=after, limit=limit)


async def count_entries(db: Database, *, spec: EntryFilter) -> int:
    return await ENTRY_LIST.count(db, _query(spec))


async def entries_of_subjects(
    db: Database, *, subject_ids: Sequence[str], in_force_on: date | None = None
) -> list[list[BlacklistEntry]]:
    """Each subject's entries (only those in force on `in_force_on` if given), one round trip."""
    query = {} if in_force_on is None else _in_force(in_force_on)
    return await ENTRY_LIST.of_subjects(
        db, subject_ids=subject_ids, query=query, limit_each=MAX_PER_SUBJECT
    )


async def lift_entries_for_record(
    db: Database, *, record_id: str, at: date, reason: str, by: str = "credit-repair"
) -> int:
    """Remove, on `at`, every entry in force that rests on the record; returns how many.

    DESIGN.md §4: an approved repair removes the subject from the blacklist. Entries that
    ended already keep their history as it was.
    """
    result = await db[BLACKLIST_ENTRIES].update_many(
        {"basis_record_ids": record_id, "removed": False, "until_day": {"$gte": day_number(at)}},
        {
            "$set": {
                "removed": True,
                "removed_on": at.isoformat(),
                "removed_by": by,
                "removal_reason": reason,
            }
        },
    )
    return result.modified_count
