"""Objections (异议) and their mutations' inputs and results."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain import objections
from resolvers import objections as objection_resolvers
from resolvers import records as record_resolvers
from resolvers.context import Context
from schema.connections import After, Connection, First, connection
from schema.enums import ObjectionGrounds, ObjectionOutcome, ObjectionState
from schema.errors import UserError, mutation_result
from schema.records import Record


@strawberry.type(description="异议: deadlines in working days (Shenzhen regulation arts. 79–85)")
class Objection:
    id: strawberry.ID = strawberry.field(description="The objection's id")
    record_id: strawberry.ID = strawberry.field(description="The disputed record")
    subject_id: strawberry.ID = strawberry.field(description="The subject who objected")
    source_unit: str = strawberry.field(
        description="The code of the unit that submitted the record and decides"
    )
    grounds: ObjectionGrounds = strawberry.field(description="What is disputed")
    description: str = strawberry.field(
        description="The subject's explanation; empty when none was given"
    )
    state: ObjectionState = strawberry.field(description="PENDING, or its outcome")
    filed_at: datetime = strawberry.field(description="When it was filed")
    check_by: date = strawberry.field(description="The credit centre checks within 1 working day")
    decide_by: date = strawberry.field(description="The source unit decides within 2 more")
    extended_to: date | None = strawberry.field(description="The one extension, 3 working days")
    due_on: date = strawberry.field(description="The deadline in force")
    overdue: bool = strawberry.field(description="Still pending after the deadline in force")
    resolved_at: datetime | None = strawberry.field(
        description="When it was resolved; null while PENDING"
    )
    reason: str = strawberry.field(
        description="The resolver's reason, shown to the subject; empty while PENDING"
    )

    # Corrected values are not repeated here: they leave the API only through `record`,
    # masked for the viewer like every record value.
    @strawberry.field(description="The disputed record, if the viewer may see it")
    async def record(self, info: Info[Context, None]) -> Record | None:
        found = await record_resolvers.record(info.context, str(self.record_id))
        return None if found is None else Record.of(found)

    @classmethod
    def of(cls, objection: objections.Objection, today: date) -> Objection:
        return cls(
            id=strawberry.ID(objection.id),
            record_id=strawberry.ID(objection.record_id),
            subject_id=strawberry.ID(objection.subject_id),
            source_unit=objection.source_unit,
            grounds=objection.grounds,
            description=objection.description,
            state=objection.state,
            filed_at=objection.filed_at,
            check_by=objection.check_by,
            decide_by=objection.decide_by,
            extended_to=objection.extended_to,
            due_on=objection.due_on,
            overdue=objection.overdue(today),
            resolved_at=objection.resolved_at,
            reason=objection.reason,
        )


@strawberry.input(description="A data item's corrected value; the key is the catalogue's")
class DataItemValueInput:
    key: str = strawberry.field(description="The data item's key in the catalogue")
    value: str = strawberry.field(
        description="The corrected value, written as the data item's format says"
    )


@strawberry.type(description="The objection was filed; the record is annotated at once")
class FileObjectionSuccess:
    objection: Objection = strawberry.field(description="The new objection, PENDING")

    @classmethod
    def of(cls, done: objections.Objection, today: date) -> FileObjectionSuccess:
        return cls(objection=Objection.of(done, today))


@strawberry.type(description="The objection was resolved")
class ResolveObjectionSuccess:
    objection: Objection = strawberry.field(description="The objection with its outcome")

    @classmethod
    def of(cls, done: objections.Objection, today: date) -> ResolveObjectionSuccess:
        return cls(objection=Objection.of(done, today))


@strawberry.type(description="The deadline was extended")
class ExtendObjectionSuccess:
    objection: Objection = strawberry.field(description="The objection with its extended deadline")

    @classmethod
    def of(cls, done: objections.Objection, today: date) -> ExtendObjectionSuccess:
        return cls(objection=Objection.of(done, today))


FileObjectionResult = Annotated[
    FileObjectionSuccess | UserError,
    strawberry.union(
        "FileObjectionResult",
        description="FileObjectionSuccess when done, or a UserError saying why nothing changed",
    ),
]
ResolveObjectionResult = Annotated[
    ResolveObjectionSuccess | UserError,
    strawberry.union(
        "ResolveObjectionResult",
        description="ResolveObjectionSuccess when done, or a UserError saying why nothing changed",
    ),
]
ExtendObjectionResult = Annotated[
    ExtendObjectionSuccess | UserError,
    strawberry.union(
        "ExtendObjectionResult",
        description="ExtendObjectionSuccess when done, or a UserError saying why nothing changed",
    ),
]


@strawberry.type
class ObjectionMutation:
    """Writes of objections: fields of the Mutation root (schema/mutation.py)."""

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
            partial(FileObjectionSuccess.of, today=info.context.today),
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
            partial(ResolveObjectionSuccess.of, today=info.context.today),
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
            partial(ExtendObjectionSuccess.of, today=info.context.today),
        )


@strawberry.type
class ObjectionQuery:
    """Reads of objections: fields of the Query root (schema/query.py)."""

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
