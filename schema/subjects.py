"""Subjects (信用主体) with their basic data items and records, and a person's recording opt-out."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import blacklist as blacklist_resolvers
from resolvers import commitments as commitment_resolvers
from resolvers import recording_preference as preference_resolvers
from resolvers import records as record_resolvers
from resolvers import subjects as subject_resolvers
from resolvers.context import Context
from resolvers.recording_preference import RecordingPreference
from resolvers.subjects import SubjectHeading, SubjectView
from schema.catalogue import DataItem
from schema.commitments import Commitment
from schema.connections import After, Connection, First, connection
from schema.enums import PublicAttribute, SubjectKind
from schema.errors import UserError, mutation_result
from schema.records import Record, RecordFilter, record_spec
from schema.submission import DataItemInput


@strawberry.type(description="信用主体")
class Subject:
    id: strawberry.ID = strawberry.field(description="The subject's id")
    kind: SubjectKind = strawberry.field(description="信用主体类别")
    name: str | None = strawberry.field(description="Masked for viewers below its attribute")
    identifier: str | None = strawberry.field(
        description="统一社会信用代码 or 公民身份号码, masked for viewers below its attribute"
    )
    access_level: PublicAttribute = strawberry.field(
        description="The viewer's level for this subject"
    )
    former_names: list[str] = strawberry.field(
        description="曾用名: names it had before, oldest first; shown to whoever sees its name "
        "unmasked"
    )
    # A heading only where the query cannot select `basicItems` (schema.records.with_subjects).
    view: strawberry.Private[SubjectHeading]

    @strawberry.field(description="基础信息 data items")
    def basic_items(self) -> list[DataItem]:
        # Built when asked: a records page shows each record's subject by id and name only.
        assert isinstance(self.view, SubjectView), "a heading where basicItems is selected"
        return [DataItem.of(v) for v in self.view.basic_items]

    @strawberry.field(
        description="信用承诺 the viewer may see: a person's at AUTHORIZED only, an "
        "organisation's while valid (whole-file viewers: all)"
    )
    async def commitments(self, info: Info[Context, None]) -> list[Commitment]:
        found = await commitment_resolvers.subject_commitments(
            info.context, subject_id=str(self.id), kind=self.kind
        )
        return [Commitment.of(c) for c in found]

    @strawberry.field(description="Whether a blacklist entry about the subject is in force today")
    async def blacklisted(self, info: Info[Context, None]) -> bool:
        return await blacklist_resolvers.blacklisted(info.context, str(self.id))

    @strawberry.field(description="The subject's records, newest decision first")
    async def records(
        self,
        info: Info[Context, None],
        filter: Annotated[
            RecordFilter | None,
            strawberry.argument(
                description="Which of its records; all the viewer may see when omitted"
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Record]:
        page = await record_resolvers.subject_records(
            info.context,
            subject_id=str(self.id),
            wanted=record_spec(filter),
            first=first,
            after=after,
        )
        return connection(page, Record.of)

    @classmethod
    def of(cls, view: SubjectHeading) -> Subject:
        return cls(
            id=strawberry.ID(view.id),
            kind=view.kind,
            name=view.name.value,
            identifier=view.identifier.value,
            access_level=view.level,
            former_names=list(view.former_names),
            view=view,
        )


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

    @classmethod
    def of(cls, done: RecordingPreference) -> SetRecordingPreferenceSuccess:
        return cls(opted_out=done.opted_out, records_changed=done.records_changed)


SetRecordingPreferenceResult = Annotated[
    SetRecordingPreferenceSuccess | UserError,
    strawberry.union(
        "SetRecordingPreferenceResult",
        description="SetRecordingPreferenceSuccess when done, or a UserError "
        "saying why nothing changed",
    ),
]


@strawberry.type
class RecordingPreferenceMutation:
    """The recording opt-out: fields of the Mutation root (schema/mutation.py)."""

    @strawberry.mutation(
        description="A natural person refuses (or allows again) the recording of "
        "commendations, volunteering and donations about them (Shenzhen regulation art. 39)"
    )
    async def set_recording_preference(
        self,
        info: Info[Context, None],
        opt_out: Annotated[
            bool,
            strawberry.argument(
                description="true refuses the recording from now on and hides such records; "
                "false allows it again"
            ),
        ],
    ) -> SetRecordingPreferenceResult:
        return await mutation_result(
            preference_resolvers.set_recording_preference(info.context, opt_out=opt_out),
            SetRecordingPreferenceSuccess.of,
        )


@strawberry.type
class SubjectQuery:
    """Reads of subjects: fields of the Query root (schema/query.py)."""

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


@strawberry.input(
    description="A subject's basic data as a registration authority's register holds it"
)
class BasicDataInput:
    kind: SubjectKind = strawberry.field(description="The kind of subject")
    data_items: list[DataItemInput] = strawberry.field(
        description="The data items of the kind's BASIC catalogue item, name and identifier "
        "among them; an item left out is no longer on file"
    )


@strawberry.type(description="The basic data is on file: a new version when anything changed")
class SubmitBasicDataSuccess:
    subject: Subject = strawberry.field(description="The subject as the unit now sees it")

    @classmethod
    def of(cls, view: SubjectView) -> SubmitBasicDataSuccess:
        return cls(subject=Subject.of(view))


SubmitBasicDataResult = Annotated[
    SubmitBasicDataSuccess | UserError,
    strawberry.union(
        "SubmitBasicDataResult",
        description="SubmitBasicDataSuccess when done, or a UserError naming the field and rule",
    ),
]


@strawberry.type
class BasicDataMutation:
    """Basic data from registration authorities: fields of the Mutation root."""

    @strawberry.mutation(
        description="A registration authority submits or corrects a subject's basic data "
        "(notice 一(四)): registered when new, a new version when changed; a renamed firm keeps "
        "its records and its former names, by which units may still name it"
    )
    async def submit_basic_data(
        self,
        info: Info[Context, None],
        input: Annotated[BasicDataInput, strawberry.argument(description="The basic data")],
    ) -> SubmitBasicDataResult:
        return await mutation_result(
            subject_resolvers.submit_basic_data(
                info.context,
                kind=input.kind,
                data_items=[(d.key, d.value) for d in input.data_items],
            ),
            SubmitBasicDataSuccess.of,
        )
