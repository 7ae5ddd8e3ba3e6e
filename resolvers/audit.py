"""Audit events: writing a request's trail, and reading who looked at a file."""

from __future__ import annotations

from auth.viewer import Scope
from domain.audit import AuditEvent
from resolvers.access import refuse
from resolvers.context import Context
from resolvers.pagination import Page, keyset_page
from store import audit as audit_store
from store.database import Database


async def record_trail(db: Database, event: AuditEvent) -> None:
    await audit_store.insert_event(db, event=event)


CURSOR_TAG = "audit"


async def audit_events(
    ctx: Context, *, subject_id: str | None, first: int | None, after: str | None
) -> Page[AuditEvent]:
    """All events for the credit centre; a subject's own file for the subject (who looked)."""
    viewer = ctx.viewer
    if not viewer.has(Scope.AUDIT_READ):
        if viewer.subject_id is None or not viewer.has(Scope.SUBJECT_SELF):
            refuse(
                f"audit events need scope {Scope.AUDIT_READ}, or a subject's own token "
                f"({Scope.SUBJECT_SELF}) for its own file"
            )
        if subject_id not in (None, viewer.subject_id):
            refuse("a subject may read only the audit trail of its own file")
        subject_id = viewer.subject_id
    return await keyset_page(
        CURSOR_TAG,
        first,
        after,
        find=lambda key, limit: audit_store.find_events(
            ctx.db, subject_id=subject_id, after=key, limit=limit
        ),
        key=audit_store.order_key,
        count=lambda: audit_store.count_events(ctx.db, subject_id=subject_id),
    )
