"""What mutations return when they cannot do what was asked."""

from __future__ import annotations

import strawberry

from resolvers.errors import ApiError


@strawberry.type(description="An expected failure: a stable code, a message, the field at fault")
class UserError:
    code: str
    message: str
    field: str | None

    @classmethod
    def of(cls, error: ApiError) -> UserError:
        field = error.extensions.get("field")
        return cls(code=error.code, message=error.message, field=field)
