"""Authorisation grants (授权): a subject lets one organisation query its file.

A bank sees a firm above PUBLIC only with the firm's live grant to the bank's organisation
(notice 三(十三); Shenzhen regulation arts. 40-41: querying non-public information needs the
subject's authorisation, for a stated purpose and period).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.catalogue import Category

MAX_GRANT_PERIOD = timedelta(days=366)


class AuthorizationGrant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    subject_id: str
    grantee_org: str = Field(min_length=1, max_length=64)
    purpose: str = Field(min_length=1, max_length=200)
    data_classes: tuple[Category, ...] = Field(min_length=1)
    valid_from: datetime
    valid_until: datetime
    evidence: str | None = Field(default=None, max_length=500)
    revoked_at: datetime | None = None
    created_at: datetime

    @model_validator(mode="after")
    def _period_is_bounded(self) -> Self:
        if self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        if self.valid_until - self.valid_from > MAX_GRANT_PERIOD:
            raise ValueError("a grant lasts at most 366 days")
        return self

    def live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.valid_from <= now < self.valid_until

    def covers(self, category: Category) -> bool:
        return category in self.data_classes
