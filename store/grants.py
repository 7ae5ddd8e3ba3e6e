"""Reading and writing authorisation grants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.grants import AuthorizationGrant
from store.database import GRANTS, Database, Document
from store.documents import from_document, to_document

MAX_GRANTS_LISTED = 1000


def _grant(document: Document) -> AuthorizationGrant:
    data = from_document(document)
    data.pop("revoked")
    return AuthorizationGrant.model_validate(data)


def _document(grant: AuthorizationGrant) -> Document:
    # An explicit flag, because filters on a missing `revoked_at` are not portable
    # (nx-27017 treats null and missing alike in `$exists`).
    return to_document(grant) | {"revoked": grant.revoked_at is not None}


async def insert_grant(db: Database, *, grant: AuthorizationGrant) -> None:
    await db[GRANTS].insert_one(_document(grant))


async def get_grant(db: Database, *, grant_id: str) -> AuthorizationGrant | None:
    document = await db[GRANTS].find_one({"_id": grant_id})
    return None if document is None else _grant(document)


async def revoke_grant(
    db: Database, *, grant_id: str, subject_id: str, at: datetime
) -> AuthorizationGrant | None:
    """Revoke the subject's own grant; None when it has no such unrevoked grant."""
    await db[GRANTS].update_one(
        {"_id": grant_id, "subject_id": subject_id, "revoked": False},
        {"$set": {"revoked_at": at, "revoked": True}},
    )
    found = await get_grant(db, grant_id=grant_id)
    return found if found is not None and found.subject_id == subject_id else None


async def find_grants(
    db: Database, *, subject_id: str | None = None, grantee_org: str | None = None
) -> list[AuthorizationGrant]:
    """Grants newest first, of one subject or to one organisation (or all)."""
    query: Document = {}
    if subject_id is not None:
        query["subject_id"] = subject_id
    if grantee_org is not None:
        query["grantee_org"] = grantee_org
    cursor = db[GRANTS].find(query, sort=[("created_at", -1)], limit=MAX_GRANTS_LISTED)
    return [_grant(doc) for doc in await cursor.to_list(None)]


async def live_grants(
    db: Database, *, grantee_org: str, subject_ids: Sequence[str], now: datetime
) -> list[list[AuthorizationGrant]]:
    """Each subject's live grants to the organisation, in one round trip, in key order."""
    if not subject_ids:
        return []
    query: Document = {
        "grantee_org": grantee_org,
        "subject_id": {"$in": list(subject_ids)},
        "revoked": False,
        "valid_until": {"$gt": now},
    }
    found = await db[GRANTS].find(query, limit=MAX_GRANTS_LISTED).to_list(None)
    grants = [g for g in map(_grant, found) if g.live(now)]
    return [[g for g in grants if g.subject_id == s] for s in subject_ids]
