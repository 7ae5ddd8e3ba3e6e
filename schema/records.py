"""Records (信用记录): disclosure, the change feed, and a filing that clears a lapse."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.types import Info

from domain import disclosure, records
from resolvers import filings as filing_resolvers
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from resolvers.pagination import Page
from resolvers.records import RecordChangeView, RecordView
from schema.catalogue import CatalogueItem, DataItem
from schema.connections import After, Connection, First, connection
from schema.enums import (
    Category,
    ChangeKind,
    DisclosureState,
    ObjectionGrounds,
    ObjectionState,
    PublicAttribute,
    RecordStatus,
    Severity,
)
from schema.errors import UserError, mutation_result
from schema.execution import READ_AHEAD, ReadAhead
from schema.selection import may_select, selects

if TYPE_CHECKING:
    from schema.subjects import Subject


@strawberry.type(description="公示期")
class Disclosure:
    start: date = strawberry.field(description="The first day on display: the decision day")
    earliest_repair_date: date | None = strawberry.field(
        description="The first day repair may be asked for: the day after the minimum period's "
        "last day (民法典 arts. 201–203); null when there is no minimum"
    )
    end: date = strawberry.field(
        description="The last day on display (民法典 arts. 201–203: the decision day is not "
        "counted, a period ends at the end of its last day); not shown the day after"
    )
    state: DisclosureState = strawberry.field(
        description="Whether the record is on public display today, and if not, why"
    )
    rule: str = strawberry.field(
        description="The name of the disclosure rule applied, with any epidemic "
        "overlay (notice 二(八), 三(十))"
    )
    basis: str = strawberry.field(description="The documents the rule rests on")

    @classmethod
    def of(
        cls, period: disclosure.DisclosurePeriod, state: disclosure.DisclosureState
    ) -> Disclosure:
        return cls(
            start=period.start,
            earliest_repair_date=period.earliest_repair_date,
            end=period.end,
            state=state,
            rule=period.rule,
            basis=period.basis,
        )


@strawberry.type(description="异议标注: the record is disputed, or was; shown to every viewer")
class ObjectionNote:
    objection_id: strawberry.ID = strawberry.field(description="The objection")
    state: ObjectionState = strawberry.field(description="PENDING, or its outcome")
    grounds: ObjectionGrounds = strawberry.field(description="What is disputed")
    filed_at: datetime = strawberry.field(description="When it was filed")
    resolved_at: datetime | None = strawberry.field(
        description="When it was resolved; null while PENDING"
    )

    @classmethod
    def of(cls, note: records.ObjectionNote) -> ObjectionNote:
        return cls(
            objection_id=strawberry.ID(note.objection_id),
            state=note.state,
            grounds=note.grounds,
            filed_at=note.filed_at,
            resolved_at=note.resolved_at,
        )


@strawberry.type(description="信用记录")
class Record:
    id: strawberry.ID = strawberry.field(description="The record's id")
    category: Category = strawberry.field(description="信息类别")
    severity: Severity | None = strawberry.field(
        description="失信程度 of a dishonesty record; null for other categories"
    )
    source_unit: str = strawberry.field(
        description="The code of the source unit (信源单位) that submitted it"
    )
    document_number: str = strawberry.field(description="The decision's document number (文号)")
    decision_date: date = strawberry.field(
        description="The day of the decision (penalty, judgment, commendation)"
    )
    epidemic_related: bool = strawberry.field(
        description="As submitted: the epidemic caused the lapse (notice 三(十), 三(十一))"
    )
    catalogue_version: str = strawberry.field(
        description="The catalogue version it was submitted under"
    )
    status: RecordStatus = strawberry.field(description="Its standing in the file")
    disclosure: Disclosure = strawberry.field(
        description="公示期: its disclosure period and whether it is on display today"
    )
    data_items: list[DataItem] = strawberry.field(
        description="数据项, masked for the viewer by their public attribute (公开属性)"
    )
    objection: ObjectionNote | None = strawberry.field(
        description="异议标注: the latest objection about it; null when none was filed"
    )
    # A field, not a resolver: built with the record (about a microsecond), it completes with
    # the record's plain fields instead of costing a resolver call per record (issue 9).
    item: CatalogueItem = strawberry.field(
        description="The catalogue item the record was submitted under"
    )
    view: strawberry.Private[RecordView]
    # Its subject, when read ahead with the page's (`with_subjects`): a `Subject | None`.
    subject_ahead: strawberry.Private[ReadAhead[object] | None] = None

    @strawberry.field(description="The viewer's level for this record's subject")
    def access_level(self) -> PublicAttribute:
        return self.view.level

    @strawberry.field(
        description="The subject the record is about, masked for the viewer",
        metadata={READ_AHEAD: "subject_ahead"},
    )
    async def subject(
        self, info: Info[Context, None]
    ) -> Annotated[Subject, strawberry.lazy("schema.subjects")] | None:
        from schema.subjects import Subject

        if self.subject_ahead is not None:
            return cast("Subject | None", self.subject_ahead.value)
        found = await subject_resolvers.subject_by_id(info.context, self.view.subject_id)
        return None if found is None else Subject.of(found)

    @classmethod
    def of(cls, view: RecordView, subject: ReadAhead[object] | None = None) -> Record:
        return cls(
            id=strawberry.ID(view.id),
            category=view.category,
            severity=view.severity,
            source_unit=view.source_unit,
            document_number=view.document_number,
            decision_date=view.decision_date,
            epidemic_related=view.epidemic_related,
            catalogue_version=view.catalogue_version,
            status=view.status,
            item=CatalogueItem.of(view.item),
            disclosure=Disclosure.of(view.disclosure, view.disclosure_state),
            data_items=[DataItem.of(v) for v in view.data_items],
            objection=None if view.objection is None else ObjectionNote.of(view.objection),
            view=view,
            subject_ahead=subject,
        )


async def with_subjects(info: Info[Context, None], page: Page[RecordView]) -> Connection[Record]:
    """A connection of the page's records; when the query surely asks for each one's subject,
    the subjects read ahead together: the answers `Record.subject` gives, each in one batch,
    completed with the records' plain fields instead of by a resolver per record (issue 9).
    A subject whose reading failed is not read ahead: its records' resolvers report it."""
    if not selects(info, "edges", "node", "subject"):
        return connection(page, Record.of)
    from schema.subjects import Subject

    found = await subject_resolvers.subjects_by_id(
        info.context,
        (view.subject_id for _, view in page.edges),
        basic_items=may_select(info, "edges", "node", "subject", "basicItems"),
    )
    subjects: dict[str, ReadAhead[object]] = {
        k: ReadAhead(None if v is None else Subject.of(v)) for k, v in found.items()
    }
    return connection(page, lambda view: Record.of(view, subjects.get(view.subject_id)))


