"""The recording opt-out (Shenzhen regulation art. 39) and its mutation's result."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.results import UserError


@strawberry.type(description="The person's choice is recorded and applied to the records on file")
class SetRecordingPreferenceSuccess:
    opted_out: bool = strawberry.field(
        description="Whether commendations, volunteering and donations about the person are "
        "refused: then not accepted, and those on file shown to no one but the person and "
        "the credit centre"
    )
    records_changed: int = strawberry.field(
        description="Records on file withheld or shown again by this choice"
    )


SetRecordingPreferenceResult = Annotated[
    SetRecordingPreferenceSuccess | UserError,
    strawberry.union(
        "SetRecordingPreferenceResult",
        description="SetRecordingPreferenceSuccess when done, or a UserError "
        "saying why nothing changed",
    ),
]
