"""Reading and writing credit commitments.

Lists are newest signing first, keyset-paged on `order_key` (`store.documents.position` of the
signing day and id) as records are (store/records.py explains why). The validity days are
stored again as the integers `valid_from_day` and `valid_until_day` (`store.documents.
day_number`) so that the public list's filter stays in nx-27017's SQL tier (DESIGN.md §2.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.commitments import Commitment, CommitmentStatus
from domain.identifiers import SubjectKind
from store.database import COMMITMENTS, Database, Document
from store.documents import day_number, fill_derived, insert_new, position
from store.ordered import NewestFirst

# A subject has a handful of commitments; the bound keeps a batch read finite.
MAX_PER_SUBJECT = 200


@dataclass(frozen=True)
class CommitmentFilter:
    """`on_public_list` keeps only the commitments the public list shows on that day."""

    subject_id: str | None = None
    managing_unit: str | None = None
    status: CommitmentStatus | None = None
    on_public_list: date | None = None


def order_key(commitment: Commitment) -> str:
    return position(commitment.signed_on, commitment.id)


COMMITMENT_LIST = NewestFirst(
    COMMITMENTS,
    Commitment,
    order_key,
    derived={
        "valid_from_day": lambda c: day_number(c.valid_from),
        "valid_until_day": lambda c: day_number(c.valid_until),
    },
)


async def add_day_numbers(db: Database) -> int:
    """Give commitments stored before `valid_from_day`/`valid_until_day` existed those fields;
    returns how many. Idempotent: only commitments without `valid_until_day` are touched."""
    return await fill_derived(
        db,
        COMMITMENTS,
        missing="valid_until_day",
        derive=lambda document: COMMITMENT_LIST.derived_fields(COMMITMENT_LIST.item(document)),
    )


def _on_public_list(day: date) -> Document:
    """Mirrors `Commitment.on_public_list`; a store test keeps the two in step."""
    number = day_number(day)
    return {
        "subject_kind": {"$ne": SubjectKind.NATURAL_PERSON.value},
        "valid_from_day": {"$lte": number},
        "valid_until_day": {"$gte": number},
    }


def _query(spec: CommitmentFilter) -> Document:
    query: Document = {}
    if spec.on_public_list is not None:
        query |= _on_public_list(spec.on_public_list)
    if spec.subject_id is not None:
        query["subject_id"] = spec.subject_id
    if spec.managing_unit is not None:
        query["managing_unit"] = spec.managing_unit
    if spec.status is not None:
        query["status"] = spec.status.value
    return query


async def insert_commitment(db: Database, *, commitment: Commitment) -> bool:
    """Store a new commitment; False when one with its id exists already."""
    return await insert_new(db, COMMITMENTS, [COMMITMENT_LIST.document(commitment)]) == 1


async def get_commitment(db: Database, *, commitment_id: str) -> Commitment | None:
    return await COMMITMENT_LIST.get(db, {"_id": commitment_id})


async def update_commitment(db: Database, *, before: Commitment, after: Commitment) -> bool:
    """Replace `before` by `after` unless its status changed meanwhile; True when replaced."""
    return await COMMITMENT_LIST.replace(
        db, {"_id": before.id, "status": before.status.value}, after
    )


async def find_commitments(
    db: Database, *, spec: CommitmentFilter, after: str | None = None, limit: int
) -> list[Commitment]:
    """Commitments in list order after the order key `after`, at most `limit`."""
    return await COMMITMENT_LIST.find(db, _query(spec), after=after, limit=limit)


async def count_commitments(db: Database, *, spec: CommitmentFilter) -> int:
    return await COMMITMENT_LIST.count(db, _query(spec))


async def commitments_of_subjects(
    db: Database, *, subject_ids: Sequence[str], status: CommitmentStatus | None = None
) -> list[list[Commitment]]:
    """Each subject's commitments, newest first, in one round trip, in key order."""
    query = {} if status is None else {"status": status.value}
    return await COMMITMENT_LIST.of_subjects(
        db, subject_ids=subject_ids, query=query, limit_each=MAX_PER_SUBJECT
    )
