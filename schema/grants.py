"""Authorisation grants (授权) and their mutations' inputs and results."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.grants import AuthorizationGrant
from resolvers import grants as grant_resolvers
from resolvers.context import Context
from schema.enums import Category
from schema.errors import UserError, mutation_result


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

    @classmethod
    def of(cls, done: AuthorizationGrant, now: datetime) -> GrantAuthorizationSuccess:
        return cls(grant=Grant.of(done, now))


@strawberry.type(description="The grant was withdrawn")
class RevokeAuthorizationSuccess:
    grant: Grant = strawberry.field(description="The grant, revoked")

    @classmethod
    def of(cls, done: AuthorizationGrant, now: datetime) -> RevokeAuthorizationSuccess:
        return cls(grant=Grant.of(done, now))


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


@strawberry.type
class GrantMutation:
    """Writes of authorisation grants: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(description="A subject authorises an organisation to query its file")
    async def grant_authorization(
        self,
        info: Info[Context, None],
        input: Annotated[
            GrantAuthorizationInput,
            strawberry.argument(description="Who may query, why, which data, until when"),
        ],
    ) -> GrantAuthorizationResult:
        return await mutation_result(
            grant_resolvers.grant_authorization(
                info.context,
                org=input.org,
                purpose=input.purpose,
                data_classes=input.data_classes,
                until=input.until,
                evidence=input.evidence,
            ),
            partial(GrantAuthorizationSuccess.of, now=info.context.now),
        )

    @strawberry.mutation(description="A subject withdraws one of its grants at once")
    async def revoke_authorization(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The grant, one of the subject's own")
        ],
    ) -> RevokeAuthorizationResult:
        return await mutation_result(
            grant_resolvers.revoke_authorization(info.context, grant_id=str(id)),
            partial(RevokeAuthorizationSuccess.of, now=info.context.now),
        )


@strawberry.type
class GrantQuery:
    """Reads of authorisation grants: fields of the Query root (schema/query.py)."""

    @strawberry.field(description="Authorisation grants the viewer may see")
    async def grants(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this subject's grants")
        ] = None,
    ) -> list[Grant]:
        found = await grant_resolvers.grants(
            info.context, subject_id=None if subject is None else str(subject)
        )
        return [Grant.of(g, info.context.now) for g in found]
