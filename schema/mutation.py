"""The Mutation root: single-entity mutations return `Success | UserError`."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain import commitments, records
from domain.disclosure import Severity
from domain.repair import RepairDecision
from resolvers import blacklist as blacklist_resolvers
from resolvers import cases as case_resolvers
from resolvers import commitments as commitment_resolvers
from resolvers import filings as filing_resolvers
from resolvers import grants as grant_resolvers
from resolvers import objections as objection_resolvers
from resolvers import recording_preference as preference_resolvers
from resolvers import records as record_resolvers
from resolvers import repair as repair_resolvers
from resolvers import reports as report_resolvers
from resolvers import submission as submission_resolvers
from resolvers.commitments import CommitmentView
from resolvers.context import Context
from resolvers.records import RecordView
from schema.blacklist import (
    BlacklistEntry,
    ListOnBlacklistResult,
    ListOnBlacklistSuccess,
    RemoveFromBlacklistResult,
    RemoveFromBlacklistSuccess,
)
from schema.cases import PublishCaseInput, PublishCaseResult, PublishCaseSuccess, TypicalCase
from schema.commitments import (
    Commitment,
    FulfilCommitmentResult,
    FulfilCommitmentSuccess,
    RegisterCommitmentInput,
    RegisterCommitmentResult,
    RegisterCommitmentSuccess,
    ReportCommitmentViolationResult,
    ReportCommitmentViolationSuccess,
)
from schema.enums import ObjectionGrounds, ObjectionOutcome
from schema.errors import mutation_result
from schema.grants import (
    Grant,
    GrantAuthorizationInput,
    GrantAuthorizationResult,
    GrantAuthorizationSuccess,
    RevokeAuthorizationResult,
    RevokeAuthorizationSuccess,
)
from schema.objections import (
    DataItemValueInput,
    ExtendObjectionResult,
    ExtendObjectionSuccess,
    FileObjectionResult,
    FileObjectionSuccess,
    Objection,
    ResolveObjectionResult,
    ResolveObjectionSuccess,
)
from schema.records import Record, RecordAnnualReportFiledResult, RecordAnnualReportFiledSuccess
from schema.repair import (
    ApplyForRepairInput,
    ApplyForRepairResult,
    ApplyForRepairSuccess,
    RepairApplication,
    ReviewRepairResult,
    ReviewRepairSuccess,
)
from schema.reports import (
    CreditReport,
    IssueCreditReportResult,
    IssueCreditReportSuccess,
    ReportPurpose,
)
from schema.subjects import (
    SetRecordingPreferenceResult,
    SetRecordingPreferenceSuccess,
)
from schema.submission import (
    RecordSubmissionInput,
    RevokeRecordResult,
    RevokeRecordSuccess,
    SubmitRecordsResult,
)


@strawberry.type(
    description="Writes. Each single-entity mutation returns its Success type or a "
    "UserError with a stable code; refusals of access are errors with "
    "extensions.code"
)
class Mutation:
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
            lambda a: ApplyForRepairSuccess(
                application=RepairApplication.of(a, info.context.today)
            ),
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
            lambda a: ReviewRepairSuccess(application=RepairApplication.of(a, info.context.today)),
        )

    @strawberry.mutation(description="A subject disputes one of its records; annotated at once")
    async def file_objection(
        self,
        info: Info[Context, None],
        record: Annotated[
            strawberry.ID,
            strawberry.argument(description="The disputed record, one of the subject's own"),
        ],
        grounds: Annotated[ObjectionGrounds, strawberry.argument(description="What is disputed")],
        description: Annotated[
            str | None,
            strawberry.argument(
                description="The subject's explanation; required when grounds is OTHER"
            ),
        ] = None,
    ) -> FileObjectionResult:
        return await mutation_result(
            objection_resolvers.file_objection(
                info.context, record_id=str(record), grounds=grounds, description=description
            ),
            lambda o: FileObjectionSuccess(objection=Objection.of(o, info.context.today)),
        )

    @strawberry.mutation(
        description="The credit centre or the record's source unit resolves an objection: "
        "corrected (with the corrected data items), removed from display, or upheld"
    )
    async def resolve_objection(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The objection")],
        outcome: Annotated[
            ObjectionOutcome,
            strawberry.argument(description="Corrected, removed from display, or upheld"),
        ],
        reason: Annotated[
            str | None, strawberry.argument(description="Why, shown to the subject")
        ] = None,
        corrected_data_items: Annotated[
            list[DataItemValueInput] | None,
            strawberry.argument(
                description="The corrected values by data item key; only with outcome CORRECTED"
            ),
        ] = None,
    ) -> ResolveObjectionResult:
        return await mutation_result(
            objection_resolvers.resolve_objection(
                info.context,
                objection_id=str(id),
                outcome=outcome,
                reason=reason,
                corrections={i.key: i.value for i in corrected_data_items or []},
            ),
            lambda o: ResolveObjectionSuccess(objection=Objection.of(o, info.context.today)),
        )

    @strawberry.mutation(
        description="The source unit's decision on an objection is extended once, by 3 "
        "working days, on or before its deadline"
    )
    async def extend_objection(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The objection")],
        reason: Annotated[
            str, strawberry.argument(description="Why more time is needed, shown to the subject")
        ],
    ) -> ExtendObjectionResult:
        return await mutation_result(
            objection_resolvers.extend_objection(info.context, objection_id=str(id), reason=reason),
            lambda o: ExtendObjectionSuccess(objection=Objection.of(o, info.context.today)),
        )

    @strawberry.mutation(
        description="A natural person refuses (or allows again) the recording of "
        "commendations, volunteering and donations about them (Shenzhen regulation art. 39)"
    )
    async def set_recording_preference(
        self,
        info: Info[Context, None],
        opt_out: Annotated[
            bool,
            strawberry.argument(
                description="true refuses the recording from now on and hides such records; "
                "false allows it again"
            ),
        ],
    ) -> SetRecordingPreferenceResult:
        return await mutation_result(
            preference_resolvers.set_recording_preference(info.context, opt_out=opt_out),
            lambda p: SetRecordingPreferenceSuccess(
                opted_out=p.opted_out, records_changed=p.records_changed
            ),
        )

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
            lambda view: PublishCaseSuccess(case=TypicalCase.of(view)),
        )

    @strawberry.mutation(description="The managing unit registers a credit commitment (二(九))")
    async def register_commitment(
        self,
        info: Info[Context, None],
        input: Annotated[
            RegisterCommitmentInput, strawberry.argument(description="The commitment as signed")
        ],
    ) -> RegisterCommitmentResult:
        return await mutation_result(
            _commitment_view(
                info.context,
                commitment_resolvers.register_commitment(info.context, input.to_given()),
            ),
            lambda view: RegisterCommitmentSuccess(commitment=Commitment.of(view)),
        )

    @strawberry.mutation(description="The managing unit confirms a commitment was kept")
    async def fulfil_commitment(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The commitment, ACTIVE")],
    ) -> FulfilCommitmentResult:
        return await mutation_result(
            _commitment_view(
                info.context,
                commitment_resolvers.fulfil_commitment(info.context, commitment_id=str(id)),
            ),
            lambda view: FulfilCommitmentSuccess(commitment=Commitment.of(view)),
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
            _violation_views(
                info.context,
                commitment_resolvers.report_commitment_violation(
                    info.context,
                    commitment_id=str(id),
                    facts=facts,
                    epidemic_impact=epidemic_impact,
                    decision_date=decision_date,
                    document_number=document_number,
                    severity=severity,
                ),
            ),
            lambda views: ReportCommitmentViolationSuccess(
                commitment=Commitment.of(views[0]), record=Record.of(views[1])
            ),
        )

    @strawberry.mutation(
        description="The credit centre lists a subject on the blacklist, resting on serious "
        "dishonesty on public display (notice 二(八)); the notice to the subject is kept"
    )
    async def list_on_blacklist(
        self,
        info: Info[Context, None],
        subject: Annotated[strawberry.ID, strawberry.argument(description="The subject to list")],
        basis_records: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="Its serious dishonesty records on public display that ground the "
                "listing"
            ),
        ],
        reason: Annotated[
            str, strawberry.argument(description="Why, as told to the subject in the notice")
        ],
        until: Annotated[
            date,
            strawberry.argument(
                description="The last day in force; not past the display of the basis records"
            ),
        ],
    ) -> ListOnBlacklistResult:
        return await mutation_result(
            blacklist_resolvers.list_on_blacklist(
                info.context,
                subject_id=str(subject),
                basis_record_ids=[str(r) for r in basis_records],
                reason=reason,
                until=until,
            ),
            lambda e: ListOnBlacklistSuccess(entry=BlacklistEntry.of(e, info.context.today)),
        )

    @strawberry.mutation(description="The credit centre removes an entry in force at once")
    async def remove_from_blacklist(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The entry, in force")],
        reason: Annotated[str, strawberry.argument(description="Why it is removed")],
    ) -> RemoveFromBlacklistResult:
        return await mutation_result(
            blacklist_resolvers.remove_from_blacklist(
                info.context, entry_id=str(id), reason=reason
            ),
            lambda e: RemoveFromBlacklistSuccess(entry=BlacklistEntry.of(e, info.context.today)),
        )

    @strawberry.mutation(description="A subject authorises an organisation to query its file")
    async def grant_authorization(
        self,
        info: Info[Context, None],
        input: Annotated[
            GrantAuthorizationInput,
            strawberry.argument(description="Who may query, why, which data, until when"),
        ],
    ) -> GrantAuthorizationResult:
        return await mutation_result(
            grant_resolvers.grant_authorization(
                info.context,
                org=input.org,
                purpose=input.purpose,
                data_classes=input.data_classes,
                until=input.until,
                evidence=input.evidence,
            ),
            lambda g: GrantAuthorizationSuccess(grant=Grant.of(g, info.context.now)),
        )

    @strawberry.mutation(description="A subject withdraws one of its grants at once")
    async def revoke_authorization(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The grant, one of the subject's own")
        ],
    ) -> RevokeAuthorizationResult:
        return await mutation_result(
            grant_resolvers.revoke_authorization(info.context, grant_id=str(id)),
            lambda g: RevokeAuthorizationSuccess(grant=Grant.of(g, info.context.now)),
        )

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
            lambda view: RevokeRecordSuccess(record=Record.of(view)),
        )

    @strawberry.mutation(
        description="A registration authority reports that the firm filed its annual report: "
        "the late-report record (经营异常名录) is cleared, its display ends; no repair needed "
        "(notice 三(十))"
    )
    async def record_annual_report_filed(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The late-report record (经营异常名录)")
        ],
        filed_on: Annotated[
            date,
            strawberry.argument(description="The day the annual report was filed (ISO 8601 date)"),
        ],
    ) -> RecordAnnualReportFiledResult:
        return await mutation_result(
            filing_resolvers.record_annual_report_filed(
                info.context, record_id=str(id), filed_on=filed_on
            ),
            lambda view: RecordAnnualReportFiledSuccess(record=Record.of(view)),
        )

    @strawberry.mutation(
        description="A signed credit report with the centre's seal, for the subject itself or "
        "the credit centre (notice 二(六))"
    )
    async def issue_credit_report(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID, strawberry.argument(description="The subject the report is about")
        ],
        purpose: Annotated[
            ReportPurpose,
            strawberry.argument(
                description="What the report is for; it selects the sections shown"
            ),
        ],
    ) -> IssueCreditReportResult:
        return await mutation_result(
            report_resolvers.issue_credit_report(
                info.context, subject_id=str(subject), purpose=purpose.domain
            ),
            lambda report: IssueCreditReportSuccess(report=CreditReport.of(report)),
        )


async def _commitment_view(
    ctx: Context, commitment: Awaitable[commitments.Commitment]
) -> CommitmentView:
    return await commitment_resolvers.view_of(ctx, await commitment)


async def _violation_views(
    ctx: Context, reported: Awaitable[tuple[commitments.Commitment, records.Record]]
) -> tuple[CommitmentView, RecordView]:
    commitment, record = await reported
    return (
        await commitment_resolvers.view_of(ctx, commitment),
        await record_resolvers.view_of(ctx, record),
    )
