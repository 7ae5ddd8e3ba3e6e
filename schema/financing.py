"""The financing profile a bank reads with the subject's grant (notice 三(十三))."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from resolvers.financing import FinancingProfileView
from schema.blacklist import BlacklistEntry
from schema.commitments import Commitment
from schema.eligibility import Eligibility
from schema.records import Record
from schema.subjects import Subject


@strawberry.type(description="A repaired record (信用修复): it stays in the file, off display")
class RepairEntry:
    record_id: strawberry.ID
    item_code: str
    item_title: str
    decision_date: date
    repaired_at: datetime | None


@strawberry.type(description="The grade and the facts that gave it, by the documented rule")
class FinancingGrade:
    grade: str
    label: str
    reasons: list[str]


@strawberry.type(description="融资信用画像: what a bank sees with the firm's live grant")
class FinancingProfile:
    subject: Subject
    grant_id: strawberry.ID = strawberry.field(description="The grant this query relied on")
    good_records: list[Record]
    active_dishonesty: list[Record] = strawberry.field(
        description="Dishonesty records on public display"
    )
    blacklisted: bool
    blacklist_entries: list[BlacklistEntry] = strawberry.field(description="Entries in force")
    commitments: list[Commitment]
    repairs: list[RepairEntry]
    eligibility: Eligibility = strawberry.field(description="The financing programme (信易贷)")
    grade: FinancingGrade

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
