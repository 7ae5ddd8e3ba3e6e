"""Audit events as the credit centre and the subject read them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.audit import AuditAction
from domain.audit import AuditEvent as AuditEventModel
from schema.enums import described

described(
    AuditAction,
    "Whether an audited operation read or changed data",
    {
        AuditAction.READ: "A query that read personal or non-public data",
        AuditAction.WRITE: "A mutation that changed data",
    },
)


@strawberry.type(description="Who read or changed which data, when and why")
class AuditEvent:
    id: strawberry.ID
    at: datetime
    action: AuditAction
    operation: str
    viewer_sub: str | None
    viewer_org: str | None
    viewer_role: str | None
    scopes: list[str]
    subject_ids: list[strawberry.ID]
    record_ids: list[strawberry.ID]
    data_item_keys: list[str]
    grant_ids: list[strawberry.ID]
    purpose: str | None
    request_id: str | None

    @classmethod
    def of(cls, event: AuditEventModel) -> AuditEvent:
        return cls(
            id=strawberry.ID(event.id),
            at=event.at,
            action=event.action,
            operation=event.operation,
            viewer_sub=event.viewer_sub,
            viewer_org=event.viewer_org,
            viewer_role=event.viewer_role,
            scopes=list(event.scopes),
            subject_ids=[strawberry.ID(s) for s in event.subject_ids],
            record_ids=[strawberry.ID(r) for r in event.record_ids],
            data_item_keys=list(event.data_item_keys),
            grant_ids=[strawberry.ID(g) for g in event.grant_ids],
            purpose=event.purpose,
            request_id=event.request_id,
        )
