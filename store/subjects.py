"""Reading and writing subjects."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pymongo import ReturnDocument, UpdateOne

from domain.identifiers import SubjectKind
from domain.subjects import Subject, name_key
from store.database import RECORDS, SUBJECTS, Database, Document
from store.documents import from_document, insert_new, to_document

# Persons are listed through the records that put them on public display.
from store.records import RecordFilter, record_query

# Each subject is stored with its name as names are compared (domain.subjects.name_key: NFKC,
# whitespace folded), so a search for （有限合伙） finds (有限合伙); the name itself is kept as
# given.
NAME_KEY = "name_key"
# A renamed subject's former names as one string of keys, "|key1|key2|": searchable by a
# pattern (nx-27017 does not match a pattern against array elements, MongoDB would).
FORMER_KEYS = "former_name_keys"


def _subject(document: Document) -> Subject:
    data = from_document(document)
    data.pop(NAME_KEY, None)
    data.pop(FORMER_KEYS, None)
    return Subject.model_validate(data)


def _document(subject: Subject) -> Document:
    document = {**to_document(subject), NAME_KEY: name_key(subject.name)}
    if subject.former_names:
        document[FORMER_KEYS] = "|" + "|".join(name_key(n) for n in subject.former_names) + "|"
    return document


FILL_BATCH = 500


async def fill_name_keys(db: Database) -> int:
    """Give subjects stored before names were compared by key their key; returns how many.

    Idempotent, in bounded batches: a database written by an older version stays searchable.
    """
    filled = 0
    while True:
        query = {NAME_KEY: {"$exists": False}}
        batch = await db[SUBJECTS].find(query, {"name": 1}, limit=FILL_BATCH).to_list(FILL_BATCH)
        if not batch:
            return filled
        await db[SUBJECTS].bulk_write(
            [UpdateOne({"_id": d["_id"]}, {"$set": {NAME_KEY: name_key(d["name"])}}) for d in batch]
        )
        filled += len(batch)


def _subjects_filter(
    search: str | None, kinds: Sequence[SubjectKind] | None, former_names: bool = False
) -> Document:
    query: Document = {}
    if kinds is not None:
        query["kind"] = {"$in": [k.value for k in kinds]}
    if search:
        # Anchored prefix: MongoDB serves it from the name index.
        key = re.escape(name_key(search))
        query[NAME_KEY] = {"$regex": "^" + key}
        if former_names:
            # Whole-file viewers find a renamed subject by a name it had: a scan of the former
            # names beside the index's prefix (rare, authenticated searches only).
            del query[NAME_KEY]
            query["$or"] = [
                {NAME_KEY: {"$regex": "^" + key}},
                {FORMER_KEYS: {"$regex": r"\|" + key}},
            ]
    return query


async def insert_new_subjects(db: Database, *, subjects: Sequence[Subject]) -> int:
    """Insert those not stored yet (by id) in one round trip; returns how many were new."""
    return await insert_new(db, SUBJECTS, [_document(x) for x in subjects])


async def get_subjects(db: Database, *, ids: Sequence[str]) -> list[Subject | None]:
    """Subjects in the order of `ids`, None where there is none (a DataLoader batch)."""
    if not ids:
        return []
    # One batch for the whole answer: the default first batch (101) would add getMores.
    cursor = db[SUBJECTS].find({"_id": {"$in": list(ids)}}, limit=len(ids), batch_size=len(ids))
    found = await cursor.to_list(None)
    by_id = {doc["_id"]: _subject(doc) for doc in found}
    return [by_id.get(i) for i in ids]


async def get_subjects_by_identifiers(
    db: Database, *, identifiers: Sequence[str]
) -> list[Subject | None]:
    """Subjects in the order of `identifiers` (canonical), None where there is none."""
    if not identifiers:
        return []
    query = {"identifier": {"$in": list(identifiers)}}
    found = (
        await db[SUBJECTS]
        .find(query, limit=len(identifiers), batch_size=len(identifiers))
        .to_list(None)
    )
    by_identifier = {doc["identifier"]: _subject(doc) for doc in found}
    return [by_identifier.get(i) for i in identifiers]


async def update_opted_out(db: Database, *, subject_id: str, opted_out: bool) -> Subject | None:
    """Set the person's refusal of recording (Shenzhen regulation art. 39), or its withdrawal."""
    document = await db[SUBJECTS].find_one_and_update(
        {"_id": subject_id},
        {"$set": {"opted_out": opted_out}},
        return_document=ReturnDocument.AFTER,
    )
    return None if document is None else _subject(document)


async def get_subject_by_identifier(db: Database, *, identifier: str) -> Subject | None:
    document = await db[SUBJECTS].find_one({"identifier": identifier})
    return None if document is None else _subject(document)


