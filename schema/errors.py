"""Errors: what mutations return when they cannot do what was asked (`UserError`), the codes
of errors, and masking: every error carries a stable code; unexpected ones say no more.

Parse and validation errors come from graphql-core and strawberry's guards without a code;
`code_for` names one, which the HTTP endpoint adds, so clients branch on `extensions.code` alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import ApiError

T = TypeVar("T")
S = TypeVar("S")

INTERNAL_ERROR = "INTERNAL_ERROR"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"

# The guards' messages (strawberry's depth, alias and token limiters) mark a refused document.
_GUARD_MESSAGES = (
    "exceeds maximum operation depth",
    "aliases found",
    "Document contains more than",
)


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by code (not by parsing, validation or an `ApiError`) are unexpected."""
    original = error.original_error
    return original is not None and not isinstance(original, ApiError | GraphQLError)


class HideUnexpectedErrors(MaskErrors):
    """`MaskErrors` that still tells the client a stable code, never a message or a stack."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message="Internal server error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL_ERROR}
        return masked


def code_for(error: GraphQLError) -> str:
    if isinstance(error.original_error, ApiError):
        # A scalar refused a value while the document's arguments were coerced.
        return error.original_error.code
    if any(marker in error.message for marker in _GUARD_MESSAGES):
        return TOO_COMPLEX
    if error.message.startswith("Syntax Error"):
        return PARSE_FAILED
    return VALIDATION_FAILED


@strawberry.type(description="An expected failure: a stable code, a message, the field at fault")
class UserError:
    code: str = strawberry.field(
        description="A stable code to branch on, e.g. NOT_FOUND; CONFLICT: other requests kept "
        "changing it, try again"
    )
    message: str = strawberry.field(description="What went wrong, for a developer")
    field: str | None = strawberry.field(
        description="The input field at fault; null when no single field is"
    )

    @classmethod
    def of(cls, error: ApiError) -> UserError:
        field = error.extensions.get("field")
        return cls(code=error.code, message=error.message, field=field)


async def mutation_result(call: Awaitable[T], success: Callable[[T], S]) -> S | UserError:
    """A single-entity mutation's result: `success` of what `call` returns, or the expected
    failure it raised."""
    try:
        done = await call
    except ApiError as error:
        return UserError.of(error)
    return success(done)
