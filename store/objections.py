"""Reading and writing objections (异议)."""

from __future__ import annotations

from datetime import date

from pymongo.errors import DuplicateKeyError

from domain.objections import Objection
from domain.records import ObjectionState
from store.database import OBJECTIONS, Database, Document
from store.deadlines import open_key, order_key, state_query
from store.documents import from_document, to_document
from store.errors import AlreadyOpen, ChangedMeanwhile

STORE_ONLY = ("order_key", "open_key", "due_on", "extended")
OPEN = ObjectionState.PENDING.value


def _document(objection: Objection) -> Document:
    return to_document(objection) | {
        "order_key": order_key(objection.filed_at, objection.id),
        "open_key": open_key(objection.record_id, objection.id, is_open=objection.open),
        "due_on": objection.due_on.isoformat(),
        "extended": objection.extended_to is not None,
    }


def _objection(document: Document) -> Objection:
    data = from_document(document)
    for key in STORE_ONLY:
        data.pop(key, None)
    return Objection.model_validate(data)


async def insert_objection(db: Database, *, objection: Objection) -> None:
    """Store a new objection; `AlreadyOpen` when the record has a pending one already."""
    try:
        await db[OBJECTIONS].insert_one(_document(objection))
    except DuplicateKeyError:
        raise AlreadyOpen(f"record {objection.record_id} has a pending objection") from None


async def get_objection(db: Database, *, objection_id: str) -> Objection | None:
    document = await db[OBJECTIONS].find_one({"_id": objection_id})
    return None if document is None else _objection(document)


async def find_open_objection(db: Database, *, record_id: str) -> Objection | None:
    document = await db[OBJECTIONS].find_one({"open_key": record_id})
    return None if document is None else _objection(document)


async def update_objection(db: Database, *, before: Objection, after: Objection) -> Objection:
    """Replace `before` by `after` unless another writer resolved or extended it first."""
    result = await db[OBJECTIONS].replace_one(
        {
            "_id": before.id,
            "state": before.state.value,
            "extended": before.extended_to is not None,
        },
        _document(after),
    )
    if result.matched_count == 0:
        raise ChangedMeanwhile(f"objection {before.id} was resolved or extended meanwhile")
    return after


def _query(
    subject_id: str | None,
    source_unit: str | None,
    state: ObjectionState | None,
    overdue: bool | None,
    today: date,
) -> Document:
    query = state_query(
        open_state=OPEN,
        state=None if state is None else state.value,
        overdue=overdue,
        today=today,
    )
    if subject_id is not None:
        query["subject_id"] = subject_id
    if source_unit is not None:
        query["source_unit"] = source_unit
    return query


async def find_objections(
    db: Database,
    *,
    subject_id: str | None,
    source_unit: str | None,
    state: ObjectionState | None,
    overdue: bool | None,
    today: date,
    after: str | None,
    limit: int,
) -> list[Objection]:
    """Objections newest first after the order key `after`, at most `limit`."""
    query = _query(subject_id, source_unit, state, overdue, today)
    if after is not None:
        query["order_key"] = {"$lt": after}
    cursor = db[OBJECTIONS].find(query, sort=[("order_key", -1)], limit=limit)
    return [_objection(doc) for doc in await cursor.to_list(None)]


async def count_objections(
    db: Database,
    *,
    subject_id: str | None,
    source_unit: str | None,
    state: ObjectionState | None,
    overdue: bool | None,
    today: date,
) -> int:
    return await db[OBJECTIONS].count_documents(
        _query(subject_id, source_unit, state, overdue, today)
    )


def objection_cursor_key(objection: Objection) -> str:
    return order_key(objection.filed_at, objection.id)
