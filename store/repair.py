"""Reading and writing repair applications (信用修复申请)."""

from __future__ import annotations

from datetime import date

from pymongo.errors import DuplicateKeyError

from domain.repair import RepairApplication, RepairState
from store.database import REPAIR_APPLICATIONS, Database, Document
from store.deadlines import open_key, order_key, state_query
from store.documents import from_document, to_document
from store.errors import AlreadyOpen, ChangedMeanwhile

STORE_ONLY = ("order_key", "open_key", "due_on", "extended")
OPEN = RepairState.ACCEPTED.value


def _document(application: RepairApplication) -> Document:
    document = to_document(application) | {
        "order_key": order_key(application.submitted_at, application.id),
        "open_key": open_key(application.record_id, application.id, is_open=application.open),
        "extended": application.extended_to is not None,
    }
    if application.due_on is not None:
        document["due_on"] = application.due_on.isoformat()
    return document


def _application(document: Document) -> RepairApplication:
    data = from_document(document)
    for key in STORE_ONLY:
        data.pop(key, None)
    return RepairApplication.model_validate(data)


async def insert_application(db: Database, *, application: RepairApplication) -> None:
    """Store a new application; `AlreadyOpen` when the record has an open one already."""
    try:
        await db[REPAIR_APPLICATIONS].insert_one(_document(application))
    except DuplicateKeyError:
        raise AlreadyOpen(f"record {application.record_id} has an open application") from None


async def get_application(db: Database, *, application_id: str) -> RepairApplication | None:
    document = await db[REPAIR_APPLICATIONS].find_one({"_id": application_id})
    return None if document is None else _application(document)


async def find_open_application(db: Database, *, record_id: str) -> RepairApplication | None:
    document = await db[REPAIR_APPLICATIONS].find_one({"open_key": record_id})
    return None if document is None else _application(document)


async def update_application(
    db: Database, *, before: RepairApplication, after: RepairApplication
) -> RepairApplication:
    """Replace `before` by `after` unless another writer decided or extended it first."""
    result = await db[REPAIR_APPLICATIONS].replace_one(
        {
            "_id": before.id,
            "state": before.state.value,
            "extended": before.extended_to is not None,
        },
        _document(after),
    )
    if result.matched_count == 0:
        raise ChangedMeanwhile(f"application {before.id} was decided or extended meanwhile")
    return after


def _query(
    subject_id: str | None, state: RepairState | None, overdue: bool | None, today: date
) -> Document:
    query = state_query(
        open_state=OPEN,
        state=None if state is None else state.value,
        overdue=overdue,
        today=today,
    )
    if subject_id is not None:
        query["subject_id"] = subject_id
    return query


async def find_applications(
    db: Database,
    *,
    subject_id: str | None,
    state: RepairState | None,
    overdue: bool | None,
    today: date,
    after: str | None,
    limit: int,
) -> list[RepairApplication]:
    """Applications newest first after the order key `after`, at most `limit`."""
    query = _query(subject_id, state, overdue, today)
    if after is not None:
        query["order_key"] = {"$lt": after}
    cursor = db[REPAIR_APPLICATIONS].find(query, sort=[("order_key", -1)], limit=limit)
    return [_application(doc) for doc in await cursor.to_list(None)]


async def count_applications(
    db: Database,
    *,
    subject_id: str | None,
    state: RepairState | None,
    overdue: bool | None,
    today: date,
) -> int:
    return await db[REPAIR_APPLICATIONS].count_documents(_query(subject_id, state, overdue, today))


def application_cursor_key(application: RepairApplication) -> str:
    return order_key(application.submitted_at, application.id)
