"""Typical cases (典型案例) for the portal's epidemic column (notice 二(五))."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.catalogue import Category


class CaseKind(StrEnum):
    GOOD = "GOOD"  # 诚信良好
    BAD = "BAD"  # 失信违法


# A case links records of its own kind: good behaviour for a good case, dishonesty for a bad one.
CASE_CATEGORY = {CaseKind.GOOD: Category.GOOD, CaseKind.BAD: Category.DISHONEST}


class TypicalCase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: CaseKind
    title: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    summary: str = Field(
        min_length=1, max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$"
    )
    subject_id: str | None = None
    record_ids: tuple[str, ...] = Field(default=(), max_length=20)
    published_at: datetime
    published_by: str
