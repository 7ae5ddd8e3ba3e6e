"""Typical cases (典型案例) for the portal's epidemic column."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.cases import CaseKind
from resolvers import cases as case_resolvers
from resolvers.cases import CaseView
from resolvers.context import Context
from schema.connections import After, Connection, First, connection
from schema.enums import described
from schema.errors import UserError, mutation_result
from schema.records import Record
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
    id: strawberry.ID = strawberry.field(description="The case's id")
    kind: CaseKind = strawberry.field(description="诚信良好 or 失信违法")
    title: str = strawberry.field(description="The headline, as published")
    summary: str = strawberry.field(description="The case as told to the public")
    published_at: datetime = strawberry.field(description="When it was published")
    subject: Subject | None = strawberry.field(
        description="The subject the case is about, masked for the viewer; null "
        "when none is named or the case is withdrawn"
    )
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


@strawberry.input(description="A typical case (典型案例) to publish (notice 二(五))")
class PublishCaseInput:
    kind: CaseKind = strawberry.field(description="诚信良好 or 失信违法")
    title: str = strawberry.field(description="The headline")
    summary: str = strawberry.field(description="The case as told to the public")
    subject: strawberry.ID | None = strawberry.field(
        default=None, description="The subject the case is about, if it names one"
    )
    records: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Records on public display that the case rests on; none by default",
    )


@strawberry.type(description="The case was published")
class PublishCaseSuccess:
    case: TypicalCase = strawberry.field(description="The published case")

    @classmethod
    def of(cls, done: CaseView) -> PublishCaseSuccess:
        return cls(case=TypicalCase.of(done))


PublishCaseResult = Annotated[
    PublishCaseSuccess | UserError,
    strawberry.union(
        "PublishCaseResult",
        description="PublishCaseSuccess when done, or a UserError saying why nothing changed",
    ),
]


@strawberry.type
class CaseMutation:
    """Writes of typical cases: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(description="The credit centre publishes a typical case (notice 二(五))")
    async def publish_case(
        self,
        info: Info[Context, None],
        input: Annotated[
            PublishCaseInput,
            strawberry.argument(
                description="The case: kind, title, summary, and the subject and records it names"
            ),
        ],
    ) -> PublishCaseResult:
        return await mutation_result(
            case_resolvers.publish_case(
                info.context,
                kind=input.kind,
                title=input.title,
                summary=input.summary,
                subject_id=None if input.subject is None else str(input.subject),
                record_ids=[str(r) for r in input.records],
            ),
            PublishCaseSuccess.of,
        )


@strawberry.type
class CaseQuery:
    """Reads of typical cases: fields of the Query root (schema/query.py)."""

    @strawberry.field(description="Typical cases for the portal, newest first (notice 二(五))")
    async def cases(
        self,
        info: Info[Context, None],
        kind: Annotated[
            CaseKind | None, strawberry.argument(description="Only GOOD or only BAD cases")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[TypicalCase]:
        page = await case_resolvers.cases(info.context, kind=kind, first=first, after=after)
        return connection(page, TypicalCase.of)
