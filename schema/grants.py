"""Authorisation grants (授权) and their mutations' inputs and results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain.grants import AuthorizationGrant
from schema.enums import Category
from schema.errors import UserError


@strawberry.type(description="授权: a subject lets an organisation query its file")
class Grant:
    id: strawberry.ID = strawberry.field(description="The grant's id")
    subject_id: strawberry.ID = strawberry.field(description="The subject who granted")
    org: str = strawberry.field(description="The grantee organisation's code")
    purpose: str = strawberry.field(
        description="What the organisation may query for, as the subject agreed"
    )
    data_classes: list[Category] = strawberry.field(
        description="The categories of information it may see at the AUTHORIZED level"
    )
    valid_from: datetime = strawberry.field(description="When it was granted")
    valid_until: datetime = strawberry.field(description="When it lapses")
    evidence: str | None = strawberry.field(
        description="A reference to the signed authorization, if given"
    )
    revoked_at: datetime | None = strawberry.field(
        description="When the subject withdrew it; null unless withdrawn"
    )
    live: bool = strawberry.field(description="Whether it is in force now: not revoked, not lapsed")

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


@strawberry.input(description="What a subject authorises an organisation to query")
class GrantAuthorizationInput:
    org: str = strawberry.field(description="The grantee organisation's code (the bank)")
    purpose: str = strawberry.field(
        description="What the organisation may query for, e.g. a loan application"
    )
    data_classes: list[Category] = strawberry.field(
        description="The categories of information it may see"
    )
    until: datetime = strawberry.field(description="At most 366 days from now")
    evidence: str | None = strawberry.field(
        default=None, description="A reference to the signed authorization, if any"
    )


@strawberry.type(description="The grant is in force")
class GrantAuthorizationSuccess:
    grant: Grant = strawberry.field(description="The new grant")


@strawberry.type(description="The grant was withdrawn")
class RevokeAuthorizationSuccess:
    grant: Grant = strawberry.field(description="The grant, revoked")


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
