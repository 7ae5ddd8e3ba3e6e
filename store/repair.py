"""Reading and writing repair applications (信用修复申请)."""

from __future__ import annotations

from datetime import date

from domain.repair import RepairApplication, RepairState, queue_rank
from store.database import REPAIR_APPLICATIONS, Database, Document
from store.deadlines import DeadlineList
from store.documents import position

QUEUE_ORDER = [("queue_key", 1)]


def queue_key(application: RepairApplication) -> str:
    """`domain.repair.queue_rank` as one string that sorts the same: "0|20200301…|ra-1".

    Starts with the rank digit, never like an ISO date (store/documents.position says why).
    """
    rank, submitted_at, tie = queue_rank(application)
    return f"{rank}|{position(submitted_at, tie)}"


APPLICATION_LIST = DeadlineList(
    REPAIR_APPLICATIONS,
    RepairApplication,
    started=lambda a: a.submitted_at,
    open_state=RepairState.ACCEPTED,
    noun="repair application",
    derived={"queue_key": queue_key},
)


async def insert_application(db: Database, *, application: RepairApplication) -> None:
    """Store a new application; `AlreadyOpen` when the record has an open one already."""
    await APPLICATION_LIST.insert(db, application)


async def get_application(db: Database, *, application_id: str) -> RepairApplication | None:
    return await APPLICATION_LIST.get(db, application_id)


async def find_open_application(db: Database, *, record_id: str) -> RepairApplication | None:
    return await APPLICATION_LIST.find_open(db, record_id)


async def update_application(
    db: Database, *, before: RepairApplication, after: RepairApplication
) -> RepairApplication:
    """Replace `before` by `after` unless another writer decided or extended it first."""
    return await APPLICATION_LIST.update(db, before=before, after=after)


def _query(
    subject_id: str | None, state: RepairState | None, overdue: bool | None, today: date
) -> Document:
    return APPLICATION_LIST.query(state=state, overdue=overdue, today=today, subject_id=subject_id)


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
    return await APPLICATION_LIST.listed.find(db, query, after=after, limit=limit)


async def find_queue(
    db: Database,
    *,
    subject_id: str | None,
    state: RepairState | None,
    overdue: bool | None,
    today: date,
    after: str | None,
    limit: int,
) -> list[RepairApplication]:
    """Applications in the credit centre's review order (`queue_key`) after the key `after`."""
    query = _query(subject_id, state, overdue, today)
    if after is not None:
        query = query | {"queue_key": {"$gt": after}}
    cursor = db[REPAIR_APPLICATIONS].find(query, sort=QUEUE_ORDER, limit=limit)
    return [APPLICATION_LIST.listed.item(document) for document in await cursor.to_list(None)]


async def count_applications(
    db: Database,
    *,
    subject_id: str | None,
    state: RepairState | None,
    overdue: bool | None,
    today: date,
) -> int:
    return await APPLICATION_LIST.listed.count(db, _query(subject_id, state, overdue, today))


def application_cursor_key(application: RepairApplication) -> str:
    return APPLICATION_LIST.order_key(application)
