"""Error codes and masking: every error carries a stable code; unexpected ones say no more.

Parse and validation errors come from graphql-core and strawberry's guards without a code;
`code_for` names one, which the HTTP endpoint adds, so clients branch on `extensions.code` alone.
"""

from __future__ import annotations

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import ApiError

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
