"""Reading and writing credit commitments.

Lists are newest signing first, keyset-paged on `order_key` (`store.documents.position` of the
signing day and id) as records are (store/records.py explains why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.commitments import Commitment, CommitmentStatus
from store.database import COMMITMENTS, Database, Document
from store.documents import from_document, insert_new, position, to_document

ORDER = [("order_key", -1)]
# A subject has a handful of commitments; the bound keeps a batch read finite.
MAX_PER_SUBJECT = 200


@dataclass(frozen=True)
class CommitmentFilter:
    subject_id: str | None = None
    managing_unit: str | None = None
    status: CommitmentStatus | None = None


def order_key(commitment: Commitment) -> str:
    return position(commitment.signed_on, commitment.id)


def _document(commitment: Commitment) -> Document:
    return to_document(commitment) | {"order_key": order_key(commitment)}


def _commitment(document: Document) -> Commitment:
    data = from_document(document)
    data.pop("order_key")
    return Commitment.model_validate(data)


def _query(spec: CommitmentFilter) -> Document:
    query: Document = {}
    if spec.subject_id is not None:
        query["subject_id"] = spec.subject_id
    if spec.managing_unit is not None:
        query["managing_unit"] = spec.managing_unit
    if spec.status is not None:
        query["status"] = spec.status.value
    return query


async def insert_commitment(db: Database, *, commitment: Commitment) -> bool:
    """Store a new commitment; False when one with its id exists already."""
    return await insert_new(db, COMMITMENTS, [_document(commitment)]) == 1


async def get_commitment(db: Database, *, commitment_id: str) -> Commitment | None:
    document = await db[COMMITMENTS].find_one({"_id": commitment_id})
    return None if document is None else _commitment(document)


async def update_commitment(db: Database, *, before: Commitment, after: Commitment) -> bool:
    """Replace `before` by `after` unless its status changed meanwhile; True when replaced."""
    result = await db[COMMITMENTS].replace_one(
        {"_id": before.id, "status": before.status.value}, _document(after)
    )
    return result.matched_count == 1


async def find_commitments(
    db: Database, *, spec: CommitmentFilter, after: str | None = None, limit: int
) -> list[Commitment]:
    """Commitments in list order after the order key `after`, at most `limit`."""
    query = _query(spec)
    if after is not None:
        query["order_key"] = {"$lt": after}
    found = await db[COMMITMENTS].find(query, sort=ORDER, limit=limit).to_list(None)
    return [_commitment(doc) for doc in found]


async def count_commitments(db: Database, *, spec: CommitmentFilter) -> int:
    return await db[COMMITMENTS].count_documents(_query(spec))


async def commitments_of_subjects(
    db: Database, *, subject_ids: Sequence[str], status: CommitmentStatus | None = None
) -> list[list[Commitment]]:
    """Each subject's commitments, newest first, in one round trip, in key order."""
    if not subject_ids:
        return []
    query: Document = {"subject_id": {"$in": list(subject_ids)}}
    if status is not None:
        query["status"] = status.value
    limit = MAX_PER_SUBJECT * len(subject_ids)
    cursor = db[COMMITMENTS].find(query, sort=ORDER, limit=limit, batch_size=limit)
    found = await cursor.to_list(None)
    by_subject: dict[str, list[Commitment]] = {}
    for commitment in map(_commitment, found):
        by_subject.setdefault(commitment.subject_id, []).append(commitment)
    return [by_subject.get(i, []) for i in subject_ids]
