"""Checks that run on a parsed, valid document before execution, and store failures after it.

`RequestGuards` refuses, before any resolver runs, a request whose estimated cost
(server/cost.py) is over the limit, and a creating mutation over its rate (per token and per
subject, in windows counted in the store so that every worker sees the same count).
`StoreFailureErrors` turns errors that say the store is down or too slow into
STORE_UNAVAILABLE, which the endpoint answers with 503.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import ExecutionResult, FieldNode, GraphQLError, OperationType, value_from_ast_untyped
from graphql import OperationDefinitionNode as Operation
from strawberry.extensions import SchemaExtension

from resolvers.context import Context
from schema.errors import TOO_COMPLEX
from server.cost import estimate_cost, operation_of
from server.refusals import (
    RATE_LIMITED,
    STORE_UNAVAILABLE,
    STORE_UNAVAILABLE_MESSAGE,
    Refused,
)
from store.counters import Window, add_to_window
from store.database import is_unavailable

# Mutations that create documents; each is limited per token and per subject or record named.
CREATING_MUTATIONS = frozenset(
    {
        "submitRecords",
        "issueCreditReport",
        "applyForRepair",
        "fileObjection",
        "registerCommitment",
        "reportCommitmentViolation",
        "listOnBlacklist",
        "grantAuthorization",
        "publishCase",
    }
)
# The arguments (or fields of an `input` argument) that name the subject a creation is about.
TARGET_ARGUMENTS = ("subject", "record", "subjectId", "recordId")
RATE_WINDOW_SECONDS = 60


class RequestGuards(SchemaExtension):
    """Refuse ambiguous, too costly or too frequent requests before execution."""

    def __init__(self, *, max_cost: int, creations_per_minute: int) -> None:
        self.max_cost = max_cost
        self.creations_per_minute = creations_per_minute

    async def on_execute(self) -> AsyncIterator[None]:
        try:
            await self._check()
        except Refused as refused:
            extensions: dict[str, Any] = {"code": refused.code}
            if refused.retry_after is not None:
                extensions["retryAfter"] = refused.retry_after
            error = GraphQLError(refused.message, extensions=extensions)
            self.execution_context.result = ExecutionResult(data=None, errors=[error])
        yield

    async def _check(self) -> None:
        execution = self.execution_context
        document = execution.graphql_document
        assert document is not None, "guards run after parsing"
        operation = operation_of(document, execution.operation_name)
        if operation is None:
            return  # an ambiguous document was refused by the endpoint (server/graphql.py)
        cost = estimate_cost(document, operation, execution.variables or {})
        if cost > self.max_cost:
            raise Refused(
                TOO_COMPLEX,
                f"the request's estimated cost is {cost}, over the limit of {self.max_cost}; "
                "ask for smaller pages, fewer nested lists or fewer totalCounts",
            )
        context = execution.context
        if operation.operation is OperationType.MUTATION and isinstance(context, Context):
            try:
                await self._check_rates(context, operation)
            except Exception as error:
                if not is_unavailable(error):
                    raise
                raise Refused(STORE_UNAVAILABLE, STORE_UNAVAILABLE_MESSAGE, retry_after=1) from None

    async def _check_rates(self, context: Context, operation: Operation) -> None:
        """Count each creating mutation against its token and its subject, refusing over rate."""
        window = Window(now=context.now, seconds=RATE_WINDOW_SECONDS)
        token = context.viewer.token_id or context.viewer.sub or "anonymous"
        variables = self.execution_context.variables or {}
        for field in operation.selection_set.selections:
            if not isinstance(field, FieldNode) or field.name.value not in CREATING_MUTATIONS:
                continue
            name = field.name.value
            counted = [f"create:{name}:token:{token}"]
            counted += [f"create:{name}:target:{t}" for t in _targets(field, variables)]
            for key in counted:
                count = await add_to_window(context.db, counted=key, window=window)
                if count > self.creations_per_minute:
                    raise Refused(
                        RATE_LIMITED,
                        f"{name} is limited to {self.creations_per_minute} a minute per token "
                        "and per subject; retry after the time in Retry-After",
                        retry_after=window.seconds_left,
                    )


def _targets(field: FieldNode, variables: dict[str, Any]) -> Iterator[str]:
    """The subject or record ids a creating mutation names, in its arguments or its input."""
    for argument in field.arguments or ():
        value = value_from_ast_untyped(argument.value, variables)
        if argument.name.value in TARGET_ARGUMENTS and isinstance(value, str):
            yield value
        elif argument.name.value == "input" and isinstance(value, dict):
            yield from (v for k, v in value.items() if k in TARGET_ARGUMENTS and isinstance(v, str))


class StoreFailureErrors(SchemaExtension):
    """Errors saying the store is down or too slow become STORE_UNAVAILABLE, never masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if not isinstance(result, ExecutionResult) or not result.errors:
            return
        result.errors = [
            GraphQLError(
                STORE_UNAVAILABLE_MESSAGE,
                nodes=error.nodes,
                path=error.path,
                extensions={"code": STORE_UNAVAILABLE},
            )
            if error.original_error is not None and is_unavailable(error.original_error)
            else error
            for error in result.errors
        ]
