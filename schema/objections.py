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
from schema.records import Record
from schema.results import UserError


@strawberry.type(description="异议: deadlines in working days (Shenzhen regulation arts. 79–85)")
class Objection:
    id: strawberry.ID
    record_id: strawberry.ID
    subject_id: strawberry.ID
    source_unit: str
    grounds: ObjectionGrounds
    description: str
    state: ObjectionState
    filed_at: datetime
    check_by: date = strawberry.field(description="The credit centre checks within 1 working day")
    decide_by: date = strawberry.field(description="The source unit decides within 2 more")
    extended_to: date | None = strawberry.field(description="The one extension, 3 working days")
    due_on: date = strawberry.field(description="The deadline in force")
    overdue: bool = strawberry.field(description="Still pending after the deadline in force")
    resolved_at: datetime | None
    reason: str

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
    key: str
    value: str


@strawberry.type
class FileObjectionSuccess:
    objection: Objection


@strawberry.type
class ResolveObjectionSuccess:
    objection: Objection


@strawberry.type
class ExtendObjectionSuccess:
    objection: Objection


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
