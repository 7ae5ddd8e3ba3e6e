"""Credit commitments (信用承诺) and their mutations' inputs and results."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from domain.commitments import CommitmentKind, CommitmentStatus
from domain.disclosure import Severity
from resolvers import commitments as commitment_resolvers
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.commitments import CommitmentGiven, CommitmentView
from resolvers.context import Context
from resolvers.records import RecordView
from schema.catalogue import DataItem
from schema.connections import After, Connection, First, connection
from schema.enums import PublicAttribute, described
from schema.errors import UserError, mutation_result
from schema.records import Record

if TYPE_CHECKING:
    from schema.subjects import Subject

described(
    CommitmentKind,
    "承诺类型: where the commitment was made (notice 二(九))",
    {
        CommitmentKind.LICENSING: "行政许可: made to obtain an administrative licence",
        CommitmentKind.EPIDEMIC_PREVENTION: "疫情防控: made in epidemic prevention",
        CommitmentKind.RESUMPTION_OF_WORK: "复工复产: made to resume work and production",
        CommitmentKind.CREDIT_REPAIR: "信用修复: made in a credit repair application",
    },
)
described(
    CommitmentStatus,
    "承诺状态",
    {
        CommitmentStatus.ACTIVE: "In force: neither fulfilled nor violated yet",
        CommitmentStatus.FULFILLED: "Kept to the end",
        CommitmentStatus.VIOLATED: "Broken: the violation became a dishonesty record "
        "(notice 一(二)5)",
    },
)


@strawberry.type(description="信用承诺: data items masked as the COMMITMENT catalogue item says")
class Commitment:
    id: strawberry.ID = strawberry.field(description="The commitment's id")
    kind: CommitmentKind = strawberry.field(description="承诺类型")
    status: CommitmentStatus = strawberry.field(
        description="承诺状态: active, fulfilled or violated"
    )
    managing_unit: str = strawberry.field(description="The managing unit's code")
    signed_on: date = strawberry.field(description="The day it was signed")
    valid_from: date = strawberry.field(description="The first day it binds")
    valid_until: date = strawberry.field(description="The last day it binds (inclusive)")
    fulfilled_on: date | None = strawberry.field(
        description="The day the managing unit confirmed it was kept; null unless FULFILLED"
    )
    violated_on: date | None = strawberry.field(description="The day the breach was found")
    data_items: list[DataItem] = strawberry.field(
        description="Its data items (数据项), masked for the viewer as the "
        "COMMITMENT catalogue item says"
    )
    access_level: PublicAttribute = strawberry.field(
        description="The viewer's access level (公开属性) for this subject, which set the masks"
    )
    view: strawberry.Private[CommitmentView]

    @strawberry.field(description="The dishonesty record the breach became (一(二)5), if shown")
    async def violation_record(self, info: Info[Context, None]) -> Record | None:
        record_id = self.view.commitment.violation_record_id
        if record_id is None:
            return None
        found = await record_resolvers.record(info.context, record_id)
        return None if found is None else Record.of(found)

    @strawberry.field(description="The subject who committed, masked for the viewer")
    async def subject(
        self, info: Info[Context, None]
    ) -> Annotated[Subject, strawberry.lazy("schema.subjects")] | None:
        from schema.subjects import Subject

        found = await subject_resolvers.subject_by_id(info.context, self.view.commitment.subject_id)
        return None if found is None else Subject.of(found)

    @classmethod
    def of(cls, view: CommitmentView) -> Commitment:
        c = view.commitment
        return cls(
            id=strawberry.ID(c.id),
            kind=c.kind,
            status=c.status,
            managing_unit=c.managing_unit,
            signed_on=c.signed_on,
            valid_from=c.valid_from,
            valid_until=c.valid_until,
            fulfilled_on=c.fulfilled_on,
            violated_on=c.violated_on,
            data_items=[DataItem.of(v) for v in view.data_items],
            access_level=view.level,
            view=view,
        )


@strawberry.input(description="A commitment as the managing unit registers it")
class RegisterCommitmentInput:
    subject: strawberry.ID = strawberry.field(description="The subject who committed")
    kind: CommitmentKind = strawberry.field(description="Where the commitment was made")
    number: str = strawberry.field(description="承诺书编号, unique within the managing unit")
    content: str = strawberry.field(description="承诺内容: what the subject committed to")
    benefits: str | None = strawberry.field(
        default=None, description="享受的便利措施, e.g. 容缺受理 (notice 二(九))"
    )
    signatory: str | None = strawberry.field(
        default=None, description="Who signed for the subject, if not the subject itself"
    )
    signed_on: date = strawberry.field(description="The day it was signed")
    valid_from: date = strawberry.field(description="The first day it binds")
    valid_until: date = strawberry.field(description="Inclusive; at most 36 months on")

    def to_given(self) -> CommitmentGiven:
        return CommitmentGiven(
            subject_id=str(self.subject),
            kind=self.kind,
            number=self.number,
            content=self.content,
            benefits=self.benefits,
            signatory=self.signatory,
            signed_on=self.signed_on,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


@strawberry.type(description="The commitment was registered")
class RegisterCommitmentSuccess:
    commitment: Commitment = strawberry.field(description="The new commitment, ACTIVE")

    @classmethod
    def of(cls, done: CommitmentView) -> RegisterCommitmentSuccess:
        return cls(commitment=Commitment.of(done))


@strawberry.type(description="The commitment was confirmed as kept")
class FulfilCommitmentSuccess:
    commitment: Commitment = strawberry.field(description="The commitment, FULFILLED")

    @classmethod
    def of(cls, done: CommitmentView) -> FulfilCommitmentSuccess:
        return cls(commitment=Commitment.of(done))


@strawberry.type(description="The breach was recorded as dishonesty (notice 一(二)5)")
class ReportCommitmentViolationSuccess:
    commitment: Commitment = strawberry.field(description="The commitment, VIOLATED")
    record: Record = strawberry.field(description="The DISHONEST_5 record the breach became")

    @classmethod
    def of(cls, done: tuple[CommitmentView, RecordView]) -> ReportCommitmentViolationSuccess:
        commitment, record = done
        return cls(commitment=Commitment.of(commitment), record=Record.of(record))


RegisterCommitmentResult = Annotated[
    RegisterCommitmentSuccess | UserError,
    strawberry.union(
        "RegisterCommitmentResult",
        description="RegisterCommitmentSuccess when done, or a UserError saying "
        "why nothing changed",
    ),
]
FulfilCommitmentResult = Annotated[
    FulfilCommitmentSuccess | UserError,
    strawberry.union(
        "FulfilCommitmentResult",
        description="FulfilCommitmentSuccess when done, or a UserError saying why nothing changed",
    ),
]
ReportCommitmentViolationResult = Annotated[
    ReportCommitmentViolationSuccess | UserError,
    strawberry.union(
        "ReportCommitmentViolationResult",
        description="ReportCommitmentViolationSuccess when done, or a UserError "
        "saying why nothing changed",
    ),
]


@strawberry.type
class CommitmentMutation:
    """Writes of credit commitments: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(description="The managing unit registers a credit commitment (二(九))")
    async def register_commitment(
        self,
        info: Info[Context, None],
        input: Annotated[
            RegisterCommitmentInput, strawberry.argument(description="The commitment as signed")
        ],
    ) -> RegisterCommitmentResult:
        return await mutation_result(
            commitment_resolvers.register_commitment(info.context, input.to_given()),
            RegisterCommitmentSuccess.of,
        )

    @strawberry.mutation(description="The managing unit confirms a commitment was kept")
    async def fulfil_commitment(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The commitment, ACTIVE")],
    ) -> FulfilCommitmentResult:
        return await mutation_result(
            commitment_resolvers.fulfil_commitment(info.context, commitment_id=str(id)),
            FulfilCommitmentSuccess.of,
        )

    @strawberry.mutation(
        description="The managing unit reports a broken commitment; the breach becomes a "
        "DISHONEST_5 dishonesty record (notice 一(二)5), linked both ways"
    )
    async def report_commitment_violation(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The commitment, ACTIVE")],
        facts: Annotated[
            str, strawberry.argument(description="What was done against the commitment")
        ],
        decision_date: Annotated[
            date,
            strawberry.argument(description="The day the unit decided the breach (ISO 8601 date)"),
        ],
        document_number: Annotated[
            str, strawberry.argument(description="The decision's document number (文号)")
        ],
        epidemic_impact: Annotated[
            str,
            strawberry.argument(
                description="How the breach added to the risk or cost of epidemic prevention "
                "(notice 一(二)5)"
            ),
        ],
        severity: Annotated[
            Severity,
            strawberry.argument(
                description="General (一般) or serious (严重) dishonesty; sets the "
                "disclosure period"
            ),
        ],
    ) -> ReportCommitmentViolationResult:
        return await mutation_result(
            commitment_resolvers.report_commitment_violation(
                info.context,
                commitment_id=str(id),
                facts=facts,
                epidemic_impact=epidemic_impact,
                decision_date=decision_date,
                document_number=document_number,
                severity=severity,
            ),
            ReportCommitmentViolationSuccess.of,
        )


@strawberry.type
class CommitmentQuery:
    """Reads of credit commitments: fields of the Query root (schema/query.py)."""

    @strawberry.field(
        description="Commitments, newest signing first: all for government and the centre, "
        "its own for a subject, those it manages for a managing unit; for anyone else the "
        "public list (信用承诺公示, 二(九)): organisations' commitments valid today with their "
        "status, masked as Subject.commitments masks them (totalCount only with a subject)"
    )
    async def commitments(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this subject's commitments")
        ] = None,
        status: Annotated[
            CommitmentStatus | None,
            strawberry.argument(description="Only commitments with this status"),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Commitment]:
        page = await commitment_resolvers.commitments(
            info.context,
            subject_id=None if subject is None else str(subject),
            status=status,
            first=first,
            after=after,
        )
        return connection(page, Commitment.of)
