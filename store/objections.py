"""Reading and writing objections (异议)."""

from __future__ import annotations

from datetime import date

from domain.objections import Objection
from domain.records import ObjectionState
from store.database import OBJECTIONS, Database, Document
from store.deadlines import DeadlineList

OBJECTION_LIST = DeadlineList(
    OBJECTIONS,
    Objection,
    started=lambda o: o.filed_at,
    open_state=ObjectionState.PENDING,
    noun="objection",
)


async def insert_objection(db: Database, *, objection: Objection) -> None:
    """Store a new objection; `AlreadyOpen` when the record has a pending one already."""
    await OBJECTION_LIST.insert(db, objection)


async def get_objection(db: Database, *, objection_id: str) -> Objection | None:
    return await OBJECTION_LIST.get(db, objection_id)


async def find_open_objection(db: Database, *, record_id: str) -> Objection | None:
    return await OBJECTION_LIST.find_open(db, record_id)


async def update_objection(db: Database, *, before: Objection, after: Objection) -> Objection:
    """Replace `before` by `after` unless another writer resolved or extended it first."""
    return await OBJECTION_LIST.update(db, before=before, after=after)


def _query(
    subject_id: str | None,
    source_unit: str | None,
    state: ObjectionState | None,
    overdue: bool | None,
    today: date,
) -> Document:
    return OBJECTION_LIST.query(
        state=state, overdue=overdue, today=today, subject_id=subject_id, source_unit=source_unit
    )


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
    return await OBJECTION_LIST.listed.find(db, query, after=after, limit=limit)


async def count_objections(
    db: Database,
    *,
    subject_id: str | None,
    source_unit: str | None,
    state: ObjectionState | None,
    overdue: bool | None,
    today: date,
) -> int:
    return await OBJECTION_LIST.listed.count(
        db, _query(subject_id, source_unit, state, overdue, today)
    )


def objection_cursor_key(objection: Objection) -> str:
    return OBJECTION_LIST.order_key(objection)
