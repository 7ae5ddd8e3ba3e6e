"""Expected errors of the API, each with a stable code in `extensions.code`.

    ApiError                 base: message for the client, code, optional field
    ├── InvalidArgument      BAD_USER_INPUT: an argument breaks a rule (names field and rule)
    │   ├── InvalidIdentifier INVALID_IDENTIFIER: a code or number fails its check character
    │   ├── InvalidCursor     INVALID_CURSOR: `after` is not a cursor this API issued
    │   └── PageTooLarge      PAGE_SIZE: `first` is outside 0..100
    ├── NotFound             NOT_FOUND: what a mutation names does not exist for this viewer
    ├── Forbidden            FORBIDDEN: the token lacks a scope (named in the message)
    └── ForbiddenFilter      FORBIDDEN_FILTER: a lookup or filter by a value the viewer may
                             not see, refused so that answers cannot act as an oracle

graphql-core copies an original error's `extensions` onto the GraphQL error, and the schema's
error masking lets `ApiError` messages through while hiding everything else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError


class ApiError(Exception):
    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code}
        if field is not None:
            self.extensions["field"] = field


class InvalidArgument(ApiError):
    code = "BAD_USER_INPUT"


class InvalidIdentifier(InvalidArgument):
    code = "INVALID_IDENTIFIER"


class InvalidCursor(InvalidArgument):
    code = "INVALID_CURSOR"


class PageTooLarge(InvalidArgument):
    code = "PAGE_SIZE"


class NotFound(ApiError):
    code = "NOT_FOUND"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class ForbiddenFilter(ApiError):
    code = "FORBIDDEN_FILTER"


def invalid_argument(exc: ValidationError, names: dict[str, str]) -> InvalidArgument:
    """The first problem of a model built from arguments, naming the argument and the rule."""
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    argument = names.get(field, field or "input")
    return InvalidArgument(f"{argument}: {error['msg']}", field=argument)
