"""Authorisation grants: subjects grant and revoke; subject, grantee and centre read them."""

from __future__ import annotations

import secrets
from datetime import datetime

from pydantic import ValidationError

from auth.viewer import Scope
from domain.catalogue import Category
from domain.grants import MAX_GRANT_PERIOD, AuthorizationGrant
from resolvers.access import own_subject, refuse
from resolvers.context import Context
from resolvers.errors import InvalidArgument, NotFound, invalid_argument
from store import grants as grant_store


def _own_subject(ctx: Context) -> str:
    refusal = f"this needs a subject's own token with scope {Scope.GRANTS_WRITE}"
    return own_subject(ctx, Scope.GRANTS_WRITE, refusal)


async def grant_authorization(
    ctx: Context,
    *,
    org: str,
    purpose: str,
    data_classes: list[Category],
    until: datetime,
    evidence: str | None,
) -> AuthorizationGrant:
    subject_id = _own_subject(ctx)
    if until <= ctx.now:
        raise InvalidArgument("until must be in the future", field="until")
    if until - ctx.now > MAX_GRANT_PERIOD:
        raise InvalidArgument("a grant lasts at most 366 days", field="until")
    try:
        grant = AuthorizationGrant(
            id=f"g-{secrets.token_hex(10)}",
            subject_id=subject_id,
            grantee_org=org.strip(),
            purpose=purpose.strip(),
            data_classes=tuple(dict.fromkeys(data_classes)),
            valid_from=ctx.now,
            valid_until=until,
            evidence=evidence,
            created_at=ctx.now,
        )
    except ValidationError as exc:
        raise invalid_argument(exc, ARGUMENT_NAMES) from None
    await grant_store.insert_grant(ctx.db, grant=grant)
    ctx.audit.wrote_for(subject_id)
    return grant


async def revoke_authorization(ctx: Context, *, grant_id: str) -> AuthorizationGrant:
    subject_id = _own_subject(ctx)
    revoked = await grant_store.revoke_grant(
        ctx.db, grant_id=grant_id, subject_id=subject_id, at=ctx.now
    )
    if revoked is None:
        raise NotFound("you have no grant with this id that is not revoked yet", field="id")
    ctx.audit.wrote_for(subject_id)
    return revoked


async def grants(ctx: Context, *, subject_id: str | None) -> list[AuthorizationGrant]:
    """The subject's own grants, the grants to a bank's organisation, or any for the centre."""
    viewer = ctx.viewer
    if viewer.has(Scope.RESTRICTED_READ):
        return await grant_store.find_grants(ctx.db, subject_id=subject_id)
    if viewer.subject_id is not None and viewer.has(Scope.SUBJECT_SELF):
        return await grant_store.find_grants(ctx.db, subject_id=viewer.subject_id)
    if viewer.org is not None and viewer.has(Scope.FINANCING_READ):
        return await grant_store.find_grants(ctx.db, subject_id=subject_id, grantee_org=viewer.org)
    refuse(
        f"grants are for the subject ({Scope.SUBJECT_SELF}), its grantee "
        f"({Scope.FINANCING_READ}) or the credit centre ({Scope.RESTRICTED_READ})"
    )


ARGUMENT_NAMES = {
    "grantee_org": "org",
    "purpose": "purpose",
    "data_classes": "dataClasses",
    "valid_until": "until",
    "evidence": "evidence",
}
