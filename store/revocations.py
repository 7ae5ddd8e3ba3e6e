"""Revoked token ids (`jti`), kept until the token would have expired anyway."""

from __future__ import annotations

from datetime import datetime

from store.database import REVOKED_TOKENS, Database


async def revoke_token(db: Database, *, token_id: str, expires_at: datetime) -> None:
    await db[REVOKED_TOKENS].update_one(
        {"_id": token_id}, {"$set": {"expires_at": expires_at}}, upsert=True
    )


async def is_revoked(db: Database, *, token_id: str) -> bool:
    return await db[REVOKED_TOKENS].find_one({"_id": token_id}, {"_id": 1}) is not None
