"""The viewer: who the token says is asking."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from auth.viewer import Viewer as ViewerModel
from resolvers.context import Context
from schema.enums import PublicAttribute


@strawberry.type(description="The holder of the request's token, or the anonymous portal")
class Viewer:
    authenticated: bool = strawberry.field(description="Whether a valid token was sent")
    sub: str | None = strawberry.field(description="The token's subject; null when anonymous")
    role: str | None = strawberry.field(description="The token's role; null when anonymous")
    org: str | None = strawberry.field(
        description="The organisation the token belongs to; null when none"
    )
    unit: str | None = strawberry.field(
        description="The source unit (信源单位) code the token submits for; null when none"
    )
    subject_id: strawberry.ID | None = strawberry.field(
        description="The credit subject the token belongs to (self-access); null when none"
    )
    scopes: list[str] = strawberry.field(description="What the token may do, sorted")
    base_level: PublicAttribute = strawberry.field(
        description="The level held for every subject, before grants and self-access"
    )

    @classmethod
    def of(cls, viewer: ViewerModel) -> Viewer:
        return cls(
            authenticated=viewer.authenticated,
            sub=viewer.sub,
            role=viewer.role,
            org=viewer.org,
            unit=viewer.unit,
            subject_id=None if viewer.subject_id is None else strawberry.ID(viewer.subject_id),
            scopes=sorted(viewer.scopes),
            base_level=viewer.base_level,
        )


@strawberry.type
class ViewerQuery:
    """Who is asking: fields of the Query root (schema/query.py)."""

    @strawberry.field(description="Who is asking")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return Viewer.of(info.context.viewer)
