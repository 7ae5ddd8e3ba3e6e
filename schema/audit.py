"""Audit: the request's event, written after execution and before the response is sent, and
the events as the credit centre and the subject read them.

Shenzhen regulation art. 45: every query above PUBLIC is recorded. If the event cannot be
written, the response carries no data: there is no unaudited reveal.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import strawberry
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import Info

from domain.audit import AuditAction
from domain.audit import AuditEvent as AuditEventModel
from resolvers import audit as audit_resolvers
from resolvers.audit import record_trail
from resolvers.context import Context
from schema.connections import After, Connection, First, connection
from schema.enums import described

log = logging.getLogger("creditgraph.audit")

AUDIT_FAILED = "AUDIT_FAILED"


class WriteAuditTrail(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if not isinstance(context, Context) or not context.audit.needed:
            return
        event = context.audit.event(
            context.viewer,
            operation=self.execution_context.operation_name or "anonymous operation",
            at=context.now,
            purpose=context.purpose,
            request_id=context.request_id,
        )
        try:
            await record_trail(context.db, event)
        except Exception:
            log.exception("could not write the audit event; withholding the response")
            if isinstance(result, ExecutionResult):
                result.data = None
                result.errors = [
                    GraphQLError(
                        "The request could not be audited, so nothing is returned.",
                        extensions={"code": AUDIT_FAILED},
                    )
                ]


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
    id: strawberry.ID = strawberry.field(description="The event's id")
    at: datetime = strawberry.field(description="When the operation ran")
    action: AuditAction = strawberry.field(description="Whether it read or changed data")
    operation: str = strawberry.field(
        description='The GraphQL operation name; "anonymous operation" when unnamed'
    )
    viewer_sub: str | None = strawberry.field(
        description="The token subject (sub) of who asked; null when not signed in"
    )
    viewer_org: str | None = strawberry.field(
        description="The organisation of who asked; null when none"
    )
    viewer_role: str | None = strawberry.field(
        description="The role of who asked; null when not signed in"
    )
    scopes: list[str] = strawberry.field(description="The scopes the token carried")
    subject_ids: list[strawberry.ID] = strawberry.field(
        description="The subjects whose data was read or changed"
    )
    record_ids: list[strawberry.ID] = strawberry.field(description="The records read or changed")
    data_item_keys: list[str] = strawberry.field(description="The data items (数据项) read, by key")
    grant_ids: list[strawberry.ID] = strawberry.field(
        description="The authorization grants the access rested on"
    )
    purpose: str | None = strawberry.field(
        description="The purpose stated for the access: the X-Purpose header, "
        "else the token's purpose claim; null when none"
    )
    request_id: str | None = strawberry.field(
        description="The request id (X-Request-Id), to match the request log; null when none"
    )

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


@strawberry.type
class AuditQuery:
    """Reads of audit events: fields of the Query root (schema/query.py)."""

    @strawberry.field(description="Audit events: all for the credit centre, own for a subject")
    async def audit_events(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only events about this subject (credit centre)"),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[AuditEvent]:
        page = await audit_resolvers.audit_events(
            info.context,
            subject_id=None if subject is None else str(subject),
            first=first,
            after=after,
        )
        return connection(page, AuditEvent.of)
