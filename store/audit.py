"""Writing and reading audit events; never deleted by the service (5-year minimum)."""

from __future__ import annotations

from domain.audit import AuditEvent
from store.database import AUDIT_EVENTS, Database, Document
from store.documents import position
from store.ordered import NewestFirst


def order_key(event: AuditEvent) -> str:
    """Newest-first list position: the time, then the id for events in the same instant."""
    return position(event.at, event.id)


EVENT_LIST = NewestFirst(AUDIT_EVENTS, AuditEvent, order_key)


def _query(subject_id: str | None) -> Document:
    return {} if subject_id is None else {"subject_ids": subject_id}


async def insert_event(db: Database, *, event: AuditEvent) -> None:
    await EVENT_LIST.insert(db, event)


async def find_events(
    db: Database, *, subject_id: str | None = None, after: str | None = None, limit: int
) -> list[AuditEvent]:
    """Events newest first, about one subject or all, after the order key `after`."""
    return await EVENT_LIST.find(db, _query(subject_id), after=after, limit=limit)


async def count_events(db: Database, *, subject_id: str | None = None) -> int:
    return await EVENT_LIST.count(db, _query(subject_id))
