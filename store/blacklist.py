"""Reading and writing blacklist entries.

Whether an entry is in force is a matter of dates (`listed_on <= day <= until`) and of the
explicit `removed` flag: filters on a missing `removed_on` are not portable (nx-27017 treats
null and missing alike in `$exists`). The two days are compared as the integers `listed_day`
and `until_day` (`store.documents.day_number`) stored beside the ISO strings: nx-27017 sends a
comparison on a date-like string to its slow Python tier (DESIGN.md §2.1). Lists are newest
listing first, keyset-paged on `order_key` (`store.documents.position` of the listing day and
id). Every change to a record re-judges the entries citing it (`rejudge_entries_citing`, called
by `store.changes.write_change`), so an entry's dates stay true without a job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.blacklist import BlacklistEntry, rejudged
from domain.records import Record
from store.database import BLACKLIST_ENTRIES, Database, Document
from store.documents import day_number, fill_derived, insert_new, position
from store.errors import ChangedMeanwhile
from store.ordered import NewestFirst
from store.records import get_records

# Entries per subject in a batch read: a subject is rarely listed more than once or twice.
MAX_PER_SUBJECT = 50
# Entries in force citing one record: one at a time (ALREADY_LISTED), a few more if listed
# before that rule; each rests on at most 20 records.
MAX_CITING = 50
REJUDGE_ATTEMPTS = 3


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


async def replace_entry(db: Database, *, before: BlacklistEntry, after: BlacklistEntry) -> bool:
    """Store `after` over `before` unless another writer changed it first; True when stored."""
    query: Document = {"_id": before.id, "version": before.version}
    if before.version == 1:
        # Entries stored before they had versions have no `version`: they are at their first.
        # `$exists: false` is portable here, as the store never writes nulls (DESIGN.md §2.1).
        query = {"_id": before.id, "$or": [{"version": 1}, {"version": {"$exists": False}}]}
    return await ENTRY_LIST.replace(db, query, after)


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


async def rejudge_entries_citing(db: Database, *, record: Record, day: date) -> int:
    """Re-judge, on `day`, every entry in force that cites the record just changed; returns how
    many changed (`domain.blacklist.rejudged` states the rule).

    Each entry is judged against all its basis records as stored now and replaced only at the
    version judged; one that another writer changed meanwhile is judged again.
    """
    changed = 0
    for _ in range(REJUDGE_ATTEMPTS):
        # `$in` of one, not plain equality: nx-27017 answers equality on an indexed array
        # field with nothing once the rest of the filter is served by SQL (MongoDB matches
        # either way); tests/test_store_conformance.py pins it.
        citing = await ENTRY_LIST.find(
            db,
            {"basis_record_ids": {"$in": [record.id]}, **_in_force(day)},
            after=None,
            limit=MAX_CITING,
        )
        ids = list(dict.fromkeys(i for e in citing for i in e.basis_record_ids))
        basis = [r for r in await get_records(db, ids=ids) if r is not None]
        stale = False
        for entry in citing:
            after = rejudged(entry, changed=record, basis=basis, day=day)
            if after is None:
                continue
            if await replace_entry(db, before=entry, after=after):
                changed += 1
            else:
                stale = True
        if not stale:
            return changed
    raise ChangedMeanwhile(f"the entries citing record {record.id} kept changing while re-judged")


# Entries in force read per page of the start-up sweep.
SWEEP_PAGE = 200


async def rejudge_in_force(db: Database, *, day: date) -> int:
    """Re-judge on `day` every entry in force against its basis records as stored now; returns
    how many changed.

    The safety net of `rejudge_entries_citing`: a process that died between writing a record
    change and re-judging, or a re-judgement that kept losing races, leaves an entry that may
    rest on no serious record on display any more. Run at start-up, it restores the invariant
    of `domain.blacklist.rejudged` for all of them; idempotent. The record named as the cause
    is the basis changed last.
    """
    changed = 0
    after: str | None = None
    while True:
        page = await ENTRY_LIST.find(db, _in_force(day), after=after, limit=SWEEP_PAGE)
        if not page:
            return changed
        ids = list(dict.fromkeys(i for e in page for i in e.basis_record_ids))
        records = {r.id: r for r in await get_records(db, ids=ids) if r is not None}
        for entry in page:
            basis = [records[i] for i in entry.basis_record_ids if i in records]
            if not basis:
                continue
            last = max(basis, key=lambda r: r.history[-1].at if r.history else r.created_at)
            judged = rejudged(entry, changed=last, basis=basis, day=day)
            if judged is not None and await replace_entry(db, before=entry, after=judged):
                changed += 1
        after = ENTRY_LIST.order_key(page[-1])
