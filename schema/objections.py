"""Objections (异议) and their mutations' inputs and results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain import objections
from resolvers import records as record_resolvers
from resolvers.context import Context
from schema.enums import ObjectionGrounds, ObjectionState
from schema.errors import UserError
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


@strawberry.type(description="The objection was resolved")
class ResolveObjectionSuccess:
    objection: Objection = strawberry.field(description="The objection with its outcome")


@strawberry.type(description="The deadline was extended")
class ExtendObjectionSuccess:
    objection: Objection = strawberry.field(description="The objection with its extended deadline")


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
