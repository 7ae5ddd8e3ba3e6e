"""The Query root."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.cases import CaseKind
from domain.commitments import CommitmentStatus
from domain.repair import RepairState
from resolvers import audit as audit_resolvers
from resolvers import blacklist as blacklist_resolvers
from resolvers import cases as case_resolvers
from resolvers import commitments as commitment_resolvers
from resolvers import eligibility as eligibility_resolvers
from resolvers import financing as financing_resolvers
from resolvers import grants as grant_resolvers
from resolvers import objections as objection_resolvers
from resolvers import records as record_resolvers
from resolvers import repair as repair_resolvers
from resolvers import reports as report_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.audit import AuditEvent
from schema.blacklist import BlacklistEntry
from schema.cases import TypicalCase
from schema.catalogue import Catalogue
from schema.commitments import Commitment
from schema.connections import After, Connection, First, connection
from schema.eligibility import Eligibility, Programme
from schema.enums import ObjectionState, SubjectKind
from schema.financing import FinancingProfile
from schema.grants import Grant
from schema.objections import Objection
from schema.records import Record, RecordChange, RecordFilter, record_spec
from schema.repair import RepairApplication
from schema.reports import ReportVerification
from schema.subjects import Subject
from schema.viewer import Viewer


@strawberry.type(
    description="Reads. What each field returns depends on who asks (the "
    "bearer token's role, org and scopes); records are masked by "
    "their public attribute (公开属性) for the viewer"
)
class Query:
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

    @strawberry.field(
        description="Objections, newest first: all for the credit centre, those about its "
        "records for a source unit, its own for a subject"
    )
    async def objections(
        self,
        info: Info[Context, None],
        state: Annotated[
            ObjectionState | None, strawberry.argument(description="Only objections in this state")
        ] = None,
        overdue: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only unresolved ones past their deadline; false: only "
                "those that are not"
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Objection]:
        page = await objection_resolvers.objections_list(
            info.context, state=state, overdue=overdue, first=first, after=after
        )
        today = info.context.today
        return connection(page, lambda o: Objection.of(o, today))

    @strawberry.field(
        description="Commitments, newest signing first: all for government and the centre, "
        "its own for a subject, those it manages for a managing unit"
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

    @strawberry.field(
        description="Blacklist entries, newest first (notice 二(八)): public while in force; "
        "entries no longer in force for the subject, government and the centre"
    )
    async def blacklist(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this subject's entries")
        ] = None,
        in_force: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only entries in force today; false: only those no "
                "longer in force"
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[BlacklistEntry]:
        page = await blacklist_resolvers.blacklist(
            info.context,
            subject_id=None if subject is None else str(subject),
            in_force=in_force,
            first=first,
            after=after,
        )
        today = info.context.today
        return connection(page, lambda e: BlacklistEntry.of(e, today))

    @strawberry.field(description="The incentive programmes in force (public)")
    def programmes(self) -> list[Programme]:
        return [Programme.of(p) for p in eligibility_resolvers.programmes()]

    @strawberry.field(description="One subject judged against a programme (eligibility:read)")
    async def eligibility(
        self,
        info: Info[Context, None],
        subject: Annotated[strawberry.ID, strawberry.argument(description="The subject to judge")],
        programme: Annotated[
            str, strawberry.argument(description="The programme's code (Programme.code)")
        ],
    ) -> Eligibility:
        [found] = await eligibility_resolvers.eligibilities(
            info.context, subject_ids=[str(subject)], programme_code=programme
        )
        return Eligibility.of(found)

    @strawberry.field(
        description="Up to 1,000 subjects judged against a programme, in the order given, "
        "at the store cost of one (eligibility:read)"
    )
    async def eligibilities(
        self,
        info: Info[Context, None],
        subjects: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="1 to 1,000 subject ids; answered in the same order"),
        ],
        programme: Annotated[
            str, strawberry.argument(description="The programme's code (Programme.code)")
        ],
    ) -> list[Eligibility]:
        found = await eligibility_resolvers.eligibilities(
            info.context, subject_ids=[str(s) for s in subjects], programme_code=programme
        )
        return [Eligibility.of(e) for e in found]

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

    @strawberry.field(description="Who is asking")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return Viewer.of(info.context.viewer)

    @strawberry.field(description="A published catalogue version; the one in force when omitted")
    def catalogue(
        self,
        info: Info[Context, None],
        version: Annotated[
            str | None,
            strawberry.argument(
                description="A catalogue version, e.g. 2020.1; the one in force today when omitted"
            ),
        ] = None,
    ) -> Catalogue | None:
        ctx = info.context
        found = (
            ctx.catalogues.in_force(ctx.today)
            if version is None
            else ctx.catalogues.version(version)
        )
        return None if found is None else Catalogue.of(found)

    @strawberry.field(description="A subject by id or by identifier (give exactly one)")
    async def subject(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The subject's id")
        ] = None,
        identifier: Annotated[
            str | None,
            strawberry.argument(
                description="Unified social credit code, or resident identity number for a person"
            ),
        ] = None,
    ) -> Subject | None:
        found = await subject_resolvers.subject(
            info.context, subject_id=None if id is None else str(id), identifier=identifier
        )
        return None if found is None else Subject.of(found)

    @strawberry.field(description="Subjects in id order; search matches the start of the name")
    async def subjects(
        self,
        info: Info[Context, None],
        search: Annotated[
            str | None, strawberry.argument(description="Matches the start of the subject's name")
        ] = None,
        kind: Annotated[
            SubjectKind | None, strawberry.argument(description="Only subjects of this kind")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Subject]:
        page = await subject_resolvers.subjects(
            info.context, search=search, kind=kind, first=first, after=after
        )
        return connection(page, Subject.of)

    @strawberry.field(description="A record by id, if the viewer may see it")
    async def record(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The record's id")],
    ) -> Record | None:
        found = await record_resolvers.record(info.context, str(id))
        return None if found is None else Record.of(found)

    @strawberry.field(description="Records, newest decision first")
    async def records(
        self,
        info: Info[Context, None],
        filter: Annotated[
            RecordFilter | None,
            strawberry.argument(description="Which records; all the viewer may see when omitted"),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Record]:
        page = await record_resolvers.records(
            info.context, wanted=record_spec(filter), first=first, after=after
        )
        return connection(page, Record.of)

    @strawberry.field(description="Authorisation grants the viewer may see")
    async def grants(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this subject's grants")
        ] = None,
    ) -> list[Grant]:
        found = await grant_resolvers.grants(
            info.context, subject_id=None if subject is None else str(subject)
        )
        return [Grant.of(g, info.context.now) for g in found]

    @strawberry.field(description="Audit events: all for the credit centre, own for a subject")
    async def audit_events(
        self,
        info: Info[Context, None],
        subject: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only events about this subject (credit centre)"),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[AuditEvent]:
        page = await audit_resolvers.audit_events(
            info.context,
            subject_id=None if subject is None else str(subject),
            first=first,
            after=after,
        )
        return connection(page, AuditEvent.of)

    @strawberry.field(
        description="Every change to a record exactly once, in a stable order; resume from "
        "the last cursor seen (provincial reporting, notice 一(三))"
    )
    async def record_changes(
        self, info: Info[Context, None], after: After = None, first: First = None
    ) -> Connection[RecordChange]:
        page = await record_resolvers.record_changes(info.context, after=after, first=first)
        return connection(page, RecordChange.of)

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

    @strawberry.field(
        description="Public: whether a credit report with this serial and SHA-256 was issued"
    )
    async def verify_credit_report(
        self,
        info: Info[Context, None],
        serial: Annotated[str, strawberry.argument(description="The serial printed on the report")],
        sha256: Annotated[
            str, strawberry.argument(description="The SHA-256 of the PDF file, 64 hex digits")
        ],
    ) -> ReportVerification:
        found = await report_resolvers.verify_credit_report(
            info.context, serial=serial, sha256=sha256
        )
        return ReportVerification.of(found)
