"""Typical cases (典型案例) for the portal's epidemic column (notice 二(五))."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from domain.catalogue import Category
from domain.records import Record, publicly_visible


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


def shown_records(case: TypicalCase, linked: Sequence[Record | None], today: date) -> list[Record]:
    """The case's linked records it shows on `today`: those on public display, nothing else.

    Notice 二(五) publishes cases on the public portal, so a case may link only records on
    public display (`publishCase` refuses others). One that leaves display later (revoked,
    repaired, excused, removed on an objection, past its period) is hidden from the case, not
    kept: the portal must not show what the file no longer discloses.
    """
    return [
        r
        for r in linked
        if r is not None and r.id in case.record_ids and publicly_visible(r, today)
    ]


def withdrawn(case: TypicalCase, shown: Sequence[Record]) -> bool:
    """Whether every record the case linked has left display: it then no longer names its
    subject either, since it named the subject for those records."""
    return bool(case.record_ids) and not shown
