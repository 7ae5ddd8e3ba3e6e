"""Credit repair (信用修复) applications and their mutations' inputs and results."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain import repair
from domain.fast_track import FastTrackReason
from domain.repair import (
    MissingKind,
    RepairDecision,
    RepairMeasure,
    RepairState,
)
from resolvers import records as record_resolvers
from resolvers import repair as repair_resolvers
from resolvers.context import Context
from resolvers.repair import EvidenceGiven
from schema.connections import After, Connection, First, connection
from schema.enums import described
from schema.errors import UserError, mutation_result
from schema.evidence import EvidenceFile, application_evidence_files
from schema.records import Record

described(
    RepairState,
    "SUBMITTED → ACCEPTED → APPROVED | REJECTED",
    {
        RepairState.SUBMITTED: "Applied for, not yet accepted by the credit centre",
        RepairState.ACCEPTED: "Accepted for review (受理); the decision deadline runs",
        RepairState.NEEDS_MATERIALS: "The credit centre asked for missing materials",
        RepairState.APPROVED: "Repaired (信用修复): the record's display ended early",
        RepairState.REJECTED: "Refused, with reasons",
    },
)
described(
    RepairDecision,
    "The credit centre's decision, or its one extension",
    {
        RepairDecision.APPROVE: "Approve: the record's display ends early",
        RepairDecision.REJECT: "Reject, with a reason",
        RepairDecision.EXTEND: "Extend the decision deadline, once",
    },
)
described(
    FastTrackReason,
    "Why notice 三(十一) fast-tracks an application (never one about an 一(二) epidemic "
    "offence): decided within 1 working day, first in the credit centre's queue",
    {
        FastTrackReason.EPIDEMIC_CAUSE: "The dishonest act was caused by the epidemic",
        FastTrackReason.EPIDEMIC_SUPPORT_SUBJECT: "The subject does front-line, medical or "
        "supply work in the epidemic",
    },
)
described(
    MissingKind,
    "What an application lacks",
    {
        MissingKind.MEASURE: "The measure was not declared as taken",
        MissingKind.EVIDENCE: "The measure was declared, but no evidence shows it",
    },
)


@strawberry.type(description="Evidence of one measure, as the subject gave it")
class RepairEvidence:
    kind: RepairMeasure = strawberry.field(description="The measure the evidence shows")
    description: str = strawberry.field(description="What the evidence is")
    document_number: str | None = strawberry.field(
        description="The document's number, if it has one"
    )


@strawberry.type(description="What an incomplete application lacks (一次性告知: all at once)")
class MissingMaterial:
    measure: RepairMeasure = strawberry.field(description="The measure concerned")
    kind: MissingKind = strawberry.field(
        description="Whether the measure or its evidence is missing"
    )


@strawberry.type(description="One step of an application's history")
class RepairStep:
    state: RepairState = strawberry.field(description="The state entered")
    at: datetime = strawberry.field(description="When")
    by: str = strawberry.field(
        description="Who: the applicant's or reviewer's token subject, or \"system\""
    )
    reason: str = strawberry.field(description="Why; empty when none was given")


@strawberry.type(description="信用修复申请: deadlines in working days (Shenzhen regulation)")
class RepairApplication:
    id: strawberry.ID = strawberry.field(description="The application's id")
    record_id: strawberry.ID = strawberry.field(description="The record to repair")
    subject_id: strawberry.ID = strawberry.field(description="The applicant subject")
    state: RepairState = strawberry.field(description="Where the application stands")
    measures: list[RepairMeasure] = strawberry.field(
        description="The measures the subject declared as taken"
    )
    evidence: list[RepairEvidence] = strawberry.field(description="The evidence given for them")
    missing: list[MissingMaterial] = strawberry.field(
        description="Empty unless the state is NEEDS_MATERIALS"
    )
    fast_track: bool = strawberry.field(
        description="Handled fast (从快从简, notice 三(十一)): decided within 1 working day"
    )
    fast_track_reasons: list[FastTrackReason] = strawberry.field(
        description="Why it is fast-tracked; empty when it is not"
    )
    submitted_at: datetime = strawberry.field(description="When it was filed")
    accept_by: date | None = strawberry.field(
        description="Accepted on the spot when complete; on the next working day if filed "
        "on a day off"
    )
    decide_by: date | None = strawberry.field(description="3 working days after acceptance")
    extended_to: date | None = strawberry.field(description="The one extension, 3 working days")
    due_on: date | None = strawberry.field(description="The deadline in force")
    overdue: bool = strawberry.field(description="Still undecided after the deadline in force")
    decided_at: datetime | None = strawberry.field(
        description="When it was approved or rejected; null until then"
    )
    reason: str = strawberry.field(
        description="The decision's reason, shown to the subject; empty until decided"
    )
    history: list[RepairStep] = strawberry.field(
        description="Every state it passed through, oldest first"
    )

    @strawberry.field(description="The record to repair, if the viewer may see it")
    async def record(self, info: Info[Context, None]) -> Record | None:
        found = await record_resolvers.record(info.context, str(self.record_id))
        return None if found is None else Record.of(found)

    @strawberry.field(
        description="The evidence files attached (证明材料), in the order attached: for the "
        "credit centre (repair:review) only, FORBIDDEN for anyone else"
    )
    async def evidence_files(self, info: Info[Context, None]) -> list[EvidenceFile] | None:
        return await application_evidence_files(
            info, application_id=str(self.id), subject_id=str(self.subject_id)
        )

    @classmethod
    def of(cls, application: repair.RepairApplication, today: date) -> RepairApplication:
        return cls(
            id=strawberry.ID(application.id),
            record_id=strawberry.ID(application.record_id),
            subject_id=strawberry.ID(application.subject_id),
            state=application.state,
            measures=list(application.measures),
            evidence=[
                RepairEvidence(
                    kind=e.kind, description=e.description, document_number=e.document_number
                )
                for e in application.evidence
            ],
            missing=[MissingMaterial(measure=m.measure, kind=m.kind) for m in application.missing],
            fast_track=application.fast_track,
            fast_track_reasons=list(application.fast_track_reasons),
            submitted_at=application.submitted_at,
            accept_by=application.accepted_on,
            decide_by=application.decide_by,
            extended_to=application.extended_to,
            due_on=application.due_on,
            overdue=application.overdue(today),
            decided_at=application.decided_at,
            reason=application.reason,
            history=[
                RepairStep(state=s.state, at=s.at, by=s.by, reason=s.reason)
                for s in application.history
            ],
        )


@strawberry.input(description="Evidence of one measure")
class EvidenceInput:
    kind: RepairMeasure = strawberry.field(description="The measure the evidence shows")
    description: str = strawberry.field(description="What the evidence is, e.g. 缴款凭证")
    document_number: str | None = strawberry.field(
        default=None, description="The document's number, if it has one"
    )

    def given(self) -> EvidenceGiven:
        return EvidenceGiven(self.kind, self.description, self.document_number)


@strawberry.input(description="A credit repair (信用修复) application (notice 三(十一))")
class ApplyForRepairInput:
    record: strawberry.ID = strawberry.field(
        description="The dishonesty record to repair, one of the subject's own"
    )
    measures: list[RepairMeasure] = strawberry.field(description="The measures taken")
    evidence: list[EvidenceInput] = strawberry.field(
        default_factory=list, description="Evidence of the measures; none by default"
    )


@strawberry.type(description="The application was filed")
class ApplyForRepairSuccess:
    application: RepairApplication = strawberry.field(
        description="The new application; NEEDS_MATERIALS lists what is missing"
    )

    @classmethod
    def of(cls, done: repair.RepairApplication, today: date) -> ApplyForRepairSuccess:
        return cls(application=RepairApplication.of(done, today))


@strawberry.type(description="The decision was recorded")
class ReviewRepairSuccess:
    application: RepairApplication = strawberry.field(
        description="The application as decided or extended"
    )

    @classmethod
    def of(cls, done: repair.RepairApplication, today: date) -> ReviewRepairSuccess:
        return cls(application=RepairApplication.of(done, today))


ApplyForRepairResult = Annotated[
    ApplyForRepairSuccess | UserError,
    strawberry.union(
        "ApplyForRepairResult",
        description="ApplyForRepairSuccess when done, or a UserError saying why nothing changed",
    ),
]
ReviewRepairResult = Annotated[
    ReviewRepairSuccess | UserError,
    strawberry.union(
        "ReviewRepairResult",
        description="ReviewRepairSuccess when done, or a UserError saying why nothing changed",
    ),
]


@strawberry.type
class RepairMutation:
    """Writes of credit repair: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(description="A subject applies to repair a dishonesty record (三(十一))")
    async def apply_for_repair(
        self,
        info: Info[Context, None],
        input: Annotated[
            ApplyForRepairInput,
            strawberry.argument(
                description="The record to repair, the measures taken and their evidence"
            ),
        ],
    ) -> ApplyForRepairResult:
        return await mutation_result(
            repair_resolvers.apply_for_repair(
                info.context,
                record_id=str(input.record),
                measures=input.measures,
                evidence=[e.given() for e in input.evidence],
            ),
            partial(ApplyForRepairSuccess.of, today=info.context.today),
        )

    @strawberry.mutation(
        description="The credit centre approves or rejects a repair application, or extends "
        "its deadline once by 3 working days; approval ends the record's public disclosure"
    )
    async def review_repair(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The repair application")],
        decision: Annotated[
            RepairDecision,
            strawberry.argument(description="Approve, reject, or extend the deadline once"),
        ],
        reason: Annotated[
            str | None,
            strawberry.argument(
                description="Why; required to reject or extend, shown to the subject"
            ),
        ] = None,
    ) -> ReviewRepairResult:
        return await mutation_result(
            repair_resolvers.review_repair(
                info.context, application_id=str(id), decision=decision, reason=reason
            ),
            partial(ReviewRepairSuccess.of, today=info.context.today),
        )


@strawberry.type
class RepairQuery:
    """Reads of credit repair: fields of the Query root (schema/query.py)."""

    @strawberry.field(
        description="Repair applications: all for the credit centre in its review order (fast "
        "track first, then oldest; notice 三(十一)), its own for a subject, newest first; "
        "overdue: undecided past the deadline in force (or not)"
    )
    async def repair_applications(
        self,
        info: Info[Context, None],
        state: Annotated[
            RepairState | None, strawberry.argument(description="Only applications in this state")
        ] = None,
        overdue: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only undecided ones past their deadline; false: only "
                "those that are not"
            ),
        ] = None,
        subject: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this subject's applications (credit centre)"),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[RepairApplication]:
        page = await repair_resolvers.repair_applications(
            info.context,
            state=state,
            overdue=overdue,
            subject_id=None if subject is None else str(subject),
            first=first,
            after=after,
        )
        today = info.context.today
        return connection(page, lambda a: RepairApplication.of(a, today))
