"""The financing profile a bank reads with the subject's grant (notice 三(十三))."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import financing as financing_resolvers
from resolvers.context import Context
from resolvers.financing import FinancingProfileView
from schema.blacklist import BlacklistEntry
from schema.commitments import Commitment
from schema.eligibility import Eligibility
from schema.records import Record
from schema.subjects import Subject


@strawberry.type(description="A repaired record (信用修复): it stays in the file, off display")
class RepairEntry:
    record_id: strawberry.ID = strawberry.field(description="The repaired record")
    item_code: str = strawberry.field(description="Its catalogue item's code")
    item_title: str = strawberry.field(description="Its catalogue item's title")
    decision_date: date = strawberry.field(description="The day of its decision")
    repaired_at: datetime | None = strawberry.field(
        description="When the repair was approved; null when not recorded"
    )


@strawberry.type(description="The grade and the facts that gave it, by the documented rule")
class FinancingGrade:
    grade: str = strawberry.field(
        description="The grade, e.g. A; grades and their order are set by the grading rule"
    )
    label: str = strawberry.field(description="What the grade means, in Chinese")
    reasons: list[str] = strawberry.field(description="The conditions that gave the grade")


@strawberry.type(description="融资信用画像: what a bank sees with the firm's live grant")
class FinancingProfile:
    subject: Subject = strawberry.field(description="The subject, as the bank may see it")
    grant_id: strawberry.ID = strawberry.field(description="The grant this query relied on")
    good_records: list[Record] = strawberry.field(
        description="良好行为 records on public display (notice 一(一))"
    )
    active_dishonesty: list[Record] = strawberry.field(
        description="Dishonesty records on public display"
    )
    blacklisted: bool = strawberry.field(
        description="Whether an entry is in force today (notice 二(八))"
    )
    blacklist_entries: list[BlacklistEntry] = strawberry.field(description="Entries in force")
    commitments: list[Commitment] = strawberry.field(
        description="Its credit commitments (信用承诺)"
    )
    repairs: list[RepairEntry] = strawberry.field(description="Its repaired records (信用修复)")
    eligibility: Eligibility = strawberry.field(description="The financing programme (信易贷)")
    grade: FinancingGrade = strawberry.field(description="The financing grade")

    @classmethod
    def of(cls, view: FinancingProfileView, today: date) -> FinancingProfile:
        return cls(
            subject=Subject.of(view.subject),
            grant_id=strawberry.ID(view.grant.id),
            good_records=[Record.of(r) for r in view.good_records],
            active_dishonesty=[Record.of(r) for r in view.active_dishonesty],
            blacklisted=bool(view.blacklist_entries),
            blacklist_entries=[BlacklistEntry.of(e, today) for e in view.blacklist_entries],
            commitments=[Commitment.of(c) for c in view.commitments],
            repairs=[
                RepairEntry(
                    record_id=strawberry.ID(r.record_id),
                    item_code=r.item_code,
                    item_title=r.item_title,
                    decision_date=r.decision_date,
                    repaired_at=r.repaired_at,
                )
                for r in view.repairs
            ],
            eligibility=Eligibility.of(view.eligibility),
            grade=FinancingGrade(
                grade=view.grade.grade, label=view.grade.label, reasons=list(view.grade.reasons)
            ),
        )


@strawberry.type
class FinancingQuery:
    """Reads of financing profiles: fields of the Query root (schema/query.py)."""

    @strawberry.field(
        description="A bank's financing profile of a subject, with the subject's live grant "
        "to the bank's org (financing:read; notice 三(十三))"
    )
    async def financing_profile(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The subject, who granted the bank's org a live authorization"
            ),
        ],
    ) -> FinancingProfile:
        found = await financing_resolvers.financing_profile(info.context, subject_id=str(subject))
        return FinancingProfile.of(found, info.context.today)
