"""Writing and reading audit events; never deleted by the service (5-year minimum)."""

from __future__ import annotations

from domain.audit import AuditEvent
from store.database import AUDIT_EVENTS, Database, Document
from store.documents import from_document, position, to_document


def order_key(event: AuditEvent) -> str:
    """Newest-first list position: the time, then the id for events in the same instant."""
    return position(event.at, event.id)


def _event(document: Document) -> AuditEvent:
    data = from_document(document)
    data.pop("order_key")
    return AuditEvent.model_validate(data)


async def insert_event(db: Database, *, event: AuditEvent) -> None:
    await db[AUDIT_EVENTS].insert_one(to_document(event) | {"order_key": order_key(event)})


async def find_events(
    db: Database, *, subject_id: str | None = None, after: str | None = None, limit: int
) -> list[AuditEvent]:
    """Events newest first, about one subject or all, after the order key `after`."""
    query: Document = {}
    if subject_id is not None:
        query["subject_ids"] = subject_id
    if after is not None:
        query["order_key"] = {"$lt": after}
    cursor = db[AUDIT_EVENTS].find(query, sort=[("order_key", -1)], limit=limit)
    return [_event(doc) for doc in await cursor.to_list(None)]


async def count_events(db: Database, *, subject_id: str | None = None) -> int:
    query: Document = {} if subject_id is None else {"subject_ids": subject_id}
    return await db[AUDIT_EVENTS].count_documents(query)
