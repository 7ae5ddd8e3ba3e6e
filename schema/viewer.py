"""The viewer: who the token says is asking."""

from __future__ import annotations

import strawberry

from auth.viewer import Viewer as ViewerModel
from schema.enums import PublicAttribute


@strawberry.type(description="The holder of the request's token, or the anonymous portal")
class Viewer:
    authenticated: bool
    sub: str | None
    role: str | None
    org: str | None
    unit: str | None
    subject_id: strawberry.ID | None
    scopes: list[str]
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
