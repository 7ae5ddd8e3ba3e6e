"""Names the request's operation for the HTTP layer's log line and metrics."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from resolvers.context import Context


class NameOperation(SchemaExtension):
    """Puts the operation's name and type on the request once the document is known."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            kind = self.execution_context.operation_type
            context.request.state.graphql_operation = (
                self.execution_context.operation_name,
                kind.value if kind is not None else None,
            )
        yield
