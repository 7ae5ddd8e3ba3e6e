"""Reading and writing subjects."""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.identifiers import SubjectKind
from domain.subjects import Subject
from store.database import SUBJECTS, Database, Document
from store.documents import from_document, insert_new, to_document


def _subject(document: Document) -> Subject:
    return Subject.model_validate(from_document(document))


def _subjects_filter(search: str | None, kinds: Sequence[SubjectKind] | None) -> Document:
    query: Document = {}
    if kinds is not None:
        query["kind"] = {"$in": [k.value for k in kinds]}
    if search:
        # Anchored prefix: MongoDB serves it from the name index.
        query["name"] = {"$regex": "^" + re.escape(search)}
    return query


async def insert_new_subjects(db: Database, *, subjects: Sequence[Subject]) -> int:
    """Insert those not stored yet (by id) in one round trip; returns how many were new."""
    return await insert_new(db, SUBJECTS, [to_document(x) for x in subjects])


async def get_subjects(db: Database, *, ids: Sequence[str]) -> list[Subject | None]:
    """Subjects in the order of `ids`, None where there is none (a DataLoader batch)."""
    if not ids:
        return []
    found = await db[SUBJECTS].find({"_id": {"$in": list(ids)}}, limit=len(ids)).to_list(None)
    by_id = {doc["_id"]: _subject(doc) for doc in found}
    return [by_id.get(i) for i in ids]


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
) -> list[Subject]:
    """Subjects in id order after the id `after`, at most `limit`; `kinds` None means any."""
    query = _subjects_filter(search, kinds)
    if after is not None:
        query["_id"] = {"$gt": after}
    documents = await db[SUBJECTS].find(query, sort=[("_id", 1)], limit=limit).to_list(limit)
    return [_subject(doc) for doc in documents]


async def count_subjects(
    db: Database, *, search: str | None = None, kinds: Sequence[SubjectKind] | None = None
) -> int:
    return await db[SUBJECTS].count_documents(_subjects_filter(search, kinds))
