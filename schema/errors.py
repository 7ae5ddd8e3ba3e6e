"""Error masking: expected errors keep their message and code, anything else is hidden."""

from __future__ import annotations

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from resolvers.errors import ApiError

INTERNAL_ERROR = "INTERNAL_ERROR"


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
