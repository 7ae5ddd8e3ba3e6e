"""Audit: the trail of one request (what it revealed above PUBLIC, written before responding),
and reading who looked at a file."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from auth.masking import ShownValue, revealed_keys
from auth.viewer import Scope, Viewer
from domain.audit import AuditAction, AuditEvent
from resolvers.errors import Forbidden
from resolvers.pagination import Page, keyset_page
from store import audit as audit_store
from store.database import Database

if TYPE_CHECKING:
    # The context holds the request's AuditTrail, so this module is imported by it.
    from resolvers.context import Context


@dataclass
class AuditTrail:
    """Collects reveals while the request runs; `event` turns them into one audit event."""

    subject_ids: set[str] = field(default_factory=set)
    record_ids: set[str] = field(default_factory=set)
    data_item_keys: set[str] = field(default_factory=set)
    grant_ids: set[str] = field(default_factory=set)
    wrote: bool = False
    judged: bool = False

    def saw(
        self,
        subject_id: str,
        shown: list[ShownValue],
        *,
        record_id: str | None = None,
        grant_id: str | None = None,
    ) -> None:
        self.revealed(subject_id, revealed_keys(shown), record_id=record_id, grant_id=grant_id)

    def revealed(
        self,
        subject_id: str,
        keys: list[str],
        *,
        record_id: str | None = None,
        grant_id: str | None = None,
    ) -> None:
        """The request revealed the values of `keys` about the subject (`saw`, its keys known)."""
        if not keys:
            return
        self.subject_ids.add(subject_id)
        self.data_item_keys.update(keys)
        if record_id is not None:
            self.record_ids.add(record_id)
        if grant_id is not None:
            self.grant_ids.add(grant_id)

    def wrote_for(self, subject_id: str) -> None:
        self.wrote = True
        self.subject_ids.add(subject_id)

    def asked_to_write(self, subject_ids: Iterable[str]) -> None:
        """A write was asked for about these subjects on file: audited even if none was done."""
        self.wrote = True
        self.subject_ids.update(subject_ids)

    def consulted(self, subject_id: str, *, grant_id: str | None = None) -> None:
        """A subject's file was judged (eligibility, a financing profile): audited whatever
        the answer shows, with the grant relied on (Shenzhen regulation art. 45)."""
        self.judged = True
        self.subject_ids.add(subject_id)
        if grant_id is not None:
            self.grant_ids.add(grant_id)

    @property
    def needed(self) -> bool:
        return self.wrote or self.judged or bool(self.data_item_keys)

    def event(
        self,
        viewer: Viewer,
        *,
        operation: str,
        at: datetime,
        purpose: str | None,
        request_id: str | None,
    ) -> AuditEvent:
        return AuditEvent(
            id=f"a-{secrets.token_hex(10)}",
            at=at,
            action=AuditAction.WRITE if self.wrote else AuditAction.READ,
            operation=operation[:200],
            viewer_sub=viewer.sub,
            viewer_org=viewer.org,
            viewer_role=viewer.role,
            scopes=tuple(sorted(viewer.scopes)),
            subject_ids=tuple(sorted(self.subject_ids)),
            record_ids=tuple(sorted(self.record_ids)),
            data_item_keys=tuple(sorted(self.data_item_keys)),
            grant_ids=tuple(sorted(self.grant_ids)),
            purpose=purpose,
            request_id=request_id,
        )


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
            raise Forbidden(
                f"audit events need scope {Scope.AUDIT_READ}, or a subject's own token "
                f"({Scope.SUBJECT_SELF}) for its own file"
            )
        if subject_id not in (None, viewer.subject_id):
            raise Forbidden("a subject may read only the audit trail of its own file")
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