async def find_subjects(
    db: Database,
    *,
    search: str | None = None,
    kinds: Sequence[SubjectKind] | None = None,
    after: str | None = None,
    limit: int,
    persons_shown_on: date | None = None,
    former_names: bool = False,
) -> list[Subject]:
    """Subjects in id order after the id `after`, at most `limit`; `kinds` None means any;
    `former_names`: a search matches names a subject had, too.

    With `persons_shown_on`, natural persons come only through a record on public display
    that day (domain.subjects.met); names of such persons are not searchable.
    """
    wanted = list(SubjectKind) if kinds is None else list(kinds)
    if persons_shown_on is None or SubjectKind.NATURAL_PERSON not in wanted:
        return await _find(db, _subjects_filter(search, kinds, former_names), after, limit)
    if search:
        raise ValueError("persons met through records cannot be searched by name")
    others = [k for k in wanted if k is not SubjectKind.NATURAL_PERSON]
    found = await _find(db, _subjects_filter(None, others), after, limit) if others else []
    ids = await _persons_on_display(db, persons_shown_on, after=after, limit=limit)
    persons = [p for p in await get_subjects(db, ids=ids) if p is not None]
    return sorted([*found, *persons], key=lambda s: s.id)[:limit]


async def _find(db: Database, query: Document, after: str | None, limit: int) -> list[Subject]:
    if after is not None:
        query = query | {"_id": {"$gt": after}}
    documents = await db[SUBJECTS].find(query, sort=[("_id", 1)], limit=limit).to_list(limit)
    return [_subject(doc) for doc in documents]


# Records read per person wanted on a pass of `_persons_on_display`: persons have few.
PERSON_ROWS = 4


def _on_display(day: date) -> Document:
    """Records of natural persons on public display on `day`."""
    spec = RecordFilter(disclosed_on=day)
    return record_query(spec) | {"subject_kind": SubjectKind.NATURAL_PERSON.value}


async def _persons_on_display(
    db: Database, day: date, *, after: str | None, limit: int
) -> list[str]:
    """Ids of persons with a record on public display on `day`, in id order, at most `limit`.

    Read as the records themselves in subject order, only their subject ids, a few per person
    still wanted at a time: a `$group` would read every record on display to return `limit`
    ids. A person with more records than `PERSON_ROWS` costs another pass, never a longer one,
    and a pass after the first asks only for the persons still missing: nx-27017 reads each
    record a pass returns whole (about 0.15 ms each here), projection or not.
    """
    ids: list[str] = []
    while len(ids) < limit:
        rows = (limit - len(ids)) * PERSON_ROWS
        match = _on_display(day)
        last = ids[-1] if ids else after
        if last is not None:
            match["subject_id"] = {"$gt": last}
        cursor = db[RECORDS].find(
            match, projection={"_id": 0, "subject_id": 1}, sort=[("subject_id", 1)], limit=rows
        )
        found = [row["subject_id"] for row in await cursor.to_list(None)]
        ids.extend(dict.fromkeys(found))  # each pass starts after the last id of the one before
        if len(found) < rows:
            break
    return ids[:limit]


async def count_subjects(
    db: Database,
    *,
    search: str | None = None,
    kinds: Sequence[SubjectKind] | None = None,
    persons_shown_on: date | None = None,
    former_names: bool = False,
) -> int:
    wanted = list(SubjectKind) if kinds is None else list(kinds)
    if persons_shown_on is None or SubjectKind.NATURAL_PERSON not in wanted:
        return await db[SUBJECTS].count_documents(_subjects_filter(search, kinds, former_names))
    if search:
        raise ValueError("persons met through records cannot be searched by name")
    others = [k for k in wanted if k is not SubjectKind.NATURAL_PERSON]
    count = await db[SUBJECTS].count_documents(_subjects_filter(None, others)) if others else 0
    pipeline: list[Document] = [
        {"$match": _on_display(persons_shown_on)},
        {"$group": {"_id": "$subject_id"}},
        {"$group": {"_id": None, "n": {"$sum": 1}}},
    ]
    cursor = await db[RECORDS].aggregate(pipeline)
    return count + sum(int(g["n"]) for g in await cursor.to_list(None))


async def replace_subject(db: Database, *, before: Subject, after: Subject) -> bool:
    """Replace `before` by `after` unless another writer changed it first (its version); True
    when replaced. A subject stored before versions were kept has none: it is version 1, and
    `null` matches a missing field."""
    expected: list[int | None] = [before.version, None] if before.version == 1 else [before.version]
    result = await db[SUBJECTS].replace_one(
        {"_id": before.id, "version": {"$in": expected}}, _document(after)
    )
    return result.matched_count == 1
