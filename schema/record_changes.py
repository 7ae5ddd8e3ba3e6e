"""The change feed for the provincial platform."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.records import RecordChangeView
from schema.enums import ChangeKind
from schema.records import Record


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
