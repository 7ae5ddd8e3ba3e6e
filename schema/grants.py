"""Authorisation grants (授权) and their mutations' inputs and results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain.grants import AuthorizationGrant
from schema.enums import Category
from schema.results import UserError


@strawberry.type(description="授权: a subject lets an organisation query its file")
class Grant:
    id: strawberry.ID
    subject_id: strawberry.ID
    org: str
    purpose: str
    data_classes: list[Category]
    valid_from: datetime
    valid_until: datetime
    evidence: str | None
    revoked_at: datetime | None
    live: bool

    @classmethod
    def of(cls, grant: AuthorizationGrant, now: datetime) -> Grant:
        return cls(
            id=strawberry.ID(grant.id),
            subject_id=strawberry.ID(grant.subject_id),
            org=grant.grantee_org,
            purpose=grant.purpose,
            data_classes=list(grant.data_classes),
            valid_from=grant.valid_from,
            valid_until=grant.valid_until,
            evidence=grant.evidence,
            revoked_at=grant.revoked_at,
            live=grant.live(now),
        )


@strawberry.input
class GrantAuthorizationInput:
    org: str = strawberry.field(description="The grantee organisation's code (the bank)")
    purpose: str
    data_classes: list[Category]
    until: datetime = strawberry.field(description="At most 366 days from now")
    evidence: str | None = None


@strawberry.type
class GrantAuthorizationSuccess:
    grant: Grant


@strawberry.type
class RevokeAuthorizationSuccess:
    grant: Grant


GrantAuthorizationResult = Annotated[
    GrantAuthorizationSuccess | UserError,
    strawberry.union(
        "GrantAuthorizationResult",
        description="GrantAuthorizationSuccess when done, or a UserError saying "
        "why nothing changed",
    ),
]
RevokeAuthorizationResult = Annotated[
    RevokeAuthorizationSuccess | UserError,
    strawberry.union(
        "RevokeAuthorizationResult",
        description="RevokeAuthorizationSuccess when done, or a UserError saying "
        "why nothing changed",
    ),
]
