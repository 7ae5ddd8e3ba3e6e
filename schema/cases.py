"""Typical cases (典型案例) for the portal's epidemic column."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain.cases import CaseKind
from resolvers.cases import CaseView
from schema.enums import described
from schema.records import Record
from schema.results import UserError
from schema.subjects import Subject

described(
    CaseKind,
    "诚信良好 (GOOD) or 失信违法 (BAD) (notice 二(五))",
    {
        CaseKind.GOOD: "诚信良好: a case of good faith",
        CaseKind.BAD: "失信违法: a case of dishonesty or breach of law",
    },
)


@strawberry.type(description="典型案例: a published case, its subject and records masked")
class TypicalCase:
    id: strawberry.ID
    kind: CaseKind
    title: str
    summary: str
    published_at: datetime
    subject: Subject | None
    records: list[Record] = strawberry.field(
        description="The linked records still on public display, as the viewer may see them"
    )
    withdrawn: bool = strawberry.field(
        description="Every linked record has left public display (revoked, repaired, withdrawn "
        "or past its period): the case shows neither records nor subject any more"
    )

    @classmethod
    def of(cls, view: CaseView) -> TypicalCase:
        return cls(
            id=strawberry.ID(view.case.id),
            kind=view.case.kind,
            title=view.case.title,
            summary=view.case.summary,
            published_at=view.case.published_at,
            subject=None if view.subject is None else Subject.of(view.subject),
            records=[Record.of(r) for r in view.records],
            withdrawn=view.withdrawn,
        )


@strawberry.input
class PublishCaseInput:
    kind: CaseKind
    title: str
    summary: str
    subject: strawberry.ID | None = None
    records: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.type
class PublishCaseSuccess:
    case: TypicalCase


PublishCaseResult = Annotated[PublishCaseSuccess | UserError, strawberry.union("PublishCaseResult")]
