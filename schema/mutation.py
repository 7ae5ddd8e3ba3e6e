"""The Mutation root: single-entity mutations return `Success | UserError`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers import grants as grant_resolvers
from resolvers.context import Context
from resolvers.errors import ApiError
from schema.grants import (
    Grant,
    GrantAuthorizationInput,
    GrantAuthorizationResult,
    GrantAuthorizationSuccess,
    RevokeAuthorizationResult,
    RevokeAuthorizationSuccess,
)
from schema.results import UserError


@strawberry.type
class Mutation:
    @strawberry.mutation(description="A subject authorises an organisation to query its file")
    async def grant_authorization(
        self, info: Info[Context, None], input: GrantAuthorizationInput
    ) -> GrantAuthorizationResult:
        try:
            grant = await grant_resolvers.grant_authorization(
                info.context,
                org=input.org,
                purpose=input.purpose,
                data_classes=input.data_classes,
                until=input.until,
                evidence=input.evidence,
            )
        except ApiError as error:
            return UserError.of(error)
        return GrantAuthorizationSuccess(grant=Grant.of(grant, info.context.now))

    @strawberry.mutation(description="A subject withdraws one of its grants at once")
    async def revoke_authorization(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> RevokeAuthorizationResult:
        try:
            grant = await grant_resolvers.revoke_authorization(info.context, grant_id=str(id))
        except ApiError as error:
            return UserError.of(error)
        return RevokeAuthorizationSuccess(grant=Grant.of(grant, info.context.now))
