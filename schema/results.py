"""What mutations return when they cannot do what was asked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from resolvers.errors import ApiError

T = TypeVar("T")
S = TypeVar("S")


@strawberry.type(description="An expected failure: a stable code, a message, the field at fault")
class UserError:
    code: str = strawberry.field(description="A stable code to branch on, e.g. NOT_FOUND")
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
