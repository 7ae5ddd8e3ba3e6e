"""The Query root."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers import audit as audit_resolvers
from resolvers import catalogue as catalogue_resolvers
from resolvers import grants as grant_resolvers
from resolvers import record_changes as change_resolvers
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from schema.audit_events import AuditEvent
from schema.catalogue import Catalogue
from schema.connections import Connection, connection
from schema.enums import SubjectKind
from schema.grants import Grant
from schema.record_changes import RecordChange
from schema.records import Record, RecordFilter, record_query
from schema.subjects import Subject
from schema.viewer import Viewer


@strawberry.type
class Query:
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
