"""The Query root."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.cases import CaseKind
from domain.commitments import CommitmentStatus
from domain.repair import RepairState
from resolvers import audit as audit_resolvers
from resolvers import blacklist as blacklist_resolvers
from resolvers import cases as case_resolvers
from resolvers import catalogue as catalogue_resolvers
from resolvers import commitments as commitment_resolvers
from resolvers import eligibility as eligibility_resolvers
from resolvers import financing as financing_resolvers
from resolvers import grants as grant_resolvers
from resolvers import objections as objection_resolvers
from resolvers import record_changes as change_resolvers
from resolvers import records as record_resolvers
from resolvers import repair as repair_resolvers
from resolvers import reports as report_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.audit_events import AuditEvent
from schema.blacklist import BlacklistEntry
from schema.cases import TypicalCase
from schema.catalogue import Catalogue
from schema.commitments import Commitment
from schema.connections import Connection, connection
from schema.eligibility import Eligibility, Programme
from schema.enums import ObjectionState, SubjectKind
from schema.financing import FinancingProfile
from schema.grants import Grant
from schema.objections import Objection
from schema.record_changes import RecordChange
from schema.records import Record, RecordFilter, record_query
from schema.repair import RepairApplication
from schema.reports import ReportVerification
from schema.subjects import Subject
from schema.viewer import Viewer


@strawberry.type
class Query:
    @strawberry.field(
        description="Repair applications: all for the credit centre in its review order (fast "
        "track first, then oldest; notice 三(十一)), its own for a subject, newest first; "
        "overdue: undecided past the deadline in force (or not)"
    )
    async def repair_applications(
        self,
        info: Info[Context, None],
        state: RepairState | None = None,
        overdue: bool | None = None,
        subject: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
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
        state: ObjectionState | None = None,
        overdue: bool | None = None,
        first: int | None = None,
        after: str | None = None,
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
        subject: strawberry.ID | None = None,
        status: CommitmentStatus | None = None,
        first: int | None = None,
        after: str | None = None,
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
        subject: strawberry.ID | None = None,
        in_force: bool | None = None,
        first: int | None = None,
        after: str | None = None,
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
        self, info: Info[Context, None], subject: strawberry.ID, programme: str
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
        self, info: Info[Context, None], subjects: list[strawberry.ID], programme: str
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
        self, info: Info[Context, None], subject: strawberry.ID
    ) -> FinancingProfile:
        found = await financing_resolvers.financing_profile(info.context, subject_id=str(subject))
        return FinancingProfile.of(found, info.context.today)

    @strawberry.field(description="Who is asking")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        return Viewer.of(info.context.viewer)

    @strawberry.field(description="A published catalogue version; the one in force when omitted")
    def catalogue(self, info: Info[Context, None], version: str | None = None) -> Catalogue | None:
        found = catalogue_resolvers.catalogue(info.context, version=version)
        return None if found is None else Catalogue.of(found)

    @strawberry.field(description="A subject by id or by identifier (give exactly one)")
    async def subject(
        self,
        info: Info[Context, None],
        id: strawberry.ID | None = None,
        identifier: str | None = None,
    ) -> Subject | None:
        found = await subject_resolvers.subject(
            info.context, subject_id=None if id is None else str(id), identifier=identifier
        )
        return None if found is None else Subject.of(found)

    @strawberry.field(description="Subjects in id order; search matches the start of the name")
    async def subjects(
        self,
        info: Info[Context, None],
        search: str | None = None,
        kind: SubjectKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Subject]:
        page = await subject_resolvers.subjects(
            info.context, search=search, kind=kind, first=first, after=after
        )
        return connection(page, Subject.of)

    @strawberry.field(description="A record by id, if the viewer may see it")
    async def record(self, info: Info[Context, None], id: strawberry.ID) -> Record | None:
        found = await record_resolvers.record(info.context, str(id))
        return None if found is None else Record.of(found)

    @strawberry.field(description="Records, newest decision first")
    async def records(
        self,
        info: Info[Context, None],
        filter: RecordFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Record]:
        page = await record_resolvers.records(
            info.context, query=record_query(filter), first=first, after=after
        )
        return connection(page, Record.of)

    @strawberry.field(description="Authorisation grants the viewer may see")
    async def grants(
        self, info: Info[Context, None], subject: strawberry.ID | None = None
    ) -> list[Grant]:
        found = await grant_resolvers.grants(
            info.context, subject_id=None if subject is None else str(subject)
        )
        return [Grant.of(g, info.context.now) for g in found]

    @strawberry.field(description="Audit events: all for the credit centre, own for a subject")
    async def audit_events(
        self,
        info: Info[Context, None],
        subject: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
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
        self, info: Info[Context, None], after: str | None = None, first: int | None = None
    ) -> Connection[RecordChange]:
        page = await change_resolvers.record_changes(info.context, after=after, first=first)
        return connection(page, RecordChange.of)

    @strawberry.field(description="Typical cases for the portal, newest first (notice 二(五))")
    async def cases(
        self,
        info: Info[Context, None],
        kind: CaseKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TypicalCase]:
        page = await case_resolvers.cases(info.context, kind=kind, first=first, after=after)
        return connection(page, TypicalCase.of)

    @strawberry.field(
        description="Public: whether a credit report with this serial and SHA-256 was issued"
    )
    async def verify_credit_report(
        self, info: Info[Context, None], serial: str, sha256: str
    ) -> ReportVerification:
        found = await report_resolvers.verify_credit_report(
            info.context, serial=serial, sha256=sha256
        )
        return ReportVerification.of(found)
