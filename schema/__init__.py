"""The GraphQL schema: types, roots, the guards that run before execution, and naming the
operation for the log line and metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from resolvers.context import Context
from schema.audit import WriteAuditTrail
from schema.errors import HideUnexpectedErrors, is_unexpected
from schema.execution import ExecutionContext as PlainFirstExecution
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import AwareDateTime

log = logging.getLogger("creditgraph.graphql")


@dataclass(frozen=True)
class Limits:
    """Guards against oversized or too costly documents (GraphQL Armor's defaults)."""

    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000


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


class CreditSchema(strawberry.Schema):
    """Logs only unexpected errors: refusals a client caused are answers, not incidents."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                log.error("unexpected error: %s", error.message, exc_info=error.original_error)


def create_schema(
    limits: Limits,
    *,
    suggestions: bool,
    introspection: bool = True,
    guards: Sequence[Callable[[], SchemaExtension]] = (),
) -> strawberry.Schema:
    """The schema; field suggestions and introspection are off in production by default (they
    map the schema for a prober).

    `guards` are the server's extensions; they come last, so they run after validation and
    see errors before `HideUnexpectedErrors` masks them.
    """
    # Extensions are factories, one instance per operation; the two caches are shared by
    # strawberry at module level whatever the instance. The limiters' rules are made once:
    # each limiter instance makes new rule classes, which would miss the validation cache
    # (keyed by the rules) and validate every request again (issue 9: 13% of a page's time).
    limit_rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
        *([] if introspection else [NoSchemaIntrospectionCustomRule]),
    ]
    return CreditSchema(
        query=Query,
        mutation=Mutation,
        execution_context_class=PlainFirstExecution,
        config=StrawberryConfig(
            disable_field_suggestions=not suggestions,
            scalar_map={datetime: AwareDateTime},
        ),
        extensions=[
            partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
            partial(ParserCache, maxsize=256),
            partial(AddValidationRules, limit_rules),
            partial(ValidationCache, maxsize=256),
            HideUnexpectedErrors,
            NameOperation,
            WriteAuditTrail,
            *guards,
        ],
    )


def sdl() -> str:
    """The schema in SDL, as committed in `schema.graphql`."""
    return create_schema(Limits(), suggestions=False).as_str() + "\n"
