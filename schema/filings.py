"""Filing events that clear a lapse (notice 三(十))."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.records import Record
from schema.results import UserError


@strawberry.type(description="The lapse was cleared (notice 三(十))")
class RecordAnnualReportFiledSuccess:
    record: Record = strawberry.field(
        description="The record, CLEARED: off display, no repair needed"
    )


RecordAnnualReportFiledResult = Annotated[
    RecordAnnualReportFiledSuccess | UserError,
    strawberry.union(
        "RecordAnnualReportFiledResult",
        description="RecordAnnualReportFiledSuccess when done, or a UserError "
        "saying why nothing changed",
    ),
]