@strawberry.input(description="What to restrict a record list to")
class RecordFilter:
    """The client's side of the store's `RecordFilter`: each field has the store's name, so
    `spec` carries every one across (tests/test_records_schema.py checks each arrives)."""

    subject_id: strawberry.ID | None = strawberry.field(
        name="subject", default=None, description="Only this subject's records"
    )
    category: Category | None = strawberry.field(default=None, description="Only this category")
    item_code: str | None = strawberry.field(
        name="item", default=None, description="A catalogue item code"
    )
    status: RecordStatus | None = strawberry.field(
        default=None, description="Only records with this status"
    )
    decided_from: date | None = strawberry.field(
        default=None, description="Only decisions on or after this day"
    )
    decided_to: date | None = strawberry.field(
        default=None, description="Only decisions on or before this day"
    )


def record_spec(filter: RecordFilter | None) -> record_resolvers.RecordFilter:
    """The store's filter with every field the client gave (none: all records)."""
    given = {} if filter is None else {f.name: getattr(filter, f.name) for f in fields(filter)}
    return record_resolvers.RecordFilter(**given)


@strawberry.type(description="One change to a record, with the record as it became")
class RecordChange:
    sequence: int = strawberry.field(description="Feed position; increasing, with gaps")
    kind: ChangeKind = strawberry.field(description="What happened")
    at: datetime = strawberry.field(description="When it happened")
    record: Record | None = strawberry.field(
        description="The record as it became; null where the person refused its recording"
    )

    @classmethod
    def of(cls, change: RecordChangeView) -> RecordChange:
        return cls(
            sequence=change.seq,
            kind=change.kind,
            at=change.at,
            record=None if change.record is None else Record.of(change.record),
        )


@strawberry.type(description="The lapse was cleared (notice 三(十))")
class RecordAnnualReportFiledSuccess:
    record: Record = strawberry.field(
        description="The record, CLEARED: off display, no repair needed"
    )

    @classmethod
    def of(cls, done: RecordView) -> RecordAnnualReportFiledSuccess:
        return cls(record=Record.of(done))


RecordAnnualReportFiledResult = Annotated[
    RecordAnnualReportFiledSuccess | UserError,
    strawberry.union(
        "RecordAnnualReportFiledResult",
        description="RecordAnnualReportFiledSuccess when done, or a UserError "
        "saying why nothing changed",
    ),
]


@strawberry.type
class FilingMutation:
    """Filings that clear a lapse: fields of the Mutation root (schema/mutation.py)."""

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
            RecordAnnualReportFiledSuccess.of,
        )


@strawberry.type
class RecordQuery:
    """Reads of records and their change feed: fields of the Query root (schema/query.py)."""

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
        return await with_subjects(info, page)

    @strawberry.field(
        description="Every change to a record exactly once, in a stable order; resume from "
        "the last cursor seen (provincial reporting, notice 一(三))"
    )
    async def record_changes(
        self, info: Info[Context, None], after: After = None, first: First = None
    ) -> Connection[RecordChange]:
        page = await record_resolvers.record_changes(info.context, after=after, first=first)
        return connection(page, RecordChange.of)
