"""Record submission by source units: inputs, per-item results, and revocation's result."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain import submission as domain
from domain.errors import Problem as DomainProblem
from domain.outcomes import ItemResult, Outcome
from domain.submission import submission_of
from resolvers import submission as submission_resolvers
from resolvers.context import Context
from resolvers.records import RecordView
from schema.enums import Severity, SubjectKind, described
from schema.errors import UserError, mutation_result
from schema.records import Record

described(
    Outcome,
    "What became of one submission",
    {
        Outcome.ACCEPTED: "Stored as a new record",
        Outcome.DUPLICATE: "Sent before with the same content: the stored record, unchanged",
        Outcome.CONFLICT: "Sent before with this sourceRecordId but other content; the problem "
        "names the fields that differ; nothing stored",
        Outcome.REJECTED: "Refused; the problems say why; nothing stored",
    },
    name="SubmissionOutcome",
)


@strawberry.input(description="The subject a record is about; created with its first record")
class SubjectInput:
    kind: SubjectKind = strawberry.field(description="What kind of subject")
    identifier: str = strawberry.field(
        description="Unified social credit code, or resident identity number for a person"
    )
    name: str = strawberry.field(description="The registered name, or the person's name")


@strawberry.input(description="One data item (数据项) of the catalogue item, by key")
class DataItemInput:
    key: str = strawberry.field(description="The data item's key in the catalogue")
    value: str = strawberry.field(description="The value, written as the data item's format says")


@strawberry.input(description="One record as its source unit submits it (notice 一(三))")
class RecordSubmissionInput:
    source_record_id: str = strawberry.field(
        description="The unit's own id of the record; a batch sent again changes nothing"
    )
    subject: SubjectInput = strawberry.field(description="The subject the record is about")
    item: str = strawberry.field(description="The catalogue item code")
    decision_date: date = strawberry.field(
        description="The day of the decision (ISO 8601 date); it starts the disclosure period"
    )
    document_number: str = strawberry.field(description="The decision's document number (文号)")
    severity: Severity | None = strawberry.field(
        default=None, description="Required for dishonesty items, refused for others"
    )
    epidemic_related: bool = strawberry.field(
        default=False,
        description="The epidemic caused the lapse (notice 三(十), 三(十一)); a 一(二) act decided "
        "in the epidemic window takes the serious period (二(八)) whatever this says",
    )
    data_items: list[DataItemInput] = strawberry.field(
        default_factory=list, description="The item's data items (数据项), by key; none by default"
    )
    correction: bool = strawberry.field(
        default=False,
        description="Supersede the stored version of this record, keeping its history",
    )

    def to_domain(self) -> domain.RecordSubmission:
        return submission_of(self)


@strawberry.type(description="One problem with a submission: a stable code and the field at fault")
class Problem:
    code: str = strawberry.field(description="A stable code, e.g. REQUIRED_MISSING")
    field: str = strawberry.field(
        description="The field at fault, e.g. decisionDate or dataItems.amount"
    )
    message: str = strawberry.field(description="What is wrong, for a developer")

    @classmethod
    def of(cls, problem: DomainProblem) -> Problem:
        return cls(code=problem.code.value, field=problem.field, message=problem.message)


@strawberry.type(description="What became of one submission of the batch")
class SubmissionResult:
    index: int = strawberry.field(description="Position of the submission in the batch")
    source_record_id: str = strawberry.field(
        description="The unit's own id of the record, as submitted"
    )
    outcome: Outcome = strawberry.field(description="What became of it")
    record_id: strawberry.ID | None = strawberry.field(
        description="The stored record, unless the submission was rejected"
    )
    problems: list[Problem] = strawberry.field(
        description="Why it was rejected or conflicts; empty when accepted"
    )

    @classmethod
    def of(cls, result: ItemResult) -> SubmissionResult:
        return cls(
            index=result.index,
            source_record_id=result.source_record_id,
            outcome=result.outcome,
            record_id=None if result.record_id is None else strawberry.ID(result.record_id),
            problems=[Problem.of(p) for p in result.problems],
        )


@strawberry.type(
    description="A batch's answer: counts by outcome, and one result per submission in order"
)
class SubmitRecordsResult:
    accepted: int = strawberry.field(description="Submissions stored as new records")
    duplicates: int = strawberry.field(description="Submissions sent before with the same content")
    conflicts: int = strawberry.field(description="Submissions sent before with other content")
    rejected: int = strawberry.field(description="Submissions refused")
    results: list[SubmissionResult] = strawberry.field(
        description="One result per submission, in the order sent"
    )

    @classmethod
    def of(cls, results: list[ItemResult]) -> SubmitRecordsResult:
        outcomes = [r.outcome for r in results]
        return cls(
            accepted=outcomes.count(Outcome.ACCEPTED),
            duplicates=outcomes.count(Outcome.DUPLICATE),
            conflicts=outcomes.count(Outcome.CONFLICT),
            rejected=outcomes.count(Outcome.REJECTED),
            results=[SubmissionResult.of(r) for r in results],
        )


@strawberry.type(description="The record was revoked")
class RevokeRecordSuccess:
    record: Record = strawberry.field(description="The record, REVOKED")

    @classmethod
    def of(cls, done: RecordView) -> RevokeRecordSuccess:
        return cls(record=Record.of(done))


RevokeRecordResult = Annotated[
    RevokeRecordSuccess | UserError,
    strawberry.union(
        "RevokeRecordResult",
        description="RevokeRecordSuccess when done, or a UserError saying why nothing changed",
    ),
]


@strawberry.type
class SubmissionMutation:
    """Writes of submitted records: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="A source unit submits up to 1,000 records; each is answered on its own "
        "(notice 一(三), 一(四))"
    )
    async def submit_records(
        self,
        info: Info[Context, None],
        records: Annotated[
            list[RecordSubmissionInput],
            strawberry.argument(
                description="1 to 1,000 records; each is answered on its own, in order"
            ),
        ],
    ) -> SubmitRecordsResult:
        results = await submission_resolvers.submit_records(
            info.context, [r.to_domain() for r in records]
        )
        return SubmitRecordsResult.of(results)

    @strawberry.mutation(
        description="The unit that submitted a record revokes it (the decision was overturned)"
    )
    async def revoke_record(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The record, submitted by the viewer's unit"),
        ],
        reason: Annotated[str, strawberry.argument(description="Why it is revoked")],
    ) -> RevokeRecordResult:
        return await mutation_result(
            submission_resolvers.revoke_record(info.context, record_id=str(id), reason=reason),
            RevokeRecordSuccess.of,
        )
