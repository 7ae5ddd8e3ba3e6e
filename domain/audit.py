"""Audit events: every read above PUBLIC and every write, kept at least five years.

Shenzhen Social Credit Regulation art. 45: query records are kept for at least five years,
and the subject may learn who looked at its file.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

RETENTION = timedelta(days=5 * 366)


class AuditAction(StrEnum):
    READ = "READ"
    WRITE = "WRITE"


class AuditEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    at: datetime
    action: AuditAction
    operation: str = Field(max_length=200)
    viewer_sub: str | None = None
    viewer_org: str | None = None
    viewer_role: str | None = None
    scopes: tuple[str, ...] = ()
    subject_ids: tuple[str, ...] = ()
    record_ids: tuple[str, ...] = ()
    data_item_keys: tuple[str, ...] = ()
    grant_ids: tuple[str, ...] = ()
    purpose: str | None = Field(default=None, max_length=200)
    request_id: str | None = None
