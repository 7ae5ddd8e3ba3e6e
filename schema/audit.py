"""Writes the request's audit event after execution and before the response is sent.

Shenzhen regulation art. 45: every query above PUBLIC is recorded. If the event cannot be
written, the response carries no data: there is no unaudited reveal.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from resolvers.audit import record_trail
from resolvers.context import Context

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
